"""Deploy locally: prefilled from every scenario; the real inference server started for a few of them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


def test_every_scenario_prefills_its_app_and_model(open_wizard, scenario):
    local = open_wizard(scenario.name, "local")
    assert local.score_path.value == str(scenario.app_dir / "score.py")
    assert local.model_dir.value == str(scenario.registered_path)  # what Model.register was given
    assert local.model_ref.value == scenario.model_ref
    assert json.loads(local.request.value) == json.loads(
        (scenario.app_dir / "sample-request.json").read_text()
    )
    assert local.health.value == "Not started."
    local.go(2)
    assert "debugpy" in local.debug.value and "&quot;request&quot;: &quot;attach&quot;" in local.debug.value


def test_the_registered_model_is_downloaded_then_served_healthy_and_stopped(open_wizard):
    local = open_wizard("healthy-aks", "local")
    local.download_button.click()
    folder = Path(local.model_dir.value)
    assert local.error_text == "" and folder.parts[-3:] == ("azureml-models", "sklearn-diabetes", "3")
    assert [p.name for p in folder.iterdir()] == ["model.json"]
    local.start_button.click()
    assert local.error_text == "" and local.health.value.startswith("✔ healthy")
    assert local.step == 1 and "127.0.0.1" in local.health.value
    # which engine runs it is said plainly (no Docker engine answers on this machine)
    assert "inference server" in local.engine.value
    local.send_button.click()
    assert local.response.value.startswith("✔ HTTP 200")
    local.log_button.click()
    assert "POST /score 200" in local.log.value
    local.stop_button.click()
    assert local.health.value == "■ stopped" and local.deployment is None
    actions = [s["action"] for s in local.session.steps]
    assert actions == [
        "downloaded model sklearn-diabetes:3",
        "started the local server",
        "sent a request to the local server",
        "stopped the local server",
    ]


def test_a_failing_run_answers_502_as_deployed_and_is_diagnosed(open_wizard):
    local = open_wizard("run-failure-502", "local")
    local.start_button.click()
    local.send_button.click()
    assert "HTTP 500" in local.response.value and "as deployed: <b>HTTP 502</b>" in local.response.value
    # run()'s traceback is in the response area, not only in the server log
    assert "run() raised:" in local.response.value and "ValueError: Expected 2D array" in local.response.value
    titles = " ".join(card.children[0].value for card in local.findings.children)
    assert "run-failure" in titles
    assert "502" in local.session.results["local"]["last request"]
    # the finding's next steps lead elsewhere, not back to the wizard the user is in
    labels = [b.description for card in local.findings.children for b in card.children[1].children]
    assert "Next step: Fetch logs" in labels and "Next step: Deploy locally" not in labels


@pytest.mark.parametrize(
    ("scenario_name", "finding"),
    [("crashloop-init-exception", "KeyError"), ("model-path-not-found", "model-path-not-found")],
)
def test_an_init_failure_is_shown_with_its_diagnosis(open_wizard, scenario_name, finding):
    local = open_wizard(scenario_name, "local")
    local.start_button.click()
    assert local.health.value.startswith("✖"), local.error_text
    shown = local.health.value + " ".join(card.children[0].value for card in local.findings.children)
    assert finding in shown
    assert local.findings.children and "amlw-finding" in local.findings.children[0]._dom_classes
    assert local.session.results["local"]["start"] != ""


def test_the_interpreter_defaults_to_the_kernels_and_one_without_the_server_is_one_line(
    open_wizard, tmp_path
):
    import sys

    local = open_wizard("healthy-aks", "local")
    assert local.python.value == sys.executable
    local.python.value = str(tmp_path / "no-python")
    local.start_button.click()
    assert "no Python interpreter at" in local.error_text and local.deployment is None


def test_a_missing_score_file_is_one_line(open_wizard, tmp_path):
    local = open_wizard("healthy-aks", "local")
    local.score_path.value = str(tmp_path / "nope.py")
    local.start_button.click()
    assert "no scoring script" in local.error_text and local.deployment is None


def test_send_before_start_says_to_start(open_wizard):
    local = open_wizard("healthy-aks", "local")
    local.send_button.click()
    assert "start the local server first" in local.error_text


def test_where_docker_answers_the_localwebservice_code_is_offered():
    # No Docker engine runs on this machine: the probe result is injected to show the other branch.
    from amlwizard.local._docker import DockerProbe, choose_local_engine
    from amlwizard.wizards._advanced import engine_html

    kwargs = dict(service="svc", model="m:1", score="score.py", conda_file="conda.yml")
    docker = engine_html(choose_local_engine(DockerProbe(True, True, "Docker engine 28.2.2")), **kwargs)
    assert "LocalWebservice.deploy_configuration(port=6789)" in docker
    none = engine_html(choose_local_engine(DockerProbe(True, False, "Cannot connect")), **kwargs)
    assert "No Docker here" in none and "LocalWebservice.deploy_configuration" not in none
