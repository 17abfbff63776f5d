"""`amlwizard diagnose` and `amlwizard catalogue`, run as real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from amlwizard.catalogue import ENTRIES

LOG = """\
2026-11-25 10:41:17,007 I [57] azmlinfsrv - Invoking user's init function
2026-11-25 10:41:17,212 E [57] azmlinfsrv - User's init function failed
2026-11-25 10:41:17,212 E [57] azmlinfsrv - Encountered Exception Traceback (most recent call last):
  File "/var/azureml-app/score.py", line 11, in init
    threshold = float(os.environ["CHURN_THRESHOLD"])
KeyError: 'CHURN_THRESHOLD'
2026-11-25T10:41:18,867 - Exit code 3 is not normal. Killing image.
"""


def amlwizard(*args: str, stdin: str | None = None, wrap: list[str] = ()) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*wrap, sys.executable, "-m", "amlwizard", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "main.log"
    path.write_text(LOG)
    return path


def test_diagnose_a_file_prints_ranked_findings_with_step_evidence_and_remedies(log: Path) -> None:
    out = amlwizard("diagnose", str(log))
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert text.index("service-launch-crashloop") < text.index("container-exit-code")
    assert "step 5 of 6: init" in text
    assert "line 2 | 2026-11-25 10:41:17,212 E [57] azmlinfsrv - User's init function failed" in text
    assert "line 6 | KeyError: 'CHURN_THRESHOLD'" in text
    assert "1. Read the container log" in text and "2. Reproduce locally" in text


def test_diagnose_reads_stdin_with_dash_or_no_path() -> None:
    for args in (("diagnose", "-"), ("diagnose",)):
        out = amlwizard(
            *args, "--json", stdin="Response Code: 503\nContent: b'No ready replicas for service churn-svc'\n"
        )
        assert out.returncode == 0, out.stderr
        ids = [f["id"] for f in json.loads(out.stdout)["findings"]]
        assert ids == ["no-ready-replicas", "http-503"]


def test_diagnose_json_has_the_documented_shape(log: Path) -> None:
    out = amlwizard("diagnose", str(log), "--json")
    assert out.returncode == 0
    data = json.loads(out.stdout)
    assert data["bytes"] == len(LOG.encode()) and data["lines"] == 7
    first = data["findings"][0]
    assert {"id", "family", "title", "step", "confidence", "evidence", "remedies", "facts"} <= set(first)
    assert first["evidence"][0] == {
        "line": 2,
        "text": "2026-11-25 10:41:17,212 E [57] azmlinfsrv - User's init function failed",
    }
    assert first["facts"]["exception"] == "KeyError: 'CHURN_THRESHOLD'"


def test_top_limits_the_findings(log: Path) -> None:
    out = amlwizard("diagnose", str(log), "--json", "--top", "1")
    assert [f["id"] for f in json.loads(out.stdout)["findings"]] == ["service-launch-crashloop"]


def test_no_findings_is_still_exit_0(tmp_path: Path) -> None:
    healthy = tmp_path / "healthy.log"
    healthy.write_text("2026-11-25 09:00:05,220 I [8] azmlinfsrv - POST /score 200 12.345ms 48\n")
    out = amlwizard("diagnose", str(healthy))
    assert out.returncode == 0 and "No failure found" in out.stdout


# Root reads any file, and CI runs as root. Switching to `nobody` does not work here: the interpreter
# lives under /root (0700), out of nobody's reach. So a root process drops, from its bounding set, the
# two capabilities that let root ignore file modes (setpriv, util-linux): it stays uid 0 with its
# interpreter reachable, and a mode-000 file becomes as unreadable to it as to any other user.
UNPRIVILEGED = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []


@pytest.mark.parametrize("kind", ["missing", "directory", "unreadable"])
def test_a_path_that_cannot_be_read_is_one_line_and_exit_2(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "main.log"
    wrap: list[str] = []
    if kind == "directory":
        path.mkdir()
    elif kind == "unreadable":
        path.write_text(LOG)
        path.chmod(0)
        wrap = UNPRIVILEGED
        probe = subprocess.run([*wrap, "cat", str(path)], capture_output=True, text=True)
        assert probe.returncode != 0 and "Permission denied" in probe.stderr, "the file is still readable"
    out = amlwizard("diagnose", str(path), wrap=wrap)
    assert out.returncode == 2, out.stdout
    assert out.stdout == "" and len(out.stderr.strip().splitlines()) == 1
    assert out.stderr.startswith(f"amlwizard diagnose: {path}")
    if kind == "unreadable":
        assert "permission denied" in out.stderr


def test_bad_top_is_a_usage_error(log: Path) -> None:
    out = amlwizard("diagnose", str(log), "--top", "0")
    assert out.returncode == 2 and "--top must be 1 or more" in out.stderr


def test_catalogue_lists_every_entry_with_its_step() -> None:
    out = amlwizard("catalogue")
    assert out.returncode == 0
    for entry in ENTRIES:
        assert entry.id in out.stdout
    assert "schedule-insufficient-resources  step 3 of 6" in out.stdout


def test_catalogue_json() -> None:
    out = amlwizard("catalogue", "--json")
    assert out.returncode == 0
    rows = json.loads(out.stdout)["entries"]
    assert [r["id"] for r in rows] == [e.id for e in ENTRIES]
    assert all(r["remedies"] and r["doc_url"].startswith("https://") for r in rows)
