"""How amlwizard makes an azure-ai-ml ``MLClient``: for another cloud (the documented ``cloud_metadata``),
with azureml-core's sign-in as its credential, or with azure-identity's default one.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from typing import Any

from .._errors import UsageProblem

__all__ = ["make_ml_client", "SameSignIn", "default_credential"]

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


class SameSignIn:
    """azureml-core's authentication as a ``TokenCredential``: its ARM token, whatever scope is asked (some
    of its classes take an audience, not scopes, in their own ``get_token``)."""

    def __init__(self, auth: Any) -> None:
        self._auth = auth

    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        from azure.core.credentials import AccessToken

        token = self._auth.get_authentication_header()["Authorization"].split(" ", 1)[1]
        try:
            claims = token.split(".")[1]
            expires = int(json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))["exp"])
        except (IndexError, ValueError, KeyError, TypeError):
            expires = int(time.time()) + 600
        return AccessToken(token, expires)


def default_credential() -> Any:
    try:
        from azure.identity import DefaultAzureCredential
    except ImportError as exc:
        raise UsageProblem("azure-identity is not installed: pip install azure-identity") from exc
    return DefaultAzureCredential()
