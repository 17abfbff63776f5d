"""A wizard whose offline workshop was stopped says so, and picks the workshop up again once restarted.

Run in a child process: stopping the workshop here would stop the one the whole test run shares.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import amlwizard

SCRIPT = """
from amlwizard.session import TroubleshootSession
from amlwizard.wizards import open_wizards
from amlwizard.workshop import start_workshop

workshop = start_workshop()
session = TroubleshootSession({"kind": "workshop"}, timeout=60)
triage = open_wizards(session, "triage", threaded=False).current
print("LISTED", len(triage.services.options))
workshop.stop()                       # what 00-start-here's last cell did
triage.refresh_button.click()
print("STOPPED", triage.error_text)
start_workshop()                      # the notebook's setup cell run again
triage.refresh_button.click()
print("AGAIN", len(triage.services.options), repr(triage.error_text))
"""


def test_a_stopped_workshop_is_named_not_blamed_on_the_network(tmp_path):
    root = str(Path(amlwizard.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": root, "AZUREML_DEFAULT_500_BACKOFF": "0"}
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in run.stdout.splitlines() if line[:1].isupper())
    listed = int(lines["LISTED"])
    assert listed >= 10
    stopped = lines["STOPPED"]
    assert "the offline workshop was stopped" in stopped and "%aml_troubleshoot --workshop" in stopped
    assert "network" not in stopped and "VPN" not in stopped
    assert lines["AGAIN"] == f"{listed} ''"  # the restarted workshop serves the wizard again, no error left
