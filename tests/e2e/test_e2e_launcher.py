"""The lab extension in a real JupyterLab: its launcher card opens a notebook that starts the wizard."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _notebook_ui import STDERR_OUTPUT, shoot, wait_for_cells_done, wait_for_kernel

SETTINGS_URL = "/lab/api/settings/amlwizard-labextension:plugin"

pytestmark = pytest.mark.e2e

LABEL = "Troubleshoot an Azure ML deployment"


def test_launcher_card_opens_a_running_troubleshooting_notebook(
    lab: Any, lab_page: Any, screenshots: Path
) -> None:
    page = lab_page
    lab.api("PUT", "/api/contents/course", {"type": "directory"})
    page.goto(lab.page_url("lab/tree/course"))  # the file browser shows the folder "course"
    card = page.locator(".jp-LauncherCard", has_text=LABEL)
    card.wait_for()
    shoot(page, screenshots, "launcher", ".jp-Launcher-section")  # the Notebook section

    # The command palette offers the same command.
    page.keyboard.press("Control+Shift+C")
    page.locator(".lm-CommandPalette-input").fill("azure ml")
    assert page.locator(".lm-CommandPalette-item", has_text=LABEL).is_visible()
    page.keyboard.press("Escape")

    card.click()
    assert wait_for_kernel(page) == "python3"  # kernelspec set: no "Select Kernel" dialog
    assert page.locator(".jp-Dialog").count() == 0
    wait_for_cells_done(page, 2)
    page.locator(".amlw-host").first.wait_for()
    page.locator(".amlw-wizard").first.wait_for()
    shoot(page, screenshots, "launcher-notebook")

    # The notebook landed in the file browser's folder with the workshop setting applied.
    saved = json.loads((lab.root / "course" / "aml-troubleshoot.ipynb").read_text())
    sources = ["".join(cell["source"]) for cell in saved["cells"]]
    assert sources == ["%load_ext amlwizard", "%aml_troubleshoot --workshop"]
    assert saved["metadata"]["kernelspec"]["name"] == "python3"


def test_help_menu_entry_uses_the_workspace_config_setting(
    lab: Any, lab_page: Any, screenshots: Path
) -> None:
    page = lab_page
    before = set(lab.root.glob("aml-troubleshoot*.ipynb"))
    config = "my configs/config.json"  # a space: the path must reach the magic as one argument
    lab.api("PUT", SETTINGS_URL, {"raw": json.dumps({"mode": "workspace", "workspaceConfig": config})})
    try:
        page.goto(lab.page_url())
        page.get_by_role("menuitem", name="Help", exact=True).click()
        page.get_by_role("menuitem", name=LABEL).click()
        wait_for_kernel(page)
        # No such file here: the magic answers with one line saying what to do, no traceback.
        error = page.locator(STDERR_OUTPUT, has_text="UsageError")
        error.wait_for(timeout=60_000)
        shoot(page, screenshots, "help-menu-workspace-error")
        assert "no workspace config at" in error.inner_text() and config in error.inner_text()
        assert "Traceback" not in error.inner_text()
    finally:
        lab.api("PUT", SETTINGS_URL, {"raw": json.dumps({"mode": "workshop"})})
    (created,) = set(lab.root.glob("aml-troubleshoot*.ipynb")) - before
    saved = json.loads(created.read_text())
    assert "".join(saved["cells"][1]["source"]) == f'%aml_troubleshoot --workspace "{config}"'
