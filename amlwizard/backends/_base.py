"""The backend seam: what the wizards and the CLI ask of a workspace, whatever SDK answers.

``AzureBackend`` (azureml-core, SDK v1) and ``V2Backend`` (azure-ai-ml online endpoints: a service is a
deployment, ``endpoint/deployment``) implement it; ``CompositeBackend`` lists both side by side. Every method
raises only ``amlwizard.BackendError`` subclasses, with a one-line message a user can act on.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from .._errors import BackendError, UsageProblem
from .._secrets import mask_value

__all__ = [
    "Backend",
    "ServiceSummary",
    "ServiceDetails",
    "AutoscaleSettings",
    "ServiceLogs",
    "ModelInfo",
    "ServiceKeys",
    "EndpointSummary",
    "split_name",
]


def split_name(name: str) -> tuple[str, str | None]:
    """An online deployment's name, checked offline (before any SDK loads): ``"endpoint/deployment"`` ->
    (endpoint, deployment); ``"endpoint"`` -> (endpoint, None)."""
    endpoint, _, deployment = name.strip().strip("/").partition("/")
    if not endpoint or "/" in deployment:
        raise UsageProblem(f"{name!r} is not an online deployment: give ENDPOINT or ENDPOINT/DEPLOYMENT")
    return endpoint, deployment or None


@dataclass
class ServiceSummary:
    """One line of the service list: ``compute_type`` is "ACI", "AKS" or "Local" (SDK v1), "Managed" or
    "Kubernetes" (SDK v2: an online deployment, named ``endpoint/deployment``; ``state`` is its provisioning
    state). ``sdk`` says which SDK deployed it: "v1" (azureml-core) or "v2" (azure-ai-ml)."""

    name: str
    compute_type: str
    state: str | None
    created_time: str | None  # ISO 8601
    sdk: str = "v1"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class AutoscaleSettings:
    """The AKS autoscaler; ``target_utilization`` is in percent, as the SDK takes it."""

    enabled: bool = False
    min_replicas: int = 1
    max_replicas: int = 10
    target_utilization: int = 70
    refresh_seconds: int = 1


@dataclass
class ServiceDetails(ServiceSummary):
    """Everything about one service that changes how it fails. None where the target has no such setting."""

    error: dict[str, Any] | None = None  # the deployment error payload, as the service reports it
    scoring_uri: str | None = None
    swagger_uri: str | None = None
    auth_enabled: bool | None = None  # key auth: calls send a key (get_keys); None when not known
    compute_target: str | None = None  # AKS cluster name; None on ACI
    cpu: float | None = None
    memory_gb: float | None = None
    gpu: int | None = None
    num_replicas: int | None = None
    autoscale: AutoscaleSettings | None = None
    scoring_timeout_ms: int | None = None
    max_concurrent_requests: int | None = None
    max_queue_wait_ms: int | None = None
    models: list[str] = field(default_factory=list)  # "name:version"
    # SDK v2 online deployments only (None for v1 services): what the deployment says beyond the v1 fields.
    # scoring_timeout_ms, max_concurrent_requests, max_queue_wait_ms, num_replicas (instance_count) and
    # autoscale (Kubernetes TargetUtilization) hold the v2 settings of the same meaning.
    endpoint: str | None = None
    deployment: str | None = None
    instance_type: str | None = None
    traffic: dict[str, int] | None = None  # the endpoint's traffic split: deployment -> percent
    auth_mode: str | None = None  # "key", "aml_token", "aad_token"
    liveness_probe: dict[str, Any] | None = (
        None  # initial_delay, period, timeout (s), failure/success_threshold
    )
    readiness_probe: dict[str, Any] | None = None
    scale_settings: dict[str, Any] | None = None  # {"type": "default" | "target_utilization", ...}
    request_settings: dict[str, Any] | None = None  # as the SDK names them (request_timeout_ms...)
    environment: str | None = None
    scoring_script: str | None = None  # code_configuration.scoring_script
    model_dir: str | None = None  # AZUREML_MODEL_DIR in the container: .../azureml-models/<name>/<version>
    environment_variables: dict[str, str] | None = None  # what init() and run() read (a setting, a flag)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ServiceDetails:
        """Back from ``asdict`` (a saved session keeps a service's details as a dict)."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if isinstance(values.get("autoscale"), dict):
            values["autoscale"] = AutoscaleSettings(**values["autoscale"])
        return cls(**values)


@dataclass
class ServiceLogs:
    """Logs of one container of a service: the main (scoring) one, or the init one when ``init``."""

    service: str
    init: bool
    lines: int  # how many lines were asked for
    text: str  # secrets already masked
    container: str | None = None  # v2: "inference-server" or "storage-initializer" (init)


@dataclass
class ModelInfo:
    """A registered model: the chosen ``version``, all known versions, and its files (relative paths)."""

    name: str
    version: int
    versions: list[int]
    files: list[str]
    id: str | None = None
    path: str | None = None  # v2: the asset's storage URI (azureml://.../paths/<prefix>/<registered>)


@dataclass
class ServiceKeys:
    """A service's auth keys. Shown, logged or saved only masked; the raw values stay here."""

    primary: str = field(repr=False)
    secondary: str = field(repr=False)

    def masked(self) -> dict[str, str]:
        return {"primary": mask_value(self.primary), "secondary": mask_value(self.secondary)}

    def __repr__(self) -> str:
        m = self.masked()
        return f"ServiceKeys(primary={m['primary']!r}, secondary={m['secondary']!r})"


@dataclass
class EndpointSummary:
    """An SDK v2 online endpoint and its deployments (``ServiceDetails``, named ``endpoint/deployment``)."""

    name: str
    compute_type: str  # "Managed" or "Kubernetes"
    state: str | None  # the endpoint's provisioning state
    auth_mode: str | None
    scoring_uri: str | None
    traffic: dict[str, int]
    created_time: str | None
    deployments: list[ServiceDetails] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Backend(ABC):
    """A workspace that holds deployed services and registered models.

    Implementations bound every call in time, turn SDK and network failures into
    ``BackendError`` subclasses, and never return a secret unmasked except through ``get_keys``.
    """

    #: Shown in the wizards' header, e.g. "workspace 'ws' (rg, subscription ...1234)".
    description: str = ""

    @abstractmethod
    def list_services(self) -> list[ServiceSummary]:
        """All services of the workspace, newest first."""

    @abstractmethod
    def get_service(self, name: str) -> ServiceDetails:
        """One service; ``NotFoundError`` names the services that do exist."""

    @abstractmethod
    def get_logs(self, name: str, *, init: bool = False, lines: int = 5000) -> ServiceLogs:
        """The last ``lines`` lines of the service's main container, or its init container (v2: the
        inference-server container, or the storage-initializer one)."""

    @abstractmethod
    def get_model(self, name: str, version: int | None = None) -> ModelInfo:
        """A registered model (the latest version when ``version`` is None) and its files."""

    @abstractmethod
    def download_model(self, name: str, version: int, target_dir: Path) -> Path:
        """Fetch a model's files into ``target_dir`` laid out as a container sees them
        (``target_dir/azureml-models/<name>/<version>/...``); returns that version folder."""

    @abstractmethod
    def get_keys(self, name: str) -> ServiceKeys:
        """The service's auth keys (masked whenever shown)."""

    def list_endpoints(self) -> list[EndpointSummary]:
        """SDK v2 online endpoints with their deployments, newest first (none where the SDK has none)."""
        return []

    def fetch_for_diagnosis(self, name: str, *, lines: int = 5000) -> tuple[ServiceDetails, dict[str, str]]:
        """A service's details and the texts that tell why it fails, named as ``diagnose_many`` takes them:
        the deployment error payload, the main log and the init log (empty where the service has none,
        e.g. no init container on ACI: the other texts still tell)."""
        details = self.get_service(name)
        main = self.get_logs(name, lines=lines).text
        try:
            init = self.get_logs(name, init=True, lines=lines).text
        except BackendError:
            init = ""
        error = json.dumps(details.error, indent=1) if details.error else ""
        return details, {"service error": error, "main log": main, "init log": init}
