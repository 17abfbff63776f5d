"""The emulator: HTTPS answers shaped as Azure ML's, faults, a closed port, and how it attaches a process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import requests

from amlwizard.emulator import Emulator
from amlwizard.scenarios import WORKSPACE, load_scenarios
from amlwizard.workshop import start_workshop
from amlwizard.workshop._workshop import Workshop

MMS = (
    "/modelmanagement/v1.0/subscriptions/{subscription_id}/resourceGroups/{resource_group}"
    "/providers/Microsoft.MachineLearningServices/workspaces/{workspace_name}"
).format(**WORKSPACE)


def _get(emulator, path: str, method: str = "GET", token: str | None = "issued", **kw) -> requests.Response:
    """A request as a client that holds a token of this emulator (``token=None``: none at all)."""
    headers = kw.pop("headers", {})
    if token is not None:
        headers["Authorization"] = f"Bearer {emulator.issue_token() if token == 'issued' else token}"
    return requests.request(
        method, emulator.url + path, verify=str(emulator.ca.bundle_path), timeout=10, headers=headers, **kw
    )


@pytest.fixture(scope="module")
def server(workshop_emulator):
    return workshop_emulator.emulator


def test_the_ca_bundle_keeps_the_public_cas_and_adds_the_test_ca(tmp_path, monkeypatch):
    import certifi

    from amlwizard.emulator._tls import TestCA

    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    ca = TestCA(tmp_path)
    bundle = ca.bundle_path.read_bytes()
    assert bundle.startswith(Path(certifi.where()).read_bytes())  # other HTTPS in the process keeps working
    assert bundle.rstrip().endswith(ca.ca_path.read_bytes().rstrip())


def test_services_answer_with_every_key_the_client_needs(server):
    body = _get(server, MMS + "/services?expand=true").json()
    payloads = {p["name"]: p for p in body["value"]}
    # the v1 services are the v1 scenarios only: a v2 scenario is an online endpoint (test_backend_v2)
    assert set(payloads) == {s.name for s in load_scenarios() if s.sdk == "v1"}
    common = {"computeType", "createdTime", "description", "kvTags", "name", "properties"}
    aks = {"autoScaler", "containerResourceRequirements", "dataCollection", "scoringTimeoutMs", "scoringUri"}
    aks |= {
        "maxConcurrentRequestsPerContainer",
        "maxQueueWaitMs",
        "numReplicas",
        "computeName",
        "aadAuthEnabled",
    }
    aci = {"cname", "location", "publicIp", "scoringUri", "sslCertificate", "sslEnabled", "sslKey"}
    for p in payloads.values():
        assert common <= set(p) and "imageDetails" not in p
        assert (aks if p["computeType"] == "AKS" else aci) <= set(p), p["name"]
    aks_only = _get(server, MMS + "/services?expand=true&computeType=AKS").json()["value"]
    assert {p["computeType"] for p in aks_only} == {"AKS"}


def test_a_wrong_workspace_and_an_unknown_route_answer_404_json(server):
    wrong = _get(server, MMS.replace(WORKSPACE["workspace_name"], "other-ws") + "/services")
    assert wrong.status_code == 404 and wrong.json()["error"]["code"] == "ResourceNotFound"
    unknown = _get(server, "/nothing/here")
    assert unknown.status_code == 404 and "No route" in unknown.json()["message"]


@pytest.mark.parametrize("status", [401, 403, 404, 500])
def test_a_fault_makes_one_route_answer_a_status(server, status):
    with server.fault("logs", status):
        faulty = _get(server, MMS + "/services/healthy-aks/logs?tail=5&init=False")
        fine = _get(server, MMS + "/services/healthy-aks")
    assert faulty.status_code == status and faulty.json()["statusCode"] == status
    assert fine.status_code == 200
    assert _get(server, MMS + "/services/healthy-aks/logs?tail=5").status_code == 200


def test_a_fault_can_be_limited_to_one_service_and_a_number_of_calls(server):
    fault = server.add_fault("service", 500, service="timeout-504", times=1)
    try:
        assert _get(server, MMS + "/services/healthy-aks").status_code == 200
        assert _get(server, MMS + "/services/timeout-504").status_code == 500
        assert _get(server, MMS + "/services/timeout-504").status_code == 200
        assert fault.hits == 1
    finally:
        server.clear_faults()
    with pytest.raises(ValueError, match="routes"):
        server.add_fault("no-such-route", 500)


def test_latency_delays_the_answer(server):
    with server.fault("subscriptions", latency_s=0.4):
        started = time.perf_counter()
        assert _get(server, "/subscriptions").status_code == 200
    assert time.perf_counter() - started >= 0.4


def test_closing_the_port_refuses_connections_until_reopened(server):
    server.close_port()
    try:
        with pytest.raises(requests.ConnectionError):
            _get(server, "/subscriptions")
    finally:
        server.reopen_port()
    assert _get(server, "/subscriptions").status_code == 200


def test_model_assets_list_files_and_serve_their_bytes(server):
    model = _get(server, MMS + "/models/resnet-classifier%3A2").json()
    asset = _get(server, MMS + "/assets/" + model["url"].removeprefix("aml://asset/")).json()
    origin, container, prefix = asset["artifacts"][0]["prefix"].split("/", 2)
    artifacts = "/artifact/v2.0" + MMS.removeprefix("/modelmanagement/v1.0") + "/artifacts"
    info = _get(server, f"{artifacts}/prefix/contentinfo/{origin}/{container}/{prefix}")
    paths = [item["path"] for item in info.json()["value"]]
    assert paths == ["resnet-classifier/resnet/labels.json", "resnet-classifier/resnet/weights.json"]
    content = requests.get(
        info.json()["value"][0]["contentUri"], verify=str(server.ca.bundle_path), timeout=10
    )
    source = load_scenarios(["aks-gpu-unschedulable"])[0].model_dir / "resnet" / "labels.json"
    assert content.content == source.read_bytes()
    latest = _get(server, MMS + "/models?name=sklearn-diabetes&count=1").json()["value"]
    assert [m["version"] for m in latest] == [3] and latest[0]["datasets"] == []


def test_start_workshop_is_idempotent_per_process(workshop_emulator):
    assert start_workshop() is workshop_emulator
    assert start_workshop(["healthy-aks"]) is workshop_emulator  # a subset it already serves


def test_a_second_emulator_in_the_process_works_and_cleans_up(workshop_emulator):
    from azureml._vendor.azure_cli_core.azureml_cloud import _Clouds
    from azureml.core import Webservice

    bundle_env = os.environ["REQUESTS_CA_BUNDLE"]
    with Workshop(["healthy-aks", "timeout-504"]) as other:
        assert sorted(other.workspace.webservices) == ["healthy-aks", "timeout-504"]
        state, cloud = other.emulator.state_dir, other._attachment.cloud_name
        assert cloud in _Clouds._clouds
    assert not state.exists() and cloud not in _Clouds._clouds
    assert os.environ["REQUESTS_CA_BUNDLE"] == bundle_env  # the session's workshop still holds it
    assert Webservice(workshop_emulator.workspace, "healthy-aks").state == "Healthy"


def _run(code: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_guides_snippets_run_unchanged_in_a_process_prepared_by_env_vars(tmp_path):
    from amlwizard.workshop._attach import client_env, write_config

    with Emulator(load_scenarios(["crashloop-init-exception", "healthy-aks"])) as emu:
        config = write_config(tmp_path / "config.json", emu.url, emu.ca.bundle_path, emu.msi_secret)
        env = {**os.environ, **client_env(emu.url, emu.ca.bundle_path, emu.state_dir, emu.msi_secret)}
        env["HOME"] = str(tmp_path)
        result = _run(
            """
            from azureml.core import Workspace
            from azureml.core.webservice import Webservice
            ws = Workspace.from_config()
            print(sorted(ws.webservices))
            print(Webservice(ws, 'crashloop-init-exception').get_logs())
            """,
            env,
            config.parent,
        )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "['crashloop-init-exception', 'healthy-aks']" in result.stdout
    assert "KeyError: 'CHURN_THRESHOLD'" in result.stdout


def test_start_workshop_in_a_kernel_that_already_imported_azureml_undoes_its_changes(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")}
    result = _run(
        """
        import json, os
        import azureml.core  # the user's kernel imported it before
        from azureml._base_sdk_common.service_discovery import CachedServiceDiscovery
        from azureml._vendor.azure_cli_core.azureml_cloud import _Clouds
        before = CachedServiceDiscovery.__init__.__defaults__
        from amlwizard.workshop import start_workshop
        w = start_workshop(["healthy-aks"])
        seen = {"services": sorted(w.workspace.webservices), "state": str(w.emulator.state_dir)}
        seen["bundle"] = os.environ.get("REQUESTS_CA_BUNDLE")
        w.stop()
        seen["after_bundle"] = os.environ.get("REQUESTS_CA_BUNDLE")
        seen["state_left"] = os.path.exists(seen["state"])
        seen["clouds"] = [c for c in (_Clouds._clouds or {}) if c.startswith("AmlWizard")]
        seen["discovery_restored"] = CachedServiceDiscovery.__init__.__defaults__ == before
        print(json.dumps(seen))
        """,
        env,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["services"] == ["healthy-aks"] and seen["bundle"].endswith("ca-bundle.pem")
    assert seen["after_bundle"] is None and not seen["state_left"] and seen["clouds"] == []
    assert seen["discovery_restored"]
