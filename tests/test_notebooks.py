"""The workshop notebooks run top to bottom in a fresh kernel, offline, and show what they teach.

Each notebook is executed with nbclient in the venv's ``python3`` kernel (workshop mode, no Azure);
they run three at a time (each in its own kernel and emulator) to keep this file near a minute.
"""

from __future__ import annotations

import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
CELL_TIMEOUT_S = 120

# What a learner notices in each notebook's output (the failure named, the fix checked).
EXPECTED: dict[str, list[str]] = {
    "00-start-here": ["crashloop-init-exception   AKS  Failed", "['schedule-insufficient-resources']"],
    "01-healthy-aks": ["0 finding(s)", "200 in"],
    "10-aks-gpu-unschedulable": ["schedule-insufficient-resources", "gpu requested: 0", "200 on CPU"],
    "11-crashloop-init-exception": ["service-launch-crashloop", "KeyError: 'CHURN_THRESHOLD'", "200 in"],
    "12-model-path-not-found": ["model-path-not-found", "ModelNotFoundException", "ok: True", "200 in"],
    "13-run-failure-502": [
        "run-failure",
        "Response Code: 502",
        "http-502     found in the call answer",
        "502 remotely",
        "200 in",
    ],
    "14-aks-503-spike": [
        "one call: 200 OK",
        "got 503 Service Unavailable",
        "(overloaded)",
        "http-503",
        "observed 503s",
        "503s: ",
    ],
    "15-timeout-504": [
        "504 Gateway Timeout after",
        "Response Code: 504",
        "'http-504'",
        "504 remotely",
        "200 in",
    ],
    "16-image-build-failure": ["image-build-failure", "ResolvePackageNotFound", "pip:"],
    "17-out-of-memory": ["out-of-memory", "SIGKILL"],
    "18-fpga-quota": ["fpga-quota", "200 on CPU"],
    "19-unauthorized-401": ["authorization-failed", "AuthError:", "healthy-aks: Healthy"],
    "30-replica-sizing": ["replicas: 286", "228 replicas"],
}

_POOL: ThreadPoolExecutor | None = None
_RUNS: dict[Path, Future[nbformat.NotebookNode]] = {}


def _execute(path: Path) -> nbformat.NotebookNode:
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="amlwizard-nb-") as cwd:  # nothing is written into the repo
        client = NotebookClient(
            nb,
            timeout=CELL_TIMEOUT_S,
            kernel_name="python3",
            allow_errors=True,  # keep going, so the test shows every error output at once
            resources={"metadata": {"path": cwd}},
        )
        client.execute()
    return nb


@pytest.fixture(scope="module")
def executed(request):
    """Start every selected notebook (three kernels at a time); each test waits for its own."""
    global _POOL
    selected = [
        item.callspec.params["path"]
        for item in request.session.items
        if getattr(item, "originalname", "") == "test_notebook_runs_offline_and_shows_the_lesson"
    ]
    _POOL = ThreadPoolExecutor(max_workers=3, thread_name_prefix="notebook")
    for path in selected:
        _RUNS[path] = _POOL.submit(_execute, path)
    yield _RUNS
    _POOL.shutdown(wait=True, cancel_futures=True)
    _RUNS.clear()


def _texts(nb: nbformat.NotebookNode) -> tuple[str, list[str]]:
    """All text a learner sees, and the error outputs (cell, ename, evalue)."""
    texts, errors = [], []
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                texts.append(out.text)
            elif out.output_type == "error":
                errors.append(f"cell {index}: {out.ename}: {out.evalue}")
            else:
                texts.append(out.get("data", {}).get("text/plain", ""))
    return "\n".join(texts), errors


def test_every_notebook_has_an_expectation():
    names = {p.stem for p in NOTEBOOKS}
    assert names == set(EXPECTED), f"notebooks without expectations: {names ^ set(EXPECTED)}"
    assert len(NOTEBOOKS) >= 13  # start here, 11 scenarios, sizing


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_committed_notebook_has_no_outputs(path: Path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {index} of {path.name} carries outputs"
            assert cell.execution_count is None, f"cell {index} of {path.name} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_offline_and_shows_the_lesson(path: Path, executed):
    nb = executed[path].result()
    text, errors = _texts(nb)
    assert not errors, f"{path.name} raised: " + " | ".join(errors)
    missing = [s for s in EXPECTED[path.stem] if s not in text]
    assert not missing, f"{path.name} never showed {missing}"
