"""A newcomer's first minutes in a real JupyterLab: the start-here notebook in the working folder
`amlwizard workshop` makes, the page shown when no workspace is found, and the ticket report.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _notebook_ui import (
    STDERR_OUTPUT,
    open_notebook,
    run_all_cells,
    shoot,
    start_wizard,
    wait_for_cells_done,
    wait_for_kernel,
    wait_in_wizard,
)

from amlwizard._workfolder import START_NOTEBOOK, prepare_workfolder

pytestmark = pytest.mark.e2e

SETTINGS_URL = "/lab/api/settings/amlwizard-labextension:plugin"
LABEL = "Troubleshoot an Azure ML deployment"


def _code_cells(path: Path) -> int:
    return sum(cell["cell_type"] == "code" for cell in json.loads(path.read_text())["cells"])


def test_start_here_runs_all_and_the_wizard_still_works_afterwards(
    lab: Any, lab_page: Any, screenshots: Path
):
    page = lab_page
    folder = prepare_workfolder(lab.root / "workshop").folder  # what `amlwizard workshop` copies
    assert open_notebook(page, lab, f"workshop/{START_NOTEBOOK}") == "python3"
    run_all_cells(page)
    wait_for_cells_done(page, _code_cells(folder / START_NOTEBOOK))
    # Run All left the workshop running: the invitation to pick a service in the wizard holds
    wizard = page.locator(".amlw-wizard-triage").first
    services = wizard.locator(".amlw-services select:has(option:has-text('crashloop-init-exception'))")
    wait_in_wizard(wizard, services)
    texts = wizard.locator(".amlw-services option").all_inner_texts()
    services.select_option(index=next(i for i, t in enumerate(texts) if "crashloop-init-exception" in t))
    wizard.get_by_role("button", name="Diagnose service").click()
    finding = wait_in_wizard(wizard, wizard.locator(".amlw-finding").first)
    assert "service-launch-crashloop" in finding.inner_text()
    assert wizard.locator(".amlw-error").is_hidden()
    assert page.locator(".jp-OutputArea-output.jp-mod-error").count() == 0
    shoot(page, screenshots, "start-here", ".amlw-host")


def test_with_no_workspace_the_launcher_card_offers_a_choice_not_an_error(
    lab: Any, lab_page: Any, screenshots: Path
):
    page = lab_page
    lab.api("PUT", "/api/contents/mine", {"type": "directory"})  # no config.json here or above
    lab.api("PUT", SETTINGS_URL, {"raw": json.dumps({"mode": "workspace"})})
    try:
        page.goto(lab.page_url("lab/tree/mine"))
        page.locator(".jp-LauncherCard", has_text=LABEL).click()
        wait_for_kernel(page)
        wait_for_cells_done(page, 2)  # fails at once on a UsageError or a traceback
        connect = page.locator(".amlw-wizard-connect")
        connect.wait_for()
        assert "No Azure ML workspace was found" in connect.locator(".amlw-connect-intro").inner_text()
        assert page.locator(STDERR_OUTPUT).count() == 0
        shoot(page, screenshots, "connect", ".amlw-host")
        connect.get_by_role("button", name="Open the offline workshop").click()
        triage = page.locator(".amlw-wizard-triage")
        wait_in_wizard(triage, triage.locator(".amlw-services select:has(option:has-text('healthy-aks'))"))
        assert "mlw-workshop" in page.locator(".amlw-target").inner_text()
    finally:
        lab.api("PUT", SETTINGS_URL, {"raw": json.dumps({"mode": "workshop"})})


def test_the_html_report_has_clickable_guide_links_and_evidence_that_fits(
    lab: Any, lab_page: Any, chromium: Any, screenshots: Path
):
    page = lab_page
    start_wizard(page, lab, "report", "%aml_troubleshoot aks-gpu-unschedulable --workshop")
    wizard = page.locator(".amlw-wizard-triage")
    finding = wait_in_wizard(wizard, wizard.locator(".amlw-finding").first)
    # the guide link looks like a link: underlined, in the link colour, not the text's
    guide = finding.locator("a.amlw-guide")
    assert guide.get_attribute("href").startswith("https://")
    link, text = guide.evaluate(
        "a => [getComputedStyle(a), getComputedStyle(a.closest('.widget-html-content'))]"
        ".map(s => [s.color, s.textDecorationLine])"
    )
    assert "underline" in link[1] and link[0] != text[0]
    page.locator(".amlw-session-path input").fill("ticket")
    page.locator(".amlw-write-report").click()
    page.locator(".amlw-saved", has_text="report written").wait_for()

    report = chromium.new_context(viewport={"width": 1000, "height": 1400}).new_page()
    try:
        report.goto((lab.root / "ticket.html").as_uri())
        links = report.locator("a[href^='https://']")
        assert links.count() >= 1 and links.first.inner_text().startswith("https://")
        overflowing = report.evaluate(
            "() => Array.from(document.querySelectorAll('pre')).filter(p => p.scrollWidth > p.clientWidth + 1)"
            ".map(p => p.textContent.slice(0, 80))"
        )
        assert overflowing == [], f"evidence that scrolls sideways: {overflowing}"
        report.screenshot(path=str(screenshots / "report.png"), full_page=True)
    finally:
        report.context.close()
