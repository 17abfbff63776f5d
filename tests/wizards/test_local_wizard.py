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


def test_a_server_that_does_not_start_says_so_on_the_status_line_and_its_log_opens_at_the_traceback(
    open_wizard,
):
    local = open_wizard("crashloop-init-exception", "local")
    local.start_button.click()
    # the status line tells the same story as the health line: no "✔ Starting" under "✖ exited"
    assert local.health.value.startswith("✖ the server exited with code 3")
    assert local.status.value.startswith("✖ Starting the local server: the server exited with code 3")
    # the log opens at the traceback: the start-up lines are folded away, the root error is marked
    log = local.log.value
    folded, _, shown = log.partition("</details>")
    assert "amlw-log-before" in folded and "Server Settings" in folded
    first_shown = shown.split("data-line=", 1)[1].split("</span>", 1)[0]
    assert "Traceback (most recent call last)" in first_shown
    marked = shown.split("class='amlw-log-hit'", 1)[1].split("</span>", 1)[0]
    assert "KeyError: &#x27;CHURN_THRESHOLD&#x27;" in marked


def test_cancel_during_a_request_stops_waiting_but_keeps_the_server(open_wizard):
    local = open_wizard("timeout-504", "local", threaded=True)
    local.start_button.click()
    local.wait(120)
    assert local.health.value.startswith("✔ healthy"), local.error_text
    server = local.deployment
    local.send_button.click()  # run() takes longer than the 5 s scoring timeout
    assert local.busy
    local.cancel_button.click()
    assert local.status.value == "✖ Sending the request: cancelled"
    assert local.deployment is server and local.health.value.startswith("✔ healthy")
    # still up, only the waiting stopped: the same server answers the next request
    local.send_button.click()
    local.wait(120)
    assert local.deployment is server and "as deployed: <b>HTTP 504</b>" in local.response.value


def test_cancel_while_the_server_starts_stops_it(open_wizard):
    local = open_wizard("healthy-aks", "local", threaded=True)
    local.start_button.click()
    server = local.deployment
    local.cancel_button.click()
    assert local.deployment is None and not server.is_healthy()


def test_in_a_learners_working_folder_the_wizard_uses_their_copy_of_the_app(
    open_wizard, tmp_path, monkeypatch
):
    from amlwizard._workfolder import prepare_workfolder
    from amlwizard.scenarios import load_scenario

    folder = prepare_workfolder(tmp_path / "workshop").folder
    monkeypatch.chdir(folder)  # a notebook there: its kernel runs in that folder
    local = open_wizard("run-failure-502", "local")
    assert local.score_path.value == str(folder / "apps" / "run-failure-502" / "score.py")
    registered = load_scenario("run-failure-502").registered_path.name  # what was registered: one entry
    assert local.model_dir.value == str(folder / "apps" / "run-failure-502" / "model" / registered)
    model_path = open_wizard("model-path-not-found", "model-path")
    assert model_path.score_path.value == str(folder / "apps" / "model-path-not-found" / "score.py")


def test_the_form_labels_are_short_and_share_one_width(open_wizard):
    local = open_wizard("healthy-aks", "local")
    rows = [row for row in local.stack.children[0].children]
    labels = [r.children[0] for r in rows if r.children and hasattr(r.children[0], "value")]
    labels += [r.children[0].children[0] for r in rows if r.children and not hasattr(r.children[0], "value")]
    assert {label.layout.width for label in labels} == {"12em"}
    assert all(len(label.value) <= 20 for label in labels), [label.value for label in labels]
