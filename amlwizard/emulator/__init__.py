"""A local Azure ML control plane (HTTPS, 127.0.0.1) serving the workshop scenarios to the real azureml-core.

Public API::

    from amlwizard.emulator import start_workshop
    w = start_workshop()            # or start_workshop(["aks-503-spike"]); reused if already running
    w.workspace                     # azureml.core.Workspace of the emulated workspace "mlw-workshop"
    w.backend                       # amlwizard.backends.azure.AzureBackend over it
    w.url, w.scenarios, w.config_path, w.env
    w.stop()                        # or: with start_workshop() as w: ...

    Emulator(scenarios=None, port=0)   # the bare server: .start() .stop() .url .add_fault() .fault()
                                       # .close_port() .reopen_port() .calls .ca.bundle_path
    client_env(url, bundle, state_dir) # env vars for another process (set before importing azureml)
    connect(config_path)               # a Workspace from a config.json written by `amlwizard emulator`
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["start_workshop", "current_workshop", "Workshop", "Emulator", "Fault", "client_env", "connect"]

_LAZY = {
    "start_workshop": "._workshop",
    "current_workshop": "._workshop",
    "Workshop": "._workshop",
    "Emulator": "._server",
    "Fault": "._server",
    "client_env": "._client",
    "connect": "._connect",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'amlwizard.emulator' has no attribute {name!r}")
