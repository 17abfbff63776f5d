"""The session file: checked against its format on load, never torn or silently overwritten by another
process, autosave failures shown, kept logs bounded in bytes as well as lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from amlwizard import UsageProblem
from amlwizard.session import MAX_LOG_BYTES, TroubleshootSession
from amlwizard.wizards import show

ROOT = Path(__file__).resolve().parents[1]


def _saved(tmp_path: Path) -> tuple[TroubleshootSession, Path]:
    s = TroubleshootSession({"kind": "text", "service": "svc"})
    s.add_note("first note")
    return s, s.save(tmp_path / "s.json")


# --- load: a wrong field is one line naming it -------------------------------------------------

GOOD = {"format": "amlwizard-session/1", "created": "2026-11-25T09:00:00+00:00"}
FINDING = {"id": "x", "family": "other", "title": "t", "step": None, "confidence": 0.5}


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"findings": "CrashLoopBackOff"}, "findings"),
        ({"findings": ["x"]}, "findings[0]"),
        ({"findings": [{**FINDING, "colour": "red"}]}, "findings[0]"),
        ({"findings": [{**FINDING, "confidence": "high"}]}, "findings[0].confidence"),
        (
            {"findings": [{**FINDING, "evidence": [{"line": "1", "text": "t"}]}]},
            "findings[0].evidence[0].line",
        ),
        ({"findings": [{"id": "x"}]}, "findings[0]"),
        ({"max_log_lines": "abc"}, "max_log_lines"),
        ({"max_log_lines": 0}, "max_log_lines"),
        ({"max_log_lines": 1.5}, "max_log_lines"),
        ({"notes": 7}, "notes"),
        ({"notes": [7]}, "notes[0]"),
        ({"notes": [{"time": "t", "text": ["a"]}]}, "notes[0].text"),
        ({"steps": [{"wizard": "triage"}]}, "steps[0]"),
        ({"steps": "all of them"}, "steps"),
        ({"target": "svc"}, "target"),
        ({"target": {"service": 42}}, "target.service"),
        ({"logs": {"main": ["a"]}}, "logs.main"),
        ({"state": {"replicas": 3}}, "state.replicas"),
        ({"results": {"triage": "ok"}}, "results.triage"),
        ({"wizard": None}, "wizard"),
        ({"revision": -1}, "revision"),
        ({"extra": 1}, "unknown key"),
    ],
)
def test_a_wrong_field_is_one_line_naming_it(tmp_path: Path, fields: dict, named: str) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps({**GOOD, **fields}))
    with pytest.raises(UsageProblem) as err:
        TroubleshootSession.load(path)
    message = str(err.value)
    assert "\n" not in message and len(message) < 300 and named in message and "s.json" in message


@pytest.mark.parametrize(
    "deep", ["[" * 100_000 + "]" * 100_000, '{"results": {"a": ' + "[" * 500 + "]" * 500 + "}}"]
)
def test_deep_nesting_is_one_line(tmp_path: Path, deep: str) -> None:
    path = tmp_path / "s.json"
    path.write_text(deep if deep.startswith("[") else json.dumps(GOOD)[:-1] + ", " + deep[1:])
    with pytest.raises(UsageProblem) as err:
        TroubleshootSession.load(path)
    assert "\n" not in str(err.value)


def test_a_file_saved_before_revisions_loads(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps({**GOOD, "max_log_lines": 10, "notes": [{"time": "t", "text": "n"}]}))
    s = TroubleshootSession.load(path)
    assert s.notes[0]["text"] == "n" and s.revision == 0 and s.max_log_lines == 10


# --- two writers of one file ---------------------------------------------------------------------


def test_two_sessions_saving_one_file_keep_both_notes_and_steps(tmp_path: Path) -> None:
    _, path = _saved(tmp_path)
    a, b = TroubleshootSession.load(path), TroubleshootSession.load(path)
    a.add_note("from A")
    a.record("triage", "fetched logs")
    b.add_note("from B")  # B saves over A's save: A's note and step must survive
    b.set_findings([])
    b.wizard = "replicas"
    b.save()
    on_disk = TroubleshootSession.load(path)
    assert [n["text"] for n in on_disk.notes] == ["first note", "from A", "from B"]
    assert [st["action"] for st in on_disk.steps] == ["fetched logs"]
    assert on_disk.wizard == "replicas"  # the rest is the newer writer's
    assert [n["text"] for n in b.notes] == ["first note", "from A", "from B"]  # B now holds A's too
    a.add_note("A again")  # and A, saving after B, keeps B's
    assert [n["text"] for n in TroubleshootSession.load(path).notes][-2:] == ["from B", "A again"]


def test_another_session_saved_at_the_path_is_not_overwritten(tmp_path: Path) -> None:
    mine, path = _saved(tmp_path)
    other = TroubleshootSession({"kind": "text", "service": "other"})
    other.add_note("the other session's note")
    other.save(path)  # "save as" over a file is the user's choice
    with pytest.raises(UsageProblem, match="another session was saved") as err:
        mine.add_note("mine")
        mine.save()
    assert "\n" not in str(err.value)
    assert TroubleshootSession.load(path).notes[0]["text"] == "the other session's note"


_WRITER = """
import sys
from amlwizard.session import TroubleshootSession
s = TroubleshootSession.load(sys.argv[1])
for i in range(25):
    s.add_note(f"{sys.argv[2]} {i}")  # each note autosaves
