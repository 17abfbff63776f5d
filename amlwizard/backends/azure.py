"""The Azure ML backend: a real workspace through azureml-core (SDK v1), imported only when first used.

Every call is bounded in time, retried on server and connection errors, and turned into a one-line
``BackendError`` (see ``_azure_errors``). Works the same against Azure and against ``amlwizard.emulator``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from .._errors import NotFoundError
from .._secrets import mask_json, mask_secrets
from ._azure_errors import TIMEOUT_HINT, RetriedCalls, bounded, translate
from ._base import (
    AutoscaleSettings,
    Backend,
    ModelInfo,
    ServiceDetails,
    ServiceKeys,
    ServiceLogs,
    ServiceSummary,
)

__all__ = ["AzureBackend", "DEFAULT_TIMEOUT_S", "quiet_sdk_logs"]

DEFAULT_TIMEOUT_S = 30.0


def quiet_sdk_logs() -> None:
    # azureml logs its own HTTP errors at WARNING/ERROR; with no handler configured Python would print them
    # raw on stderr next to our one-line message. A NullHandler keeps them for users who configure logging.
    logger = logging.getLogger("azureml")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())


def _iso(value: Any) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else (str(value) if value else None)


class AzureBackend(RetriedCalls, Backend):
    """A workspace reached through azureml-core. ``AzureBackend(ws)`` wraps a ``Workspace`` you already have.

    ``timeout_s`` bounds each call; ``retries`` is how many times a 5xx or connection failure is tried again
    (after ``backoff_s``, doubling). ``timeout_hint`` is how the time-limit message tells the user to allow
    more time (the CLI names its ``--timeout`` flag).
    """

    _translate = staticmethod(translate)

    def __init__(
        self,
        workspace: Any,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        retries: int = 1,
        backoff_s: float = 1.0,
        timeout_hint: str = TIMEOUT_HINT,
    ) -> None:
        quiet_sdk_logs()
        self.workspace = workspace
        self.timeout_s, self.retries, self.backoff_s = timeout_s, retries, backoff_s
        self.timeout_hint = timeout_hint
        self.name = getattr(workspace, "name", "?")
        sub = str(getattr(workspace, "subscription_id", "") or "")
        group = getattr(workspace, "resource_group", "?")
        self.description = f"workspace '{self.name}' ({group}, subscription ...{sub[-4:]})"

    # -- constructors ----------------------------------------------------------------------------
    @classmethod
    def from_config(
        cls,
        path: str | Path | None = None,
        *,
        auth: Any = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        **kw: Any,
    ) -> AzureBackend:
        """``Workspace.from_config(path)``: searched as the SDK does (this folder, its parents, .azureml/)."""
        if path is not None and not Path(path).exists():
            raise NotFoundError(
                f"no workspace config at {path}; download config.json from the workspace's page in "
                "Azure ML studio"
            )
        quiet_sdk_logs()

        def load() -> Any:
            from azureml.core import Workspace

            return Workspace.from_config(path=None if path is None else str(path), auth=auth)

        try:
            hint = kw.get("timeout_hint", TIMEOUT_HINT)
            ws = bounded(load, timeout_s, "loading the workspace from config.json", hint)
        except Exception as exc:
            low = str(exc).lower()
            if "config" in low and ("could not be found" in low or "could not find" in low):
                raise NotFoundError(
                    "no workspace config.json found here, in a parent folder or in .azureml/; pass its path "
                    "(--workspace config.json), download it from Azure ML studio, or try the offline "
                    "workshop (--emulator)"
                ) from exc
            raise translate(
                exc, what="opening the workspace", workspace=str(path or "config.json"), kind="workspace"
            ) from exc
        return cls(ws, timeout_s=timeout_s, **kw)

    @classmethod
    def from_names(
        cls,
        subscription_id: str,
        resource_group: str,
        workspace_name: str,
        *,
        auth: Any = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        **kw: Any,
    ) -> AzureBackend:
        """``Workspace.get(...)`` with the SDK's default authentication unless ``auth`` is given."""
        quiet_sdk_logs()

        def load() -> Any:
            from azureml.core import Workspace

            return Workspace(subscription_id, resource_group, workspace_name, auth=auth)

        try:
            hint = kw.get("timeout_hint", TIMEOUT_HINT)
            ws = bounded(load, timeout_s, f"opening workspace {workspace_name!r}", hint)
        except Exception as exc:
            raise translate(
                exc,
                what=f"opening workspace {workspace_name!r}",
                workspace=workspace_name,
                kind="workspace",
                existing=lambda: _workspace_names(subscription_id, resource_group, auth),
            ) from exc
        return cls(ws, timeout_s=timeout_s, **kw)

    # -- lookups (each SDK call goes through RetriedCalls._call) ----------------------------------
    def _service_names(self) -> list[str]:
        from azureml.core import Webservice

        return sorted(
            s.name
            for s in bounded(lambda: Webservice.list(self.workspace), min(self.timeout_s, 10), "listing")
        )

    def _model_names(self) -> list[str]:
        from azureml.core import Model

        models = bounded(lambda: Model.list(self.workspace, latest=False), min(self.timeout_s, 10), "listing")
        return sorted({f"{m.name}:{m.version}" for m in models})

    def _webservice(self, name: str, what: str) -> Any:
        from azureml.core import Webservice

        return self._call(
            what,
            lambda: Webservice(self.workspace, name),
            kind="service",
            name=name,
            existing=self._service_names,
        )

    # -- the Backend methods ---------------------------------------------------------------------
    def list_services(self) -> list[ServiceSummary]:
        from azureml.core import Webservice

        services = self._call(
            f"listing the services of workspace {self.name!r}", lambda: Webservice.list(self.workspace)
        )
        rows = [ServiceSummary(s.name, s.compute_type, s.state, _iso(s.created_time)) for s in services]
        return sorted(rows, key=lambda r: r.created_time or "", reverse=True)

    def get_service(self, name: str) -> ServiceDetails:
        svc = self._webservice(name, f"reading service {name!r}")
        res = getattr(svc, "container_resource_requirements", None)
        scaler = getattr(svc, "autoscaler", None)
        autoscale = None
        if scaler is not None:
            autoscale = AutoscaleSettings(
                enabled=bool(scaler.autoscale_enabled),
                min_replicas=scaler.min_replicas,
                max_replicas=scaler.max_replicas,
                target_utilization=scaler.target_utilization,
                refresh_seconds=scaler.refresh_period_seconds,
            )
        gpu = getattr(res, "gpu", None) if res is not None else None
        return ServiceDetails(
            name=svc.name,
            compute_type=svc.compute_type,
            state=svc.state,
            created_time=_iso(svc.created_time),
            error=mask_json(svc.error) if svc.error else None,
            scoring_uri=svc.scoring_uri,
            swagger_uri=getattr(svc, "swagger_uri", None),
            auth_enabled=getattr(svc, "auth_enabled", None),
            compute_target=getattr(svc, "compute_name", None),
            cpu=getattr(res, "cpu", None),
            memory_gb=getattr(res, "memory_in_gb", None),
            gpu=int(gpu) if gpu is not None else None,
            num_replicas=getattr(svc, "num_replicas", None),
            autoscale=autoscale,
            scoring_timeout_ms=getattr(svc, "scoring_timeout_ms", None),
            max_concurrent_requests=getattr(svc, "max_concurrent_requests_per_container", None),
            max_queue_wait_ms=getattr(svc, "max_request_wait_time", None),
            models=[f"{m.name}:{m.version}" for m in (getattr(svc, "models", None) or [])],
        )

    def get_logs(self, name: str, *, init: bool = False, lines: int = 5000) -> ServiceLogs:
        which = "init container logs" if init else "logs"
        svc = self._webservice(name, f"reading the {which} of service {name!r}")
        text = self._call(
            f"reading the {which} of service {name!r}",
            lambda: svc.get_logs(num_lines=lines, init=init),
            kind="service",
            name=name,
        )
        return ServiceLogs(service=name, init=init, lines=lines, text=mask_secrets(text or ""))

    def get_model(self, name: str, version: int | None = None) -> ModelInfo:
        from azureml.core import Model

        label = f"{name}:{version}" if version is not None else name
        what = f"reading model {label!r}"
        model = self._call(
            what,
            lambda: Model(self.workspace, name=name, version=version),
            kind="model",
            name=label,
            existing=self._model_names,
        )
        versions = self._call(what, lambda: Model.list(self.workspace, name=name, latest=False))
        files = self._call(
            what, lambda: list(model._get_sas_to_relative_download_path_map(model._get_asset()).values())
        )
        return ModelInfo(
            name=model.name,
            version=int(model.version),
            versions=sorted({int(m.version) for m in versions}),
            files=sorted(Path(f).as_posix() for f in files),
            id=model.id,
        )

    def download_model(self, name: str, version: int, target_dir: Path) -> Path:
        from azureml.core import Model

        folder = Path(target_dir) / "azureml-models" / name / str(version)
        what = f"downloading model '{name}:{version}'"
        model = self._call(
            what,
            lambda: Model(self.workspace, name=name, version=int(version)),
            kind="model",
            name=f"{name}:{version}",
            existing=self._model_names,
        )
        folder.mkdir(parents=True, exist_ok=True)
        self._call(what, lambda: model.download(str(folder), exist_ok=True))
        return folder

    def get_keys(self, name: str) -> ServiceKeys:
        svc = self._webservice(name, f"reading the keys of service {name!r}")
        primary, secondary = self._call(
            f"reading the keys of service {name!r}", svc.get_keys, kind="service", name=name
        )
        return ServiceKeys(primary=primary or "", secondary=secondary or "")


def _workspace_names(subscription_id: str, resource_group: str, auth: Any) -> list[str]:
    from azureml.core import Workspace

    found = bounded(
        lambda: Workspace.list(subscription_id, auth=auth, resource_group=resource_group), 10, "listing"
    )
    return sorted(found)
