"""The emulated services' scoring URIs: the real azmlinfsrv behind a front end that behaves as Azure's,
reached through the real azureml-core client and plain HTTP."""

from __future__ import annotations

import json

import numpy as np
import pytest
import requests
from azureml.core import Webservice
from azureml.exceptions import WebserviceException

from amlwizard.scenarios import load_scenario, load_scenarios


def _sample(name: str) -> str:
    return (load_scenario(name).app_dir / "sample-request.json").read_text()


def _post(workshop, name: str, body: str, key: str | None = "primary") -> requests.Response:
    service = Webservice(workshop.workspace, name)
    headers = {"Content-Type": "application/json"}
    if key is not None:
        keys = workshop.backend.get_keys(name)
        key = {"primary": keys.primary, "secondary": keys.secondary}.get(key, key)
        headers["Authorization"] = f"Bearer {key}"
    return requests.post(service.scoring_uri, data=body, headers=headers, timeout=90)


def test_run_returns_what_the_scenarios_model_predicts(emulator):
    predictions = Webservice(emulator.workspace, "healthy-aks").run(_sample("healthy-aks"))
    model = json.loads((load_scenario("healthy-aks").model_dir / "model.json").read_text())
    rows = np.asarray(json.loads(_sample("healthy-aks"))["data"])
    assert predictions == (rows @ np.asarray(model["coef"]) + model["intercept"]).round(2).tolist()


def test_an_exception_in_run_is_a_502_and_its_traceback_reaches_the_logs(emulator):
    service = Webservice(emulator.workspace, "run-failure-502")
    with pytest.raises(WebserviceException) as raised:
        service.run(_sample("run-failure-502"))
    text = str(raised.value)
    assert "Response Code: 502" in text and "An unexpected error occurred in scoring script" in text
    assert "'x-ms-run-function-failed': 'True'" in text
    logs = service.get_logs()  # the recorded log, then what the real server logged
    raised_here = [line for line in logs.splitlines() if "run-failure-502/app/score.py" in line]
    assert raised_here, "the real server's traceback (the scenario's own score.py) is not in get_logs()"
    assert "ValueError: Expected 2D array, got 1D array" in logs.split(raised_here[-1], 1)[1]


def test_a_request_past_the_scoring_timeout_is_a_504(emulator):
    answer = _post(emulator, "timeout-504", _sample("timeout-504"))
    assert answer.status_code == 504 and answer.text == "upstream request timeout"
    quick = json.dumps({"data": [{**json.loads(_sample("timeout-504"))["data"][0], "history": []}]})
    assert _post(emulator, "timeout-504", quick).status_code == 200  # the same service, a short history


def test_key_auth_as_azure_answers_it(emulator):
    body = _sample("healthy-aks")
    missing = _post(emulator, "healthy-aks", body, key=None)
    wrong = _post(emulator, "healthy-aks", body, key="x" * 32)
    assert (missing.status_code, missing.text) == (401, "Unauthorized, no Authorization header")
    assert wrong.status_code == 401
    assert _post(emulator, "healthy-aks", body, key="secondary").status_code == 200
    # an ACI service without key auth (its URI has ACI's shape: /score on a host of its own); the workspace
    # refuses this user the service's details, but its scoring URI is public
    uri = emulator.url + "/aci/missing-role-403/score"
    assert requests.post(uri, data=body, timeout=60).status_code == 200


@pytest.mark.parametrize(
    ("name", "words"),
    [("crashloop-init-exception", "No ready replicas for service crashloop-init-exception"),
     ("model-path-not-found", "no healthy upstream")],
)  # fmt: skip
def test_a_service_that_is_not_healthy_answers_503_without_a_server(emulator, name, words):
    uri = emulator.backend.get_service(name).scoring_uri
    key = emulator.backend.get_keys(name).primary
    answer = requests.post(uri, data="{}", headers={"Authorization": f"Bearer {key}"}, timeout=10)
    assert (answer.status_code, answer.text) == (503, words)
    assert emulator.scoring_state(name)["server_running"] is False


@pytest.fixture
def fast_clock(emulator):
    """Replicas start in 2 s (speed 30) on fresh front ends; the workshop's own speed afterwards."""
    before = emulator.emulator.speed
    emulator.emulator.reset_scoring(speed=30)
    yield emulator
    emulator.emulator.reset_scoring(speed=before)


def test_a_burst_gets_503s_that_fade_as_the_autoscaler_adds_replicas(fast_clock):
    from amlwizard.calls import endpoint_of, probe_endpoint

    workshop = fast_clock
    endpoint = endpoint_of(workshop.backend, "aks-503-spike")
    result = probe_endpoint(endpoint, json.loads(_sample("aks-503-spike")), rps=40, seconds=6)
    per_second = [row["by_status"].get("503", 0) for row in result.per_second]
    assert result.count(503) > 0 and result.count(200) > 0, result.by_status
    assert sum(per_second[-2:]) < sum(per_second[:2]), per_second  # fewer once replicas are ready
    state = workshop.scoring_state("aks-503-spike")
    assert state["replicas_ready"] >= 2 and state["settings"]["replica_start_seconds"] == 2.0
    assert state["by_status"]["503"] >= result.count(503)
    assert "Too many requests for service aks-503-spike (overloaded)" in result.samples["503"]


def test_the_front_end_reads_a_service_as_the_sizing_engine_does(emulator):
    from amlwizard.emulator._frontend import settings_of
    from amlwizard.sizing import AksAutoscaleSettings

    for scenario in load_scenarios():
        if scenario.target != "AKS" or scenario.faults:
            continue
        details = emulator.backend.get_service(scenario.name)
        ours = settings_of(scenario.service, speed=1.0)
        engine = AksAutoscaleSettings.from_service(details)
        if not details.autoscale.enabled:
            fixed = details.num_replicas
            engine = engine.replace(autoscale_min_replicas=fixed, autoscale_max_replicas=fixed)
        assert ours == engine, scenario.name
