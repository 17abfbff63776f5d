"""Prepare a Python process to talk to the emulator with the real azureml-core client.

In-process (``Attachment``): trust the test CA through ``REQUESTS_CA_BUNDLE`` (the CAs trusted before + the
test CA), register a cloud ``AmlWizardEmulator<port>`` beside the real ones and keep the SDK's discovery cache
in the CA's temporary folder; ``detach`` undoes it. For another process: ``client_env`` gives env vars.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from pathlib import Path
from typing import Any

from ..scenarios import WORKSPACE
from ._arm import cloud_metadata

__all__ = ["CLOUD_NAME", "unsigned_jwt", "emulator_auth", "Attachment", "client_env", "write_config"]

CLOUD_NAME = "AmlWizardEmulator"


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def unsigned_jwt(lifetime_s: int = 24 * 3600) -> str:
    """A JWT the SDK accepts (it only reads ``exp`` and ``tid``); the emulator never checks signatures."""
    now = int(time.time())
    claims = {
        "aud": "https://management.azure.com/",
        "iss": f"https://sts.windows.net/{WORKSPACE['tenant_id']}/",
        "iat": now,
        "nbf": now,
        "exp": now + lifetime_s,
        "tid": WORKSPACE["tenant_id"],
        "oid": "3c9a1e52-7b4d-4f0e-a8c6-2d1b9e7f5a30",
        "upn": "student@contoso.com",
    }
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}.emulator"


def emulator_auth(cloud: str | None = CLOUD_NAME):
    """An azureml ``TokenAuthentication`` for the emulator (``cloud=None``: the process's default cloud)."""
    from azureml.core.authentication import TokenAuthentication

    token = unsigned_jwt()
    return TokenAuthentication(lambda audience: token, cloud=cloud)


class _ProcessPatch:
    """The process-wide changes, made by the first attachment and undone by the last one."""

    lock = threading.Lock()
    users = 0
    env_before: str | None = None
    discovery_before: tuple | None = None

    @classmethod
    def acquire(cls, bundle: Path, discovery_file: Path) -> None:
        from azureml._base_sdk_common.service_discovery import CachedServiceDiscovery
        from azureml._vendor.azure_cli_core.azureml_cloud import _Clouds

        with cls.lock:
            cls.users += 1
            if cls.users > 1:
                return
            cls.env_before = os.environ.get("REQUESTS_CA_BUNDLE")
            # requests (used by azureml and azure-core) reads this on every request; the bundle keeps the CAs
            # the process trusted before (certifi's or its own REQUESTS_CA_BUNDLE) and adds the test CA.
            os.environ["REQUESTS_CA_BUNDLE"] = str(bundle)
            # Initialise the SDK's cloud list without network (a known cloud name skips the metadata fetch).
            _Clouds.get_cloud_or_default("AzureCloud")
            # The SDK's discovery cache goes to the emulator's folder instead of ~/.azureml/.discovery.
            cls.discovery_before = CachedServiceDiscovery.__init__.__defaults__
            discovery_file.parent.mkdir(parents=True, exist_ok=True)
            CachedServiceDiscovery.__init__.__defaults__ = (str(discovery_file),)

    @classmethod
    def release(cls, bundle: Path) -> None:
        from azureml._base_sdk_common.service_discovery import CachedServiceDiscovery

        with cls.lock:
            cls.users -= 1
            if cls.users > 0:
                return
            if os.environ.get("REQUESTS_CA_BUNDLE") == str(bundle):
                if cls.env_before is None:
                    os.environ.pop("REQUESTS_CA_BUNDLE", None)
                else:
                    os.environ["REQUESTS_CA_BUNDLE"] = cls.env_before
            CachedServiceDiscovery.__init__.__defaults__ = cls.discovery_before


class Attachment:
    """This process attached to one emulator: a cloud named ``AmlWizardEmulator<port>`` beside the real ones
    (so a real Workspace in the same process is unaffected), the test CA trusted. ``detach`` undoes it."""

    def __init__(self, url: str, bundle: Path, state_dir: Path) -> None:
        self.url, self.bundle, self.state_dir = url, bundle, state_dir
        self.cloud_name = CLOUD_NAME + url.rsplit(":", 1)[-1]
        self.attached = False

    def attach(self) -> None:
        if self.attached:
            return
        from azureml._vendor.azure_cli_core.azureml_cloud import _Clouds
        from azureml._vendor.azure_cli_core.cloud import _arm_to_cli_mapper

        _ProcessPatch.acquire(self.bundle, self.bundle.parent / ".azureml" / ".discovery")
        cloud = _arm_to_cli_mapper(cloud_metadata(self.url, self.cloud_name)[0])
        cloud.endpoints.active_directory = cloud.endpoints.active_directory.rstrip("/")
        _Clouds._clouds[self.cloud_name] = cloud
        self.attached = True

    def detach(self) -> None:
        if not self.attached:
            return
        from azureml._vendor.azure_cli_core.azureml_cloud import _Clouds

        if _Clouds._clouds:
            _Clouds._clouds.pop(self.cloud_name, None)
        _ProcessPatch.release(self.bundle)
        self.attached = False

    def workspace(self):
        """A ready ``azureml.core.Workspace`` for the emulated workspace (two calls to the emulator)."""
        from azureml.core import Workspace

        w = WORKSPACE
        auth = emulator_auth(self.cloud_name)
        return Workspace(w["subscription_id"], w["resource_group"], w["workspace_name"], auth=auth)


def client_env(url: str, bundle: Path, state_dir: Path) -> dict[str, str]:
    """Env vars that point a fresh process's azureml-core at the emulator (set them before importing azureml).

    ``MSI_ENDPOINT`` makes the SDK's default authentication take a token from the emulator, as on a
    compute instance, so ``Workspace.from_config()`` works unchanged.
    """
    config_dir = state_dir / "azure-config"
    config_dir.mkdir(exist_ok=True)
    return {
        "REQUESTS_CA_BUNDLE": str(bundle),
        "SSL_CERT_FILE": str(bundle),  # urllib fetches the cloud metadata
        "AZURE_CONFIG_DIR": str(config_dir),  # the SDK caches the cloud endpoints (port included) there
        "AZUREML_CURRENT_CLOUD": "AzureCloud",
        "ARM_CLOUD_METADATA_URL": f"{url}/metadata/endpoints",
        "MSI_ENDPOINT": f"{url}/msi/token",
        "MSI_SECRET": "amlwizard-workshop",
        "AMLWIZARD_EMULATOR_URL": url,
    }


def write_config(path: Path, url: str, bundle: Path) -> Path:
    """The ``config.json`` ``Workspace.from_config`` reads, plus where the emulator is (for ``amlwizard``)."""
    config = {
        "subscription_id": WORKSPACE["subscription_id"],
        "resource_group": WORKSPACE["resource_group"],
        "workspace_name": WORKSPACE["workspace_name"],
        "amlwizard_emulator": {"url": url, "ca_bundle": str(bundle)},
    }
    path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return path
