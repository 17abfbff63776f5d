"""The wizards as a notebook runs them: threaded, in a real Jupyter kernel (not the inline test mode).

Work runs in worker threads; what it shows is handed to the kernel's own thread, where ipywidgets handles
the browser's messages. The session's repr says when work is still under way instead of "0 findings".
"""

from __future__ import annotations

import tempfile

import nbformat
import pytest

CELLS = [
    # 1: the magic returns at once; what is printed right after must not claim "0 findings" as final
    """
%load_ext amlwizard
import threading
from amlwizard.wizards import host_of
s = %aml_troubleshoot --workshop --scenario crashloop-init-exception
triage = host_of(s).wizards["triage"]
shown_on = []
triage.findings.observe(lambda change: shown_on.append(threading.current_thread().name), names="children")
print("RIGHT AFTER:", repr(s))
""",
    # 2: once the work is shown: the findings, shown from the kernel's thread (not the worker's)
    """
host_of(s).wait(90)
print("AFTER:", repr(s))
print("SHOWN ON:", sorted(set(shown_on)))
""",
    # 3: Deploy locally, threaded: the server log follows the server while the kernel is free
    """
import json, urllib.request
h = %aml_troubleshoot --workshop --scenario healthy-aks --wizard local
local = host_of(h).current
local.start()
local.wait(120)
body = json.dumps(json.loads(local.request.value)).encode()
request = urllib.request.Request(local.deployment.url, body, {"Content-Type": "application/json"})
print("STATUS:", urllib.request.urlopen(request, timeout=30).status)
before = local.log.value.count("POST /score")
""",
    # 4: the kernel is free while this cell awaits: the log poller's hand-off reaches the view
    """
import asyncio
for _ in range(40):
    if local.log.value.count("POST /score") > before:
        break
    await asyncio.sleep(0.25)
print("POLLED:", local.log.value.count("POST /score") > before)
local.stop()
""",
]


@pytest.fixture(scope="module")
def outputs() -> list[str]:
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c.strip()) for c in CELLS]
    with tempfile.TemporaryDirectory(prefix="amlwizard-threaded-") as cwd:
        NotebookClient(
            nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": cwd}}
        ).execute()
    texts = []
    for cell in nb.cells:
        texts.append("".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream"))
    return texts


def test_the_returned_session_says_it_is_still_working_then_shows_the_finding(outputs):
    assert "RIGHT AFTER:" in outputs[0] and "still working (Listing services" in outputs[0]
    after = outputs[1]
    assert "still working" not in after and "0 finding(s)" not in after and "finding(s)," in after


def test_results_are_shown_on_the_kernels_thread(outputs):
    assert "SHOWN ON: ['MainThread']" in outputs[1]


def test_the_local_server_log_follows_the_server_in_threaded_mode(outputs):
    assert "STATUS: 200" in outputs[2]
    assert "POLLED: True" in outputs[3]
