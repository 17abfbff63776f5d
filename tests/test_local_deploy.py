"""Local deployment in the real azmlinfsrv: loopback only, container layout, failures as remote, cleanup."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from amlwizard import UsageProblem
from amlwizard.backends import ServiceDetails
from amlwizard.local import DockerProbe, LocalDeployment, choose_local_engine


def _group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes of a process group, read from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                members.append(int(entry.name))
    return members


def _group_alive(pgid: int, settle: float = 2.0) -> bool:
    deadline = time.monotonic() + settle
    while _group_members(pgid):
        if time.monotonic() > deadline:
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def deployments():
    """Every deployment a test makes is stopped, and its whole process group must be gone."""
    made: list[LocalDeployment] = []
    pgids: list[int] = []

    def make(*args, **kwargs) -> LocalDeployment:
        dep = kwargs.pop("scenario", None)
        dep = LocalDeployment.for_scenario(dep, **kwargs) if dep else LocalDeployment(*args, **kwargs)
        made.append(dep)
        return dep

    make.pgids = pgids  # type: ignore[attr-defined]
    yield make
    for dep in made:
        if dep.pid:
            pgids.append(dep.pid)
        dep.stop()
    assert not [p for p in pgids if _group_alive(p)], "a server process survived stop()"


@pytest.fixture(scope="module")
def healthy():
    """One healthy-aks deployment shared by the tests that only read from it."""
    streamed: list[str] = []
    dep = LocalDeployment.for_scenario("healthy-aks", on_log=streamed.append)
    dep.streamed = streamed  # type: ignore[attr-defined]
    health = dep.start(timeout=60)
    assert health.ok, health.reason
    yield dep
    pgid = dep.pid
    dep.stop()
    assert not _group_alive(pgid)


def _non_loopback_address() -> str | None:
    out = subprocess.run(
        ["ip", "-o", "-4", "addr", "show", "scope", "global"], capture_output=True, text=True
    )
    for line in out.stdout.splitlines():
        addr = line.split()[3].split("/")[0]
        if not addr.startswith("127."):
            return addr
    return None


def _write_probe_script(folder: Path) -> Path:
    score = folder / "score.py"
    score.write_text(
        textwrap.dedent(
            """
            import json, os
            from azureml.core.model import Model

            def init():
                pass

            def run(raw):
                return {"model_path": Model.get_model_path("probe-model"),
                        "model_dir": os.environ.get("AZUREML_MODEL_DIR"), "cwd": os.getcwd(),
                        "version": 1}
            """
        )
    )
    return score


def test_healthy_scenario_serves_predictions_on_loopback(healthy):
    dep = healthy
    assert dep.url.startswith("http://127.0.0.1:") and dep.is_healthy()
    result = dep.score({"data": [[0.0] * 10]})
    assert (result.status, result.remote_status, result.body) == (200, 200, [152.1])
    assert result.latency_ms > 0
    assert any(f"Listening at: http://127.0.0.1:{dep.port}" in line for line in dep.log_lines())


def test_port_does_not_answer_on_the_machines_own_address(healthy):
    addr = _non_loopback_address()
    if addr is None:
        pytest.skip("this machine has no non-loopback IPv4 address to try")
    # Control: a socket bound to every interface IS reachable there, so the refusal below means something.
    with socket.socket() as control:
        control.bind(("0.0.0.0", 0))
        control.listen()
        socket.create_connection((addr, control.getsockname()[1]), timeout=2).close()
    dep = healthy
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((addr, dep.port), timeout=2)
    socket.create_connection(("127.0.0.1", dep.port), timeout=2).close()


def test_model_is_laid_out_as_in_the_container(deployments, tmp_path):
    # Model.register(model_path="files") keeps the folder's name: azureml-models/probe-model/4/files/...
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "weights.json").write_text("{}")
    dep = deployments(_write_probe_script(tmp_path), model=("probe-model", 4, tmp_path / "files"))
    assert "azureml-models/probe-model/4/files/..." in dep.model_layout
    assert dep.start(timeout=60).ok
    body = dep.score({}).body
    root = dep.app_root
    assert body["model_path"] == str(root / "azureml-models" / "probe-model" / "4" / "files")
    assert (Path(body["model_path"]) / "weights.json").is_file()
    assert body["model_dir"] == str(root / "azureml-models" / "probe-model" / "4")
    assert body["cwd"] == str(root)


def test_a_registered_single_file_keeps_its_name(deployments, tmp_path):
    (tmp_path / "model.pkl").write_text("{}")
    dep = deployments(_write_probe_script(tmp_path), model=("probe-model", 2, tmp_path / "model.pkl"))
    assert dep.start(timeout=60).ok
    assert dep.score({}).body["model_path"] == str(dep.app_root / "azureml-models/probe-model/2/model.pkl")


def test_without_a_registered_model_the_server_logs_no_model_id_traceback(deployments, tmp_path):
    """azmlinfsrv reads model ids off AZUREML_MODEL_DIR: a bare folder (or none) made it log a traceback
    ("Error while fetching model IDs") or "has not been set" although the server was healthy."""
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "weights.json").write_text("{}")
    score = tmp_path / "score.py"
    score.write_text(
        "import os\ndef init():\n    pass\ndef run(raw):\n    return {'model_dir': os.environ['AZUREML_MODEL_DIR']}\n"
    )
    for kwargs in ({"model_dir": tmp_path / "files"}, {}):
        dep = deployments(score, **kwargs)
        assert dep.start(timeout=60).ok
        log = "\n".join(dep.log_lines())
        assert "Error while fetching model IDs" not in log and "has not been set" not in log
        assert "Traceback" not in log
        model_dir = dep.score({}).body["model_dir"]
        if kwargs:  # the user's folder itself, as azmlinfsrv --model_dir gives it
            assert (Path(model_dir) / "weights.json").is_file() and Path(model_dir).name == "1"
        dep.stop()


def _venv(folder: Path, with_server: bool) -> Path:
    """A real second interpreter: a venv of the base Python, given this environment's packages by a .pth."""
    import site

    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    python = folder / "bin" / "python"
    if with_server:
        target = subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        Path(target, "amlwizard-test.pth").write_text(site.getsitepackages()[0] + "\n")
    return python


