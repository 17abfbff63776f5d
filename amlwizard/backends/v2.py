"""The SDK v2 backend: online endpoints of a workspace through azure-ai-ml, imported only when first used.

A service is a deployment, named ``endpoint/deployment`` (``endpoint`` alone: its deployment with the most
traffic); compute type "Managed" or "Kubernetes". Logs: ``init=False`` is the inference-server container,
``init=True`` the storage-initializer. Every call is bounded, retried and turned into a one-line
``BackendError`` as in ``AzureBackend``. A failed deployment's GET says only "Failed": the error of its
create/update is known only if ``capture`` recorded it (``_capture``), and is then shown and diagnosed.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from .._errors import NotFoundError, UnreachableError, UsageProblem
from .._secrets import mask_json, mask_secrets
from ._azure_errors import TIMEOUT_HINT, bounded
from ._base import (
    AutoscaleSettings,
    Backend,
    EndpointSummary,
    ModelInfo,
    ServiceDetails,
    ServiceKeys,
    ServiceLogs,
    ServiceSummary,
)
from ._capture import captured_error, describe_capture
from ._v2_errors import translate_v2

__all__ = ["V2Backend", "DEFAULT_TIMEOUT_S", "CONTAINERS", "split_name", "make_ml_client"]

T = TypeVar("T")
DEFAULT_TIMEOUT_S = 30.0
CONTAINERS = ("inference-server", "storage-initializer")
MODEL_ROOT = "/var/azureml-app/azureml-models"  # where a deployment's container finds its models
_MODEL_ID = re.compile(r"/models/([^/]+)/versions/([^/]+)$|^azureml:([^:]+):(.+)$")


_PUBLIC_ARM = "https://management.azure.com/"
_CLOUD_LOCK = threading.Lock()  # MLClient writes AZUREML_CURRENT_CLOUD; two at once would restore wrongly


def make_ml_client(
    credential: Any,
    subscription_id: str,
    resource_group: str,
    workspace_name: str,
    *,
    resource_manager: str | None = None,
    cloud_name: str = "AmlWizardCloud",
    **kwargs: Any,
) -> Any:
    """An ``azure.ai.ml.MLClient`` (no call is made), without telemetry. ``resource_manager``: the ARM
    endpoint of a cloud azure-ai-ml does not know (a sovereign or private one, the workshop's emulator),
    given the documented way (``cloud`` + ``cloud_metadata``). azure-ai-ml records that cloud in
    ``AZUREML_CURRENT_CLOUD`` for the whole process: it is put back, so another client made later still
    goes where it should."""
    from azure.ai.ml import MLClient

    names = (subscription_id, resource_group, workspace_name)
    base = (resource_manager or _PUBLIC_ARM).rstrip("/")
    if base + "/" == _PUBLIC_ARM:
        return MLClient(credential, *names, enable_telemetry=False, show_progress=False, **kwargs)
    metadata = {
        "azure_portal": base + "/portal/",
        "resource_manager": base + "/",
        "active_directory": base + "/login/",
        "aml_resource_id": base + "/",
        "storage_endpoint": "core.windows.net",
        "registry_discovery_endpoint": base + "/",
    }
    with _CLOUD_LOCK:
        before = os.environ.get("AZUREML_CURRENT_CLOUD")
        try:
            return MLClient(credential, *names, cloud=cloud_name, cloud_metadata=metadata,
                            enable_telemetry=False, show_progress=False, **kwargs)  # fmt: skip
        finally:
            if before is None:
                os.environ.pop("AZUREML_CURRENT_CLOUD", None)
            else:
                os.environ["AZUREML_CURRENT_CLOUD"] = before


class _SameSignIn:
    """azureml-core's authentication as a ``TokenCredential``: its ARM token, whatever scope is asked (some
    of its classes take an audience, not scopes, in their own ``get_token``)."""

    def __init__(self, auth: Any) -> None:
        self._auth = auth

    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        import base64
        import json

        from azure.core.credentials import AccessToken

        token = self._auth.get_authentication_header()["Authorization"].split(" ", 1)[1]
        try:
            claims = token.split(".")[1]
            expires = int(json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))["exp"])
        except (IndexError, ValueError, KeyError, TypeError):
            expires = int(time.time()) + 600
        return AccessToken(token, expires)


def split_name(name: str) -> tuple[str, str | None]:
    """``"endpoint/deployment"`` -> (endpoint, deployment); ``"endpoint"`` -> (endpoint, None)."""
    endpoint, _, deployment = name.strip().strip("/").partition("/")
    if not endpoint or "/" in deployment:
        raise UsageProblem(f"{name!r} is not an online deployment: give ENDPOINT or ENDPOINT/DEPLOYMENT")
    return endpoint, deployment or None


def _iso(value: Any) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else (str(value) if value else None)


def _created(entity: Any) -> str | None:
    return _iso(getattr(getattr(entity, "creation_context", None), "created_at", None))


def _compute_type(entity: Any) -> str:
    kind = str(getattr(entity, "type", "") or "").lower()
    if kind == "kubernetes" or "Kubernetes" in type(entity).__name__:
        return "Kubernetes"
    return "Managed"


def _state(entity: Any) -> str | None:
    state = getattr(entity, "provisioning_state", None)
    return str(getattr(state, "value", state)) if state is not None else None


def _model_ref(model: Any) -> tuple[str, str] | None:
    text = model if isinstance(model, str) else getattr(model, "id", None) or ""
    if not text and getattr(model, "name", None):
        return str(model.name), str(model.version)
    match = _MODEL_ID.search(text or "")
    if not match:
        return None
    return (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))


def _settings(obj: Any, names: tuple[str, ...]) -> dict[str, Any] | None:
    if obj is None:
        return None
    return {n: getattr(obj, n, None) for n in names}


_PROBE = ("initial_delay", "period", "timeout", "failure_threshold", "success_threshold")
_REQUESTS = ("request_timeout_ms", "max_concurrent_requests_per_instance", "max_queue_wait_ms")
_SCALE = ("type", "min_instances", "max_instances", "target_utilization_percentage", "polling_interval")


class V2Backend(Backend):
    """Online endpoints reached through azure-ai-ml. ``V2Backend(ml_client)`` wraps an ``MLClient`` you have.

    ``timeout_s``, ``retries``, ``backoff_s`` and ``timeout_hint`` work as in ``AzureBackend``.
    """

    sdk = "v2"

    def __init__(
        self,
        ml_client: Any,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        retries: int = 1,
        backoff_s: float = 1.0,
        timeout_hint: str = TIMEOUT_HINT,
    ) -> None:
        self.ml_client = ml_client
        self.timeout_s, self.retries, self.backoff_s = timeout_s, retries, backoff_s
        self.timeout_hint = timeout_hint
        self.name = getattr(ml_client, "workspace_name", None) or "?"
        sub = str(getattr(ml_client, "subscription_id", "") or "")
        group = getattr(ml_client, "resource_group_name", "?")
        self.description = f"workspace '{self.name}' ({group}, subscription ...{sub[-4:]}), online endpoints"

    # -- constructors ----------------------------------------------------------------------------
    @classmethod
    def from_config(
        cls,
        path: str | Path | None = None,
        *,
        credential: Any = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        **kw,
    ) -> V2Backend:
        """``MLClient.from_config(credential, path)`` (searched as the SDK does); the credential defaults to
        ``DefaultAzureCredential`` (azure-identity)."""
        hint = kw.get("timeout_hint", TIMEOUT_HINT)

        def load() -> Any:
            from azure.ai.ml import MLClient

            cred = credential if credential is not None else _default_credential()
            return MLClient.from_config(cred, path=None if path is None else str(path))

        try:
            client = bounded(load, timeout_s, "loading the workspace from config.json", hint)
        except Exception as exc:
            raise translate_v2(
                exc, what="opening the workspace (azure-ai-ml)", workspace=str(path or "config.json")
            ) from exc
        return cls(client, timeout_s=timeout_s, **kw)

    @classmethod
    def beside(cls, workspace: Any, **kw: Any) -> V2Backend:
        """The online endpoints of an ``azureml.core.Workspace`` you have: the same sign-in (azureml-core's
        authentication is a ``TokenCredential``) and the same cloud (its ARM endpoint), so a workspace
        opened with SDK v1 shows its online endpoints without a second sign-in. No call is made."""
        auth = getattr(workspace, "_auth_object", None) or getattr(workspace, "_auth", None)
        try:
            arm = auth._get_arm_end_point()
        except AttributeError:
            arm = None
        names = (workspace.subscription_id, workspace.resource_group, workspace.name)
        try:
            host = re.sub(r"[^A-Za-z0-9]", "", (arm or "").split("//")[-1])
            credential = _SameSignIn(auth)
            client = make_ml_client(credential, *names, resource_manager=arm, cloud_name=f"AmlWizard{host}")
        except Exception as exc:
            raise translate_v2(
                exc, what=f"opening workspace {workspace.name!r} (azure-ai-ml)", workspace=workspace.name
            ) from exc
        return cls(client, **kw)

    @classmethod
    def from_names(
        cls,
        subscription_id: str,
        resource_group: str,
        workspace_name: str,
        *,
        credential: Any = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        **kw: Any,
    ) -> V2Backend:
        """``MLClient(credential, subscription_id, resource_group, workspace_name)`` (no call is made yet)."""
        try:
            from azure.ai.ml import MLClient

            cred = credential if credential is not None else _default_credential()
            client = MLClient(cred, subscription_id, resource_group, workspace_name)
        except Exception as exc:
            raise translate_v2(
                exc, what=f"opening workspace {workspace_name!r}", workspace=workspace_name
            ) from exc
        return cls(client, timeout_s=timeout_s, **kw)

    # -- the bounded, retried call ---------------------------------------------------------------
    def _call(
        self,
        what: str,
        fn: Callable[[], T],
        *,
        kind: str = "",
        name: str = "",
        existing: Callable[[], list[str]] | None = None,
    ) -> T:
        for attempt in range(self.retries + 1):
            try:
                return bounded(fn, self.timeout_s, what, self.timeout_hint)
            except UnreachableError:  # our own time limit: trying again would only double the wait
                raise
            except Exception as exc:
                err = translate_v2(
                    exc, what=what, workspace=self.name, kind=kind, name=name, existing=existing
                )
                if isinstance(err, UnreachableError) and attempt < self.retries:
                    time.sleep(self.backoff_s * 2**attempt)
                    continue
                raise err from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def _endpoint_names(self) -> list[str]:
        ops = self.ml_client.online_endpoints
        return sorted(e.name for e in bounded(lambda: list(ops.list()), min(self.timeout_s, 10), "listing"))

    def _endpoint(self, endpoint: str, what: str) -> Any:
        return self._call(
            what,
            lambda: self.ml_client.online_endpoints.get(endpoint),
            kind="endpoint",
            name=endpoint,
            existing=self._endpoint_names,
        )

    def _deployments(self, endpoint: str, what: str) -> list[Any]:
        return self._call(
            what,
            lambda: list(self.ml_client.online_deployments.list(endpoint)),
            kind="endpoint",
            name=endpoint,
            existing=self._endpoint_names,
        )

    def _resolve(self, name: str, what: str) -> tuple[str, str]:
        """(endpoint, deployment); a bare endpoint means its deployment with the most traffic."""
        endpoint, deployment = split_name(name)
        if deployment is not None:
            return endpoint, deployment
        ep = self._endpoint(endpoint, what)
        traffic = {k: v for k, v in (getattr(ep, "traffic", None) or {}).items() if v}
        if traffic:
            return endpoint, max(traffic, key=lambda k: traffic[k])
        names = [d.name for d in self._deployments(endpoint, what)]
        if len(names) == 1:
            return endpoint, names[0]
        there = f" (deployments: {', '.join(names)})" if names else " (it has no deployment)"
        raise NotFoundError(f"{what}: endpoint {endpoint!r} sends no traffic to a deployment{there}; "
                            "name one as ENDPOINT/DEPLOYMENT")  # fmt: skip

    def _deployment_names(self, endpoint: str) -> Callable[[], list[str]]:
        def names() -> list[str]:
            found = bounded(lambda: list(self.ml_client.online_deployments.list(endpoint)), 10, "listing")
            return sorted(f"{endpoint}/{d.name}" for d in found)

        return names

    def _deployment(self, endpoint: str, deployment: str, what: str) -> Any:
        return self._call(
            what,
            lambda: self.ml_client.online_deployments.get(deployment, endpoint),
            kind="deployment",
            name=f"{endpoint}/{deployment}",
            existing=self._deployment_names(endpoint),
        )

    # -- the Backend methods ---------------------------------------------------------------------
    def list_endpoints(self) -> list[EndpointSummary]:
        what = f"listing the online endpoints of workspace {self.name!r}"
        endpoints = self._call(what, lambda: list(self.ml_client.online_endpoints.list()))
        found = []
        for ep in endpoints:
            deployments = self._deployments(ep.name, f"listing the deployments of endpoint {ep.name!r}")
            details = [self._details(ep, d) for d in deployments]
            # the SDK keeps no creation time of an endpoint: its first deployment's stands for it
            first = min((d.created_time for d in details if d.created_time), default=None)
            found.append(
                EndpointSummary(
                    name=ep.name,
                    compute_type=_compute_type(ep),
                    state=_state(ep),
                    auth_mode=getattr(ep, "auth_mode", None),
                    scoring_uri=getattr(ep, "scoring_uri", None),
                    traffic=dict(getattr(ep, "traffic", None) or {}),
                    created_time=_created(ep) or first,
                    deployments=details,
                )
            )
        return sorted(found, key=lambda e: e.created_time or "", reverse=True)

    def list_services(self) -> list[ServiceSummary]:
        rows = [
            ServiceSummary(d.name, d.compute_type, d.state, d.created_time, sdk="v2")
            for e in self.list_endpoints()
            for d in e.deployments
        ]
        return sorted(rows, key=lambda r: r.created_time or "", reverse=True)

    def get_service(self, name: str) -> ServiceDetails:
        what = f"reading online deployment {name!r}"
        endpoint, deployment = self._resolve(name, what)
        ep = self._endpoint(endpoint, what)
        return self._details(ep, self._deployment(endpoint, deployment, what))

    def _details(self, ep: Any, d: Any) -> ServiceDetails:
        name = f"{ep.name}/{d.name}"
        requests = getattr(d, "request_settings", None)
        scale = getattr(d, "scale_settings", None)
        autoscale = None
        if str(getattr(scale, "type", "")).lower().replace("_", "") == "targetutilization":
            autoscale = AutoscaleSettings(
                enabled=True,
                min_replicas=scale.min_instances or 1,
                max_replicas=scale.max_instances or 1,
                target_utilization=scale.target_utilization_percentage or 70,
                refresh_seconds=scale.polling_interval or 1,
            )
        model = _model_ref(getattr(d, "model", None))
        resources = getattr(d, "resources", None)
        requests_k8s = getattr(resources, "requests", None)
        captured = captured_error(ep.name, d.name)
        code = getattr(d, "code_configuration", None)
        return ServiceDetails(
            name=name,
            compute_type=_compute_type(d),
            state=_state(d),
            created_time=_created(d),
            sdk="v2",
            error=mask_json(captured["error"]) if captured else None,
            scoring_uri=getattr(ep, "scoring_uri", None),
            swagger_uri=getattr(ep, "openapi_uri", None),
            compute_target=getattr(ep, "compute", None),
            cpu=_number(getattr(requests_k8s, "cpu", None)),
            memory_gb=_memory_gb(getattr(requests_k8s, "memory", None)),
            num_replicas=getattr(d, "instance_count", None),
            autoscale=autoscale,
            scoring_timeout_ms=getattr(requests, "request_timeout_ms", None),
            max_concurrent_requests=getattr(requests, "max_concurrent_requests_per_instance", None),
            max_queue_wait_ms=getattr(requests, "max_queue_wait_ms", None),
            models=[f"{model[0]}:{model[1]}"] if model else [],
            endpoint=ep.name,
            deployment=d.name,
            instance_type=getattr(d, "instance_type", None),
            traffic=dict(getattr(ep, "traffic", None) or {}),
            auth_mode=getattr(ep, "auth_mode", None),
            liveness_probe=_settings(getattr(d, "liveness_probe", None), _PROBE),
            readiness_probe=_settings(getattr(d, "readiness_probe", None), _PROBE),
            scale_settings=_settings(scale, _SCALE),
            request_settings=_settings(requests, _REQUESTS),
            environment=_short_id(getattr(d, "environment", None)),
            scoring_script=getattr(code, "scoring_script", None),
            model_dir=f"{MODEL_ROOT}/{model[0]}/{model[1]}" if model else None,
        )

    def get_logs(
        self, name: str, *, init: bool = False, lines: int = 5000, container: str | None = None
    ) -> ServiceLogs:
        """``container``: "inference-server" or "storage-initializer" (default: by ``init``)."""
        container = container or CONTAINERS[1 if init else 0]
        if container not in CONTAINERS:
            raise UsageProblem(f"container {container!r}: choose {' or '.join(CONTAINERS)}")
        what = f"reading the {container} logs of online deployment {name!r}"
        endpoint, deployment = self._resolve(name, what)
        text = self._call(
            what,
            lambda: self.ml_client.online_deployments.get_logs(
                deployment, endpoint, lines, container_type=container
            ),
            kind="deployment",
            name=f"{endpoint}/{deployment}",
            existing=self._deployment_names(endpoint),
        )
        return ServiceLogs(
            service=f"{endpoint}/{deployment}",
            init=container == CONTAINERS[1],
            lines=lines,
            text=mask_secrets(text or ""),
            container=container,
        )

    def get_keys(self, name: str) -> ServiceKeys:
        endpoint, _ = split_name(name)
        what = f"reading the keys of online endpoint {endpoint!r}"
        keys = self._call(
            what,
            lambda: self.ml_client.online_endpoints.get_keys(endpoint),
            kind="endpoint",
            name=endpoint,
            existing=self._endpoint_names,
        )
        primary = getattr(keys, "primary_key", None) or getattr(keys, "access_token", None) or ""
        return ServiceKeys(primary=primary, secondary=getattr(keys, "secondary_key", None) or "")

    def get_model(self, name: str, version: int | None = None) -> ModelInfo:
        label = f"{name}:{version}" if version is not None else name
        what = f"reading model {label!r} (azure-ai-ml)"
        models = self.ml_client.models

        def all_versions() -> list[Any]:
            return list(models.list(name=name))

        found = self._call(what, all_versions, kind="model", name=label)
        versions = sorted({int(m.version) for m in found if str(m.version).isdigit()})
        if not found:
            raise NotFoundError(f"{what}: no model {name!r} in workspace {self.name!r}")
        chosen = str(version) if version is not None else str(versions[-1] if versions else found[0].version)
        model = self._call(what, lambda: models.get(name, chosen), kind="model", name=f"{name}:{chosen}")
        path = str(getattr(model, "path", "") or "")
        registered = path.rstrip("/").rsplit("/", 1)[-1] if path else ""
        return ModelInfo(
            name=model.name,
            version=int(model.version),
            versions=versions,
            files=[registered] if registered else [],
            id=getattr(model, "id", None),
            path=path or None,
        )

    def download_model(self, name: str, version: int, target_dir: Path) -> Path:
        """``models.download`` (from the workspace's storage), laid out as the container has it:
        ``target_dir/azureml-models/<name>/<version>/<what was registered>``."""
        folder = Path(target_dir) / "azureml-models" / name / str(version)
        what = f"downloading model '{name}:{version}' (azure-ai-ml)"
        scratch = Path(tempfile.mkdtemp(prefix="amlwizard-v2-model-"))
        try:
            self._call(
                what,
                lambda: self.ml_client.models.download(name, str(version), download_path=str(scratch)),
                kind="model",
                name=f"{name}:{version}",
            )
            got = scratch / name
            folder.mkdir(parents=True, exist_ok=True)
            for item in got.iterdir() if got.is_dir() else []:
                shutil.move(str(item), str(folder / item.name))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return folder

    def fetch_for_diagnosis(self, name: str, *, lines: int = 5000) -> tuple[ServiceDetails, dict[str, str]]:
        """The deployment's details, the error of its create/update when ``capture`` recorded one, and both
        containers' logs (a container that never ran has none: the other texts still tell), named as the
        seam names them: "main log" is the inference-server container's, "init log" the
        storage-initializer's (and "image build log" when the captured error linked one)."""
        details = self.get_service(name)
        texts = {"service error": "", "main log": "", "init log": ""}
        captured = captured_error(details.endpoint or "", details.deployment or "")
        if captured:
            texts["service error"] = describe_capture(captured)
        for key, container in zip(("main log", "init log"), CONTAINERS, strict=True):
            try:
                texts[key] = self.get_logs(details.name, lines=lines, container=container).text
            except (NotFoundError, UsageProblem):
                raise
            except Exception:  # noqa: BLE001 - a container not started yet: the other texts still tell
                texts[key] = ""
        if captured and captured.get("build_log"):
            texts["image build log"] = captured["build_log"]
        return details, texts


def _default_credential() -> Any:
    try:
        from azure.identity import DefaultAzureCredential
    except ImportError as exc:
        raise UsageProblem("azure-identity is not installed: pip install azure-identity") from exc
    return DefaultAzureCredential()


def _short_id(value: Any) -> str | None:
    text = value if isinstance(value, str) else getattr(value, "id", None) or getattr(value, "name", None)
    if not text:
        return None
    match = re.search(r"/environments/([^/]+)/versions/([^/]+)$", str(text))
    return f"{match.group(1)}:{match.group(2)}" if match else str(text)


def _number(value: Any) -> float | None:
    try:
        return float(str(value).rstrip("m")) / (1000 if str(value).endswith("m") else 1) if value else None
    except ValueError:
        return None


def _memory_gb(value: Any) -> float | None:
    match = re.fullmatch(r"([\d.]+)\s*(Gi|G|Mi|M)?", str(value or ""))
    if not match:
        return None
    amount, unit = float(match.group(1)), match.group(2) or "Gi"
    return amount if unit in ("Gi", "G") else round(amount / 1024, 3)
