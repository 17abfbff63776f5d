"""%aml_troubleshoot through a real IPython shell: options, settings, one-line UsageErrors, sessions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from IPython.core.error import UsageError
from IPython.testing import globalipapp

import amlwizard
from amlwizard._magic import AmlWizard
from amlwizard.wizards import host_of

CRASH_LOG = """2024-05-19 07:47:04,611 I [63] azmlinfsrv - Found user script at /var/azureml-app/score.py
Traceback (most recent call last):
  File "/var/azureml-app/score.py", line 12, in init
    threshold = os.environ["CHURN_THRESHOLD"]
KeyError: 'CHURN_THRESHOLD'
Back-off restarting failed container; CrashLoopBackOff
"""


@pytest.fixture(scope="module")
def ip():
    shell = globalipapp.start_ipython() or globalipapp.get_ipython()  # one shell a process: maybe started
    shell.run_line_magic("load_ext", "amlwizard")
    yield shell
    shell.run_line_magic("unload_ext", "amlwizard")


@pytest.fixture(autouse=True)
def fresh_settings(ip, tmp_path, monkeypatch):
    """Each test starts from the default settings, in an empty folder (no config.json around)."""
    monkeypatch.chdir(tmp_path)
    magics = next(c for c in ip.configurables if isinstance(c, AmlWizard))
    for name in ("log_lines", "default_wizard", "workshop", "timeout", "threaded"):
        magics.set_trait(name, magics.trait_defaults(name))
    yield magics
    for session in list(_sessions):
        if host_of(session) is not None:
            host_of(session).close()
    _sessions.clear()


_sessions: list = []


def run(ip, line, cell=None):
    if cell is None:
        s = ip.run_line_magic("aml_troubleshoot", line)
    else:
        s = ip.run_cell_magic("aml_troubleshoot", line, cell)
    _sessions.append(s)
    host_of(s).wait(30)
    return s


def test_both_magics_are_registered(ip):
    assert "aml_troubleshoot" in ip.magics_manager.magics["line"]
    assert "aml_troubleshoot" in ip.magics_manager.magics["cell"]


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("--bogus", "unrecognized arguments"),
        ("--wizard nope", "invalid choice"),
        ("--log missing.log", "no log file at 'missing.log'"),
        ("--workspace missing.json", "no workspace config"),
        ("--scenario healthy-aks", "--scenario needs --workshop"),
        ("--resume missing.json", "no session file"),
        ("--workshop --scenario nope", "no workshop scenario 'nope'; choose one of: aks-503-spike"),
    ],
)
def test_a_users_mistake_is_one_line_usage_error(ip, line, says):
    with pytest.raises(UsageError) as err:
        ip.run_line_magic("aml_troubleshoot", line)
    assert says in str(err.value) and "\n" not in str(err.value)


def test_an_empty_cell_says_to_paste_something(ip):
    with pytest.raises(UsageError, match="cell is empty"):
        ip.run_cell_magic("aml_troubleshoot", "", "   \n")


def test_settings_go_through_config(ip, fresh_settings):
    ip.run_line_magic("config", "AmlWizard.log_lines = 1234")
    ip.run_line_magic("config", "AmlWizard.default_wizard = 'logs'")
    assert fresh_settings.log_lines == 1234 and fresh_settings.default_wizard == "logs"


def test_pasted_error_in_the_cell_shows_the_diagnosis(ip):
    s = run(ip, "", CRASH_LOG)
    triage = host_of(s).wizards["triage"]
    assert triage.error_text == ""
    assert s.findings and s.findings[0].id == "service-launch-crashloop"
    assert triage.step == 1 and "amlw-step-failed" in triage.strip.value
    assert any("CrashLoopBackOff" in c.children[0].value for c in triage.findings.children)
    assert s._backend is None  # no workspace was needed, none was opened


def test_log_file_option_diagnoses_the_file_and_logs_wizard_opens_it(ip, tmp_path):
    (tmp_path / "svc.log").write_text(CRASH_LOG)
    s = run(ip, "--log svc.log --wizard logs")
    assert host_of(s).current.name == "logs"
    assert "KeyError" in host_of(s).current.view.value and "6 lines" in host_of(s).current.info.value


def test_a_long_log_file_is_diagnosed_whole_while_the_session_keeps_its_tail(ip, tmp_path):
    # the failure sits at the top of a 200,000-line log; the session keeps only the last 100 lines
    healthy = "2024-05-19 07:48:00,000 I [63] azmlinfsrv - POST /score 200 12ms\n" * 200_000
    (tmp_path / "big.log").write_text(CRASH_LOG + healthy)
    ip.run_line_magic("config", "AmlWizard.log_lines = 100")
    s = run(ip, "--log big.log")
    assert s.findings and s.findings[0].id == "service-launch-crashloop"
    assert len(s.logs["file"].splitlines()) == 100 and "KeyError" not in s.logs["file"]


def test_log_lines_setting_bounds_what_the_session_keeps(ip, tmp_path):
    ip.run_line_magic("config", "AmlWizard.log_lines = 2")
    s = run(ip, "", CRASH_LOG)
    assert len(s.logs["pasted"].splitlines()) == 2


def test_a_saved_session_resumes_where_the_user_left_off(ip, tmp_path):
    s = run(ip, "", CRASH_LOG)
    host_of(s).open("logs")
    s.add_note("tried a restart")
    path = s.save(tmp_path / "s.json")
    resumed = run(ip, f"--resume {path}")
    assert host_of(resumed).current.name == "logs"
    assert resumed.findings[0].id == "service-launch-crashloop"
    assert resumed.notes[0]["text"] == "tried a restart"
    assert host_of(resumed).wizards["logs"].kind.value == "pasted"


@pytest.fixture
def workshop(workshop_emulator):
    return workshop_emulator


def test_workshop_scenario_opens_triage_with_its_diagnosis(ip, workshop):
    s = run(ip, "--workshop --scenario crashloop-init-exception")
    assert s.target["kind"] == "workshop" and s.service == "crashloop-init-exception"
    assert s.findings[0].id == "service-launch-crashloop"
    assert host_of(s).current.name == "triage" and "mlw-workshop" in host_of(s).target.value


def test_workshop_setting_and_wizard_option(ip, workshop, fresh_settings):
    ip.run_line_magic("config", "AmlWizard.workshop = True")
    s = run(ip, "aks-503-spike --wizard replicas")
    assert host_of(s).current.name == "replicas"
    assert host_of(s).current.max_replicas.value == 4 and host_of(s).current.error_text == ""


def test_workspace_config_reaches_the_workspace(ip, workshop):
    s = run(ip, f"healthy-aks --workspace {workshop.config_path} --wizard logs")
    assert s.target["kind"] == "azure" and s.target["config"] == str(workshop.config_path)
    logs = host_of(s).current
    assert logs.error_text == "" and "Healthy" not in logs.error_text
    assert "Azure ML Inferencing HTTP server" in s.logs["main"]


def test_workspace_config_found_in_the_folder(ip, workshop, tmp_path):
    (tmp_path / "config.json").write_text(workshop.config_path.read_text())
    s = run(ip, "--wizard triage")
    assert s.target["config"].endswith("config.json") and len(host_of(s).current.services.options) >= 11


def test_load_ext_is_light_and_a_pasted_diagnosis_needs_no_azureml():
    code = (
        "import sys\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "ip = InteractiveShell.instance()\n"
        "ip.run_line_magic('load_ext', 'amlwizard')\n"
        "print(sorted(m for m in ('ipywidgets', 'azureml', 'azure.ai.ml', 'plotly', 'pandas') if m in sys.modules))\n"
        "s = ip.run_cell_magic('aml_troubleshoot', '', 'CrashLoopBackOff')\n"
        "from amlwizard.wizards import host_of; host_of(s).wait(30)\n"
        "print([f.id for f in s.findings], 'azureml' in sys.modules or 'azure.ai.ml' in sys.modules)\n"
    )
    # the child imports the amlwizard under test, not whichever the environment installed
    root = str(Path(amlwizard.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": root}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    lines = out.stdout.strip().splitlines()
    assert lines[0] == "[]", out.stderr[-500:]
    assert lines[-1].endswith("False") and "service-launch-crashloop" in lines[-1]


def test_with_no_workspace_found_the_magic_opens_a_page_to_choose_one_not_an_error(ip):
    s = run(ip, "")  # no config.json in this folder or above: the launcher card's first impression
    host = host_of(s)
    assert s.target["kind"] == "none" and host.current.name == "connect"
    assert "No Azure ML workspace was found" in host.current.intro.value and host.current.error_text == ""
    # the workshop chosen there: triage opens on it with the workshop's services
    host.current.workshop_button.click()
    host.wait(60)
    assert host.current.name == "triage" and s.target["kind"] == "workshop"
    assert any("healthy-aks" in label for label, _ in host.current.services.options)
    assert [st["action"] for st in s.steps][0].startswith("connected to workspace 'mlw-workshop'")


def test_a_wizard_asked_for_opens_once_a_workspace_is_chosen(ip, workshop):
    s = run(ip, "healthy-aks --wizard logs")
    host = host_of(s)
    assert host.current.name == "connect"
    host.current.use_config(str(workshop.config_path))  # a config.json written by the workshop emulator
    host.wait(60)
    assert host.current.name == "logs" and s.target == {
        "kind": "azure",
        "config": str(workshop.config_path),
        "service": "healthy-aks",
        "workspace": s.target["workspace"],
        "sdk": "v1",  # what the fetched service is, recorded for the report
        "compute_type": "AKS",
    }
    assert "Main (scoring):" in host.current.info.value
