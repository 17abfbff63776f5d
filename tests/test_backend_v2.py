"""The SDK v2 backend: the real azure-ai-ml client against the emulator's v2 control plane.

Each v2 scenario's failure is fetched as a user would (the create captured when it fails, the containers'
logs, the call's answer) and diagnosed to its family; the v1 and v2 sides of the workspace stay apart.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from amlwizard import TroubleshootSession, capture
from amlwizard._errors import AuthError, NotFoundError, UnreachableError, UsageProblem
from amlwizard._target import open_backend
from amlwizard.backends import CompositeBackend
from amlwizard.backends._capture import captured_error, forget_captures
from amlwizard.backends.v2 import V2Backend
from amlwizard.diagnosis import diagnose_many
from amlwizard.scenarios import load_scenario, load_scenarios, scenario_names

V2 = load_scenarios(scenario_names("v2"))
FAILED_CREATE = [s for s in V2 if s.operation.get("error")]
# healthy deployments whose one call fails (the scoring server's answer through the managed front end); the
# 429 of v2-429-concurrency needs a burst (tests/test_emulator_v2_scoring.py)
CALL_FAILS = load_scenarios(["v2-408-timeout", "v2-424-model-error"])


def _one_clear_line(err: BaseException) -> str:
    text = str(err)
    assert "\n" not in text and "Traceback" not in text and len(text) < 600, text
    return text


@pytest.fixture(scope="module")
def ml(workshop_emulator):
    return workshop_emulator.ml_client


@pytest.fixture(scope="module")
def v2(workshop_emulator):
    return workshop_emulator.v2_backend


@pytest.fixture(autouse=True)
def _no_captures_left():
    forget_captures()
    yield
    forget_captures()


def test_importing_the_v2_backend_imports_no_sdk():
    code = (
        "import sys, amlwizard.backends.v2, amlwizard.backends._capture; print('azure.ai.ml' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_v1_services_and_v2_deployments_are_listed_side_by_side_each_marked(workshop_emulator):
    backend = open_backend({"kind": "workshop"})
    assert isinstance(backend, CompositeBackend)
    rows = {r.name: r for r in backend.list_services()}
    v1, v2 = scenario_names("v1"), scenario_names("v2")
    assert sorted(n for n, r in rows.items() if r.sdk == "v1") == v1
    assert sorted(n for n, r in rows.items() if r.sdk == "v2") == [f"{n}/blue" for n in v2]
    assert rows["v2-k8s-oom/blue"].compute_type == "Kubernetes"
    assert rows["v2-healthy-managed/blue"].state == "Succeeded"


def test_the_v1_side_never_lists_v2_endpoints_and_the_v2_side_never_v1_services(workshop_emulator, v2):
    v1_names = {s.name for s in workshop_emulator.backend.list_services()}
    assert v1_names == set(scenario_names("v1"))
    assert {e.name for e in v2.list_endpoints()} == set(scenario_names("v2"))


def test_list_endpoints_gives_each_deployment_with_state_and_instances(v2):
    endpoints = {e.name: e for e in v2.list_endpoints()}
    quota = endpoints["v2-out-of-quota"]
    assert (quota.compute_type, quota.state, quota.traffic, quota.auth_mode) == ("Managed", "Succeeded",
                                                                                  {"blue": 100}, "key")  # fmt: skip
    (blue,) = quota.deployments
    assert (blue.name, blue.state, blue.instance_type, blue.num_replicas) == (
        "v2-out-of-quota/blue", "Failed", "Standard_DS3_v2", 1)  # fmt: skip
    created = [e.created_time or "" for e in endpoints.values()]  # azure-ai-ml keeps none for Kubernetes
    assert created == sorted(created, reverse=True)


def test_a_managed_deployments_details(v2):
    d = v2.get_service("v2-408-timeout/blue")
    assert (d.sdk, d.compute_type, d.endpoint, d.deployment) == ("v2", "Managed", "v2-408-timeout", "blue")
    assert (d.scoring_timeout_ms, d.max_concurrent_requests, d.num_replicas) == (5000, 1, 1)
    assert d.liveness_probe == {"initial_delay": 10, "period": 10, "timeout": 2, "failure_threshold": 30,
                                "success_threshold": 1}  # fmt: skip
    assert d.scale_settings["type"] == "default" and d.autoscale is None
    assert d.models == ["churn-v2:2"] and d.model_dir == "/var/azureml-app/azureml-models/churn-v2/2"
    assert d.scoring_uri.endswith("/online/v2-408-timeout/score") and d.traffic == {"blue": 100}
    assert d.scoring_script == "score.py" and d.environment == "workshop-env:1"
    assert d.environment_variables is None  # this deployment sets none
    # the setting init() reads, as azure-ai-ml gives it (Deploy locally passes it to the local server)
    assert v2.get_service("v2-resource-not-ready/blue").environment_variables == {"CHURN_THRESHOLD": "high"}


def test_a_kubernetes_deployments_details_and_a_bare_endpoint_name(v2):
    d = v2.get_service("v2-k8s-pod-unschedulable")  # the deployment with the traffic
    assert (d.name, d.compute_type, d.instance_type) == ("v2-k8s-pod-unschedulable/blue", "Kubernetes",
                                                         "gpuinstancetype")  # fmt: skip
    assert d.autoscale is not None and (d.autoscale.min_replicas, d.autoscale.max_replicas) == (1, 3)
    assert d.autoscale.target_utilization == 70
    assert d.compute_target.endswith("/computes/k8s-workshop")


def test_logs_of_both_containers_bounded_by_lines(v2):
    scenario = load_scenario("v2-resource-not-ready")
    main = v2.get_logs("v2-resource-not-ready/blue", lines=5)
    assert (main.container, main.init) == ("inference-server", False)
    assert main.text.splitlines() == scenario.main_log().splitlines()[-5:]
    init = v2.get_logs("v2-resource-not-ready/blue", init=True, lines=2)
    assert init.container == "storage-initializer"
    assert init.text.splitlines() == scenario.init_log().splitlines()[-2:]
    with pytest.raises(UsageProblem, match="inference-server or storage-initializer"):
        v2.get_logs("v2-resource-not-ready/blue", container="image-fetcher")


def test_keys_are_masked_whenever_shown(v2):
    keys = v2.get_keys("v2-healthy-managed/blue")
    assert len(keys.primary) == 32 and keys.primary != keys.secondary
    assert keys.primary not in repr(keys) and keys.masked()["primary"].startswith("***")


def test_a_model_as_the_container_sees_it(v2):
    model = v2.get_model("credit-v2", 1)
    assert (model.name, model.version, model.files) == ("credit-v2", 1, ["model"])  # the registered folder
    assert model.path.endswith("/model") and v2.get_model("credit-v2").versions == [1, 2]


def test_the_lost_error_a_failed_deployment_says_only_failed(v2):
    details = v2.get_service("v2-out-of-quota/blue")
    assert details.state == "Failed" and details.error is None  # as Azure: the GET tells nothing more


@pytest.mark.parametrize("scenario", FAILED_CREATE, ids=lambda s: s.name)
def test_a_failed_create_is_captured_and_diagnosed_to_its_family(ml, v2, scenario):
    deployment = ml.online_deployments.get("blue", scenario.name)
    record = capture(
        lambda: ml.online_deployments.begin_create_or_update(deployment), ml_client=ml, raise_error=False
    )
    error = scenario.operation["error"]
    assert (record.endpoint, record.deployment, record.code) == (scenario.name, "blue", error["code"])
    assert record.message.split(" ")[:4] == error["message"].split(" ")[:4]
    if scenario.operation.get("httpStatus"):  # refused at once: no operation, the HTTP status instead
        assert (record.status, record.operation_url) == (400, None)
    else:
        assert "/mfeOperationsStatus/" in record.operation_url and record.status is None
    assert record.findings and record.findings[0].family == scenario.expected_family, record.findings
    # what the service still exposes is read after the failure: both containers' logs
    assert record.logs["inference-server"] == scenario.main_log()
    # the backend now shows the captured error for that deployment and diagnoses it with the logs
    details, texts = v2.fetch_for_diagnosis(scenario.service_name)
    assert details.error["code"] == error["code"] and texts["service error"].startswith(error["code"])
    found = diagnose_many(texts, context={"compute_type": scenario.target, "sdk": "v2"}).findings
    assert found[0].family == scenario.expected_family, [(f.id, f.family) for f in found]


def test_the_image_build_log_the_error_links_to_is_read(ml):
    deployment = ml.online_deployments.get("blue", "v2-image-build-failure")
    record = capture(
        ml.online_deployments.begin_create_or_update(deployment), ml_client=ml, raise_error=False
    )
    assert "PackagesNotFoundError" in record.build_log and "sig=***" in record.message
    assert "image build log" in record.to_dict()["logs"] or record.build_log


def test_capture_reraises_the_sdks_error_with_the_record(ml):
    from azure.core.exceptions import HttpResponseError

    deployment = ml.online_deployments.get("blue", "v2-resource-not-ready")
    with pytest.raises(HttpResponseError) as raised:
        capture(ml.online_deployments.begin_create_or_update(deployment))
    assert raised.value.error.code == "ResourceNotReady"
    assert raised.value.amlwizard_capture.findings[0].id == "resource-not-ready"
    assert captured_error("v2-resource-not-ready", "blue")["code"] == "ResourceNotReady"


def test_capture_returns_the_result_when_the_create_succeeds(ml):
    deployment = ml.online_deployments.get("blue", "v2-healthy-managed")
    result = capture(ml.online_deployments.begin_create_or_update(deployment))
    assert result.name == "blue" and captured_error("v2-healthy-managed", "blue") is None


def test_capture_keeps_the_record_in_a_session(ml):
    session = TroubleshootSession({"kind": "workshop"})
    session.add_note("kept")
    deployment = ml.online_deployments.get("blue", "v2-model-dir")
    capture(lambda: ml.online_deployments.begin_create_or_update(deployment), ml_client=ml,
            session=session, raise_error=False)  # fmt: skip
    assert session.logs["create error"].startswith("ResourceNotReady")
    assert "FileNotFoundError" in session.logs["inference-server"]
    assert session.findings[0].id == "model-file-missing"
    assert session.results["capture"]["code"] == "ResourceNotReady"
    assert session.steps[-1]["wizard"] == "capture" and "model-file-missing" in session.steps[-1]["outcome"]
    assert session.notes[0]["text"] == "kept"


@pytest.mark.parametrize("scenario", CALL_FAILS, ids=lambda s: s.name)
def test_a_failing_call_is_diagnosed_with_the_logs(ml, v2, scenario):
    """invoke() raises (and drops the status and the model-error headers); the scoring URI called directly
    with the key tells them: that answer and the logs name the family."""
    import requests

    request = scenario.app_dir / "sample-request.json"
    with pytest.raises(Exception) as raised:  # noqa: B017 - HttpResponseError, or MlException for a text body
        ml.online_endpoints.invoke(scenario.name, request_file=str(request))
    assert type(raised.value).__name__ in ("HttpResponseError", "MlException")
    details, texts = v2.fetch_for_diagnosis(scenario.name)
    key = v2.get_keys(scenario.name).primary
    answer = requests.post(details.scoring_uri, data=request.read_bytes(), timeout=30,
                           headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})  # fmt: skip
    assert answer.status_code == scenario.symptom["status"]
    if answer.status_code == 424:
        assert answer.headers["ms-azureml-model-error-statuscode"] == "500"
    texts["call"] = (
        f"HTTP {answer.status_code} {answer.reason}\n{answer.text}\n{type(raised.value).__name__}: {raised.value}"
    )
    found = diagnose_many(texts, context={"compute_type": details.compute_type, "sdk": "v2"}).findings
    assert found[0].family == scenario.expected_family, [(f.id, f.family) for f in found]


def test_unknown_names_are_one_line_naming_what_exists(v2):
    with pytest.raises(NotFoundError) as err:
        v2.get_service("no-such-endpoint/blue")
    assert "v2-healthy-managed" in _one_clear_line(err.value)
    assert err.value.finding.family == "auth-or-workspace"
    with pytest.raises(NotFoundError) as err:
        v2.get_logs("v2-healthy-managed/green")
    assert "v2-healthy-managed/blue" in _one_clear_line(err.value)
    with pytest.raises(NotFoundError) as err:
        v2.get_keys("no-such-endpoint")
    assert "v2-k8s-oom" in _one_clear_line(err.value)
    with pytest.raises(UsageProblem):
        v2.get_service("a/b/c")


def test_refusals_and_server_errors_are_one_line(workshop_emulator, ml):
    emu = workshop_emulator.emulator
    backend = V2Backend(ml, retries=0)
    with emu.fault("endpoints", 403):
        with pytest.raises(AuthError) as err:
            backend.list_endpoints()
    assert "403" in _one_clear_line(err.value) and err.value.finding.family == "auth-or-workspace"
    with emu.fault("deployment-logs", 401, service="v2-healthy-managed/blue"):
        with pytest.raises(AuthError):
            backend.get_logs("v2-healthy-managed/blue")
    with emu.fault("endpoint", 500):
        with pytest.raises(UnreachableError) as err:
            backend.get_service("v2-healthy-managed/blue")
    assert "500" in _one_clear_line(err.value)


def test_a_call_that_does_not_answer_in_time_is_cut_off(workshop_emulator, ml):
    backend = V2Backend(ml, timeout_s=0.5, retries=0, timeout_hint="--timeout S")
    with workshop_emulator.emulator.fault("endpoints", latency_s=2):
        with pytest.raises(UnreachableError) as err:
            backend.list_endpoints()
    assert "--timeout S" in _one_clear_line(err.value)


def test_the_guides_v2_snippets_run_unchanged(ml):
    """The troubleshooting doc's own calls, through the real azure-ai-ml client."""
    logs = ml.online_deployments.get_logs(name="blue", endpoint_name="v2-model-dir", lines=100)
    assert "FileNotFoundError" in logs
    init = ml.online_deployments.get_logs(
        name="blue",
        endpoint_name="v2-model-download-failure",
        lines=100,
        container_type="storage-initializer",
    )
    assert "Unable to download user model" in init
    request = load_scenario("v2-healthy-managed").app_dir / "sample-request.json"
    answer = ml.online_endpoints.invoke(
        endpoint_name="v2-healthy-managed", deployment_name="blue", request_file=str(request)
    )
    assert len(json.loads(answer)) == len(json.loads(request.read_text())["data"])  # the model's predictions


