"""TroubleshootSession: saved atomically with secrets masked, loaded back, resumed, reported."""

from __future__ import annotations

import json

import pytest

from amlwizard import UsageProblem
from amlwizard._finding import Evidence, Finding
from amlwizard.session import TroubleshootSession
from amlwizard.wizards import host_of, show

SECRET = "sk-0123456789abcdefSECRET"


def _session() -> TroubleshootSession:
    s = TroubleshootSession({"kind": "text", "service": "svc"}, max_log_lines=3)
    s.set_logs("pasted", f"one\ntwo\nAuthorization: Bearer {SECRET}\nfour\nfive")
    s.set_findings(
        [
            Finding(
                "http-503",
                "http-503",
                "Service unavailable under spikes",
                6,
                0.9,
                [Evidence(4, f"503 api_key={SECRET}")],
                "The autoscaler is too slow.",
                ["Raise min replicas"],
                "https://learn.microsoft.com/x",
            )
        ]
    )
    s.record("triage", "diagnosed pasted text", f"token={SECRET}")
    s.add_note(f"asked the admin; password={SECRET}")
    return s


def test_logs_are_bounded_to_the_last_lines_and_masked():
    s = _session()
    lines = s.logs["pasted"].splitlines()
    assert lines[1:] == ["four", "five"] and lines[0].startswith("Authorization:") and "***" in lines[0]
    assert SECRET not in s.logs["pasted"]


def test_save_writes_json_without_secrets_and_load_restores_everything(tmp_path):
    s = _session()
    s.wizard = "replicas"
    s.state["replicas"] = {"rps": 20.0, "step": 0}
    path = s.save(tmp_path / "s.json")
    text = path.read_text()
    assert SECRET not in text and "***" in text
    # the temp file was replaced, not left (the lock that saves take turns on stays, hidden)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".s.json.lock", "s.json"]
    back = TroubleshootSession.load(path)
    assert back.findings[0].id == "http-503" and back.findings[0].evidence[0].line == 4
    assert back.wizard == "replicas" and back.state["replicas"]["rps"] == 20.0
    assert back.notes[0]["text"].startswith("asked the admin") and len(back.steps) == 1
    assert back.path == path


def test_after_one_save_each_step_autosaves(tmp_path):
    s = _session()
    path = s.save(tmp_path / "s.json")
    s.add_note("second note")
    assert json.loads(path.read_text())["notes"][-1]["text"] == "second note"


def test_save_to_a_missing_folder_is_one_line(tmp_path):
    with pytest.raises(UsageProblem, match="does not exist"):
        _session().save(tmp_path / "nope" / "s.json")


@pytest.mark.parametrize("content", [None, "not json", '{"format": "other"}'])
def test_load_of_a_bad_file_says_what_is_wrong(tmp_path, content):
    path = tmp_path / "s.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(UsageProblem) as err:
        TroubleshootSession.load(path)
    assert "\n" not in str(err.value) and "s.json" in str(err.value)


def test_report_writes_markdown_and_html_with_findings_steps_and_notes_masked(tmp_path):
    md, page = _session().report(tmp_path / "ticket")
    for f in (md, page):
        text = f.read_text()
        assert SECRET not in text
        assert "Service unavailable under spikes" in text and "Raise min replicas" in text
        assert "diagnosed pasted text" in text and "asked the admin" in text
    assert md.name == "ticket.md" and page.read_text().startswith("<!doctype html>")


def test_a_session_without_workspace_says_how_to_get_one():
    with pytest.raises(UsageProblem, match="--workshop"):
        TroubleshootSession({"kind": "text"}).backend  # noqa: B018


def test_show_displays_the_wizards_where_the_user_left_off(tmp_path, capsys):
    s = _session()
    s.wizard = "logs"
    back = TroubleshootSession.load(s.save(tmp_path / "s.json"))
    show(back)
    host_of(back).wait(10)
    assert host_of(back).current.name == "logs" and "amlw-host" in host_of(back).widget._dom_classes
    assert "four" in host_of(back).current.view.value
