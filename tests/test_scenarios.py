"""The workshop scenarios: complete, shaped like Azure ML's answers, and diagnosable from their own logs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from amlwizard._errors import UsageProblem
from amlwizard.scenarios import load_scenario, load_scenarios, scenario_names

# The scenario table of the project brief: target, model name:version.
TABLE = {
    "healthy-aks": ("AKS", "sklearn-diabetes:3"),
    "aks-gpu-unschedulable": ("AKS", "resnet-classifier:2"),
    "crashloop-init-exception": ("AKS", "churn-model:1"),
    "model-path-not-found": ("ACI", "credit-model:1"),
    "run-failure-502": ("AKS", "sklearn-diabetes:1"),
    "aks-503-spike": ("AKS", "sklearn-diabetes:2"),
    "timeout-504": ("AKS", "churn-model:2"),
    "image-build-failure": ("ACI", "credit-model:2"),
    "out-of-memory": ("AKS", "resnet-classifier:1"),
    "fpga-quota": ("AKS", "resnet-fpga:1"),
    "missing-role-403": ("ACI", "sklearn-diabetes:3"),
    # SDK v2 online endpoints (issue #16): one endpoint per scenario, named after it, deployment "blue"
    "v2-healthy-managed": ("Managed", "diabetes-v2:1"),
    "v2-resource-not-ready": ("Managed", "churn-v2:1"),
    "v2-out-of-quota": ("Managed", "diabetes-v2:2"),
    "v2-image-build-failure": ("Managed", "credit-v2:2"),
    "v2-model-download-failure": ("Managed", "fraud-v2:3"),
    "v2-model-dir": ("Managed", "credit-v2:1"),
    "v2-424-model-error": ("Managed", "diabetes-v2:3"),
    "v2-429-concurrency": ("Managed", "diabetes-v2:4"),
    "v2-408-timeout": ("Managed", "churn-v2:2"),
    "v2-k8s-pod-unschedulable": ("Kubernetes", "resnet-v2:1"),
    "v2-k8s-oom": ("Kubernetes", "embeddings-v2:1"),
}
SCENARIOS = load_scenarios()
V2 = [s for s in SCENARIOS if s.sdk == "v2"]
REAL_ERRORS = Path(__file__).parent / "data" / "real-errors"
# a phrase of each failed v2 scenario's error (or answer) that users really posted (tests/data/real-errors);
# the corpus has only descriptions of 429s ("throwing error 429"): v2-429-concurrency's body is the one the
# catalogue's too-many-requests-429 entry quotes from github.com/Azure/azureml-examples
REAL_WORDING = {
    "v2-resource-not-ready": "User container has crashed or terminated: Liveness probe failed: HTTP probe failed",
    "v2-model-dir": "User container has crashed or terminated: Liveness probe failed: HTTP probe failed",
    "v2-out-of-quota": 'InferencingClient HttpRequest error, error detail: {"errors":{"VmSize":["Not enough quota',
    "v2-image-build-failure": "ImageBuildFailure",
    "v2-model-download-failure": "Unable to download user model/code artifacts, storage blob container",
    "v2-424-model-error": "Operation returned an invalid status 'Failed Dependency'",
    "v2-408-timeout": "upstream request timeout",
    "v2-k8s-pod-unschedulable": "0/3 nodes are available",
    "v2-k8s-oom": "OOMKilled",
}


def test_all_scenarios_ship_with_their_files():
    assert sorted(TABLE) == scenario_names()
    assert scenario_names("v1") == [n for n in scenario_names() if not n.startswith("v2-")]
    assert scenario_names("v2") == sorted(s.name for s in V2)
    for s in SCENARIOS:
        assert (s.target, s.model_ref) == TABLE[s.name]
        assert s.main_log().strip() and s.init_log().strip(), s.name
        assert (s.app_dir / "score.py").is_file(), s.name
        assert any(s.model_dir.iterdir()), s.name


def test_an_unknown_scenario_names_the_ones_that_exist():
    with pytest.raises(UsageProblem, match="healthy-aks"):
        load_scenario("no-such-scenario")
    with pytest.raises(UsageProblem):
        load_scenario("../healthy-aks")


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_the_diagnosis_of_logs_and_error_names_the_expected_failure(scenario):
    from amlwizard.diagnosis import diagnose

    findings = diagnose(scenario.diagnosis_text()).findings
    if scenario.expected is None:
        assert not [f for f in findings if f.confidence >= 0.5], [f.id for f in findings]
        return
    ranked = [(f.id, f.family, f.confidence) for f in findings]
    # the first finding is of the expected kind (it may be a more specific entry of that family,
    # e.g. conda-resolve-failure for image-build-failure), and the expected entry is among the first three
    assert findings and findings[0].family == scenario.expected_family, ranked
    assert scenario.expected_finding in [f.id for f in findings[:3]] + [findings[0].family], ranked


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if s.service.get("error")], ids=lambda s: s.name)
def test_deployment_errors_are_shaped_like_azure_ml_ones(scenario):
    error = scenario.service["error"]
    assert scenario.service["state"] == "Failed"
    assert {"code", "statusCode", "message", "details"} <= set(error)
    assert error["details"] and all({"code", "message"} <= set(d) for d in error["details"])
    deploy_failed = {"AKS": "KubernetesDeploymentFailed", "ACI": "AciDeploymentFailed"}[scenario.target]
    assert error["code"] in (deploy_failed, "EnvironmentBuildFailed")


def test_the_gpu_scenario_asks_for_a_gpu_and_says_unschedulable():
    s = load_scenario("aks-gpu-unschedulable")
    assert s.service["containerResourceRequirements"]["gpu"] == 1
    detail = s.service["error"]["details"][0]
    assert detail["code"] == "Unschedulable"
    assert "0/3 nodes are available: 3 Insufficient nvidia.com/gpu" in detail["message"]


def test_the_503_scenario_carries_a_traffic_profile_for_sizing():
    s = load_scenario("aks-503-spike")
    scaler = s.service["autoScaler"]
    settings = [scaler[k] for k in ("autoscaleEnabled", "minReplicas", "maxReplicas", "targetUtilization")]
    assert settings == [True, 1, 4, 70]
    rps = s.traffic_rps()
    assert len(rps) == s.traffic["duration_s"] == 1800
    assert rps[0] == rps[599] == 20 and rps[600] == rps[899] == 60 and rps[900] == 20
    assert 0 < s.traffic["request_seconds"] < 1


def test_run_time_failures_carry_what_the_caller_saw():
    for name, status in (("run-failure-502", 502), ("aks-503-spike", 503), ("timeout-504", 504)):
        s = load_scenario(name)
        assert s.service["state"] == "Healthy" and s.service["error"] is None
        assert s.error_payload["statusCode"] == status
        assert f"{status} Server Error" in s.error_payload["message"]
    assert load_scenario("timeout-504").service["scoringTimeoutMs"] == 5000


def test_the_missing_role_scenario_makes_the_workspace_refuse_with_403():
    s = load_scenario("missing-role-403")
    assert {f["status"] for f in s.faults} == {403}
    assert s.error_payload["body"]["error"]["code"] == "AuthorizationFailed"


def test_v2_scenarios_are_endpoints_named_after_them_with_one_deployment():
    for s in V2:
        assert s.service == {} and s.deployment_name == "blue" and s.service_name == f"{s.name}/blue"
        assert s.endpoint["traffic"] == {"blue": 100} and s.endpoint["provisioningState"] == "Succeeded"
        failed = s.operation["status"] == "Failed"
        assert s.state == ("Failed" if failed else "Succeeded"), s.name
        assert (s.expected is None) == (s.name == "v2-healthy-managed")


@pytest.mark.parametrize("scenario", [s for s in V2 if s.operation.get("error")], ids=lambda s: s.name)
def test_v2_failed_creates_carry_the_operation_error_as_azure_gives_it(scenario):
    error = scenario.operation["error"]
    assert {"code", "message", "details"} <= set(error) and error["code"]
    assert all({"code", "message"} <= set(d) for d in error["details"])
    assert scenario.error_payload == {"error": error}  # what diagnosis reads: the captured error


@pytest.mark.parametrize("name", sorted(REAL_WORDING))
def test_v2_failures_use_the_wording_users_really_posted(name):
    """The error (or answer) of each failing v2 scenario carries a phrase of a real user's report."""
    phrase = REAL_WORDING[name]
    corpus = "\n".join(
        json.dumps(json.loads(line)["text"]) + "\n" + json.loads(line)["text"]
        for path in sorted(REAL_ERRORS.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    )
    assert phrase in corpus, "not a phrase of the real-errors corpus"
    s = load_scenario(name)
    shown = "\n".join([*_strings(s.operation), *_strings(s.symptom), s.main_log(), s.init_log()])
    assert phrase in shown


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _strings(v)]
    if isinstance(value, list):
        return [t for v in value for t in _strings(v)]
    return []


