"""``amlwizard endpoints``, ``logs --endpoint``, ``serve --deployment`` and ``model-path --model-dir`` run as
real processes (SDK v2 online endpoints), against the emulator they start themselves (``--emulator``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import amlwizard
from amlwizard.scenarios import load_scenario, scenario_names

ROOT = str(Path(amlwizard.__file__).resolve().parent.parent)


def _amlwizard(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    # the child imports the amlwizard under test, not whichever the environment installed
    env = {**os.environ, "HOME": str(cwd), "PYTHONPATH": ROOT}
    return subprocess.run([sys.executable, "-m", "amlwizard", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=180)  # fmt: skip


def _one_line_exit_2(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, result.stdout[-500:]
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr, result.stderr
    return result.stderr


def test_endpoints_lists_each_endpoint_and_its_deployments_with_state(tmp_path):
    result = _amlwizard("endpoints", "--emulator", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()[1:]}
    for name in scenario_names("v2"):
        assert rows[name][:2] == [load_scenario(name).target, "Succeeded"]  # the endpoint
        state = load_scenario(name).state
        assert rows[f"{name}/blue"][:4] == [load_scenario(name).target, state, "100", "%"], rows[
            f"{name}/blue"
        ]
    assert rows["v2-out-of-quota/blue"][4:7] == ["1", "x", "Standard_DS3_v2"]
    assert not any(name in rows for name in scenario_names("v1"))  # web services: `amlwizard services`


def test_endpoints_json(tmp_path):
    result = _amlwizard("endpoints", "--emulator", "--json", cwd=tmp_path)
    endpoints = {e["name"]: e for e in json.loads(result.stdout)}
    assert set(endpoints) == set(scenario_names("v2"))
    (blue,) = endpoints["v2-k8s-oom"]["deployments"]
    assert (blue["name"], blue["compute_type"], blue["state"], blue["sdk"]) == (
        "v2-k8s-oom/blue", "Kubernetes", "Failed", "v2")  # fmt: skip
    assert blue["model_dir"] == "/var/azureml-app/azureml-models/embeddings-v2/1"


def test_services_json_marks_each_row_with_its_sdk(tmp_path):
    rows = json.loads(_amlwizard("services", "--emulator", "--json", cwd=tmp_path).stdout)
    assert {r["name"] for r in rows if r["sdk"] == "v1"} == set(scenario_names("v1"))
    assert {r["name"] for r in rows if r["sdk"] == "v2"} == {f"{n}/blue" for n in scenario_names("v2")}


def test_logs_of_an_online_deployment_then_the_diagnosis(tmp_path):
    result = _amlwizard("logs", "--endpoint", "v2-model-dir", "--emulator", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    log, _, diagnosis = result.stdout.partition("== amlwizard diagnosis ==")
    assert "FileNotFoundError: [Errno 2] No such file or directory" in log
    assert "from inference-server log and storage-initializer log" in diagnosis
    assert "id model-file-missing (family model-path-not-found)" in diagnosis
    assert result.stderr == ""


def test_logs_of_the_storage_initializer(tmp_path):
    result = _amlwizard("logs", "--endpoint", "v2-model-download-failure", "--deployment", "blue",
                        "--container", "storage-initializer", "--lines", "4", "--emulator", cwd=tmp_path)  # fmt: skip
    log, _, diagnosis = result.stdout.partition("== amlwizard diagnosis ==")
    assert len(log.strip().splitlines()) == 4 and "storage-initializer | Unable to download user model" in log
    assert "id model-download-failure (family model-path-not-found)" in diagnosis


def test_logs_ranks_with_the_deployments_compute_type(tmp_path):
    result = _amlwizard("logs", "v2-k8s-oom/blue", "--emulator", cwd=tmp_path)
    diagnosis = result.stdout.partition("== amlwizard diagnosis ==")[2]
    first = diagnosis.split("2/")[0]
    assert "(family out-of-memory)" in first


def test_logs_without_diagnosis(tmp_path):
    result = _amlwizard(
        "logs", "--endpoint", "v2-healthy-managed", "--no-diagnose", "--emulator", cwd=tmp_path
    )
    assert "ready for serving traffic" in result.stdout and "diagnosis" not in result.stdout


@pytest.mark.parametrize(
    "args, says",
    [
        (("logs", "--endpoint", "no-such-endpoint"), "endpoints there: v2-408-timeout"),
        (("logs", "--endpoint", "v2-healthy-managed", "--deployment", "green"), "v2-healthy-managed/blue"),
        (("logs", "--deployment", "blue"), "--deployment needs --endpoint"),
        (("logs", "healthy-aks", "--endpoint", "v2-k8s-oom"), "not both"),
        (("logs", "healthy-aks", "--container", "storage-initializer"), "--container is for online"),
        (("logs",), "--endpoint E"),
    ],
)
def test_mistakes_are_one_line_and_exit_2(tmp_path, args, says):
    assert says in _one_line_exit_2(_amlwizard(*args, "--emulator", cwd=tmp_path))


def test_a_wrong_container_is_refused_by_the_parser(tmp_path):
    result = _amlwizard("logs", "--endpoint", "v2-k8s-oom", "--container", "image-fetcher", cwd=tmp_path)
    assert "invalid choice" in _one_line_exit_2(result)


def _deployment_yaml(tmp_path: Path, scenario: str, registered: str) -> Path:
    app = load_scenario(scenario).app_dir
    path = tmp_path / "deployment.yml"
    path.write_text(
        "name: blue\n"
        f"endpoint_name: {scenario}\n"
        f"model:\n  name: m\n  version: 1\n  path: {app / 'model' / registered}\n"
        f"code_configuration:\n  code: {app}\n  scoring_script: score.py\n"
        "instance_type: Standard_DS3_v2\ninstance_count: 1\n"
        "request_settings:\n  request_timeout_ms: 5000\n",
        encoding="utf-8",
    )
    return path


def test_serve_a_v2_deployment_yaml_as_the_endpoint_runs_it(tmp_path):
    app = load_scenario("v2-424-model-error").app_dir
    yml = _deployment_yaml(tmp_path, "v2-424-model-error", "model.json")
    result = _amlwizard("serve", "--deployment", str(yml), "--request", str(app / "sample-request.json"),
                        "--once", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "AZUREML_MODEL_DIR is azureml-models/m/1" in result.stdout
    assert "(as deployed: 424)" in result.stdout and "ValueError: Expected 10 features" in result.stdout


def test_serve_finds_the_v2_model_dir_mistake(tmp_path):
    yml = _deployment_yaml(tmp_path, "v2-model-dir", "model")
    result = _amlwizard("serve", "--deployment", str(yml), "--once", cwd=tmp_path)
    assert result.returncode == 1 and "FileNotFoundError" in result.stderr
    assert "azureml-models/m/1/model.json" in result.stderr


def test_serve_with_model_dir_as_azureml_model_dir(tmp_path):
    app = load_scenario("v2-healthy-managed").app_dir
    result = _amlwizard("serve", str(app / "score.py"), "--model-dir", str(app / "model"), "--compute", "Managed",
                        "--request", str(app / "sample-request.json"), "--once", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "HTTP 200" in result.stdout


def test_a_bad_deployment_yaml_is_one_line(tmp_path):
    bad = tmp_path / "deployment.yml"
    bad.write_text("name: blue\nmodel: azureml:credit-v2:1\n", encoding="utf-8")
    assert "code_configuration.scoring_script" in _one_line_exit_2(
        _amlwizard("serve", "--deployment", str(bad), cwd=tmp_path)
    )


def test_model_path_with_a_v2_model_dir_names_the_fix(tmp_path):
    app = load_scenario("v2-model-dir").app_dir
    result = _amlwizard("model-path", "credit-v2", "--version", "1", "--model-dir", str(app / "model"),
                        "--script", str(app / "score.py"), cwd=tmp_path)  # fmt: skip
    assert result.returncode == 1
    assert "reads AZUREML_MODEL_DIR/model.json" in result.stdout
    assert "fix: os.path.join(os.getenv('AZUREML_MODEL_DIR'), 'model/model.json')" in result.stdout
