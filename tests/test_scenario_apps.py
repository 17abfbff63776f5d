"""Every workshop scenario's app/ folder: complete, tiny, lint-clean, failing locally as the scenario says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from amlwizard.backends import ModelInfo
from amlwizard.local import LocalDeployment, scenario_app
from amlwizard.modelpath import inspect_model_path
from amlwizard.scenarios import scenario_names
from amlwizard.scorelint import lint_script

SCENARIOS = scenario_names()
# what a local deployment of each app does with its own sample request (timeout-504: see test_local_deploy)
FAILS_AT_INIT = {
    "crashloop-init-exception": "KeyError: 'CHURN_THRESHOLD'",
    "model-path-not-found": "credit_model",
    "v2-resource-not-ready": "could not convert string to float: 'high'",
    "v2-model-dir": "FileNotFoundError",  # $AZUREML_MODEL_DIR/model.json: the registered folder is model/
}
# (local status, what the deployed service answers): AKS turns run()'s exception into 502, a managed
# online endpoint into 424
RUN_FAILS = {"run-failure-502": (500, 502), "v2-424-model-error": (500, 424)}
SLOW = {"timeout-504": "history", "v2-408-timeout": "history"}  # a quick record answers; the slow one: below


def test_every_scenario_folder_has_an_app():
    on_disk = {
        p.parent.parent.name
        for p in (Path(scenario_app("healthy-aks").score_path).parents[2]).glob("*/app/score.py")
    }
    assert on_disk == set(SCENARIOS)


@pytest.mark.parametrize("name", SCENARIOS)
def test_app_files_are_complete_and_small(name):
    app = scenario_app(name)
    json.loads(app.sample_request.read_text())
    assert "dependencies:" in app.conda_file.read_text()
    registered = app.model_files
    files = [registered] if registered.is_file() else [p for p in registered.rglob("*") if p.is_file()]
    assert files and sum(p.stat().st_size for p in files) < 20_000
    assert all(p.suffix == ".json" for p in files)  # nothing to unpickle


@pytest.mark.parametrize("name", SCENARIOS)
def test_lint_flags_only_the_scenarios_own_mistake(name):
    app = scenario_app(name)
    registered = ModelInfo(app.model_name, app.model_version, [app.model_version], [])
    report = lint_script(app.score_path, conda_file=app.conda_file, registered_model=registered)
    errors = [i.id for i in report.errors]
    assert errors == (["model-name-mismatch"] if name == "model-path-not-found" else [])


# A healthy init() below already proves get_model_path resolves; these two read the model differently.
@pytest.mark.parametrize("name", ["aks-gpu-unschedulable", "aks-503-spike"])
def test_model_folder_and_model_dir_scripts_resolve(name):
    app = scenario_app(name)
    report = inspect_model_path(
        app.model_name, app.model_version, model_files=app.model_files, script=app.score_path
    )
    assert report.ok, report.problems


@pytest.mark.parametrize("name", SCENARIOS)
def test_local_deployment_behaves_as_the_scenario_says(name):
    app = scenario_app(name)
    dep = LocalDeployment.for_scenario(name)
    try:
        health = dep.start(timeout=60)
        if name in FAILS_AT_INIT:
            assert not health.ok and FAILS_AT_INIT[name] in health.reason
            return
        assert health.ok, health.reason
        request = json.loads(app.sample_request.read_text())
        if name in SLOW:  # the slow record is tested below (and in test_local_deploy); a quick one answers
            request = {"data": [{k: v for k, v in request["data"][0].items() if k != SLOW[name]}]}
        result = dep.score(request)
        assert (result.status, result.remote_status) == RUN_FAILS.get(name, (200, 200)), result.body
    finally:
        dep.stop()


def test_the_v2_408_app_outlasts_the_managed_request_timeout():
    """The sample request's long history keeps run() past request_timeout_ms (5000): 408 on the endpoint."""
    app = scenario_app("v2-408-timeout")
    dep = LocalDeployment.for_scenario("v2-408-timeout")
    try:
        assert dep.start(timeout=60).ok
        result = dep.score(json.loads(app.sample_request.read_text()))
        assert (result.status, result.remote_status) == (500, 408), result.body
    finally:
        dep.stop()
