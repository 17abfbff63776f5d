"""Steps the browser tests share: make a notebook by REST, open it, wait for its kernel, run it.

Waiting for the real kernel (not the "idle" shown before one exists) is the main trap: see E2E.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

STDERR_OUTPUT = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'

__all__ = [
    "STDERR_OUTPUT",
    "create_notebook",
    "open_notebook",
    "wait_for_kernel",
    "run_all_cells",
    "wait_for_cells_done",
    "shoot",
    "wait_in_wizard",
    "start_wizard",
]

# Resolves once the current notebook's kernel has answered its info request (cells run from then on).
_KERNEL_READY_JS = """async () => {
  const app = window.jupyterapp;
  const panels = Array.from(app.shell.widgets('main')).filter(w => w.sessionContext);
  const panel = panels.includes(app.shell.currentWidget) ? app.shell.currentWidget : panels.at(-1);
  await panel.context.ready;
  await panel.sessionContext.ready;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  if (!kernel) { return null; }
  await kernel.info;
  return kernel.name;
}"""

_HAS_NOTEBOOK_JS = """() => window.jupyterapp &&
  Array.from(window.jupyterapp.shell.widgets('main')).some(w => w.sessionContext)"""

# True when every code cell shows "[N]:"; throws (fails fast) on a traceback or a UsageError line.
_CELLS_DONE_JS = """(count) => {
  const errors = Array.from(document.querySelectorAll(
    '.jp-NotebookPanel .jp-OutputArea-output.jp-mod-error, ' +
    '.jp-NotebookPanel .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
    .filter(e => e.classList.contains('jp-mod-error') || /UsageError/.test(e.innerText));
  if (errors.length) { throw new Error('cell error: ' + errors[0].innerText.slice(0, 600)); }
  const prompts = Array.from(
    document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputArea-prompt'));
  return prompts.length >= count && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
}"""


def create_notebook(lab: Any, name: str, cells: list[str]) -> str:
    """Write ``name`` (python3 kernelspec, so no kernel dialog) into the server's root by the contents API."""
    content = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
            "language_info": {"name": "python"},
        },
        "cells": [
            {"cell_type": "code", "metadata": {}, "source": src, "outputs": [], "execution_count": None}
            for src in cells
        ],
    }
    lab.api("PUT", f"/api/contents/{name}", {"type": "notebook", "format": "json", "content": content})
    return name


def wait_for_kernel(page: Any, timeout_ms: float = 60_000) -> str:
    """Wait until a notebook is open and its kernel has answered; returns the kernel's name."""
    page.wait_for_function(_HAS_NOTEBOOK_JS, timeout=timeout_ms)
    return page.evaluate(_KERNEL_READY_JS)


def open_notebook(page: Any, lab: Any, name: str) -> str:
    page.goto(lab.page_url(f"lab/tree/{name}"))
    return wait_for_kernel(page)


def run_all_cells(page: Any) -> None:
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")


def wait_for_cells_done(page: Any, count: int, timeout_ms: float = 90_000) -> None:
    page.wait_for_function(_CELLS_DONE_JS, arg=count, timeout=timeout_ms, polling=250)


def shoot(page: Any, folder: Path, name: str, selector: str = ".jp-NotebookPanel") -> Path:
    """Screenshot one element (the notebook panel by default) to ``folder/name.png``."""
    path = folder / f"{name}.png"
    page.locator(selector).first.screenshot(path=str(path))
    return path


def wait_in_wizard(wizard: Any, target: Any, timeout_ms: float = 60_000) -> Any:
    """Wait for ``target`` inside a wizard; fail at once with the wizard's error line if it shows one."""
    import pytest

    error = wizard.locator(".amlw-error:visible")
    target.or_(error).first.wait_for(timeout=timeout_ms)
    if error.count() and not target.count():
        pytest.fail(f"the wizard showed an error: {error.first.inner_text()}")
    return target


def start_wizard(page: Any, lab: Any, name: str, magic: str) -> None:
    """Write ``name``.ipynb (``%load_ext amlwizard`` and ``magic``), open it, run it, wait for a wizard."""
    create_notebook(lab, f"{name}.ipynb", ["%load_ext amlwizard", magic])
    assert open_notebook(page, lab, f"{name}.ipynb") == "python3"
    run_all_cells(page)
    wait_for_cells_done(page, 2)
    page.locator(".amlw-wizard").first.wait_for()


def start_probe(wizard: Any, rps: int, seconds: int) -> None:
    """Type the Load probe's rate and length as a user does (Enter commits a number box), then start it."""
    for cls, value in [("amlw-probe-rps", rps), ("amlw-probe-seconds", seconds)]:
        box = wizard.locator(f".{cls} input")
        box.fill(str(value))
        box.press("Enter")
    wizard.get_by_role("button", name="Start probe").click()
