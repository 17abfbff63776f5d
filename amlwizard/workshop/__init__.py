"""The offline workshop: the emulator started in this process, with the real SDK attached to it.

Public API::

    from amlwizard.workshop import start_workshop
    w = start_workshop()            # or start_workshop(["aks-503-spike"]); reused if already running
    w.workspace                     # azureml.core.Workspace of the emulated workspace "mlw-workshop"
    w.backend                       # amlwizard.backends.azure.AzureBackend over it
    w.ml_client                     # azure.ai.ml.MLClient of the same workspace (SDK v2 online endpoints)
    w.v2_backend                    # amlwizard.backends.v2.V2Backend over it
    w.url, w.scenarios, w.config_path, w.env
    w.scoring_state("aks-503-spike")  # the emulated front end: replicas, in flight, queued, answers by status
    w.stop()                        # or: with start_workshop() as w: ...

    connect(config_path)            # a Workspace from a config.json written by `amlwizard emulator`
    connect_ml_client(config_path)  # an MLClient (SDK v2) from the same config.json
    emulator_ml_client(url, bundle, token)  # an MLClient pointed at an emulator (cloud_metadata, a token)
    client_env(url, bundle, state_dir, msi_secret)  # env vars for another process (before importing azureml)

Scoring URIs answer for real: ``start_scoring_server`` serves each Healthy scenario's score.py in azmlinfsrv
behind the emulator's front end; ``speed`` (``$AMLWIZARD_EMULATOR_SPEED``, default 6) compresses how long
AKS takes to start a replica.

It sits above ``amlwizard.emulator`` (the server, which knows nothing of clients) and ``amlwizard.backends``.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "start_workshop",
    "current_workshop",
    "stop_workshop",
    "Workshop",
    "client_env",
    "connect",
    "connect_ml_client",
    "emulator_ml_client",
]

_LAZY = {
    "start_workshop": "._workshop",
    "current_workshop": "._workshop",
    "stop_workshop": "._workshop",
    "Workshop": "._workshop",
    "client_env": "._attach",
    "connect": "._connect",
    "connect_ml_client": "._connect",
    "emulator_ml_client": "._v2_client",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'amlwizard.workshop' has no attribute {name!r}")
