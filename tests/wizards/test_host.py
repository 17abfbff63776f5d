"""The box the magic shows: the wizard menu, the session bar (save, report), resuming where left off."""

from __future__ import annotations

from amlwizard.session import TroubleshootSession
from amlwizard.wizards import open_wizards

PASTED = "Warning  FailedScheduling  0/3 nodes are available: 3 Insufficient nvidia.com/gpu.\n"


def _host(**target):
    s = TroubleshootSession({"kind": "text", **target})
    s.set_logs("pasted", PASTED)
    return s, open_wizards(s, threaded=False)


def test_the_menu_switches_wizards_and_each_keeps_its_state():
    s, host = _host()
    assert host.current.name == "triage" and s.findings
    host.menu.value = "logs"
    assert host.current.name == "logs" and s.wizard == "logs"
    host.current.search.value = "nodes"
    host.menu.value = "triage"
    host.menu.value = "logs"
    assert host.current.search.value == "nodes"
    assert host.body.children == (host.current.widget,)


def test_the_session_bar_saves_and_writes_the_report(tmp_path):
    s, host = _host()
    host.path.value = str(tmp_path / "ticket")
    host.save_button.click()
    assert (tmp_path / "ticket.json").is_file() and "saved to" in host.saved.value
    host.report_button.click()
    assert (tmp_path / "ticket.md").is_file() and (tmp_path / "ticket.html").is_file()
    assert "Insufficient nvidia.com/gpu" in (tmp_path / "ticket.md").read_text()
    host.path.value = str(tmp_path / "missing" / "ticket")
    host.save_button.click()
    assert "does not exist" in host.saved.value


def test_a_loaded_session_reopens_the_wizard_and_step_it_was_at(tmp_path):
    s, host = _host()
    host.open("logs").go(1)
    host.open("replicas").max_replicas.value = 7
    host.open("logs")
    path = s.save(tmp_path / "s.json")
    back = TroubleshootSession.load(path)
    resumed = open_wizards(back, threaded=False)
    assert resumed.current.name == "logs" and resumed.current.step == 1
    assert resumed.open("replicas").max_replicas.value == 7
    triage = resumed.open("triage")
    assert triage.step == 1 and "Insufficient nvidia.com/gpu" in triage.findings.children[0].children[0].value
