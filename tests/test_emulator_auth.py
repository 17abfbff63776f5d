"""The emulator answers only who holds its credentials: signed tokens, its MSI secret, SAS signatures."""

from __future__ import annotations

import requests

from amlwizard.scenarios import WORKSPACE

MMS = (
    "/modelmanagement/v1.0/subscriptions/{subscription_id}/resourceGroups/{resource_group}"
    "/providers/Microsoft.MachineLearningServices/workspaces/{workspace_name}"
).format(**WORKSPACE)
ARM_WORKSPACE = MMS.removeprefix("/modelmanagement/v1.0") + "?api-version=2022-05-01"


def _call(emu, path: str, method: str = "GET", **kw) -> requests.Response:
    return requests.request(method, emu.url + path, verify=str(emu.ca.bundle_path), timeout=10, **kw)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_without_a_token_the_workspace_keys_and_logs_answer_401_as_arm_does(emulator):
    emu = emulator.emulator
    for path, method in [(ARM_WORKSPACE, "GET"), (MMS + "/services/healthy-aks/listkeys", "POST"),
                         (MMS + "/services/healthy-aks/logs?tail=5", "GET")]:  # fmt: skip
        answer = _call(emu, path, method)
        assert answer.status_code == 401, path
        assert answer.json()["error"]["code"] == "AuthenticationFailed"
        assert "Bearer" in answer.headers["WWW-Authenticate"]
        assert "primaryKey" not in answer.text and "Traceback" not in answer.text


def test_a_forged_an_expired_and_another_emulators_token_are_refused(emulator, tmp_path):
    from amlwizard.emulator import Emulator
    from amlwizard.scenarios import load_scenarios

    emu = emulator.emulator
    good = emu.issue_token()
    head, claims, signature = good.split(".")
    forged = f"{head}.{claims}.{signature[::-1]}"
    unsigned = f"{head}.{claims}.emulator"  # what the emulator used to accept from anyone
    with Emulator(load_scenarios(["healthy-aks"]), state_dir=tmp_path) as other:
        foreign = other.issue_token()
    codes = {
        name: _call(emu, ARM_WORKSPACE, headers=_bearer(token)).json()["error"]["code"]
        for name, token in [("forged", forged), ("unsigned", unsigned), ("foreign", foreign),
                            ("expired", emu.issue_token(lifetime_s=-60)), ("garbage", "not-a-jwt")]
    }  # fmt: skip
    assert codes == {
        "forged": "InvalidAuthenticationToken",
        "unsigned": "InvalidAuthenticationToken",
        "foreign": "InvalidAuthenticationToken",
        "expired": "ExpiredAuthenticationToken",
        "garbage": "InvalidAuthenticationToken",
    }
    assert _call(emu, ARM_WORKSPACE, headers=_bearer(good)).json()["name"] == "mlw-workshop"


def test_the_msi_endpoint_gives_a_token_only_for_its_secret(emulator):
    emu = emulator.emulator
    query = "?resource=https://management.azure.com/&api-version=2017-09-01"
    assert _call(emu, "/msi/token" + query).status_code == 401
    assert _call(emu, "/msi/token" + query, headers={"secret": "amlwizard-workshop"}).status_code == 401
    assert _call(emu, "/msi/not-the-secret/token", "POST", data={"resource": "x"}).status_code == 401
    # azure-identity sends the secret as a header; azureml-core's client POSTs to MSI_ENDPOINT (its path
    # carries the secret) with only "Metadata: true"
    by_header = _call(emu, "/msi/token" + query, headers={"secret": emu.msi_secret}).json()["access_token"]
    by_path = _call(
        emu, f"/msi/{emu.msi_secret}/token", "POST", data={"resource": "x"}, headers={"Metadata": "true"}
    ).json()["access_token"]
    for token in (by_header, by_path):
        assert _call(emu, ARM_WORKSPACE, headers=_bearer(token)).status_code == 200


def test_model_files_need_the_sas_signature_the_emulator_made(emulator):
    emu = emulator.emulator
    token = _bearer(emu.issue_token())
    model = _call(emu, MMS + "/models/sklearn-diabetes%3A3", headers=token).json()
    asset = _call(emu, MMS + "/assets/" + model["url"].removeprefix("aml://asset/"), headers=token).json()
    origin, container, prefix = asset["artifacts"][0]["prefix"].split("/", 2)
    artifacts = "/artifact/v2.0" + MMS.removeprefix("/modelmanagement/v1.0") + "/artifacts"
    info = _call(emu, f"{artifacts}/prefix/contentinfo/{origin}/{container}/{prefix}", headers=token).json()
    uri = info["value"][0]["contentUri"]
    assert requests.get(uri, verify=str(emu.ca.bundle_path), timeout=10).status_code == 200
    tampered = uri.rsplit("sig=", 1)[0] + "sig=emulatorSAS0000"
    assert requests.get(tampered, verify=str(emu.ca.bundle_path), timeout=10).status_code == 403


def test_service_keys_are_this_emulators_own(emulator, tmp_path):
    from amlwizard.emulator import Emulator
    from amlwizard.scenarios import load_scenarios

    keys = emulator.backend.get_keys("healthy-aks")
    with Emulator(load_scenarios(["healthy-aks"]), state_dir=tmp_path) as other:
        token = _bearer(other.issue_token())
        others = _call(other, MMS + "/services/healthy-aks/listkeys", "POST", headers=token).json()
    assert {keys.primary, keys.secondary}.isdisjoint({others["primaryKey"], others["secondaryKey"]})
    assert len(keys.primary) == 32 and keys.primary != keys.secondary