def test_the_chosen_interpreter_runs_the_server_with_the_users_pythonpath(deployments, tmp_path, monkeypatch):
    python = _venv(tmp_path / "env", with_server=True)
    helpers = tmp_path / "helpers"
    helpers.mkdir()
    (helpers / "shared_features.py").write_text("SCALE = 2\n")
    monkeypatch.setenv("PYTHONPATH", str(helpers))  # the user's own modules, outside the score.py folder
    app = tmp_path / "app"
    app.mkdir()
    (app / "score.py").write_text(
        "import sys\nimport shared_features\ndef init():\n    pass\n"
        "def run(raw):\n    return {'python': sys.executable, 'scale': shared_features.SCALE}\n"
    )
    dep = deployments(app / "score.py", python=str(python))
    assert dep.start(timeout=60).ok, dep.log_lines()[-5:]
    assert dep.score({}).body == {"python": str(python), "scale": 2}


def test_an_interpreter_without_the_server_is_one_line_with_the_pip_command(tmp_path):
    python = _venv(tmp_path / "bare", with_server=False)
    score = _write_probe_script(tmp_path)
    with pytest.raises(UsageProblem) as err:
        LocalDeployment(score, python=str(python))
    assert str(err.value).endswith(f"`{python} -m pip install azureml-inference-server-http`")
    assert "\n" not in str(err.value)
    with pytest.raises(UsageProblem, match="no Python interpreter at"):
        LocalDeployment(score, python=str(tmp_path / "missing" / "python"))


def test_init_exception_is_shown_with_its_cause(deployments, monkeypatch):
    monkeypatch.setenv("CHURN_THRESHOLD", "0.5")  # set in the notebook: the service does not have it
    health = deployments(scenario="crashloop-init-exception").start(timeout=60)
    assert not health.ok and health.exit_code == 3
    assert "KeyError: 'CHURN_THRESHOLD'" in health.reason
    fixed = deployments(scenario="crashloop-init-exception", env={"CHURN_THRESHOLD": "0.5"})
    assert fixed.start(timeout=60).ok  # given as the deployment's own setting, init() succeeds


def test_missing_model_fails_init_like_the_service(deployments):
    health = deployments(scenario="model-path-not-found").start(timeout=60)
    assert not health.ok
    assert "ModelNotFoundException: Model credit_model not found" in health.reason
    assert any("model.json" in line for line in health.log_tail)  # the server lists what is there
    assert health.findings and health.findings[0].family == "model-path-not-found"  # the engine names it


