"""What the emulated workspace holds: services, models, model assets and files, built from scenarios
(the v1 ones; ``v2`` holds the online endpoints of the v2 ones, see ``_v2_data``).

Payloads carry every key azureml-core 1.61 needs (see docs/emulator.md); services are named after their
scenario, models are merged across scenarios (one entry per name:version).
"""

from __future__ import annotations

import copy
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..scenarios import SDK_V1, WORKSPACE, Scenario
from ._tokens import Credentials
from ._v2_data import EndpointsData

__all__ = ["WorkspaceData", "ModelEntry", "scoring_path"]

_AKS_DEFAULTS: dict[str, Any] = {
    "appInsightsEnabled": False,
    "authEnabled": True,
    "aadAuthEnabled": False,
    "autoScaler": {
        "autoscaleEnabled": False,
        "minReplicas": 1,
        "maxReplicas": 10,
        "targetUtilization": 70,
        "refreshPeriodInSeconds": 1,
    },
    "computeName": "aks-workshop",
    "containerResourceRequirements": {
        "cpu": 0.1,
        "cpuLimit": 0.1,
        "memoryInGB": 0.5,
        "memoryInGBLimit": 0.5,
        "gpu": 0,
    },
    "dataCollection": {"eventHubEnabled": False, "storageEnabled": False},
    "maxConcurrentRequestsPerContainer": 1,
    "maxQueueWaitMs": 500,
    "numReplicas": 1,
    "scoringTimeoutMs": 60000,
    "livenessProbeRequirements": None,
}
_ACI_DEFAULTS: dict[str, Any] = {
    "appInsightsEnabled": False,
    "authEnabled": False,
    "cname": None,
    "location": WORKSPACE["location"],
    "publicIp": None,
    "sslCertificate": None,
    "sslEnabled": False,
    "sslKey": None,
    "containerResourceRequirements": {"cpu": 0.1, "memoryInGB": 0.5},
}
_COMMON_DEFAULTS: dict[str, Any] = {
    "description": None,
    "kvTags": {},
    "properties": {},
    "state": None,
    "error": None,
}


def _stable_hex(*parts: str, length: int = 32) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:length]


@dataclass
class ModelEntry:
    """A registered model version and the files of its asset (paths relative to ``root``)."""

    name: str
    version: int
    meta: dict[str, Any]
    root: Path | None  # the folder holding the registered file or folder (app/model), None if absent
    registered: str = ""  # the registered file or folder name inside root
    files: list[str] = field(default_factory=list)  # relative to root, "/" separated

    @property
    def id(self) -> str:
        return f"{self.name}:{self.version}"

    @property
    def asset_id(self) -> str:
        return _stable_hex("asset", self.id)

    @property
    def container(self) -> str:
        day = self.meta.get("createdTime", "2024")[:10].replace("-", "")
        return f"{day}-{_stable_hex('c', self.id, length=8)}"

    @property
    def prefix(self) -> str:
        """The asset's artifact prefix id: origin/container/<name>/<registered>."""
        return f"LocalUpload/{self.container}/{self.name}/{self.registered}"

    def payload(self) -> dict[str, Any]:
        m = self.meta
        return {
            "id": self.id,
            "name": self.name,
            "version": self.version,
            "createdTime": m.get("createdTime"),
            "modifiedTime": m.get("createdTime"),
            "description": m.get("description"),
            "kvTags": m.get("tags", {}),
            "properties": {},
            "framework": m.get("framework", "Custom"),
            "frameworkVersion": None,
            "mimeType": "application/json",
            "unpack": False,
            "url": f"aml://asset/{self.asset_id}",
            "datasets": [],
            "derivedModelIds": [],
            "experimentName": None,
            "runId": None,
            "createdBy": {"userName": "instructor@contoso.com"},
        }


def scoring_path(scenario: Scenario, what: str = "score") -> str:
    """Where a service's scoring URI (``score``) or swagger (``swagger.json``) lives, shaped as Azure's:
    AKS behind azureml-fe ``/api/v1/service/<name>/score``; ACI has a host of its own, here /aci/<name>."""
    if scenario.target == "AKS":
        return f"/api/v1/service/{scenario.name}/{what}"
    return f"/aci/{scenario.name}/{what}"


class WorkspaceData:
    """Services (by name) and models (by ``name:version``) of the emulated workspace, and its credentials."""

    def __init__(self, scenarios: list[Scenario]) -> None:
        self.workspace_id = str(uuid.uuid4())  # a fresh id per start keeps the SDK's discovery cache apart
        self.credentials = Credentials()  # fresh secrets per start: tokens and keys of another one fail
        self.live_log: Callable[[str], str] = lambda name: (
            ""
        )  # a service's scoring-server log (the emulator's)
        self.v2 = EndpointsData(scenarios)  # the v2 scenarios: online endpoints, never v1 services
        scenarios = [s for s in scenarios if s.sdk == SDK_V1]
        self.scenarios = {s.name: s for s in scenarios}
        self.models: dict[str, ModelEntry] = {}
        for s in scenarios:
            entry_id = s.model_ref
            if entry_id not in self.models:
                self.models[entry_id] = _model_entry(s)

    def service_payload(self, name: str, base_url: str) -> dict[str, Any]:
        s = self.scenarios[name]
        defaults = _AKS_DEFAULTS if s.service.get("computeType") == "AKS" else _ACI_DEFAULTS
        body = copy.deepcopy({**_COMMON_DEFAULTS, **defaults})
        for key, value in s.service.items():
            if isinstance(value, dict) and isinstance(body.get(key), dict):
                body[key] = {**body[key], **value}
            elif key != "models":
                body[key] = copy.deepcopy(value)
        body.pop("imageDetails", None)  # a null imageDetails crashes the client
        body["name"] = name
        body["id"] = name
        body["scoringUri"] = base_url + scoring_path(s)
        body["swaggerUri"] = base_url + scoring_path(s, "swagger.json")
        body["models"] = [self.models[m].payload() for m in s.service.get("models", []) if m in self.models]
        return body

    def keys(self, name: str) -> dict[str, str]:
        primary, secondary = self.credentials.service_keys(name)
        return {"primaryKey": primary, "secondaryKey": secondary}

    def model_versions(self, name: str) -> list[ModelEntry]:
        """All versions of a model, newest first (the client takes the first as the latest)."""
        return sorted((m for m in self.models.values() if m.name == name), key=lambda m: -m.version)

    def asset(self, asset_id: str) -> ModelEntry | None:
        return next((m for m in self.models.values() if m.asset_id == asset_id), None)

    def by_prefix(self, container: str, path: str) -> ModelEntry | None:
        return next(
            (m for m in self.models.values() if m.container == container and path.startswith(m.name)), None
        )


def _model_entry(s: Scenario) -> ModelEntry:
    meta = s.model
    entry = ModelEntry(name=meta["name"], version=int(meta["version"]), meta=meta, root=None)
    folder = s.model_dir
    items = sorted(p for p in folder.iterdir() if not p.name.startswith(".")) if folder.is_dir() else []
    if len(items) == 1:  # the one file or folder inside app/model is what was registered
        entry.root, entry.registered = folder, items[0].name
    elif items:  # several entries: the model folder itself was registered
        entry.root, entry.registered = folder.parent, folder.name
    if entry.root is not None:
        target = entry.root / entry.registered
        files = [target] if target.is_file() else sorted(p for p in target.rglob("*") if p.is_file())
        entry.files = [p.relative_to(entry.root).as_posix() for p in files]
    return entry
