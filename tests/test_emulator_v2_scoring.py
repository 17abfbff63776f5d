"""The SDK v2 endpoints' scoring URIs: the real azmlinfsrv runs each deployment's score.py and model behind a
front end that answers as a managed (or Kubernetes) online endpoint's does, reached through the real
azure-ai-ml client and plain HTTPS. Nothing here is replayed from a scenario's recorded answer."""

from __future__ import annotations

import dataclasses
import json
import re
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import requests

from amlwizard.diagnosis import diagnose
from amlwizard.emulator import Emulator
from amlwizard.scenarios import load_scenario
from amlwizard.workshop._scoring import start_scoring_server


def _sample(name: str) -> bytes:
    return (load_scenario(name).app_dir / "sample-request.json").read_bytes()


def _post(ml, name: str, body: bytes, key: str | None = None, **headers: str) -> requests.Response:
    uri = ml.online_endpoints.get(name).scoring_uri
    key = key or ml.online_endpoints.get_keys(name).primary_key
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json", **headers}
    return requests.post(uri, data=body, headers=headers, timeout=90)


@pytest.fixture(scope="module")
def ml(workshop_emulator):
    return workshop_emulator.ml_client


def test_invoke_returns_what_the_deployments_model_predicts(ml):
    """The guide's snippet, unchanged: the answer is the model's own prediction."""
    name = "v2-healthy-managed"
    answer = ml.online_endpoints.invoke(
        name, request_file=str(load_scenario(name).app_dir / "sample-request.json")
    )
    spec = json.loads((load_scenario(name).model_dir / "model.json").read_text())
    rows = np.asarray(json.loads(_sample(name))["data"], dtype=float)
    assert json.loads(answer) == (rows @ np.asarray(spec["coef"]) + spec["intercept"]).round(2).tolist()
    assert _post(ml, name, _sample(name)).headers["azureml-model-deployment"] == "blue"


def test_run_raising_is_a_424_naming_the_models_500_and_its_traceback_reaches_get_logs(ml):
    name = "v2-424-model-error"
    answer = _post(ml, name, _sample(name))
    assert answer.status_code == 424
    assert answer.headers["ms-azureml-model-error-statuscode"] == "500"
    assert answer.headers["ms-azureml-model-error-reason"] == "model_error"
    assert "unexpected error occurred in scoring script" in answer.json()["message"]
    logs = ml.online_deployments.get_logs("blue", name, lines=200)  # the recorded log, then the real server's
    assert "ValueError: Expected 10 features per row, got [9]" in logs.split(f"{name}/app/score.py")[-1]


def test_run_past_request_timeout_ms_is_a_408_while_the_container_answers_200_later(ml):
    name = "v2-408-timeout"
    answer = _post(ml, name, _sample(name))
    assert (answer.status_code, answer.text) == (408, "upstream request timeout")
    # the container's request runs on and is answered 200 after the 5 s: its log says so
    slow = re.compile(r"POST /score 200 (\d+)\.\d+ms")
    for _ in range(60):
        logs = ml.online_deployments.get_logs("blue", name, lines=50).split("Scoring timeout is set to")[-1]
        durations = [float(m.group(1)) for m in slow.finditer(logs)]
        if any(d > 5000 for d in durations):
            break
        time.sleep(0.5)
    assert any(d > 5000 for d in durations), logs[-2000:]
    quick = json.dumps({"data": [{**json.loads(_sample(name))["data"][0], "history": []}]}).encode()
    assert _post(ml, name, quick).status_code == 200  # the same deployment, a short history


def test_a_burst_past_2_x_max_concurrent_x_instances_gets_429_and_the_container_sees_only_the_rest(
    ml, workshop_emulator
):
    name = "v2-429-concurrency"
    assert _post(ml, name, _sample(name)).status_code == 200  # one caller alone is served
    before = workshop_emulator.scoring_state(name)["by_status"]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: _post(ml, name, _sample(name)), range(8)))
    statuses = sorted(a.status_code for a in answers)
    assert set(statuses) == {200, 429} and statuses.count(200) >= 2, statuses
    refused = next(a for a in answers if a.status_code == 429)
    assert refused.json() == {"error": {"code": "429", "message": "Too Many Requests"}}
    state = workshop_emulator.scoring_state(name)
    assert state["limit"] == 2  # 2 x max_concurrent_requests_per_instance (1) x instance_count (1)
    served = state["by_status"]["200"] - before.get("200", 0)
    recorded = load_scenario(name).main_log()
    live = ml.online_deployments.get_logs("blue", name, lines=5000)[len(recorded) :]  # the real server's
    assert live.count("POST /score 200") >= served  # each admitted request reached the container ...
    assert not re.search(r"POST /score 4\d\d", live)  # ... and no refusal did
    found = diagnose(f"HTTP 429 Too Many Requests\n{refused.text}").findings
    assert found and found[0].family == "http-503", [(f.id, f.family) for f in found]


def test_refused_before_any_container_failed_unrouted_or_wrong_key(ml):
    failed = _post(ml, "v2-resource-not-ready", b"{}")
    assert failed.status_code == 404 and "No valid deployments to route to" in failed.json()["message"]
    unknown = _post(
        ml, "v2-healthy-managed", _sample("v2-healthy-managed"), **{"azureml-model-deployment": "green"}
    )
    assert unknown.status_code == 404
    wrong = _post(ml, "v2-healthy-managed", _sample("v2-healthy-managed"), key="not-the-key")
    assert (wrong.status_code, wrong.text) == (401, "key_auth_access_denied")


@pytest.fixture(scope="module")
def kubernetes():
    """The 424 and 429 deployments on a Kubernetes online endpoint: azureml-fe in front, as for AKS."""
    scenarios = [
        dataclasses.replace(load_scenario(name), target="Kubernetes")
        for name in ("v2-424-model-error", "v2-429-concurrency")
    ]
    with Emulator(scenarios, scoring=start_scoring_server) as emu:
        yield emu


def _post_k8s(emu: Emulator, name: str) -> requests.Response:
    scenario = emu.data.v2.scenarios[name]
    key = emu.data.v2.keys(scenario)["primaryKey"]
    return requests.post(
        emu.data.v2.scoring_uri(scenario, emu.url), data=_sample(name), timeout=90, verify=emu.ca.bundle_path,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )  # fmt: skip


def test_a_kubernetes_endpoint_answers_502_for_run_and_503_for_a_burst(kubernetes):
    crashed = _post_k8s(kubernetes, "v2-424-model-error")
    assert crashed.status_code == 502 and crashed.headers["x-ms-run-function-failed"] == "True"
    with ThreadPoolExecutor(6) as pool:
        statuses = sorted(
            pool.map(lambda _: _post_k8s(kubernetes, "v2-429-concurrency").status_code, range(6))
        )
    assert set(statuses) == {200, 503}, statuses  # azureml-fe's queue wait (500 ms) runs out: 503, not 429
    assert kubernetes.scoring_state("v2-429-concurrency")["front_end"] is True
