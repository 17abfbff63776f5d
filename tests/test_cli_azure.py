"""``amlwizard services``, ``logs`` and ``emulator`` run as real processes."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from amlwizard.scenarios import scenario_names


def _amlwizard(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "HOME": str(cwd), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "amlwizard", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_services_with_the_emulator_lists_every_scenario_with_its_state(tmp_path):
    result = _amlwizard("services", "--emulator", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line.split()[1:3] + line.split()[-1:] for line in result.stdout.splitlines()[1:]}
    assert rows["crashloop-init-exception"] == ["AKS", "Failed", "v1"]
    assert rows["model-path-not-found"] == ["ACI", "Failed", "v1"]
    assert rows["healthy-aks"] == ["AKS", "Healthy", "v1"]
    # the v2 scenarios' online deployments beside them, marked
    assert rows["v2-resource-not-ready/blue"] == ["Managed", "Failed", "v2"]
    assert rows["v2-k8s-oom/blue"] == ["Kubernetes", "Failed", "v2"]
    assert len(rows) == len(scenario_names())


def test_logs_prints_the_log_then_names_the_failure(tmp_path):
    result = _amlwizard("logs", "crashloop-init-exception", "--emulator", "--lines", "40", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    log, _, diagnosis = result.stdout.partition("== amlwizard diagnosis ==")
    assert "KeyError: 'CHURN_THRESHOLD'" in log and len(log.splitlines()) <= 41
    assert "id service-launch-crashloop (family service-launch-crashloop) - step 5 of 6: init" in diagnosis
    assert result.stderr == ""


def test_logs_of_the_init_container(tmp_path):
    result = _amlwizard("logs", "healthy-aks", "--emulator", "--init", "--no-diagnose", cwd=tmp_path)
    assert result.returncode == 0 and "Init container completed successfully" in result.stdout
    assert "diagnosis" not in result.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("services",), "--emulator"),
        (("logs", "no-such-service", "--emulator"), "services there: aks-503-spike"),
        (("logs", "missing-role-403", "--emulator"), "AzureML Data Scientist"),
        (("logs", "healthy-aks", "--emulator", "--lines", "0"), "--lines must be 1 or more"),
        (("emulator", "--scenario", "no-such-scenario"), "choose one of"),
    ],
)
def test_mistakes_give_one_line_and_exit_2(tmp_path, args, words):
    result = _amlwizard(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


def _start_emulator(tmp_path: Path, *args: str) -> tuple[subprocess.Popen, list[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "amlwizard", "emulator", *args],
        cwd=tmp_path,
        env={**os.environ, "HOME": str(tmp_path)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("Serving until Ctrl-C"):
            return proc, lines
    proc.kill()
    raise AssertionError("".join(lines) + proc.stderr.read())


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_the_standalone_emulator_serves_a_client_and_stops_cleanly(tmp_path, stop_signal):
    proc, lines = _start_emulator(tmp_path, "--scenario", "healthy-aks", "--scenario", "timeout-504")
    try:
        text = "".join(lines)
        exports = dict(re.findall(r"^export (\w+)=(\S+)$", text, re.MULTILINE))
        assert {"REQUESTS_CA_BUNDLE", "AZURE_CONFIG_DIR", "ARM_CLOUD_METADATA_URL", "MSI_ENDPOINT"} <= set(
            exports
        )
        config_path = Path(re.search(r"written to (\S+config\.json)", text).group(1))
        config = json.loads(config_path.read_text())
        assert config["workspace_name"] == "mlw-workshop" and config["amlwizard_emulator"]["url"].startswith(
            "https://127.0.0.1:"
        )
        if (
            stop_signal == signal.SIGINT
        ):  # one client is enough: the config.json path is what amlwizard users take
            listed = _amlwizard("services", "--workspace", str(config_path), cwd=tmp_path)
            assert listed.returncode == 0, listed.stderr
            assert [row.split()[0] for row in listed.stdout.splitlines()[1:]] == [
                "timeout-504",
                "healthy-aks",
            ]
    finally:
        proc.send_signal(stop_signal)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "stopped" in out and "Traceback" not in err
    assert not config_path.parent.exists()  # its temporary folders are gone
    assert not Path(exports["REQUESTS_CA_BUNDLE"]).parent.exists()


@pytest.mark.parametrize("service", ["crashloop-init-exception", "model-path-not-found", "out-of-memory"])
def test_logs_ranks_a_service_as_the_triage_wizard_does(tmp_path, service, workshop_emulator):
    from amlwizard.session import TroubleshootSession
    from amlwizard.wizards import open_wizards

    session = TroubleshootSession({"kind": "workshop", "service": service, "scenario": service})
    host = open_wizards(session, "triage", threaded=False)
    try:
        triage = host.current
        triage.paste.value = ""  # the same texts as the command: the service's error and logs
        triage.diagnose_service()
        wizard_ids = [f.id for f in session.findings[:3]]
    finally:
        host.close()
    result = _amlwizard("logs", service, "--emulator", "--lines", "5000", cwd=tmp_path)
    cli_ids = re.findall(r"^\s+id (\S+) \(family", result.stdout, re.M)
    assert result.returncode == 0, result.stderr
    assert cli_ids == wizard_ids and cli_ids
