"""The workshop notebooks run top to bottom in a fresh kernel, offline, and show what they teach.

The notebooks checked are those git tracks (a notebook JupyterLab added to the folder is not one of
them). Each runs as a learner runs it: copied with the scenarios' apps into a working folder by
``prepare_workfolder`` (what ``amlwizard workshop`` does), executed there with nbclient in the venv's
``python3`` kernel (workshop mode, no Azure); three at a time (each in its own kernel and emulator).
"""

from __future__ import annotations

import os
import subprocess
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

import amlwizard
from amlwizard._workfolder import prepare_workfolder, shipped_notebooks

REPO = Path(__file__).resolve().parent.parent


def _tracked_notebooks() -> list[Path]:
    """The notebooks git tracks in notebooks/; outside a git checkout (an sdist), those amlwizard ships."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--", "notebooks/*.ipynb"], cwd=REPO, capture_output=True, check=True
        ).stdout.decode()
    except (OSError, subprocess.CalledProcessError):
        return shipped_notebooks()
    return sorted(REPO / name for name in listed.split("\0") if name and (REPO / name).is_file())


NOTEBOOKS = _tracked_notebooks()
# The kernels import the amlwizard under test (this checkout's), not whichever the environment installed.
_PACKAGE_ROOT = str(Path(amlwizard.__file__).resolve().parent.parent)
_KERNEL_ENV = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join(filter(None, [_PACKAGE_ROOT, os.environ.get("PYTHONPATH")])),
}
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
    "19-missing-role-403": ["authorization-failed", "AuthError:", "healthy-aks: Healthy"],
    "30-replica-sizing": ["replicas: 286", "228 replicas"],
    # SDK v2 online endpoints: the create's error captured (or the call's answer), both containers' logs,
    # the diagnosis of what was fetched, the fix checked where the workshop allows
    "40-v2-healthy-managed": ["ManagedOnlineDeployment blue", "0 finding(s)", "200 in"],
    "41-v2-resource-not-ready": [
        "HttpResponseError: ResourceNotReady",
        "resource-not-ready",
        "ValueError: could not convert string to float: 'high'",
        "200 in",
    ],
    "42-v2-out-of-quota": [
        "HttpResponseError: BadRequest",
        "out-of-quota",
        "x 1 needs 8 cores",
        "of 6: fits",
    ],
    "43-v2-image-build-failure": [
        "HttpResponseError: ImageBuildFailure",
        "image-build-failure",
        "PackagesNotFoundError",
        "+  - python=3.10",
    ],
    "44-v2-model-download-failure": [
        "HttpResponseError: BadArgument",
        "model-download-failure",
        "BlobContainerNotFound",
        "200 in",
    ],
    "45-v2-model-dir": [
        "HttpResponseError: ResourceNotReady",
        "model-file-missing",
        "$AZUREML_MODEL_DIR/model/model.json",
        "after: 200 in",
    ],
    "46-v2-424-model-error": [
        "scoring URI: 424 Failed Dependency",
        "'ms-azureml-model-error-statuscode': '500'",
        "run-failure",
        "as deployed: 424",
        "200 in",
    ],
    "47-v2-408-timeout": [
        "scoring URI: 408 Request Timeout",
        "request-timeout-408",
        "over the deployment's 5000 ms",
        "200 in",
    ],
    "48-v2-429-concurrency": [
        "one caller alone: 200 OK",
        "scoring URI: 429 Too Many Requests",
        "too-many-requests-429",
        "the deployment takes 2 requests in flight",
        "-> no 429",
    ],
    "49-v2-k8s-pod-unschedulable": [
        "HttpResponseError: PodUnschedulable",
        "schedule-insufficient-resources",
        "200 on CPU",
    ],
    "4A-v2-k8s-oom": ["HttpResponseError: PodOutOfMemory", "container-oom-killed", "rows need", "200 in"],
    "50-migrating-v1-to-v2": [
        'os.path.join(os.environ["AZUREML_MODEL_DIR"], "model.json")',
        "200 in",
        "instance_count: 5",
        "invoke():",
    ],
}

_POOL: ThreadPoolExecutor | None = None
_RUNS: dict[Path, Future[nbformat.NotebookNode]] = {}


def _execute(path: Path, workfolder: Path) -> nbformat.NotebookNode:
    """Run the learner's copy of ``path`` in the working folder (where its ``apps/`` are)."""
    from nbclient import NotebookClient

    nb = nbformat.read(workfolder / path.name, as_version=4)
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT_S,
        kernel_name="python3",
        allow_errors=True,  # keep going, so the test shows every error output at once
        resources={"metadata": {"path": str(workfolder)}},
    )
    client.execute(env=_KERNEL_ENV)
    return nb


@pytest.fixture(scope="module")
def executed(request, tmp_path_factory):
    """Start every selected notebook (three kernels at a time); each test waits for its own."""
    global _POOL
    selected = [
        item.callspec.params["path"]
        for item in request.session.items
        if getattr(item, "originalname", "") == "test_notebook_runs_offline_and_shows_the_lesson"
    ]
    workfolder = prepare_workfolder(tmp_path_factory.mktemp("workshop")).folder
    _POOL = ThreadPoolExecutor(max_workers=3, thread_name_prefix="notebook")
    for path in selected:
        _RUNS[path] = _POOL.submit(_execute, path, workfolder)
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
    assert len(NOTEBOOKS) >= 25  # start here, 11 v1 scenarios, sizing, 11 v2 scenarios, migrating v1 to v2


def test_the_package_ships_every_tracked_notebook():
    # what `amlwizard workshop` copies for a learner holds what the project keeps under version control
    # (a stray notebook in the folder, e.g. an Untitled.ipynb, is neither checked nor a failure)
    missing = {p.name for p in NOTEBOOKS} - {p.name for p in shipped_notebooks()}
    assert not missing, f"tracked but not shipped: {missing}"


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
