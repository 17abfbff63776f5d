"""Point the real azureml-core client of this process (or of another one) at a running emulator.

In-process (``Attachment``): trust the test CA through ``REQUESTS_CA_BUNDLE`` (the CAs trusted before + the
test CA), register a cloud ``AmlWizardEmulator<port>`` beside the real ones and keep the SDK's discovery cache
in the CA's temporary folder; ``detach`` undoes it. For another process: ``client_env`` gives env vars.
Like a client of Azure, it knows only the emulator's URL, its CA and a token: the cloud's endpoints come
from the emulator's metadata document, the token from the emulator in-process or from its managed-identity
endpoint, which answers only with the emulator's MSI secret (config.json and ``client_env`` carry it).
"""

from __future__ import annotations

import json
import os
import ssl
import threading
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from .._errors import UsageProblem
from ..scenarios import WORKSPACE

__all__ = ["CLOUD_NAME", "Attachment", "client_env", "write_config", "fetch_token"]

CLOUD_NAME = "AmlWizardEmulator"


def _get_json(url: str, bundle: Path, headers: dict[str, str] | None = None) -> Any:
    context = ssl.create_default_context(cafile=str(bundle))
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10, context=context) as answer:
            return json.loads(answer.read().decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageProblem(
            f"the offline workshop at {url.split('/', 3)[2]} does not answer ({exc}); "
            "restart it (%aml_troubleshoot --workshop, or `amlwizard emulator`)"
        ) from exc


def fetch_token(url: str, bundle: Path, secret: str) -> str:
    """A token from the emulator's managed-identity endpoint, as the SDK's MSI authentication gets one
    (``secret``: the emulator's MSI secret, sent as the ``secret`` header)."""
    query = urllib.parse.urlencode({"resource": "https://management.azure.com/", "api-version": "2017-09-01"})
    return str(_get_json(f"{url}/msi/token?{query}", bundle, {"secret": secret})["access_token"])


def _emulator_auth(token: str, cloud: str) -> Any:
    from azureml.core.authentication import TokenAuthentication

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

    def __init__(
        self,
        url: str,
        bundle: Path,
        state_dir: Path,
        token: str | None = None,
        msi_secret: str | None = None,
    ) -> None:
        self.url, self.bundle, self.state_dir = url, bundle, state_dir
        self.cloud_name = CLOUD_NAME + url.rsplit(":", 1)[-1]
        self.token = token  # None: asked of the emulator's managed-identity endpoint on attach
        self._msi_secret = msi_secret
        self.attached = False

    def attach(self) -> None:
        if self.attached:
            return
        from azureml._vendor.azure_cli_core.azureml_cloud import _Clouds
        from azureml._vendor.azure_cli_core.cloud import _arm_to_cli_mapper

        metadata = _get_json(f"{self.url}/metadata/endpoints", self.bundle)[0]
        if self.token is None:
            if not self._msi_secret:
                raise UsageProblem("no token and no MSI secret for the offline workshop: use its config.json")
            self.token = fetch_token(self.url, self.bundle, self._msi_secret)
        _ProcessPatch.acquire(self.bundle, self.bundle.parent / ".azureml" / ".discovery")
        cloud = _arm_to_cli_mapper({**metadata, "name": self.cloud_name})
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
        auth = _emulator_auth(str(self.token), self.cloud_name)
        return Workspace(w["subscription_id"], w["resource_group"], w["workspace_name"], auth=auth)


def client_env(url: str, bundle: Path, state_dir: Path, msi_secret: str) -> dict[str, str]:
    """Env vars that point a fresh process's azureml-core at the emulator (set them before importing azureml).

    ``MSI_ENDPOINT`` and ``MSI_SECRET`` make the SDK's default authentication take a token from the emulator,
    as on a compute instance, so ``Workspace.from_config()`` works unchanged.
    """
    config_dir = state_dir / "azure-config"
    config_dir.mkdir(exist_ok=True)
    return {
        "REQUESTS_CA_BUNDLE": str(bundle),
        "SSL_CERT_FILE": str(bundle),  # urllib fetches the cloud metadata
        "AZURE_CONFIG_DIR": str(config_dir),  # the SDK caches the cloud endpoints (port included) there
        "AZUREML_CURRENT_CLOUD": "AzureCloud",
        "ARM_CLOUD_METADATA_URL": f"{url}/metadata/endpoints",
        # azureml-core's MSI client sends no secret header: the endpoint's path carries it (docs/emulator.md)
        "MSI_ENDPOINT": f"{url}/msi/{msi_secret}/token",
        "MSI_SECRET": msi_secret,
        "AMLWIZARD_EMULATOR_URL": url,
    }


def write_config(path: Path, url: str, bundle: Path, msi_secret: str) -> Path:
    """The ``config.json`` ``Workspace.from_config`` reads, plus where the emulator is and its MSI secret
    (for ``amlwizard`` and ``connect``). Readable by its owner only: the secret opens the workspace."""
    config = {
        "subscription_id": WORKSPACE["subscription_id"],
        "resource_group": WORKSPACE["resource_group"],
        "workspace_name": WORKSPACE["workspace_name"],
        "amlwizard_emulator": {"url": url, "ca_bundle": str(bundle), "msi_secret": msi_secret},
    }
    path.touch(mode=0o600, exist_ok=True)
    path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return path