def test_run_exception_is_500_locally_and_502_remotely(deployments):
    dep = deployments(scenario="run-failure-502")
    assert dep.start(timeout=60).ok
    result = dep.score_sample(str(Path(dep.score_path).parent / "sample-request.json"))
    assert (result.status, result.remote_status) == (500, 502)
    time.sleep(0.2)
    assert any("ValueError: Expected 2D array" in line for line in dep.log_lines())
    # run()'s own traceback comes with the answer: the script's frames and its exception, not the server's
    assert result.traceback[0] == "Traceback (most recent call last):"
    assert result.traceback[-1].startswith("ValueError: Expected 2D array")
    assert any('score.py", line' in line and "in run" in line for line in result.traceback)
    assert not any("azureml_inference_server_http" in line for line in result.traceback)


def test_slow_run_hits_the_services_timeout_as_504(deployments):
    dep = deployments(scenario="timeout-504")
    assert dep.timeout_ms == 5000 and dep.start(timeout=60).ok
    result = dep.score_sample(str(Path(dep.score_path).parent / "sample-request.json"))
    assert (result.status, result.remote_status) == (500, 504)
    assert result.body == {"message": "Scoring timeout after 5000 ms"}
    assert 4900 <= result.latency_ms < 8000


def test_service_settings_are_mirrored(tmp_path):
    score = _write_probe_script(tmp_path)
    aks = ServiceDetails("svc", "AKS", "Healthy", None, scoring_timeout_ms=None)
    assert LocalDeployment(score, service=aks).timeout_ms == 60_000
    aks.scoring_timeout_ms = 5000
    assert LocalDeployment(score, service=aks).timeout_ms == 5000
    assert LocalDeployment(score, service=ServiceDetails("a", "ACI", None, None)).timeout_ms is None


def test_edit_of_score_py_restarts_the_server(deployments, tmp_path):
    score = tmp_path / "score.py"
    score.write_text("def init():\n    pass\n\ndef run(raw):\n    return 'v1'\n")
    (tmp_path / "model.json").write_text("{}")
    dep = deployments(score, model=("m", 1, tmp_path / "model.json"))  # laid out again on restart
    assert dep.start(timeout=60).ok
    seen = []
    dep.watch(seen.append, interval=0.1)
    time.sleep(0.2)
    first = score.stat().st_mtime_ns
    # same size, same mtime second (a quick one-character edit): Python's .pyc check cannot tell.
    # Written beside and moved in, so the watcher sees one change, not the write and then the utime.
    edited = tmp_path / "score.py.new"
    edited.write_text("def init():\n    pass\n\ndef run(raw):\n    return 'v2'\n")
    os.utime(edited, ns=(first + 1000, first + 1000))
    os.replace(edited, score)
    deadline = time.monotonic() + 30
    while not seen and time.monotonic() < deadline:
        time.sleep(0.1)
    assert seen and seen[0].ok and seen[0].seconds > 0
    assert dep.score({}).body == "v2"


def test_new_log_lines_are_incremental(healthy):
    dep, streamed = healthy, healthy.streamed
    dep.new_log_lines()
    assert dep.new_log_lines() == []
    dep.score({"data": [[0.0] * 10]})
    time.sleep(0.3)
    assert any("POST /score 200" in line for line in dep.new_log_lines())
    assert any("Booting worker" in line for line in streamed)


def test_debug_port_makes_the_server_connect_to_the_debugger(deployments):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(30)
    port = listener.getsockname()[1]
    dep = deployments(scenario="healthy-aks", debug_port=port)
    dep.start(wait=False)
    conn, _ = listener.accept()  # the worker's debugpy.connect() reached the "debugger"
    conn.close()
    listener.close()
    config = dep.vscode_launch_config()["configurations"][0]
    assert config["request"] == "attach" and config["listen"] == {"host": "127.0.0.1", "port": port}


