"""The Inspect model path wizard's SDK v2 report: what ``AZUREML_MODEL_DIR`` holds, what the scoring script
opens there, the fix line by line, and a v1 script's ``Model.get_model_path`` rewritten for SDK v2.
"""

from __future__ import annotations

import html
from typing import Any

from .._secrets import mask_secrets
from ._widgets import code_html, findings_box

__all__ = ["show_model_dir", "migration_html"]

_IN_CONTAINER = """import os
print(os.environ["AZUREML_MODEL_DIR"])  # {model_dir}
for folder, _, files in os.walk(os.environ["AZUREML_MODEL_DIR"]):
    print(folder, files)"""


def migration_html(migrations: list[Any]) -> str:
    """Each ``Model.get_model_path(...)`` line and its SDK v2 line (empty when the script has none)."""
    if not migrations:
        return ""
    lines = "\n".join(f"line {m.line}:\n- {m.source_line}\n+ {m.fixed_line}" for m in migrations)
    return code_html(
        f"{lines}\n# and drop `from azureml.core.model import Model` (SDK v2 needs no azureml-core)",
        "Moving to SDK v2: Model.get_model_path -> AZUREML_MODEL_DIR",
    )


def _opens_html(report: Any) -> str:
    if not report.opens:
        return "<p>The script does not read AZUREML_MODEL_DIR.</p>"
    rows = []
    for o in report.opens:
        what = f"$AZUREML_MODEL_DIR/{o.relative_path}" if o.relative_path else "$AZUREML_MODEL_DIR itself"
        mark = "✔" if o.exists else "✖ not there"
        where = f"line {o.line}" + (f" ({o.function}())" if o.function else "")
        rows.append(
            f"<tr><td>{html.escape(where)}</td><td><code>{html.escape(what)}</code></td><td>{mark}</td></tr>"
        )
    return f"<b>What the script opens</b><table class='amlw-model-opens'>{''.join(rows)}</table>"


def show_model_dir(wizard: Any, report: Any) -> None:
    """Fill the wizard's report widgets from a ``ModelDirReport`` (the kernel's thread)."""
    where = html.escape(report.model_dir)
    if report.ok:
        wizard.result.value = (
            f"✔ AZUREML_MODEL_DIR = <code>{where}</code>: every file the script opens there is there"
        )
    else:
        wizard.result.value = (
            f"✖ AZUREML_MODEL_DIR = <code>{where}</code>: the script opens what is not there"
        )
    items = "".join(f"<li>{html.escape(mask_secrets(p))}</li>" for p in report.problems)
    wizard.problems.value = _opens_html(report) + (f"<ul>{items}</ul>" if items else "")
    changed = [o for o in report.opens if o.fixed_line]
    fix = "\n".join(f"line {o.line}:\n- {o.source_line}\n+ {o.fixed_line}" for o in changed)
    wizard.fix.value = (code_html(fix, "The fix") if fix else "") + code_html(
        _IN_CONTAINER.format(model_dir=report.model_dir), "Check it in the container's shell"
    )
    listing = [f"$AZUREML_MODEL_DIR/{f}" for f in report.files] or ["(empty)"]
    wizard.tree.value = code_html(
        "\n".join(listing), f"What AZUREML_MODEL_DIR holds ({report.model_name}:{report.version})"
    ) + (
        "<small>As the storage-initializer container puts the registered files there: when it fails (model "
        "download), the container never gets them, and its log says why (Fetch logs).</small>"
    )
    wizard.resolver_log.value = ""
    wizard.migration.value = migration_html(report.migrations)
    wizard.findings.children = (
        tuple(findings_box(report.findings, lambda wiz, f: wizard.open_wizard(wiz, finding=f), wizard.name))
        if report.findings
        else ()
    )
    wizard.session.results["model-path"] = {
        "title": "Model path (AZUREML_MODEL_DIR)",
        "model_dir": report.model_dir,
        "opens": ", ".join(o.relative_path or "(the folder)" for o in report.opens) or "nothing",
        "problems": "; ".join(report.problems) or "none",
        "fix": report.fix or "none needed",
        "files": "\n".join(report.files),
    }
    wizard.record(
        f"inspected AZUREML_MODEL_DIR of {report.model_name}:{report.version}",
        "ok" if report.ok else (report.fix or "not found"),
    )
    wizard.go(1)
