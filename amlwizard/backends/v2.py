"""The SDK v2 backend: online endpoints of a workspace through azure-ai-ml, imported only when first used.

A service is a deployment, named ``endpoint/deployment`` (``endpoint`` alone: its deployment with the most
traffic); compute type "Managed" or "Kubernetes". Logs: ``init=False`` is the inference-server container,
``init=True`` the storage-initializer. Every call is bounded, retried and turned into a one-line
``BackendError`` as in ``AzureBackend``. A failed deployment's GET says only "Failed": the error of its
create/update is known only if ``capture`` recorded it (``_capture``), and is then shown and diagnosed.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .._errors import NotFoundError, UsageProblem
from .._secrets import mask_secrets
from ._azure_errors import TIMEOUT_HINT, RetriedCalls, bounded
from ._base import (
    Backend,
    EndpointSummary,
    ModelInfo,
    ServiceDetails,
    ServiceKeys,
    ServiceLogs,
    ServiceSummary,
    split_name,
)
from ._capture import captured_error, describe_capture
from ._v2_client import SameSignIn, default_credential, make_ml_client
from ._v2_entities import compute_type, created, deployment_details, state
from ._v2_errors import translate_v2

__all__ = ["V2Backend", "DEFAULT_TIMEOUT_S", "CONTAINERS", "split_name", "make_ml_client"]

DEFAULT_TIMEOUT_S = 30.0
CONTAINERS = ("inference-server", "storage-initializer")


class V2Backend(RetriedCalls, Backend):
    """Online endpoints reached through azure-ai-ml. ``V2Backend(ml_client)`` wraps an ``MLClient`` you have.

    ``timeout_s``, ``retries``, ``backoff_s`` and ``timeout_hint`` work as in ``AzureBackend``.
    """

    _translate = staticmethod(translate_v2)

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

            cred = credential if credential is not None else default_credential()
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
            credential = SameSignIn(auth)
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

            cred = credential if credential is not None else default_credential()
            client = MLClient(cred, subscription_id, resource_group, workspace_name)
        except Exception as exc:
            raise translate_v2(
                exc, what=f"opening workspace {workspace_name!r}", workspace=workspace_name
            ) from exc
        return cls(client, timeout_s=timeout_s, **kw)

    # -- lookups (each SDK call goes through RetriedCalls._call) ----------------------------------
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
            details = [deployment_details(ep, d, captured_error(ep.name, d.name)) for d in deployments]
            # the SDK keeps no creation time of an endpoint: its first deployment's stands for it
            first = min((d.created_time for d in details if d.created_time), default=None)
            found.append(
                EndpointSummary(
                    name=ep.name,
                    compute_type=compute_type(ep),
                    state=state(ep),
                    auth_mode=getattr(ep, "auth_mode", None),
                    scoring_uri=getattr(ep, "scoring_uri", None),
                    traffic=dict(getattr(ep, "traffic", None) or {}),
                    created_time=created(ep) or first,
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
        d = self._deployment(endpoint, deployment, what)
        return deployment_details(ep, d, captured_error(ep.name, d.name))

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
            try:
                self._call(
                    what,
                    lambda: self.ml_client.models.download(name, str(version), download_path=str(scratch)),
                    kind="model",
                    name=f"{name}:{version}",
                )
            except NotFoundError:
                # azure-ai-ml reads the datastore, then the storage account's own host: a 404 there is
                # not "no such model" when the model is registered (get_model raises the right 404 if not)
                self.get_model(name, version)
                raise NotFoundError(
                    f"model '{name}:{version}' is registered, but its files could not be downloaded from "
                    "the workspace's storage (no access to it, or the offline workshop, which has none); "
                    "give the model's files on this machine instead"
                ) from None
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