def test_server_dies_with_its_parent(tmp_path):
    """A kernel that is killed (no atexit) must not leave the server behind."""
    script = tmp_path / "parent.py"
    script.write_text(
        "import sys, time\nfrom amlwizard.local import LocalDeployment\n"
        "d = LocalDeployment.for_scenario('healthy-aks')\nassert d.start(timeout=60).ok\n"
        "print(d.pid, d.app_root, flush=True)\ntime.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    pid, app_root = parent.stdout.readline().split()
    pgid = int(pid)
    assert (Path(app_root) / "azureml-models").is_dir()
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 15
    while _group_alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = _group_alive(pgid)
    if alive:
        os.killpg(pgid, signal.SIGKILL)
    assert not alive
    assert not Path(app_root).exists()  # nor its temporary copy of the model


def test_docker_choice_with_and_without_an_engine():
    # No Docker engine runs on this machine: the engine-present branch is tested with an injected probe.
    none = choose_local_engine(DockerProbe(client=True, engine=False, detail="Cannot connect"))
    assert none.engine == "inference-server" and "no Docker engine answers" in none.message
    present = DockerProbe(client=True, engine=True, detail="Docker engine 27.1")
    auto = choose_local_engine(present)
    assert auto.engine == "inference-server" and "LocalWebservice is available" in auto.message
    assert auto.docker_available and not none.docker_available


def test_bad_inputs_are_one_line_problems(tmp_path):
    with pytest.raises(UsageProblem, match="no scoring script"):
        LocalDeployment(tmp_path / "missing.py")
    score = _write_probe_script(tmp_path)
    with pytest.raises(UsageProblem, match="int version"):
        LocalDeployment(score, model=("m", "latest", tmp_path))
    with pytest.raises(UsageProblem, match="not valid JSON"):
        LocalDeployment(score).score_sample("{not json")


def test_request_from_the_scripts_swagger_example(deployments, tmp_path):
    score = tmp_path / "score.py"
    score.write_text(
        textwrap.dedent(
            """
            import numpy as np
            from inference_schema.schema_decorators import input_schema
            from inference_schema.parameter_types.numpy_parameter_type import NumpyParameterType

            def init():
                pass

            @input_schema("data", NumpyParameterType(np.array([[0.5, 0.25, 0.25]])))
            def run(data):
                return data.sum(axis=1).tolist()
            """
        )
    )
    dep = deployments(score)
    assert dep.start(timeout=60).ok
    example = dep.swagger_example()
    assert example == {"data": [[0.5, 0.25, 0.25]]}
    assert dep.score(example).body == [1.0]


def test_follow_log_yields_lines_until_the_server_stops(deployments):
    dep = deployments(scenario="crashloop-init-exception")
    dep.start(wait=False)
    lines = list(dep.follow_log(interval=0.05))  # init() fails, the server exits, the iterator ends
    assert any("KeyError: 'CHURN_THRESHOLD'" in line for line in lines)


def test_the_local_webservice_code_is_offered_to_paste_where_docker_runs():
    # No Docker engine runs here: amlwizard shows the SDK code and does not run it itself.
    from amlwizard.local import local_webservice_code

    code = local_webservice_code("svc", "sklearn-diabetes", "score.py", "conda.yml")
    compile(code, "snippet", "exec")
    assert "LocalWebservice.deploy_configuration(port=6789)" in code


def test_a_worker_that_exits_in_init_is_not_called_out_of_memory(deployments, tmp_path):
    # init() calls os._exit(0): gunicorn boots worker after worker with no traceback and no SIGKILL.
    # That is a crash loop at init, not the memory limit (issue #12: it was diagnosed as out-of-memory).
    score = tmp_path / "score.py"
    score.write_text("import os\n\ndef init():\n    os._exit(0)\n\ndef run(data):\n    return data\n")
    health = deployments(score).start(timeout=6)
    assert not health.ok
    families = [f.family for f in health.findings]
    assert families and families[0] == "service-launch-crashloop" and "out-of-memory" not in families


def test_another_server_on_the_port_is_not_taken_for_this_one():
    """A port taken by another server between choosing it and binding it: its "Healthy" must not pass for
    this server's (the emulator would otherwise send one scenario's requests to another's server)."""
    from amlwizard.local import LocalDeployment

    with LocalDeployment.for_scenario("healthy-aks") as first:  # started, healthy
        assert first.is_healthy()
        second = LocalDeployment.for_scenario("run-failure-502", port=first.port)
        try:
            health = second.start(timeout=30)
            assert not health.ok and "Connection in use" in "\n".join(second.log_lines())
        finally:
            second.stop()
