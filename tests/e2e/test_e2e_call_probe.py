"""Calling a service and probing it in a real JupyterLab: the 502 of run-failure-502 diagnosed from the call
and the logs, and the live load probe of aks-503-spike with its 503s fading as replicas come up.

The notebooks set ``AMLWIZARD_EMULATOR_SPEED`` before the workshop starts in their kernel: a replica is
ready 5 s after it is asked for, so a 15-second probe shows the autoscaler at work.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from _notebook_ui import (
    create_notebook,
    open_notebook,
    run_all_cells,
    shoot,
    start_probe,
    wait_for_cells_done,
    wait_in_wizard,
)

pytestmark = pytest.mark.e2e

_SPEED = "import os\nos.environ['AMLWIZARD_EMULATOR_SPEED'] = '12'  # replicas ready in 5 s"


def _open(page: Any, lab: Any, name: str, magic: str) -> None:
    create_notebook(lab, f"{name}.ipynb", [_SPEED, "%load_ext amlwizard", magic])
    assert open_notebook(page, lab, f"{name}.ipynb") == "python3"
    run_all_cells(page)
    wait_for_cells_done(page, 3)
    page.locator(".amlw-wizard").first.wait_for()


def test_triage_calls_the_502_service_and_diagnoses_the_answer_with_the_logs(
    lab: Any, lab_page: Any, screenshots: Path
) -> None:
    page = lab_page
    _open(page, lab, "call", "%aml_troubleshoot run-failure-502 --workshop")
    wizard = page.locator(".amlw-wizard-triage")
    wait_in_wizard(wizard, wizard.locator(".amlw-finding").first)  # the logs' traceback: run-failure
    wizard.locator(".amlw-next").click()
    wizard.locator(".amlw-step-title", has_text="step 3 of 3: Call the service").wait_for()
    request = wizard.locator(".amlw-call-request textarea")
    page.wait_for_function("(el) => el.value.includes('data')", arg=request.element_handle(), timeout=30_000)
    wizard.get_by_role("button", name="Send request").click()
    status = wait_in_wizard(wizard, wizard.locator(".amlw-call-status"), timeout_ms=90_000)
    assert status.inner_text().startswith("502 Bad Gateway")
    assert "An unexpected error occurred in scoring script" in wizard.locator(".amlw-call-body").inner_text()
    cards = wizard.locator(".amlw-call-findings .amlw-finding")
    cards.first.wait_for()
    text = " ".join(cards.all_inner_texts())
    assert "run-failure" in text and "http-502" in text and "Evidence (call answer)" in text
    failed = wizard.locator(".amlw-call-strip .amlw-step-failed")
    assert re.match(r"✖ 6\. ", failed.inner_text())
    assert wizard.locator(".amlw-error").is_hidden()
    page.set_viewport_size({"width": 1280, "height": 2800})  # the whole wizard in one screenshot
    shoot(page, screenshots, "call", ".amlw-host")


def test_the_load_probe_of_the_spike_draws_503s_live_that_fade_as_replicas_come_up(
    lab: Any, lab_page: Any, screenshots: Path
) -> None:
    page = lab_page
    _open(page, lab, "probe", "%aml_troubleshoot aks-503-spike --workshop --wizard replicas")
    wizard = page.locator(".amlw-wizard-replicas")
    wait_in_wizard(wizard, wizard.locator(".amlw-plot .js-plotly-plot .gtitle"))
    wizard.locator(".amlw-next").click()
    wizard.locator(".amlw-step-title", has_text="step 2 of 3: Load probe").wait_for()
    start_probe(wizard, rps=40, seconds=15)
    # while it runs, the plot grows second by second (drawn from the kernel's thread, in place)
    state = wizard.locator(".amlw-probe-state")
    wait_in_wizard(wizard, wizard.locator(".amlw-probe-state", has_text="running"), timeout_ms=60_000)
    live_title = wizard.locator(".amlw-probe-plot .js-plotly-plot .gtitle")
    first = live_title.text_content()
    page.wait_for_function(
        "([el, old]) => el.textContent !== old", arg=[live_title.element_handle(), first], timeout=30_000
    )
    wait_in_wizard(wizard, wizard.locator(".amlw-probe-state", has_text="done"), timeout_ms=90_000)
    assert state.inner_text() == "done"
    summary = wizard.locator(".amlw-probe-summary").inner_text()
    assert "503:" in summary and "200:" in summary, summary
    assert wizard.locator(".amlw-probe-plot .scatterlayer .trace").count() >= 3  # latencies, replicas
    comparison = wizard.locator(".amlw-probe-comparison .js-plotly-plot .gtitle")
    comparison.wait_for()
    assert "simulated: 503" in comparison.text_content()
    advice = wizard.locator(".amlw-probe-advice")
    advice.locator("pre").wait_for(timeout=60_000)
    assert "AksWebservice.deploy_configuration(autoscale_enabled=True" in advice.inner_text()
    assert wizard.locator(".amlw-error").is_hidden()
    page.set_viewport_size({"width": 1280, "height": 2800})  # the whole wizard in one screenshot
    shoot(page, screenshots, "probe", ".amlw-host")