def test_the_quota_scenario_counts_the_20_percent_reserve():
    s = load_scenario("v2-out-of-quota")
    assert (s.deployment["instanceType"], s.deployment["instanceCount"]) == ("Standard_DS3_v2", 1)
    assert s.operation["httpStatus"] == 400  # Azure refuses the request itself: no operation to poll
    detail = s.operation["error"]["details"][0]["message"]
    # ceil(1 instance x 1.2) = 2 instances of 4 cores = 8 cores, above the limit of 6
    assert "Current usage/limit: 0/6. Additional needed: 8" in detail


def test_v2_logs_are_the_two_containers_and_the_image_build_log():
    s = load_scenario("v2-image-build-failure")
    assert "PackagesNotFoundError" in s.build_log() and "python=3.7.15" in s.build_log()
    assert "ImageLogs/v2-image-build-failure/build.log" in s.operation["error"]["message"]
    assert "python=3.7.15" in (s.app_dir / "conda.yml").read_text()
    dl = load_scenario("v2-model-download-failure")
    assert "storage-initializer" in dl.init_log() and "BlobContainerNotFound" in dl.init_log()
    assert load_scenario("v2-model-dir").deployment_name == "blue"
    assert "model/model.json" in load_scenario("v2-model-dir").init_log()


def test_v2_kubernetes_scenarios_carry_their_resources():
    oom = load_scenario("v2-k8s-oom")
    assert oom.deployment["containerResourceRequirements"]["memoryLimit"] == "1Gi"
    gpu = load_scenario("v2-k8s-pod-unschedulable")
    assert gpu.deployment["containerResourceRequirements"]["gpu"] == "1"
    assert gpu.deployment["scaleSettings"]["scaleType"] == "TargetUtilization"