def test_a_real_mlclient_made_later_still_goes_to_azure(workshop_emulator):
    import os

    workshop_emulator.ml_client  # noqa: B018 - made (again): it must not leave its cloud behind
    assert os.environ.get("AZUREML_CURRENT_CLOUD", "AzureCloud") == "AzureCloud"


def test_when_only_the_v2_side_fails_the_v1_services_are_still_listed(workshop_emulator, ml):
    backend = CompositeBackend(workshop_emulator.backend, V2Backend(ml, retries=0))
    with workshop_emulator.emulator.fault("endpoints", 403):
        rows = backend.list_services()
    assert {r.sdk for r in rows} == {"v1"} and len(rows) == len(scenario_names("v1"))
    assert (
        backend.partial and "online endpoints (SDK v2)" in backend.partial[0] and "403" in backend.partial[0]
    )
    with workshop_emulator.emulator.fault("services", 403):  # a v1 failure is raised as it always was
        with pytest.raises(AuthError):
            backend.list_services()


def test_the_scoring_uri_wants_the_endpoints_key(v2):
    import requests

    details = v2.get_service("v2-healthy-managed")
    body = (load_scenario("v2-healthy-managed").app_dir / "sample-request.json").read_bytes()
    assert requests.post(details.scoring_uri, data=body, timeout=30).status_code == 401
    other = v2.get_keys("v2-408-timeout").primary  # another endpoint's key opens nothing here
    headers = {"Authorization": f"Bearer {other}"}
    assert requests.post(details.scoring_uri, data=body, headers=headers, timeout=30).status_code == 401
    headers = {"Authorization": f"Bearer {v2.get_keys('v2-healthy-managed').primary}"}
    assert requests.post(details.scoring_uri, data=body, headers=headers, timeout=30).status_code == 200
    failed = v2.get_service("v2-model-dir")  # no deployment that works to route to
    headers = {"Authorization": f"Bearer {v2.get_keys('v2-model-dir').primary}"}
    answer = requests.post(failed.scoring_uri, data=body, headers=headers, timeout=30)
    assert answer.status_code == 404 and "No valid deployments to route to" in answer.text


def test_a_v2_workshop_scenario_targets_its_deployment():
    from amlwizard._target import target_from_options

    target = target_from_options(workshop=True, scenario="v2-model-dir")
    assert (target["scenario"], target["service"]) == ("v2-model-dir", "v2-model-dir/blue")
    assert target_from_options(workshop=True, scenario="healthy-aks")["service"] == "healthy-aks"


def test_a_registered_model_whose_files_cannot_be_downloaded_is_not_called_missing(v2, tmp_path):
    # the workshop has no storage account: azure-ai-ml's download 404s although the model is registered
    with pytest.raises(
        NotFoundError, match="'credit-v2:1' is registered, but its files could not be downloaded"
    ):
        v2.download_model("credit-v2", 1, tmp_path)
    with pytest.raises(NotFoundError, match="no model 'nope:1'"):
        v2.download_model("nope", 1, tmp_path)
