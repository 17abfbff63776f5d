"""Local deployment: a scoring script and its model in the real Azure ML inference server, on 127.0.0.1.

Not a workspace backend: it reproduces one service on this machine. Public API::

    LocalDeployment(score_path, model_dir=None, model=None, ...)   # .start() .score() .stop() ...
    LocalDeployment.for_scenario(name)                             # a workshop scenario's app
    choose_local_engine()                                          # the engine, and whether Docker runs
    check_probes(init_seconds, liveness, readiness)                # SDK v2 probes against init()'s time
    load_sample_request(source)                                    # a request from JSON, a file, a swagger
"""

from __future__ import annotations

from .._layout import ModelSpec
from ._deployment import LocalDeployment
from ._docker import (
    DockerProbe,
    LocalEngineChoice,
    choose_local_engine,
    local_endpoint_code,
    local_webservice_code,
)
from ._probes import PROBE_DEFAULTS, ProbeCheck, check_probes
from ._support import Health, ScoreResult, load_sample_request, scenario_app, vscode_launch_config

__all__ = [
    "LocalDeployment",
    "Health",
    "ScoreResult",
    "ModelSpec",
    "DockerProbe",
    "LocalEngineChoice",
    "choose_local_engine",
    "local_webservice_code",
    "local_endpoint_code",
    "load_sample_request",
    "scenario_app",
    "vscode_launch_config",
    "PROBE_DEFAULTS",
    "ProbeCheck",
    "check_probes",
]
