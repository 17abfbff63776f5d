"""The workshop scenarios: complete, shaped like Azure ML's answers, and diagnosable from their own logs."""

from __future__ import annotations

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
}
SCENARIOS = load_scenarios()


def test_all_eleven_scenarios_ship_with_their_files():
    assert sorted(TABLE) == scenario_names()
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
