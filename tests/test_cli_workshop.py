"""`amlwizard workshop [DIR]`: the working folder it makes (and the learner's edits it keeps), and the
JupyterLab it starts there, for real: --check in CI, and the headless case a learner meets on a server.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import amlwizard
from amlwizard._errors import UsageProblem
from amlwizard._workfolder import MANIFEST, find_workfolder, learner_app_dir, prepare_workfolder
from amlwizard.cli import main
from amlwizard.scenarios import scenario_names

ROOT = str(Path(amlwizard.__file__).resolve().parent.parent)


def _amlwizard(*args: str, env: dict[str, str] | None = None, **kw):
    """`python -m amlwizard ...` importing the amlwizard under test."""
    env = {**(env or os.environ), "PYTHONPATH": ROOT}
    return subprocess.run(
        [sys.executable, "-m", "amlwizard", *args], env=env, capture_output=True, text=True, **kw
    )


def test_the_folder_gets_every_notebook_and_each_scenarios_app(tmp_path):
    made = prepare_workfolder(tmp_path / "ws")
    folder = made.folder
    assert (folder / "00-start-here.ipynb").is_file() and (folder / MANIFEST).is_file()
    for name in scenario_names():
        assert (folder / "apps" / name / "score.py").is_file(), name
        assert (folder / "apps" / name / "sample-request.json").is_file()
    assert find_workfolder(folder / "apps" / "healthy-aks") == folder
    assert learner_app_dir("healthy-aks", folder) == folder / "apps" / "healthy-aks"
    assert learner_app_dir("healthy-aks", tmp_path) is None  # outside a working folder: the package's


def test_running_again_keeps_the_learners_edits_and_outputs(tmp_path):
    folder = prepare_workfolder(tmp_path / "ws").folder
    score = folder / "apps" / "run-failure-502" / "score.py"
    score.write_text(score.read_text() + "\n# my fix\n")
    notebook = folder / "13-run-failure-502.ipynb"
    notebook.write_text(notebook.read_text().replace('"outputs": []', '"outputs": [ ]', 1))
    again = prepare_workfolder(folder)
    assert again.copied == [] and "apps/run-failure-502/score.py" in again.kept
    assert score.read_text().endswith("# my fix\n") and '"outputs": [ ]' in notebook.read_text()


def test_an_update_that_would_replace_an_edit_stops_and_names_it_unless_forced(tmp_path, capsys):
    folder = prepare_workfolder(tmp_path / "ws").folder
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["files"]["apps/run-failure-502/score.py"] = "0" * 64  # an older amlwizard shipped another one
    (folder / MANIFEST).write_text(json.dumps(manifest))
    score = folder / "apps" / "run-failure-502" / "score.py"
    score.write_text("# the learner's own version\n")
    assert main(["workshop", str(folder), "--check"]) == 2  # refused before starting anything
    said = capsys.readouterr().err.strip()
    assert said.count("\n") == 0 and "apps/run-failure-502/score.py" in said and "--force" in said
    assert score.read_text() == "# the learner's own version\n"
    forced = prepare_workfolder(folder, force=True)
    shipped = Path(amlwizard.__file__).parent / "scenarios" / "run-failure-502" / "app" / "score.py"
    assert forced.replaced == ["apps/run-failure-502/score.py"] and score.read_text() == shipped.read_text()


def test_a_folder_holding_other_files_of_the_same_names_is_not_overwritten(tmp_path):
    (tmp_path / "00-start-here.ipynb").write_text("{}")
    with pytest.raises(UsageProblem, match="00-start-here.ipynb"):
        prepare_workfolder(tmp_path)
    assert (tmp_path / "00-start-here.ipynb").read_text() == "{}"


def test_check_starts_jupyterlab_with_the_extension_and_stops_it(tmp_path):
    run = _amlwizard("workshop", str(tmp_path / "ws"), "--check", timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "ok: JupyterLab answered" in run.stdout and "amlwizard-labextension" in run.stdout
    assert sorted(p.name for p in (tmp_path / "ws").iterdir() if not p.name.startswith(".")) == sorted(
        [p.name for p in (tmp_path / "ws").glob("*.ipynb")] + ["apps"]
    )  # nothing left behind but the workshop itself


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _status(port: int, headers: dict[str, str], lab: subprocess.Popen[str]) -> int:
    """/api/status once JupyterLab answers (it is starting: poll until it listens, or ends)."""
    while lab.poll() is None:
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/api/status", headers=headers)
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError(f"JupyterLab ended with code {lab.returncode} before answering")


def test_on_a_machine_with_no_browser_it_prints_the_url_to_open_and_serves_it(tmp_path):
    headless = {
        k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER", "TERM")
    }
    port = _free_port()
    command = [sys.executable, "-m", "amlwizard", "workshop", str(tmp_path / "ws"), "--port", str(port)]
    lab = subprocess.Popen(
        command,
        env={**headless, "PYTHONPATH": ROOT},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    said: list[str] = []
    watchdog = threading.Timer(180, lab.kill)  # a JupyterLab that never speaks must not hang the run
    watchdog.start()
    try:
        for line in lab.stdout:
            said.append(line)
            if line.startswith("Open: "):
                break
        text = "".join(said)
        assert "No web browser found on this machine" in text and f"ssh -L {port}:localhost:{port}" in text
        assert ("Running as root: passing --allow-root" in text) == (os.geteuid() == 0)
        url = text.split("Open: ", 1)[1].split()[0]
        assert url.startswith(f"http://localhost:{port}/lab/tree/00-start-here.ipynb?token=")
        token = re.search(r"token=(\w+)", url).group(1)
        headers = {"Authorization": f"token {token}"}
        threading.Thread(target=lab.stdout.read, daemon=True).start()  # JupyterLab's own log: drained
        assert _status(port, headers, lab) == 200
        urllib.request.urlopen(
            urllib.request.Request(f"http://127.0.0.1:{port}/api/shutdown", method="POST", headers=headers)
        ).close()
        assert lab.wait(timeout=60) == 0
    finally:
        watchdog.cancel()
        if lab.poll() is None:
            lab.terminate()
            lab.wait(timeout=30)
