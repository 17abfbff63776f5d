"""`amlwizard serve`, `model-path` and `lint` run as real processes: output, exit codes, cleanup."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

SCENARIOS = Path(__file__).resolve().parent.parent / "amlwizard" / "scenarios"


def amlwizard(*args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "amlwizard", *args], capture_output=True, text=True, timeout=timeout
    )


def test_lint_json_reports_a_syntax_error_with_its_line(tmp_path):
    score = tmp_path / "score.py"
    score.write_text("def init():\n    pass\n\ndef run(data\n    return 1\n")
    out = amlwizard("lint", str(score), "--json")
    assert out.returncode == 1
    (issue,) = json.loads(out.stdout)["issues"]
    assert issue["id"] == "syntax-error" and issue["line"] == 4


def test_lint_text_names_the_slow_call_of_the_timeout_scenario():
    app = SCENARIOS / "timeout-504" / "app"
    out = amlwizard("lint", str(app / "score.py"), "--env", str(app / "conda.yml"))
    assert out.returncode == 0, out.stderr
    assert "[blocking-call-in-run] time.sleep()" in out.stdout


def test_lint_a_real_script_with_its_environment_file():
    folder = Path(__file__).resolve().parent / "data" / "scoring-scripts" / "16-aml-model2-externals"
    out = amlwizard("lint", str(folder / "score.py"), "--env", str(folder / "conda.yaml"), "--json")
    assert out.returncode == 1, out.stderr
    (issue,) = json.loads(out.stdout)["issues"]
    assert (issue["id"], issue["line"]) == ("removed-import", 6) and "pins scikit-learn" in issue["message"]


def test_lint_answers_a_200k_term_expression_in_one_finding_without_a_traceback(tmp_path):
    score = tmp_path / "score.py"
    score.write_text("def init():\n    pass\n\ndef run(d):\n    return " + "+".join(["1"] * 200_000) + "\n")
    out = amlwizard("lint", str(score))
    assert out.returncode == 1 and "Traceback" not in out.stdout + out.stderr
    assert f"{score}:5: error [syntax-error]" in out.stdout and "RecursionError" in out.stdout


def test_bad_arguments_are_one_line_and_exit_2(tmp_path):
    for args in (
        ("lint", str(tmp_path / "missing.py")),
        ("lint", __file__, "--env", str(tmp_path / "missing.yml")),
        ("serve", str(tmp_path / "missing.py"), "--once"),
        ("serve", "score.py", "--model", "no-version"),
        ("serve", __file__, "--python", str(tmp_path / "no-python"), "--once"),
        ("model-path", "m", "--version", "one"),
        ("model-path", "m", "--app-root", str(tmp_path / "missing")),
    ):
        out = amlwizard(*args)
        assert out.returncode == 2, (args, out.stderr)
        assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr


def test_model_path_json_gives_the_fix():
    app = SCENARIOS / "model-path-not-found" / "app"
    out = amlwizard(
        "model-path", "credit-model", "--version", "1", "--model-files", str(app / "model" / "model.json"),
        "--script", str(app / "score.py"), "--json",
    )  # fmt: skip
    assert out.returncode == 1
    report = json.loads(out.stdout)
    assert report["fix"] == "Model.get_model_path('credit-model')"
    assert report["findings"][0]["family"] == "model-path-not-found"


def test_serve_once_sends_the_request_and_shows_the_remote_status():
    app = SCENARIOS / "run-failure-502" / "app"
    out = amlwizard(
        "serve", str(app / "score.py"), "--model", "sklearn-diabetes:1",
        "--model-dir", str(app / "model" / "model.json"), "--request", str(app / "sample-request.json"), "--once",
    )  # fmt: skip
    assert out.returncode == 1
    assert "no Docker engine answers" in out.stdout or "LocalWebservice is available" in out.stdout
    assert "healthy in" in out.stdout and "HTTP 500" in out.stdout and "as deployed: 502" in out.stdout
    # which layout was used, and run()'s traceback shown (not "see the server log")
    assert "laid out as azureml-models/sklearn-diabetes/1/model.json" in out.stdout
    shown = out.stdout.split("run() raised (from the server log):\n", 1)[1].splitlines()
    assert shown[0].strip() == "Traceback (most recent call last):"
    assert shown[-1].strip().startswith("ValueError: Expected 2D array")
    # the server's warning about the variables it sets itself is explained where it appears
    assert "harmless: azmlinfsrv sets these variables itself" in out.stdout


def test_serve_runs_until_ctrl_c_and_leaves_nothing(tmp_path):
    app = SCENARIOS / "healthy-aks" / "app"
    proc = subprocess.Popen(
        [sys.executable, "-m", "amlwizard", "serve", str(app / "score.py"),
         "--model", "sklearn-diabetes:3", "--model-dir", str(app / "model" / "model.json")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    lines = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        lines.append(line)
        if "Serving; Ctrl-C stops." in line or not line:
            break
    healthy = next(ln for ln in lines if ln.startswith("healthy in"))
    port = int(healthy.rsplit(":", 1)[1].split("/")[0])
    server_pids = _pids_listening(port)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 130
    proc.stdout.close()
    time.sleep(0.3)
    assert server_pids and not [p for p in server_pids if _alive(p)]


def _pids_listening(port: int) -> list[int]:
    """Processes of the server: children of anything whose command line names our launcher and port."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if "_loopback_server" in cmd and f"--port {port}" in cmd:
                pids.append(int(entry.name))
    return pids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_no_server_outlives_its_command():
    """Every launcher still running belongs to a live parent (another test run may be going on)."""
    time.sleep(0.5)
    orphans = []
    for pid in _pids_listening_any():
        parent = _env_parent(Path(f"/proc/{pid}"))
        if parent and not _alive(int(parent)):
            orphans.append(pid)
    assert orphans == []


def _pids_listening_any() -> list[int]:
    return [
        int(e.name)
        for e in Path("/proc").iterdir()
        if e.name.isdigit() and _alive(int(e.name)) and b"_loopback_server" in _cmdline(e)
    ]


def _cmdline(entry: Path) -> bytes:
    try:
        return (entry / "cmdline").read_bytes()
    except OSError:
        return b""


def _env_parent(entry: Path) -> str | None:
    try:
        env = (entry / "environ").read_bytes().split(b"\0")
    except OSError:
        return None
    for item in env:
        if item.startswith(b"AMLWIZARD_PARENT_PID="):
            return item.split(b"=", 1)[1].decode()
    return None


def test_serve_with_a_debug_port_prints_the_vscode_config_and_says_no_debugger_listens():
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = SCENARIOS / "healthy-aks" / "app"
    out = amlwizard("serve", str(app / "score.py"), "--debug-port", str(port), "--once")
    assert out.returncode == 1
    start = out.stdout.index("\n{\n") + 1
    config = json.loads(out.stdout[start : out.stdout.index("\n}\n", start) + 2])
    assert config["configurations"][0]["listen"] == {"host": "127.0.0.1", "port": port}
    assert f"no debugger listens on 127.0.0.1:{port}" in out.stderr
