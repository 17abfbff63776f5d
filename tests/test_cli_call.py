"""``amlwizard call`` and ``amlwizard probe`` as real processes against the emulator they start themselves."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

FAST = {"AMLWIZARD_EMULATOR_SPEED": "30"}  # replicas ready 2 s after the autoscaler asks for them


def _amlwizard(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "HOME": str(cwd), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "amlwizard", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_call_shows_the_502_and_the_traceback_line_run_raised(tmp_path):
    result = _amlwizard("call", "run-failure-502", "--emulator", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    answer, _, diagnosis = result.stdout.partition("== amlwizard diagnosis ==")
    assert "502 Bad Gateway in" in answer and "x-ms-run-function-failed: True" in answer
    assert "An unexpected error occurred in scoring script" in answer
    assert "id run-failure (family run-failure)" in diagnosis and "id http-502" in diagnosis
    assert "ValueError: Expected 2D array, got 1D array" in diagnosis
    assert "Bearer" not in result.stdout and result.stderr == ""


def test_call_json_gives_the_status_as_an_integer_and_the_result(tmp_path):
    result = _amlwizard("call", "healthy-aks", "--emulator", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["status"] == 200 and isinstance(answer["status"], int)
    assert len(json.loads(answer["body"])) == 2
    assert not [f for f in answer["findings"] if f["facts"].get("tier") != 2]  # no failure matched exactly
    assert answer["request"] == "the scenario's sample request"


def test_probe_counts_the_503s_of_the_spike_and_none_on_the_healthy_service(tmp_path):
    spike = _amlwizard("probe", "aks-503-spike", "--emulator", "--rps", "40", "--seconds", "4", "--json",
                       "--html", str(tmp_path / "probe.html"), cwd=tmp_path, env=FAST)  # fmt: skip
    assert spike.returncode == 0, spike.stderr
    counted = json.loads(spike.stdout)
    assert counted["by_status"].get("503", 0) > 0 and counted["rate_503"] > 0
    assert sum(row["by_status"].get("503", 0) for row in counted["per_second"]) == counted["by_status"]["503"]
    assert {"p50", "p95", "p99"} <= set(counted["latency_ms"])
    assert "plotly" in (tmp_path / "probe.html").read_text()
    healthy = _amlwizard("probe", "healthy-aks", "--emulator", "--rps", "40", "--seconds", "3", "--json",
                         cwd=tmp_path, env=FAST)  # fmt: skip
    assert healthy.returncode == 0, healthy.stderr
    assert set(json.loads(healthy.stdout)["by_status"]) == {"200"}


def test_ctrl_c_stops_the_probe_and_prints_what_was_seen(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "amlwizard", "probe", "healthy-aks", "--emulator", "--seconds", "120"],
        cwd=tmp_path, env={**os.environ, "HOME": str(tmp_path)}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        line = proc.stderr.readline()  # the first progress line: the probe is sending
        deadline = time.monotonic() + 90
        while "sent" not in line and line and time.monotonic() < deadline:
            line = proc.stderr.readline()
        assert "sent" in line, line
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert "(cancelled)" in out and "200:" in out and "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("probe", "healthy-aks", "--emulator", "--rps", "500"), "at most 100"),
        (("probe", "healthy-aks", "--emulator", "--seconds", "3600"), "--seconds must be 1 to 300"),
        (("call", "healthy-aks", "--emulator", "--request", "{not json"), "not valid JSON"),
        (("call", "healthy-aks", "--emulator", "--request", "missing.json"), "no request file"),
    ],
)
def test_call_and_probe_mistakes_are_one_line(tmp_path, args, words):
    result = _amlwizard(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_probing_a_real_service_asks_first(monkeypatch):
    from amlwizard._commands.probe import _confirm
    from amlwizard._errors import UsageProblem
    from amlwizard.calls import ScoringEndpoint

    real = ScoringEndpoint("http://20.103.84.17:80/api/v1/service/svc/score", key="k" * 32, service="svc")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    with pytest.raises(UsageProblem, match="add --yes"):
        _confirm(real, 10, 30, yes=False)
    _confirm(real, 10, 30, yes=True)  # a script said yes
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    with pytest.raises(UsageProblem, match="not confirmed"):
        _confirm(real, 10, 30, yes=False)
    _confirm(ScoringEndpoint("https://127.0.0.1:8443/api/v1/service/svc/score"), 10, 30, yes=False)
