"""The emulated workspace's SDK v2 side: online endpoints, their deployments, models, create operations.

Built from the v2 scenarios (``sdk: "v2"``): one endpoint per scenario, named after it, with one deployment.
Payloads are shaped as ARM answers azure-ai-ml 1.35 (docs/emulator.md). A failed deployment's GET says only
``provisioningState: Failed``, as Azure's does: the error lives in its create operation, which a PUT of the
deployment replays (``Azure-AsyncOperation`` -> ``mfeOperationsStatus``), or refuses at once when Azure
refuses the request itself (``operation.httpStatus``, e.g. 400 for quota).
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
import uuid
from typing import Any

from ..scenarios import SDK_V2, WORKSPACE, Scenario

__all__ = ["EndpointsData", "workspace_arm_id", "CONTAINERS", "STORAGE_URL"]

# the workspace storage account, as scenario data names it; the emulator serves what lies there itself
STORAGE_URL = "https://mlwworkshopstorage.blob.core.windows.net"

# getLogs' containerType -> the scenario's log (the SDK sends "InferenceServer" / "StorageInitializer")
CONTAINERS = {"inferenceserver": "main", "storageinitializer": "init"}

_PROBE = {
    "initialDelay": "PT10S",
    "period": "PT10S",
    "timeout": "PT2S",
    "failureThreshold": 30,
    "successThreshold": 1,
}
_REQUESTS = {"maxConcurrentRequestsPerInstance": 1, "requestTimeout": "PT5S"}


def workspace_arm_id() -> str:
    w = WORKSPACE
    return (
        f"/subscriptions/{w['subscription_id']}/resourceGroups/{w['resource_group']}"
        f"/providers/Microsoft.MachineLearningServices/workspaces/{w['workspace_name']}"
    )


def _hex(*parts: str, length: int = 32) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:length]


def _system_data(created: str | None) -> dict[str, Any]:
    return {
        "createdAt": created,
        "createdBy": "student@contoso.com",
        "createdByType": "User",
        "lastModifiedAt": created,
    }


class EndpointsData:
    """The v2 side of the emulated workspace: endpoints (by scenario name), operations (by id), keys."""

    def __init__(self, scenarios: list[Scenario]) -> None:
        self.scenarios = {s.name: s for s in scenarios if s.sdk == SDK_V2}
        self.operations: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._keys_salt = uuid.uuid4().hex  # fresh keys per start

    # -- lookups -----------------------------------------------------------------------------------
    def find(self, endpoint: str) -> Scenario | None:
        return self.scenarios.get(endpoint) or next(
            (s for n, s in self.scenarios.items() if n.lower() == endpoint.lower()), None
        )

    def has_deployment(self, s: Scenario, deployment: str) -> bool:
        return (s.deployment_name or "").lower() == deployment.lower()

    def model_entry(self, name: str, version: str | None = None) -> list[Scenario]:
        """Scenarios registering model ``name`` (and ``version``), newest version first."""
        found = [s for s in self.scenarios.values() if s.model["name"] == name]
        if version is not None:
            found = [s for s in found if str(s.model["version"]) == str(version)]
        return sorted(found, key=lambda s: -int(s.model["version"]))

    # -- payloads ----------------------------------------------------------------------------------
    def scoring_uri(self, s: Scenario, base_url: str) -> str:
        return f"{base_url}/online/{s.name}/score"

    def endpoint(self, s: Scenario, base_url: str) -> dict[str, Any]:
        e, ws = s.endpoint, workspace_arm_id()
        props: dict[str, Any] = {
            "authMode": e.get("authMode", "Key"),
            "description": e.get("description"),
            "properties": {"azureml.onlineendpointid": f"{ws}/onlineEndpoints/{s.name}"},
            "scoringUri": self.scoring_uri(s, base_url),
            "swaggerUri": f"{base_url}/online/{s.name}/swagger.json",
            "provisioningState": e.get("provisioningState", "Succeeded"),
            "traffic": e.get("traffic", {s.deployment_name: 100}),
            "mirrorTraffic": {},
            "publicNetworkAccess": "Enabled",
        }
        if s.target == "Kubernetes":
            props["compute"] = f"{ws}/computes/{e.get('compute', 'k8s-workshop')}"
        return {
            "id": f"{ws}/onlineEndpoints/{s.name}",
            "name": s.name,
            "type": "Microsoft.MachineLearningServices/workspaces/onlineEndpoints",
            "location": WORKSPACE["location"],
            "kind": s.target,
            "tags": e.get("tags", {}),
            "identity": {
                "type": "SystemAssigned",
                "principalId": _hex("pid", s.name, length=32),
                "tenantId": WORKSPACE["tenant_id"],
            },  # fmt: skip
            "properties": props,
            "systemData": _system_data(e.get("createdTime")),
        }

    def deployment(self, s: Scenario, base_url: str) -> dict[str, Any]:
        d, ws, m = s.deployment, workspace_arm_id(), s.model
        env_name, _, env_version = d.get("environment", "workshop-env:1").partition(":")
        code_id = f"{_hex('code', s.name, length=8)}-{_hex('c', s.name, length=4)}"
        props: dict[str, Any] = {
            "endpointComputeType": s.target,
            "description": d.get("description"),
            "model": f"{ws}/models/{m['name']}/versions/{m['version']}",
            "environmentId": f"{ws}/environments/{env_name}/versions/{env_version}",
            "codeConfiguration": {
                "codeId": f"{ws}/codes/{code_id}/versions/1",
                "scoringScript": d.get("scoringScript", "score.py"),
            },
            "environmentVariables": d.get("environmentVariables", {}),
            "appInsightsEnabled": False,
            "requestSettings": {**_REQUESTS, **d.get("requestSettings", {})},
            "livenessProbe": {**_PROBE, **d.get("livenessProbe", {})},
            "readinessProbe": {**_PROBE, **d.get("readinessProbe", {})},
            "scaleSettings": d.get("scaleSettings", {"scaleType": "Default"}),
            "provisioningState": d.get("provisioningState", "Succeeded"),
            "properties": {},
        }
        if s.target == "Managed":
            props["instanceType"] = d.get("instanceType", "Standard_DS3_v2")
            props["egressPublicNetworkAccess"] = "Enabled"
        else:
            props["instanceType"] = d.get("instanceType", "defaultinstancetype")
            props["containerResourceRequirements"] = copy.deepcopy(d.get("containerResourceRequirements"))
        return {
            "id": f"{ws}/onlineEndpoints/{s.name}/deployments/{s.deployment_name}",
            "name": s.deployment_name,
            "type": "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments",
            "location": WORKSPACE["location"],
            "kind": s.target,
            "tags": d.get("tags", {}),
            "sku": {"name": "Default", "tier": "Standard", "capacity": d.get("instanceCount", 1)},
            "properties": props,
            "systemData": _system_data(d.get("createdTime")),
        }

    def model(self, s: Scenario) -> dict[str, Any]:
        m, ws = s.model, workspace_arm_id()
        registered = s.registered_path.name
        path = (
            f"azureml://subscriptions/{WORKSPACE['subscription_id']}/resourcegroups/{WORKSPACE['resource_group']}"
            f"/workspaces/{WORKSPACE['workspace_name']}/datastores/workspaceblobstore/paths/LocalUpload/"
            f"{_hex('upload', m['name'], str(m['version']))}/{registered}"
        )
        return {
            "id": f"{ws}/models/{m['name']}/versions/{m['version']}",
            "name": str(m["version"]),
            "type": "Microsoft.MachineLearningServices/workspaces/models/versions",
            "properties": {
                "description": m.get("description"),
                "tags": m.get("tags", {}),
                "properties": {},
                "isArchived": False,
                "modelType": m.get("type", "custom_model"),
                "flavors": {},
                "modelUri": path,
                "provisioningState": "Succeeded",
            },
            "systemData": _system_data(m.get("createdTime")),
        }

    def keys(self, s: Scenario) -> dict[str, str]:
        return {
            "primaryKey": _hex("pk2", self._keys_salt, s.name),
            "secondaryKey": _hex("sk2", self._keys_salt, s.name),
        }

    def key_valid(self, s: Scenario, authorization: str | None) -> bool:
        given = (authorization or "").removeprefix("Bearer ").strip()
        return bool(given) and given in self.keys(s).values()

    def logs(self, s: Scenario, container: str, tail: int | None, live: str = "") -> str:
        """A container's log: the scenario's recorded one; the inference server's then goes on with ``live``,
        what its scoring server logged since it started."""
        text = s.init_log() if CONTAINERS.get(container.lower()) == "init" else s.main_log() + live
        lines = text.splitlines(keepends=True)
        return "".join(lines[-tail:]) if tail else "".join(lines)

    # -- the create operation ------------------------------------------------------------------------
    def start_operation(self, s: Scenario) -> str:
        """Record a create/update of the scenario's deployment; its status replays how the scenario's did."""
        op_id = str(uuid.uuid4())
        with self._lock:
            self.operations[op_id] = {"scenario": s.name, "polls": 0}
        return op_id

    def operation_status(self, op_id: str, base_url: str) -> dict[str, Any] | None:
        """In progress on the first poll (as Azure's), then the scenario's outcome. A link to the workspace's
        storage in the error (the image build log) points at the emulator, which serves that file."""
        with self._lock:
            op = self.operations.get(op_id)
            if op is None:
                return None
            op["polls"] += 1
            polls = op["polls"]
        s = self.scenarios[op["scenario"]]
        body: dict[str, Any] = {"id": op_id, "name": op_id, "startTime": "2024-06-03T09:00:00Z"}
        if polls < 2:
            return {**body, "status": "InProgress"}
        outcome = s.operation or {"status": "Succeeded"}
        body.update(status=outcome.get("status", "Succeeded"), endTime="2024-06-03T09:07:41Z")
        if outcome.get("error"):
            body["error"] = json.loads(json.dumps(outcome["error"]).replace(STORAGE_URL, base_url))
        return body
