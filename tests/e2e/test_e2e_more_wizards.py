"""The Fetch logs and Deploy locally wizards in a real JupyterLab, clicked as a user would.

Deploy locally starts the real inference server from the kernel: the tests check no process of it is
left, after Stop and after the test's kernel is shut down.
"""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _notebook_ui import shoot, start_wizard, wait_in_wizard

pytestmark = pytest.mark.e2e


def _pids(pattern: str) -> list[int]:
    """Processes whose command line matches ``pattern`` (pgrep -f), not counting pgrep itself."""
    found = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True, check=False)
    return [int(pid) for pid in found.stdout.split()]


def _session_pids(session_id: int) -> list[int]:
    found = subprocess.run(["pgrep", "-s", str(session_id)], capture_output=True, text=True, check=False)
    return [int(pid) for pid in found.stdout.split()]


def _wait_gone(what: str, pids: Any, timeout: float = 20.0) -> None:
    """Poll until ``pids()`` is empty (the processes are being stopped: a real condition, not a pause)."""
    deadline = time.monotonic() + timeout
    while (left := pids()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left, f"{what} still running after {timeout:.0f} s: pids {left}"


@pytest.fixture
def no_server_left(lab: Any) -> Iterator[Path]:
    """After the test (and its kernel's shutdown), no inference server started by the lab's kernels runs.

    The kernels' TMPDIR is the lab's ``tmp`` folder, so every local server's command line names it
    (its ``--model_dir``). Requested before ``lab_page``, so this check runs after that teardown.
    """
    kernel_tmp = lab.root.parent / "tmp"
    yield kernel_tmp
    _wait_gone("a local inference server (azmlinfsrv/gunicorn)", lambda: _pids(str(kernel_tmp)))


def test_logs_wizard_fetches_searches_and_shows_the_cli_and_python_equivalents(
    lab: Any, lab_page: Any, screenshots: Path
) -> None:
    page = lab_page
    start_wizard(page, lab, "logs", "%aml_troubleshoot crashloop-init-exception --workshop --wizard logs")
    wizard = page.locator(".amlw-wizard-logs")
    info = wizard.locator(".amlw-log-info")
    # the wizard fetches the service's logs on opening: the whole main log (70 lines) is there
    wait_in_wizard(
        wizard, wizard.locator(".amlw-log-info", has_text=re.compile(r"Main \(scoring\): \d+ lines"))
    )
    assert "Main (scoring): 70 lines" in info.inner_text()
    assert "KeyError: 'CHURN_THRESHOLD'" in wizard.locator(".amlw-log").inner_text()

    # fetch again, only the last 60 lines, as `get-logs --tail` would
    lines = wizard.locator(".amlw-log-lines input")
    lines.fill("60")
    lines.press("Enter")
    wizard.get_by_role("button", name="Fetch logs").click()
    wait_in_wizard(wizard, wizard.locator(".amlw-log-info", has_text="60 lines (last 60 asked)"))

    # search: only the matching lines are shown, the term marked in each
    search = wizard.locator(".amlw-log-search input")
    search.fill("CHURN_THRESHOLD")
    search.press("Enter")
    wizard.locator(".amlw-log-info", has_text="matching 'CHURN_THRESHOLD'").wait_for()
    shown = wizard.locator(".amlw-log span[data-line]").all_inner_texts()
    assert len(shown) >= 2 and all("CHURN_THRESHOLD" in line for line in shown), shown
    assert any("KeyError: 'CHURN_THRESHOLD'" in line for line in shown)
    marks = wizard.locator(".amlw-log mark").all_inner_texts()
    assert marks and set(marks) == {"CHURN_THRESHOLD"}
    assert wizard.locator(".amlw-error").is_hidden()
    shoot(page, screenshots, "logs-1-search")
    shoot(page, screenshots, "logs", ".amlw-host")

    # step 2: the same fetch with the Azure CLI and with azureml-core, and AKS's own diagnostics
    wizard.locator(".amlw-next").click()
    wizard.locator(".amlw-step-title", has_text="step 2 of 2").wait_for()
    howto = wizard.locator(".amlw-howto")
    howto.wait_for()
    code = howto.inner_text()
    assert (
        "az ml service get-logs --verbose --workspace-name mlw-workshop --name crashloop-init-exception"
        in code
    )
    assert "Webservice(ws, 'crashloop-init-exception')" in code and ".get_logs()" in code
    assert "get_logs(init=True)" in code
    assert wizard.locator(".amlw-aks-note").is_visible()  # the scenario runs on AKS
    shoot(page, screenshots, "logs-2-howto")


def test_local_wizard_runs_the_502_scenario_in_the_real_server_and_stops_it(
    no_server_left: Path, lab: Any, lab_page: Any, screenshots: Path
) -> None:
    page = lab_page
    start_wizard(page, lab, "local", "%aml_troubleshoot run-failure-502 --workshop --wizard local")
    wizard = page.locator(".amlw-wizard-local")
    # the scenario's score.py, model and request body are filled in
    score = wizard.locator(".amlw-score-path input").input_value()
    assert score.endswith("run-failure-502/app/score.py"), score
    assert wizard.locator(".amlw-model-ref input").input_value() == "sklearn-diabetes:1"
    assert wizard.locator(".amlw-model-dir input").input_value()
    assert '"data"' in wizard.locator(".amlw-request textarea").input_value()
    shoot(page, screenshots, "local-1-inputs")

    wizard.locator(".amlw-next").click()  # step 2: run and test
    wizard.locator(".amlw-step-title", has_text="step 2 of 3").wait_for()
    wizard.get_by_role("button", name="Start local server").click()
    health = wait_in_wizard(wizard, wizard.locator(".amlw-health", has_text="healthy"), timeout_ms=120_000)
    found = re.search(r"http://127\.0\.0\.1:(\d+)/score", health.inner_text())
    assert found, health.inner_text()
    port = found.group(1)
    servers = _pids(f"_loopback_server.py --entry_script .* --port {port} ")
    assert servers, f"no inference server process listens on port {port}"
    session_id = servers[0]  # started in a session of its own: master and workers share it

    wizard.get_by_role("button", name="Send request").click()
    response = wait_in_wizard(wizard, wizard.locator(".amlw-response", has_text="HTTP 500"))
    # run() raises on the flat list: 500 from the local server, 502 from the deployed service
    assert "as deployed: HTTP 502" in response.inner_text()
    finding = wait_in_wizard(wizard, wizard.locator(".amlw-findings .amlw-finding").first)
    assert "run-failure" in finding.inner_text()
    assert "ValueError" in wizard.locator(".amlw-local-log").inner_text()
    shoot(page, screenshots, "local", ".amlw-host")

    wizard.locator(".amlw-stop").click()
    wizard.locator(".amlw-health", has_text="stopped").wait_for()
    _wait_gone(f"the local server on port {port}", lambda: _session_pids(session_id))


def test_local_wizard_form_lines_up_and_a_failed_start_opens_the_log_at_its_traceback(
    no_server_left: Path, lab: Any, lab_page: Any, screenshots: Path
) -> None:
    page = lab_page
    start_wizard(
        page, lab, "local-fail", "%aml_troubleshoot crashloop-init-exception --workshop --wizard local"
    )
    wizard = page.locator(".amlw-wizard-local")
    wizard.locator(".amlw-score-path input").wait_for()
    # every label reads whole, and the boxes after them start at one left edge
    cut = wizard.evaluate(
        "w => Array.from(w.querySelectorAll('.amlw-page .widget-label')).filter(l => l.offsetParent)"
        ".filter(l => l.scrollWidth > l.clientWidth + 1).map(l => l.textContent)"
    )
    assert cut == [], f"labels cut off: {cut}"
    boxes = [".amlw-score-path input", ".amlw-model-dir input", ".amlw-model-ref input",
             ".amlw-timeout-ms input", ".amlw-debug-port input", ".amlw-request textarea"]  # fmt: skip
    lefts = {round(wizard.locator(box).bounding_box()["x"]) for box in boxes}
    assert len(lefts) == 1, f"the form's boxes do not line up: x = {sorted(lefts)}"
    assert wizard.locator(".widget-label", has_text="Scoring timeout (ms)").is_visible()
    shoot(page, screenshots, "local-form", ".amlw-host")

    wizard.locator(".amlw-next").click()
    wizard.get_by_role("button", name="Start local server").click()
    health = wizard.locator(".amlw-health", has_text="✖")
    health.wait_for(timeout=120_000)
    assert "exited with code 3" in health.inner_text()
    # the status line agrees with the health line
    # (the status line is set just after the health line: wait for it rather than read it at once)
    wizard.locator(".amlw-status", has_text="✖ Starting the local server:").wait_for(timeout=10_000)
    # the server log opens at the traceback: its first visible line, the root error marked below it
    log = wizard.locator(".amlw-local-log pre.amlw-log-lines").last
    box = log.bounding_box()
    first = log.locator("span[data-line]").first
    assert "Traceback (most recent call last)" in first.inner_text()
    root = log.locator(".amlw-log-hit")
    assert "KeyError: 'CHURN_THRESHOLD'" in root.inner_text()
    root_box = root.bounding_box()
    assert box["y"] <= root_box["y"] and root_box["y"] + root_box["height"] <= box["y"] + box["height"]
    # the lines before it are one click away
    assert wizard.locator(".amlw-local-log details.amlw-log-before summary").is_visible()
    shoot(page, screenshots, "local-failed", ".amlw-host")
