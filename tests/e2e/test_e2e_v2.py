"""SDK v2 online deployments in a real JupyterLab: triage of v2-resource-not-ready, v2-out-of-quota and
v2-429-concurrency, clicked as a user would, with screenshots for the docs (screenshots/v2-*.png).

Each notebook does what the workshop notebooks teach: the create of a failed deployment is run once with
``amlwizard.capture`` (Azure tells why a create failed only in its answer; a later GET says "Failed"), then
``%aml_troubleshoot --workshop --scenario v2-...`` opens the triage on that deployment. The 429 happens
only under load: its test calls the endpoint once from *Call the service* (200), then runs the *Load probe*.

The v2 step strip (six stages, ``.amlw-steps-v2``) marks the failed stage: the stage expected for each
scenario is in ``FAILED_STAGE``, the one place to adjust if the strip's mapping changes.
"""

from __future__ import annotations

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

from amlwizard.scenarios import load_scenario

pytestmark = pytest.mark.e2e

# The stage the v2 step strip marks failed (its cells' data-stage: "image build", "image pull",
# "model download", "init()", "probes", "scoring"). resource-not-ready: init() raised (the liveness probe
# only reported the crash). out-of-quota: Azure refused the request
# before the instance was scheduled on compute, the scenario's step 3 (v1 "image pull": onto the compute);
# no image was built for it either, so the strip's choice for a quota refusal is set here only.
FAILED_STAGE = {
    "v2-resource-not-ready": "init()",
    "v2-out-of-quota": "image pull",
}

# The create a user ran, kept by amlwizard.capture in the kernel (the triage then shows its error).
_CAPTURE_CREATE = """from amlwizard import capture
from amlwizard.workshop import start_workshop

ml_client = start_workshop().ml_client
deployment = ml_client.online_deployments.get("blue", "{scenario}")
record = capture(lambda: ml_client.online_deployments.begin_create_or_update(deployment),
                 ml_client=ml_client, raise_error=False)
print(record.code)"""


def _open_triage(page: Any, lab: Any, scenario: str, *, capture_create: bool) -> Any:
    """A notebook: load the extension, (capture the failed create,) open the triage on ``scenario``."""
    cells = ["%load_ext amlwizard"]
    if capture_create:
        cells.append(_CAPTURE_CREATE.format(scenario=scenario))
    cells.append(f"%aml_troubleshoot --workshop --scenario {scenario}")
    create_notebook(lab, f"{scenario}.ipynb", cells)
    assert open_notebook(page, lab, f"{scenario}.ipynb") == "python3"
    run_all_cells(page)
    wait_for_cells_done(page, len(cells))
    page.locator(".amlw-wizard").first.wait_for()
    return page.locator(".amlw-wizard-triage")


def _expected_finding(scenario: str) -> str:
    return load_scenario(scenario).expected["finding"]


def _assert_failed_stage(wizard: Any, scenario: str) -> None:
    """The v2 strip marks ``FAILED_STAGE[scenario]`` failed (the cell's data-stage and its text)."""
    failed = wizard.locator(".amlw-steps-v2 .amlw-step-failed:visible")
    wait_in_wizard(wizard, failed.first, timeout_ms=30_000)
    stages = [failed.nth(i).get_attribute("data-stage") for i in range(failed.count())]
    assert FAILED_STAGE[scenario] in stages, f"{scenario}: failed stage(s) {stages}"
    assert FAILED_STAGE[scenario] in failed.first.inner_text()


def test_triage_of_resource_not_ready_names_it_from_the_captured_error_and_the_logs(
    lab: Any, lab_page: Any, screenshots: Path
) -> None:
    page, scenario = lab_page, "v2-resource-not-ready"
    wizard = _open_triage(page, lab, scenario, capture_create=True)
    finding = wait_in_wizard(wizard, wizard.locator(".amlw-finding").first)
    assert "step 2 of 3" in wizard.locator(".amlw-step-title").inner_text()
    texts = " ".join(wizard.locator(".amlw-finding").all_inner_texts())
    assert _expected_finding(scenario) in texts, finding.inner_text()
    # the captured error and the inference-server log's traceback both speak
    assert "ResourceNotReady" in texts and "could not convert string to float" in texts
    assert "v2-resource-not-ready/blue" in wizard.locator(".amlw-service-summary").inner_text()
    assert wizard.locator(".amlw-error").is_hidden()
    page.set_viewport_size({"width": 1280, "height": 2800})  # the whole wizard in one screenshot
    shoot(page, screenshots, "v2-resource-not-ready", ".amlw-host")
    _assert_failed_stage(wizard, scenario)


def test_triage_of_out_of_quota_names_it_from_the_captured_error_alone(
    lab: Any, lab_page: Any, screenshots: Path
) -> None:
    page, scenario = lab_page, "v2-out-of-quota"
    wizard = _open_triage(page, lab, scenario, capture_create=True)
    finding = wait_in_wizard(wizard, wizard.locator(".amlw-finding").first)
    assert _expected_finding(scenario) in finding.inner_text()
    # no container ever started: the numbers come from the refusal Azure gave
    assert "0/6" in finding.inner_text() or "Additional needed: 8" in finding.inner_text()
    assert wizard.locator(".amlw-error").is_hidden()
    shoot(page, screenshots, "v2-out-of-quota", ".amlw-host")
    _assert_failed_stage(wizard, scenario)


def test_triage_of_429_calls_the_endpoint_and_the_load_probe_names_the_refusals(
    lab: Any, lab_page: Any, screenshots: Path
) -> None:
    """The deployment is healthy and its log clean; one call is served: the 429s show under load."""
    page, scenario = lab_page, "v2-429-concurrency"
    wizard = _open_triage(page, lab, scenario, capture_create=False)
    summary = wait_in_wizard(wizard, wizard.locator(".amlw-service-summary", has_text="v2-429-concurrency"))
    assert "Succeeded" in summary.inner_text()
    wizard.locator(".amlw-open-call").click()
    wizard.locator(".amlw-step-title", has_text="Call the service").wait_for()
    # the box comes pre-filled with the deployment's sample request (the app's sample-request.json)
    request = wizard.locator(".amlw-call-request textarea")
    page.wait_for_function("(el) => el.value.includes('data')", arg=request.element_handle(), timeout=30_000)
    wizard.get_by_role("button", name="Send request").click()
    status = wait_in_wizard(wizard, wizard.locator(".amlw-call-status"), timeout_ms=90_000)
    assert status.inner_text().startswith("200 OK")  # one caller alone is served
    # many callers at once: the Load probe (Size replicas) sends them
    wizard.locator(".amlw-open-probe").click()
    replicas = page.locator(".amlw-wizard-replicas")
    replicas.locator(".amlw-step-title", has_text="Load probe").wait_for()
    start_probe(replicas, rps=5, seconds=3)
    wait_in_wizard(replicas, replicas.locator(".amlw-probe-state", has_text="done"), timeout_ms=90_000)
    probe = replicas.locator(".amlw-probe-summary").inner_text()
    assert "429:" in probe and "200:" in probe, probe
    assert "more than 2 x max_concurrent_requests_per_instance (1)" in probe
    cards = replicas.locator(".amlw-probe-findings .amlw-finding")
    cards.first.wait_for()
    assert _expected_finding(scenario) in " ".join(cards.all_inner_texts())
    page.set_viewport_size({"width": 1280, "height": 2800})  # the whole wizard in one screenshot
    shoot(page, screenshots, "v2-429-concurrency", ".amlw-host")
    assert replicas.locator(".amlw-error").is_hidden(), replicas.locator(".amlw-error").inner_text()
