"""The Workspace wizard: the page the magic opens when no workspace is found, driven as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import amlwizard
from amlwizard.scenarios import WORKSPACE
from amlwizard.session import TroubleshootSession
from amlwizard.wizards import open_wizards

NOW = datetime.now(timezone.utc)


def _connect_page():
    session = TroubleshootSession({"kind": "none"}, timeout=60)
    host = open_wizards(session, "connect", threaded=False)
    return host, host.current


def test_a_subscription_that_is_not_a_guid_or_a_missing_name_is_one_line():
    host, page = _connect_page()
    page.subscription.value, page.resource_group.value, page.workspace_name.value = "my-sub", "rg", "ws"
    page.names_button.click()
    assert "is not a subscription id" in page.error_text and "\n" not in page.error_text
    page.subscription.value, page.workspace_name.value = WORKSPACE["subscription_id"], " "
    page.names_button.click()
    assert page.error_text.startswith("give the workspace name") and host.current is page
    page.config_button.click()
    assert "give the path of the workspace's config.json" in page.error_text


def test_a_missing_config_json_says_where_to_get_one(tmp_path):
    host, page = _connect_page()
    page.config_path.value = str(tmp_path / "config.json")
    page.config_button.click()
    assert "no workspace config at" in page.error_text and "Azure ML studio" in page.error_text
    assert host.session.target == {"kind": "none"}  # nothing changed


def test_a_config_json_read_in_the_browser_fills_the_names():
    host, page = _connect_page()
    content = json.dumps({k: WORKSPACE[k] for k in ("subscription_id", "resource_group", "workspace_name")})
    page.config_upload.value = (
        {"name": "config.json", "type": "application/json", "size": len(content), "content": memoryview(
            content.encode()), "last_modified": NOW},
    )  # fmt: skip
    assert (page.subscription.value, page.resource_group.value, page.workspace_name.value) == (
        WORKSPACE["subscription_id"],
        WORKSPACE["resource_group"],
        WORKSPACE["workspace_name"],
    )
    assert "press Connect" in page.status.value
    page.config_upload.value = (
        {"name": "notes.json", "type": "", "size": 2, "content": memoryview(b"[]"), "last_modified": NOW},
    )
    assert "not a workspace config.json" in page.error_text


CONNECT_BY_NAMES = """
from amlwizard.scenarios import WORKSPACE
from amlwizard.session import TroubleshootSession
from amlwizard.wizards import open_wizards

session = TroubleshootSession({"kind": "none"}, timeout=60)
host = open_wizards(session, "connect", threaded=False)
page = host.current
page.subscription.value = WORKSPACE["subscription_id"]
page.resource_group.value = WORKSPACE["resource_group"]
page.workspace_name.value = WORKSPACE["workspace_name"]
page.names_button.click()
host.wait(60)
print(repr(page.error_text))
print(host.current.name, len(host.current.services.options))
print(session.target["workspace"])
"""


def test_the_workspace_by_name_is_opened_with_the_sdks_own_sign_in(workshop, tmp_path):
    # A fresh process whose SDK signs in as on a compute instance (a managed identity: here the emulator's)
    root = str(Path(amlwizard.__file__).resolve().parent.parent)
    env = {**os.environ, **workshop.env, "PYTHONPATH": root, "AZUREML_DEFAULT_500_BACKOFF": "0"}
    run = subprocess.run(
        [sys.executable, "-c", CONNECT_BY_NAMES], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    error, opened, workspace = run.stdout.strip().splitlines()[-3:]
    assert error == "''"
    assert opened == f"triage {len(workshop.scenarios)}"  # triage opened, listing the workspace's services
    assert "mlw-workshop" in workspace
