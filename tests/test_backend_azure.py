"""AzureBackend through the real azureml-core client against the emulator: each method, scenario and fault."""

from __future__ import annotations

import subprocess
import sys

import pytest

from amlwizard._errors import AuthError, NotFoundError, UnreachableError
from amlwizard._secrets import mask_secrets
from amlwizard.backends.azure import AzureBackend
from amlwizard.scenarios import load_scenarios, scenario_names

SCENARIOS = load_scenarios(scenario_names("v1"))  # the v2 ones are online endpoints: test_backend_v2
READABLE = [s for s in SCENARIOS if not s.faults]


def _one_clear_line(err: BaseException) -> str:
    text = str(err)
    assert "\n" not in text and "Traceback" not in text and len(text) < 600, text
    return text


def test_importing_the_backend_does_not_import_azureml():
    code = "import sys, amlwizard.backends.azure; print('azureml' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_list_services_shows_every_scenario_newest_first(emulator):
    services = emulator.backend.list_services()
    assert sorted(s.name for s in services) == sorted(s.name for s in SCENARIOS)
    created = [s.created_time for s in services]
    assert created == sorted(created, reverse=True)
    by_name = {s.name: s for s in services}
    for s in SCENARIOS:
        assert (by_name[s.name].compute_type, by_name[s.name].state) == (s.target, s.service["state"])


@pytest.mark.parametrize("scenario", READABLE, ids=lambda s: s.name)
def test_get_service_reports_state_error_and_settings(emulator, scenario):
    details = emulator.backend.get_service(scenario.name)
    svc = scenario.service
    assert (details.compute_type, details.state) == (scenario.target, svc["state"])
    assert details.models == [scenario.model_ref]
    shape = (
        f"/api/v1/service/{scenario.name}/score"
        if scenario.target == "AKS"
        else f"/aci/{scenario.name}/score"
    )
    assert details.scoring_uri.endswith(
        shape
    )  # AKS behind azureml-fe; ACI on a host of its own (a path here)
    assert details.auth_enabled == svc.get("authEnabled")
    if svc.get("error"):
        assert details.error["code"] == svc["error"]["code"]
        assert details.error["details"][0]["code"] == svc["error"]["details"][0]["code"]
    else:
        assert details.error is None
    assert details.cpu == svc["containerResourceRequirements"]["cpu"]
    if scenario.target == "AKS":
        assert details.compute_target == svc["computeName"]
        assert details.gpu == svc["containerResourceRequirements"]["gpu"]
        assert details.scoring_timeout_ms == svc["scoringTimeoutMs"]
        assert details.autoscale.enabled == svc["autoScaler"]["autoscaleEnabled"]
        assert (details.max_concurrent_requests, details.max_queue_wait_ms) == (1, 500)
    else:
        assert details.compute_target is None and details.autoscale is None


def test_autoscaler_settings_of_the_503_scenario(emulator):
    a = emulator.backend.get_service("aks-503-spike").autoscale
    settings = (a.enabled, a.min_replicas, a.max_replicas, a.target_utilization, a.refresh_seconds)
    assert settings == (True, 1, 4, 70, 1)


def test_secrets_in_an_error_payload_are_masked(emulator):
    error = emulator.backend.get_service("image-build-failure").error
    message = error["details"][0]["message"]
    assert "build.log" in message and "sig=***" in message and "AbCdEf" not in message


@pytest.mark.parametrize("scenario", READABLE, ids=lambda s: s.name)
def test_logs_of_main_and_init_containers(emulator, scenario):
    main = emulator.backend.get_logs(scenario.name)
    init = emulator.backend.get_logs(scenario.name, init=True)
    assert main.text == mask_secrets(scenario.main_log()) and not main.init
    assert init.text == mask_secrets(scenario.init_log()) and init.init


def test_logs_tail_the_last_lines(emulator):
    logs = emulator.backend.get_logs("crashloop-init-exception", lines=3)
    expected = load_scenarios(["crashloop-init-exception"])[0].main_log().splitlines()[-3:]
    assert logs.text.splitlines() == expected
    assert len(logs.text.splitlines()) == logs.lines == 3


def test_get_model_lists_versions_and_files(emulator):
    latest = emulator.backend.get_model("sklearn-diabetes")
    assert (latest.version, latest.versions, latest.files) == (3, [1, 2, 3], ["model.json"])
    folder = emulator.backend.get_model("resnet-classifier", 1)
    assert folder.version == 1 and folder.files == ["resnet/labels.json", "resnet/weights.json"]


def test_download_model_lays_files_out_as_a_container_sees_them(emulator, tmp_path):
    folder = emulator.backend.download_model("resnet-classifier", 2, tmp_path)
    assert folder == tmp_path / "azureml-models" / "resnet-classifier" / "2"
    source = load_scenarios(["aks-gpu-unschedulable"])[0].model_dir / "resnet"
    for name in ("labels.json", "weights.json"):
        assert (folder / "resnet" / name).read_bytes() == (source / name).read_bytes()


