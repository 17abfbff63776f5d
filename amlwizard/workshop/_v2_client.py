"""Point the real azure-ai-ml client (SDK v2) at a running emulator: ``emulator_ml_client(url, ...)``.

The documented way to reach a custom cloud (``cloud`` + ``cloud_metadata``), a static token credential, and no
telemetry. azure-ai-ml records the cloud it was given in ``AZUREML_CURRENT_CLOUD`` (process-wide): it is put
back as it was, so a real ``MLClient`` or ``Workspace`` made later in the same process still goes to Azure.
The test CA must be trusted (``REQUESTS_CA_BUNDLE``, as the v1 attachment sets it); ``connection_verify`` also
names it to every pipeline the client builds.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

from ..scenarios import WORKSPACE

__all__ = ["StaticToken", "emulator_ml_client", "V2_CLOUD_NAME"]

V2_CLOUD_NAME = "AmlWizardEmulatorV2"
_CLOUD_LOCK = threading.Lock()  # MLClient writes AZUREML_CURRENT_CLOUD; two at once would restore wrongly


class StaticToken:
    """A ``TokenCredential``: the same bearer token for every scope (the emulator issued it)."""

    def __init__(self, token: str, lifetime_s: int = 24 * 3600) -> None:
        self._token, self._expires = token, int(time.time()) + lifetime_s

    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        from azure.core.credentials import AccessToken

        return AccessToken(self._token, self._expires)


def _cloud_metadata(url: str) -> dict[str, str]:
    return {
        "azure_portal": url + "/portal/",
        "resource_manager": url + "/",
        "active_directory": url + "/login/",
        "aml_resource_id": url + "/",
        "storage_endpoint": "core.windows.net",
        "registry_discovery_endpoint": url + "/",
    }


def emulator_ml_client(url: str, bundle: Path, token: str, *, workspace: dict[str, str] | None = None) -> Any:
    """An ``azure.ai.ml.MLClient`` of the emulated workspace at ``url`` (no network call is made here)."""
    from azure.ai.ml import MLClient

    w = workspace or WORKSPACE
    cloud = V2_CLOUD_NAME + url.rsplit(":", 1)[-1]
    with _CLOUD_LOCK:
        before = os.environ.get("AZUREML_CURRENT_CLOUD")
        try:
            return MLClient(
                StaticToken(token),
                w["subscription_id"],
                w["resource_group"],
                w["workspace_name"],
                cloud=cloud,
                cloud_metadata=_cloud_metadata(url),
                enable_telemetry=False,
                show_progress=False,
                connection_verify=str(bundle),
            )
        finally:
            if before is None:
                os.environ.pop("AZUREML_CURRENT_CLOUD", None)
            else:
                os.environ["AZUREML_CURRENT_CLOUD"] = before
