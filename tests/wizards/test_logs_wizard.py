"""Fetch logs on every workshop scenario: line counts, search, filter, evidence jumps, saving, how-to."""

from __future__ import annotations

import pytest

from amlwizard.session import TroubleshootSession
from amlwizard.wizards import host_of, open_wizards


def test_logs_are_fetched_and_counted_for_every_scenario(open_wizard, scenario, workshop):
    logs = open_wizard(scenario.name, "logs")
    if scenario.faults:  # the missing-role scenario: the workspace refuses, the wizard says so
        assert logs.error_text and "\n" not in logs.error_text
        assert logs.kind.value is None
        return
    # the recorded log, then what the service's scoring server logged if an earlier test called it
    live = workshop.emulator.scoring.log_text(scenario.name)
    main_lines = len((scenario.main_log() + live).splitlines())
    assert logs.error_text == ""
    assert logs.kind.value == "main"
    assert f"{main_lines} lines" in logs.info.value
    assert len(logs.session.logs["main"].splitlines()) == main_lines
    logs.kind.value = "init"
    assert f"{len(scenario.init_log().splitlines())} lines" in logs.info.value
    logs.go(1)
    howto = logs.howto.value
    assert f"az ml service get-logs --verbose --workspace-name mlw-workshop --name {scenario.name}" in howto
    assert f"Webservice(ws, &#x27;{scenario.name}&#x27;)" in howto and "get_logs()" in howto
    assert ("amlw-aks-note" in howto) == (scenario.target == "AKS")


def test_search_filters_to_matching_lines_and_marks_them(open_wizard):
    logs = open_wizard("crashloop-init-exception", "logs")
    logs.search.value = "keyerror"
    assert "matching 'keyerror'" in logs.info.value
    assert "<mark>KeyError</mark>" in logs.view.value
    shown = logs.view.value.count("data-line=")
    logs.only_matching.value = False
    assert logs.view.value.count("data-line=") > shown


def test_a_findings_fetch_logs_button_jumps_to_its_evidence(open_wizard):
    triage = open_wizard("crashloop-init-exception", "triage")
    finding = triage.session.findings[0]
    card = triage.findings.children[0]
    next(b for b in card.children[1].children if b.description == "Next step: Fetch logs").click()
    logs = host_of(triage.session).current
    line = finding.evidence[0].line
    assert logs.name == "logs" and logs.jump.value == ("main", line)
    assert f"around evidence line {line}" in logs.info.value
    assert f"class='amlw-log-hit' style='background:#ffe08a' data-line='{line}'" in logs.view.value
    assert len(logs.jump.options) > 1


def test_opened_directly_the_jump_list_shows_its_prompt(open_wizard):
    logs = open_wizard("healthy-aks", "logs")
    # a selection of None would show an empty box in the browser: the prompt must be selected
    assert logs.jump.index == 0 and logs.jump.get_state()["index"] == 0
    assert logs.jump.options[0][0] == "(jump to an evidence line)"


def test_save_writes_the_masked_log_and_a_bad_folder_is_one_line(open_wizard, tmp_path):
    logs = open_wizard("healthy-aks", "logs")
    logs.session.logs["main"] += "\nAuthorization: Bearer abcdefghijklmnop"
    logs.render()
    logs.save_path.value = str(tmp_path / "main.log")
    logs.save_button.click()
    text = (tmp_path / "main.log").read_text()
    assert "abcdefghijklmnop" not in text and "Azure ML Inferencing HTTP server" in text
    assert "saved" in logs.status.value
    logs.save_path.value = str(tmp_path / "nope" / "main.log")
    logs.save_button.click()
    assert "does not exist" in logs.error_text


def test_without_a_workspace_the_logs_are_the_pasted_text():
    s = TroubleshootSession({"kind": "text"})
    s.set_logs("pasted", "a\nb\nCrashLoopBackOff\n")
    logs = open_wizards(s, "logs", threaded=False).current
    assert logs.kind.value == "pasted" and "3 lines" in logs.info.value
    assert logs.fetch_box.layout.display == "none"
    logs.fetch()
    assert "choose one in Triage" in logs.error_text


@pytest.mark.parametrize("lines", [5])
def test_the_line_count_control_bounds_the_fetch(open_wizard, lines):
    logs = open_wizard("crashloop-init-exception", "logs")
    logs.lines.value = lines
    logs.fetch_button.click()
    logs.wait()
    assert len(logs.session.logs["main"].splitlines()) <= lines
    assert f"(last {lines} asked)" in logs.info.value
