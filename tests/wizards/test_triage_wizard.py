"""Triage on every workshop scenario, through the real azureml-core client and the emulator."""

from __future__ import annotations

import re

import pytest

from amlwizard.session import TroubleshootSession
from amlwizard.wizards import host_of, open_wizards

# finding id -> the next-step buttons its card must offer (besides Fetch logs)
NEXT = {
    "service-launch-crashloop": "Next step: Deploy locally",
    "http-502": "Next step: Deploy locally",
    "http-504": "Next step: Deploy locally",
    "run-failure": "Next step: Deploy locally",
    "model-path-not-found": "Next step: Inspect model path",
    "http-503": "Next step: Size replicas",
}


def _buttons(card):
    return [b.description for b in card.children[1].children]


# Healthy services whose logs and state show nothing: a call (or, for 503s, a probe) is what tells
CALL_TELLS = {"healthy-aks", "aks-503-spike"}


def test_triage_names_the_scenarios_failure_and_marks_its_step(open_wizard, scenario):
    triage = open_wizard(scenario.name, "triage")
    s = triage.session
    assert scenario.name in [value for _, value in triage.services.options]
    assert triage.step == 1 and triage.stack.selected_index == 1
    assert triage.paste.value == ""  # nothing pre-filled from the scenario's recorded symptom
    if scenario.name in CALL_TELLS:
        exact = [f for f in s.findings if f.facts.get("tier") != 2]  # tier 2: the family model's guesses
        assert triage.error_text == "" and not exact and all(f.confidence < 0.5 for f in s.findings)
        assert triage.strip.value.count("amlw-step-ok") == 5 and "is healthy" in triage.health.value
        assert triage.service_actions.layout.display is None  # Call the service, Load probe
        return
    expected = scenario.expected
    # every workshop scenario has one root cause: it must be the first card the user reads
    found = s.findings[0] if s.findings else None
    assert found is not None and expected["finding"] in (found.id, found.family), (
        [(f.id, f.family) for f in s.findings],
        triage.error_text,
    )
    card = triage.findings.children[0]
    assert "amlw-finding" in card._dom_classes
    assert "Next step: Fetch logs" in _buttons(card)
    if expected["family"] in NEXT:
        assert NEXT[expected["family"]] in _buttons(card)
    failed = re.search(r"amlw-step-failed' title='[^']*' data-step='(\d)'", triage.strip.value)
    first_step = next((f.step for f in s.findings if f.step), None)
    assert (int(failed.group(1)) if failed else None) == first_step
    if expected["step"] is not None:
        assert first_step == expected["step"]
    if found.evidence:
        assert "amlw-evidence" in card.children[0].value


def test_the_service_list_shows_state_badges(open_wizard):
    triage = open_wizard("healthy-aks")
    labels = dict((v, k) for k, v in triage.services.options)
    assert labels["healthy-aks"].startswith("✔") and "Healthy" in labels["healthy-aks"]
    assert (
        labels["crashloop-init-exception"].startswith("✖") and "Failed" in labels["crashloop-init-exception"]
    )


def test_a_next_step_button_opens_its_wizard_and_the_session_remembers(open_wizard):
    triage = open_wizard("crashloop-init-exception")
    card = triage.findings.children[0]
    button = next(b for b in card.children[1].children if b.description == "Next step: Deploy locally")
    button.click()
    host = host_of(triage.session)
    assert host.current.name == "local" and host.menu.value == "local"
    assert triage.session.wizard == "local"
    assert "opened local for finding service-launch-crashloop" in [
        st["action"] for st in triage.session.steps
    ]
    assert host.current.score_path.value.endswith("crashloop-init-exception/app/score.py")


def test_an_unknown_service_names_the_ones_that_exist(workshop):
    s = TroubleshootSession({"kind": "workshop", "service": "no-such-service"})
    host = open_wizards(s, "triage", threaded=False)
    triage = host.current
    assert "no service 'no-such-service'" in triage.error_text and "healthy-aks" in triage.error_text
    assert triage.step == 0 and len(triage.services.options) >= 11


def test_pasted_text_is_diagnosed_without_a_workspace():
    s = TroubleshootSession({"kind": "text"})
    triage = open_wizards(s, "triage", threaded=False).current
    assert triage.service_box.layout.display == "none"
    triage.paste.value = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu."
    triage.diagnose_text_button.click()
    assert s.findings[0].id == "schedule-insufficient-resources"
    assert "amlw-step-failed" in triage.strip.value


def test_empty_paste_and_missing_file_are_one_line_errors(tmp_path):
    triage = open_wizards(TroubleshootSession({"kind": "text"}), "triage", threaded=False).current
    triage.diagnose_text_button.click()
    assert "empty" in triage.error_text
    triage.log_path.value = str(tmp_path / "missing.log")
    triage.open_file_button.click()
    assert "no file at" in triage.error_text and triage.step == 0


def test_a_log_file_is_opened_and_a_note_is_kept(tmp_path):
    log = tmp_path / "svc.log"
    log.write_text("line\nKilled: died with <Signals.SIGKILL: 9>\n")
    s = TroubleshootSession({"kind": "text"})
    triage = open_wizards(s, "triage", threaded=False).current
    triage.log_path.value = str(log)
    triage.open_file_button.click()
    assert s.findings and s.findings[0].id == "out-of-memory" and s.target["log"] == str(log)
    triage.note.value = "the VM has 4 GB"
    triage.note_button.click()
    assert s.notes[-1]["text"] == "the VM has 4 GB" and triage.note.value == ""


@pytest.mark.parametrize("threaded", [True, False])
def test_triage_runs_threaded_or_inline_to_the_same_result(open_wizard, threaded):
    triage = open_wizard("out-of-memory", threaded=threaded)
    assert triage.session.findings[0].id == "out-of-memory" and not triage.busy


def test_a_resumed_workshop_session_shows_its_findings_and_the_service_list(open_wizard, tmp_path):
    triage = open_wizard("aks-gpu-unschedulable")
    path = triage.session.save(tmp_path / "s.json")
    back = TroubleshootSession.load(path)
    resumed = open_wizards(back, threaded=False).current
    assert resumed.step == 1 and back.findings[0].id == triage.session.findings[0].id
    assert "aks-gpu-unschedulable" in resumed.summary.value
    assert len(resumed.services.options) >= 11
    assert [s["action"] for s in back.steps] == [s["action"] for s in triage.session.steps]
    host_of(back).close()


def test_a_pasted_error_no_entry_knows_shows_its_failed_lines_and_the_likely_family(workshop):
    from amlwizard.session import TroubleshootSession
    from amlwizard.wizards import open_wizards

    s = TroubleshootSession({"kind": "text"})
    triage = open_wizards(s, "triage", threaded=False).current
    triage.diagnose_text(
        'Traceback (most recent call last):\n  File "/app/worker.py", line 3, in handle\n'
        "ValueError: the service times out after 1 minute, every request\n",
        "pasted text",
    )
    shown = " ".join(c.value for c in triage.findings.children if hasattr(c, "value"))
    cards = [c for c in triage.findings.children if not hasattr(c, "value")]
    assert "No known failure matched exactly" in shown and "ValueError: the service times out" in shown
    assert s.findings and s.findings[0].id.startswith("family:") and cards
