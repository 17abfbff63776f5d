"""Point the real azure-ai-ml client (SDK v2) at a running emulator: ``emulator_ml_client(url, ...)``.

The documented way to reach another cloud (``cloud`` + ``cloud_metadata``: ``backends.v2.make_ml_client``,
which also puts ``AZUREML_CURRENT_CLOUD`` back), a static token credential, no telemetry. The test CA must be
trusted (``REQUESTS_CA_BUNDLE``, as the v1 attachment sets it); ``connection_verify`` also names it to every
pipeline the client builds.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from ..backends.v2 import make_ml_client
from ..scenarios import WORKSPACE

__all__ = ["StaticToken", "emulator_ml_client", "V2_CLOUD_NAME"]

V2_CLOUD_NAME = "AmlWizardEmulatorV2"


class StaticToken:
    """A ``TokenCredential``: the same bearer token for every scope (the emulator issued it)."""

    def __init__(self, token: str, lifetime_s: int = 24 * 3600) -> None:
        self._token, self._expires = token, int(time.time()) + lifetime_s

    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        from azure.core.credentials import AccessToken

        return AccessToken(self._token, self._expires)


def emulator_ml_client(url: str, bundle: Path, token: str, *, workspace: dict[str, str] | None = None) -> Any:
    """An ``azure.ai.ml.MLClient`` of the emulated workspace at ``url`` (no network call is made here)."""
    w = workspace or WORKSPACE
    return make_ml_client(
        StaticToken(token),
        w["subscription_id"],
        w["resource_group"],
        w["workspace_name"],
        resource_manager=url + "/",
        cloud_name=V2_CLOUD_NAME + url.rsplit(":", 1)[-1],
        connection_verify=str(bundle),
    )
