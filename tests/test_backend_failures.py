"""Every failure of the Azure SDK reaches the user as one line (exit 2 in the CLI), never a traceback:
refusals while connecting, a closed port, calls cut at the time limit, an SDK that calls sys.exit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from amlwizard._errors import BackendError
from amlwizard.backends._azure_errors import bounded
from amlwizard.workshop._attach import write_config

ROOT = Path(__file__).resolve().parents[1]


def amlwizard(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "amlwizard", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "AZUREML_DEFAULT_500_BACKOFF": "0"},
    )


def _one_line_exit_2(out: subprocess.CompletedProcess[str], command: str) -> str:
    assert out.returncode == 2, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in out.stderr, out.stderr
    assert lines[0].startswith(f"amlwizard {command}: ")
    return lines[0]


@pytest.fixture
def config(emulator, tmp_path: Path) -> Path:
    """A config.json written as `amlwizard emulator` writes it, naming the running test emulator."""
    server = emulator.emulator
    return write_config(tmp_path / "config.json", server.url, server.ca.bundle_path, server.msi_secret)


@pytest.mark.parametrize("route", ["subscriptions", "workspace"])
def test_a_refusal_while_connecting_is_one_line(emulator, config: Path, route: str) -> None:
    with emulator.emulator.fault(route, 403):
        out = amlwizard("services", "--workspace", str(config))
    line = _one_line_exit_2(out, "services")
    assert "403" in line and "role" in line


@pytest.mark.parametrize(
    "command", [["services"], ["logs", "healthy-aks"], ["model-path", "sklearn-diabetes"]], ids=lambda c: c[0]
)
def test_a_workspace_that_is_gone_is_one_line(emulator, config: Path, command: list[str]) -> None:
    emulator.emulator.close_port()
    try:
        out = amlwizard(*command, "--workspace", str(config), "--timeout", "20")
    finally:
        emulator.emulator.reopen_port()
    assert "does not answer" in _one_line_exit_2(out, command[0])


def test_the_time_limit_message_names_the_cli_flag(emulator, config: Path) -> None:
    with emulator.emulator.fault("services", latency_s=3.0):
        out = amlwizard("services", "--workspace", str(config), "--timeout", "1")
    line = _one_line_exit_2(out, "services")
    assert "within 1 s" in line and "--timeout" in line and "AzureBackend" not in line


def test_an_sdk_that_calls_sys_exit_becomes_a_backend_error() -> None:
    def sdk_call() -> None:
        raise SystemExit(1)  # azureml's vendored Azure CLI code exits on some errors

    with pytest.raises(BackendError, match="reading service 'x': the Azure ML SDK stopped"):
        bounded(sdk_call, 5, "reading service 'x'")
