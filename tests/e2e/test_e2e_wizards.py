"""The wizards in a real JupyterLab: walk triage to a finding, size replicas, fix a model path.

Each test writes its own notebook (REST), opens it, runs it, and clicks the widgets as a user would.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from _notebook_ui import shoot, start_wizard, wait_in_wizard

pytestmark = pytest.mark.e2e


def _rate_503(text: str) -> float:
    """The simulated 503 rate (percent) the wizard shows, e.g. "503 rate 1.25%"."""
    found = re.search(r"503[^%\d]*([\d.]+)\s*%", text)
    assert found, f"no 503 rate in {text!r}"
    return float(found.group(1))


def _wait_text_change(page: Any, locator: Any, old: str | None) -> None:
    page.wait_for_function(
        "([el, old]) => el.textContent !== old", arg=[locator.element_handle(), old], timeout=30_000
    )


def test_triage_walks_the_gpu_scenario_to_its_finding_and_remedies(
    lab: Any, lab_page: Any, screenshots: Path
) -> None:
    page = lab_page
    start_wizard(page, lab, "triage", "%aml_troubleshoot --workshop")
    wizard = page.locator(".amlw-wizard-triage")
    services = wizard.locator(".amlw-services select:has(option:has-text('aks-gpu-unschedulable'))")
    wait_in_wizard(wizard, services)  # the workshop's services are listed
    shoot(page, screenshots, "triage-1-services")

    texts = wizard.locator(".amlw-services option").all_inner_texts()
    index = next(i for i, text in enumerate(texts) if "aks-gpu-unschedulable" in text)
    services.select_option(index=index)
    wizard.get_by_role("button", name="Diagnose service").click()

    finding = wait_in_wizard(wizard, wizard.locator(".amlw-finding").first)
    assert "step 2 of 3" in wizard.locator(".amlw-step-title").inner_text()
    assert "schedule-insufficient-resources" in finding.inner_text()
    # the failed deployment step is marked on the strip: 3, scheduling the container
    failed = wizard.locator(".amlw-steps-strip .amlw-step-failed")
    assert re.match(r"✖ 3\. ", failed.inner_text())
    remedies = finding.locator(".amlw-remedy")
    assert "GPU" in remedies.inner_text()
    assert wizard.locator(".amlw-error").is_hidden()
    shoot(page, screenshots, "triage-2-finding")
    shoot(page, screenshots, "triage", ".amlw-host")


def test_model_path_wizard_explains_the_wrong_name_and_shows_the_fix(
    lab: Any, lab_page: Any, screenshots: Path
) -> None:
    page = lab_page
    start_wizard(
        page, lab, "model-path", "%aml_troubleshoot model-path-not-found --workshop --wizard model-path"
    )
    wizard = page.locator(".amlw-wizard-model-path")
    # the scenario's score.py and model files are filled in; the user only presses Inspect
    assert wizard.locator(".amlw-model-name input").input_value() == "credit-model"
    shoot(page, screenshots, "model-path-1-inputs")
    wizard.get_by_role("button", name="Inspect").click()

    fix = wait_in_wizard(wizard, wizard.locator(".amlw-fix", has_text="The fix"))
    result = wizard.locator(".amlw-model-result").inner_text()
    assert "credit_model" in result and "not found" in result  # what score.py asked for, and that it failed
    assert "credit-model" in fix.locator(".amlw-code").first.inner_text()
    assert "step 2 of 2" in wizard.locator(".amlw-step-title").inner_text()
    shoot(page, screenshots, "model-path-2-fix")
    shoot(page, screenshots, "model-path", ".amlw-host")


def test_replicas_wizard_redraws_the_autoscale_plot_when_a_control_moves(
    lab: Any, lab_page: Any, screenshots: Path
) -> None:
    page = lab_page
    start_wizard(page, lab, "replicas", "%aml_troubleshoot aks-503-spike --workshop --wizard replicas")
    wizard = page.locator(".amlw-wizard-replicas")
    title = wait_in_wizard(wizard, wizard.locator(".amlw-plot .js-plotly-plot .gtitle"))
    rate_503 = wizard.locator(".amlw-503")
    # the scenario's autoscaler (max 4 replicas) drops requests in the spike
    assert wizard.locator(".amlw-max-replicas input").input_value() == "4"
    before_title, before_rate = title.text_content(), rate_503.inner_text()
    assert "503" in before_title
    shoot(page, screenshots, "replicas-1-spike")

    # drag the target-utilization slider (10..100 %) down to about 40 %: the plot is redrawn
    track = wizard.locator(".amlw-target-utilization .noUi-base").bounding_box()
    handle = wizard.locator(".amlw-target-utilization .noUi-handle").bounding_box()
    assert track and handle
    assert track["width"] > 60, (
        f"the utilization slider is squeezed to {track['width']:.0f} px: it cannot be dragged"
    )
    page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    page.mouse.move(track["x"] + track["width"] * (40 - 10) / 90, track["y"] + track["height"] / 2, steps=8)
    page.mouse.up()
    _wait_text_change(page, title, before_title)
    target = int(wizard.locator(".amlw-target-utilization .widget-readout").inner_text())
    assert 30 <= target <= 50
    after_slider = title.text_content()

    # and allow more replicas: redrawn again, fewer requests dropped than at first
    max_replicas = wizard.locator(".amlw-max-replicas input")
    max_replicas.fill("10")
    max_replicas.press("Enter")
    _wait_text_change(page, title, after_slider)
    assert _rate_503(rate_503.inner_text()) < _rate_503(before_rate)
    shoot(page, screenshots, "replicas-2-resized")
    shoot(page, screenshots, "replicas", ".amlw-host")

    # step 3 (after the Load probe): the deploy_configuration(...) call wraps between its arguments, never
    # inside a word
    wizard.locator(".amlw-next").click()
    wizard.locator(".amlw-step-title", has_text="step 2 of 3: Load probe").wait_for()
    wizard.locator(".amlw-next").click()
    code = wizard.locator(".amlw-snippet pre.amlw-code")
    code.wait_for()
    assert "AksWebservice.deploy_configuration(" in code.inner_text()
    wrap = code.evaluate("p => [getComputedStyle(p).whiteSpace, getComputedStyle(p).wordBreak]")
    assert wrap == ["pre-wrap", "normal"], wrap
    shoot(page, screenshots, "replicas-3-configuration", ".amlw-host")