def test_the_real_get_model_path_downloads_from_the_emulator(emulator, tmp_path, monkeypatch):
    from azureml.core.model import Model

    monkeypatch.chdir(tmp_path)  # MODELS_DIR is the relative "azureml-models" when AML_APP_ROOT is unset
    path = Model.get_model_path("churn-model", _workspace=emulator.workspace)
    assert path.replace("\\", "/") == "azureml-models/churn-model/2/model.json"
    registered = load_scenarios(["timeout-504"])[0].model_dir / "model.json"
    assert (tmp_path / path).read_bytes() == registered.read_bytes()


def test_keys_are_masked_when_shown(emulator):
    keys = emulator.backend.get_keys("healthy-aks")
    assert len(keys.primary) == 32 and keys.primary != keys.secondary
    assert keys.primary not in repr(keys) and keys.masked()["primary"].startswith("***")


def test_missing_service_and_model_name_what_exists(emulator):
    with pytest.raises(NotFoundError) as err:
        emulator.backend.get_service("no-such-service")
    assert "healthy-aks" in _one_clear_line(err.value) and err.value.finding.family == "auth-or-workspace"
    with pytest.raises(NotFoundError) as err:
        emulator.backend.get_model("sklearn-diabetes", 9)
    assert "sklearn-diabetes:3" in _one_clear_line(err.value)


def test_the_missing_role_scenario_says_which_role_to_ask_for(emulator):
    for call in (lambda b: b.get_service("missing-role-403"), lambda b: b.get_logs("missing-role-403")):
        with pytest.raises(AuthError) as err:
            call(emulator.backend)
        text = _one_clear_line(err.value)
        assert "403" in text and "AzureML Data Scientist" in text
        finding = err.value.finding
        assert (finding.family, finding.id) == ("auth-or-workspace", "authorization-failed")


@pytest.mark.parametrize(
    ("status", "error", "words"),
    [
        (401, AuthError, "sign in again"),
        (403, AuthError, "AzureML Data Scientist"),
        (404, NotFoundError, "services there"),
        (500, UnreachableError, "try again"),
    ],
)
def test_each_fault_gives_one_clear_message(emulator, status, error, words):
    backend = AzureBackend(emulator.workspace, backoff_s=0)
    with emulator.emulator.fault("service", status, service="healthy-aks"):
        with pytest.raises(error) as err:
            backend.get_service("healthy-aks")
    text = _one_clear_line(err.value)
    assert words in text and (str(status) in text or status == 404)
    assert (err.value.finding is not None) == (status != 500)
    assert backend.get_service("healthy-aks").state == "Healthy"  # nothing lost: the next call works


def test_a_slow_workspace_is_cut_off_at_the_time_limit(emulator):
    backend = AzureBackend(emulator.workspace, timeout_s=0.5)
    with emulator.emulator.fault("logs", latency_s=2.0):
        with pytest.raises(UnreachableError, match="within 0.5 s"):
            backend.get_logs("healthy-aks")


def test_server_errors_are_retried_before_being_reported(emulator):
    backend = AzureBackend(emulator.workspace, retries=1, backoff_s=0)
    with emulator.emulator.fault("services", 500) as fault:
        with pytest.raises(UnreachableError):
            backend.list_services()
    sdk_tries = fault.hits // 2
    assert fault.hits == 2 * sdk_tries and sdk_tries >= 1  # our retry repeated the SDK's whole call


def test_a_closed_port_is_reported_as_unreachable(emulator):
    backend = AzureBackend(emulator.workspace, retries=0)
    emulator.emulator.close_port()
    try:
        with pytest.raises(UnreachableError) as err:
            backend.get_logs("healthy-aks")
    finally:
        emulator.emulator.reopen_port()
    assert "connection refused" in _one_clear_line(err.value)
    assert backend.get_logs("healthy-aks").text  # the same port serves again


def test_from_config_with_a_bad_path_or_file_says_what_to_do(tmp_path):
    with pytest.raises(NotFoundError, match="download config.json"):
        AzureBackend.from_config(tmp_path / "missing.json")


def test_from_names_with_a_wrong_workspace_names_the_ones_that_exist(emulator):
    ws = emulator.workspace
    with pytest.raises(NotFoundError) as err:
        AzureBackend.from_names(ws.subscription_id, ws.resource_group, "no-such-ws", auth=ws._auth_object)
    assert "mlw-workshop" in _one_clear_line(err.value) and err.value.finding.id == "workspace-not-found"
    with emulator.emulator.fault("workspace", 403):
        with pytest.raises(AuthError):
            AzureBackend.from_names(ws.subscription_id, ws.resource_group, ws.name, auth=ws._auth_object)
    # once the workspace answers again, the same names give a backend that really reaches it
    ok = AzureBackend.from_names(ws.subscription_id, ws.resource_group, ws.name, auth=ws._auth_object)
    assert ok.name == "mlw-workshop" and "mlw-workshop" in ok.description
    assert sorted(s.name for s in ok.list_services()) == sorted(s.name for s in SCENARIOS)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_each_scenarios_model_is_registered_with_its_files(emulator, scenario, tmp_path):
    name, version = scenario.model["name"], scenario.model["version"]
    info = emulator.backend.get_model(name, version)
    source = sorted(p for p in scenario.model_dir.rglob("*") if p.is_file())
    assert info.files == sorted(p.relative_to(scenario.model_dir).as_posix() for p in source)
    folder = emulator.backend.download_model(name, version, tmp_path)
    assert [(folder / f).read_bytes() for f in info.files] == [p.read_bytes() for p in source]
