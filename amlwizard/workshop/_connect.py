"""``connect(config_path)``: a Workspace for an emulator started elsewhere (``amlwizard emulator``);
``connect_ml_client(config_path)``: an azure-ai-ml ``MLClient`` for it.

Reads the ``config.json`` the emulator wrote (it names the emulator's URL and CA bundle) and attaches this
process as ``start_workshop`` does; the attachment's own temporary folder is removed at exit.
"""

from __future__ import annotations

import atexit
import json
import shutil
from pathlib import Path
from typing import Any

from .._errors import UsageProblem
from .._files import owned_tempdir
from ._attach import Attachment

__all__ = ["connect", "connect_ml_client"]

_ATTACHED: dict[str, Attachment] = {}


def connect(config_path: str | Path) -> Any:
    """An ``azureml.core.Workspace`` for the emulator named in ``config_path``."""
    return _attachment(config_path).workspace()


def connect_ml_client(config_path: str | Path) -> Any:
    """An ``azure.ai.ml.MLClient`` (SDK v2) for the emulator named in ``config_path``, with the same token."""
    from ._v2_client import emulator_ml_client

    attachment = _attachment(config_path)
    return emulator_ml_client(attachment.url, attachment.bundle, str(attachment.token))


def _attachment(config_path: str | Path) -> Attachment:
    try:
        info = json.loads(Path(config_path).read_text(encoding="utf-8"))["amlwizard_emulator"]
        url, bundle, secret = info["url"], Path(info["ca_bundle"]), str(info["msi_secret"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageProblem(
            f"{config_path} is not a config.json written by `amlwizard emulator` ({exc})"
        ) from exc
    if not bundle.is_file():
        raise UsageProblem(
            f"the emulator of {config_path} is gone (no {bundle}); start `amlwizard emulator` again"
        )
    attachment = _ATTACHED.get(url)
    if attachment is None:
        state = owned_tempdir("amlwizard-client-")
        atexit.register(shutil.rmtree, state, True)
        attachment = Attachment(url, bundle, state, msi_secret=secret)
        attachment.attach()
        _ATTACHED[url] = attachment
    return attachment