assert s.autosave_error is None, s.autosave_error
"""


def test_two_processes_adding_notes_to_one_file_lose_none(tmp_path: Path) -> None:
    _, path = _saved(tmp_path)
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(path), name], cwd=ROOT, stderr=subprocess.PIPE)
        for name in ("A", "B")
    ]
    for writer in writers:
        assert writer.wait(timeout=120) == 0, writer.stderr.read().decode()
    texts = {n["text"] for n in TroubleshootSession.load(path).notes}
    assert texts == {"first note"} | {f"{name} {i}" for name in "AB" for i in range(25)}


# --- autosave failures are shown -----------------------------------------------------------------


def test_a_failed_autosave_is_kept_on_the_session_and_shown_in_the_session_bar(tmp_path: Path) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    s = TroubleshootSession({"kind": "text", "service": "svc"})
    s.save(folder / "s.json")
    host = show(s, "triage", threaded=False)
    folder.rename(tmp_path / "moved")  # the folder went away (a USB disk, a cleanup)
    s.add_note("kept in memory")
    assert s.autosave_error and "does not exist" in s.autosave_error
    assert "amlw-autosave-error" in host.saved.value and "does not exist" in host.saved.value
    folder.mkdir()
    s.add_note("saved again")
    assert s.autosave_error is None and "again" in host.saved.value
    assert len(TroubleshootSession.load(folder / "s.json").notes) == 2


# --- logs kept by bytes too ------------------------------------------------------------------------


def test_a_log_of_one_enormous_line_is_kept_up_to_the_byte_bound(tmp_path: Path) -> None:
    log = tmp_path / "one-line.log"
    with open(log, "wb") as f:
        for _ in range(24):
            f.write(b"x" * (1 << 20))
        f.write(b" WORKER TIMEOUT at the end\n")
    s = TroubleshootSession()
    kept = s.set_logs_from_file("file", log)
    assert len(kept.encode()) <= MAX_LOG_BYTES and kept.rstrip().endswith("WORKER TIMEOUT at the end")
    assert kept.startswith("\u2026")  # it says the line was cut


def test_pasted_text_is_bounded_by_bytes_and_still_masked() -> None:
    s = TroubleshootSession(max_log_bytes=1000)
    kept = s.set_logs("pasted", "y" * 10_000 + "\nAuthorization: Bearer sk-0123456789abcdefSECRET\nlast\n")
    assert len(kept.encode()) <= 1000 and "SECRET" not in kept and kept.rstrip().endswith("last")


def test_a_utf16_log_file_is_kept_as_text(tmp_path: Path) -> None:
    log = tmp_path / "main.log"
    log.write_bytes("first\r\nReason: OOMKilled\r\n".encode("utf-16"))
    kept = TroubleshootSession().set_logs_from_file("file", log)
    assert kept.splitlines() == ["first", "Reason: OOMKilled"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX")
def test_a_missing_log_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(UsageProblem, match="no such file"):
        TroubleshootSession().set_logs_from_file("file", tmp_path / "nope.log")
