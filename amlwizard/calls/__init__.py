"""Calling a deployed service: one request, or a load probe, and what came back (the one home of that HTTP).

The CLI (``amlwizard call``, ``amlwizard probe``), the triage wizard's *Call the service* step and the Size
replicas wizard's *Load probe* step all call through here. Public API::

    endpoint_of(backend, name)                      # ScoringEndpoint: scoring URI + key (masked in its repr)
    call_service(backend, name, request=None)       # ServiceCall: the answer diagnosed with the logs
    call_endpoint(endpoint, request)                # CallAnswer: status, latency, headers, masked body
    probe_endpoint(endpoint, request, rps=, seconds=, on_second=, cancel=)   # ProbeResult (open loop)
    compare_with_simulation(probe, settings)        # ProbeComparison: observed 503/504 beside the simulator's
    status_meaning(status, details, headers)        # a v2 endpoint's 408/424/429... in plain words

httpx is imported on first call, not with this package.
"""

from __future__ import annotations

from ._compare import ProbeComparison, compare_with_simulation, probe_settings
from ._http import MODEL_ERROR_HEADERS, CallAnswer, ScoringEndpoint, call_endpoint
from ._meaning import model_error, status_meaning
from ._probe import (
    DEFAULT_RPS,
    DEFAULT_SECONDS,
    MAX_RPS,
    MAX_SECONDS,
    ProbeResult,
    check_probe,
    probe_endpoint,
)
from ._service import CALL_SOURCE, ServiceCall, call_service, default_request, endpoint_of

__all__ = [
    "CALL_SOURCE",
    "CallAnswer",
    "DEFAULT_RPS",
    "DEFAULT_SECONDS",
    "MAX_RPS",
    "MAX_SECONDS",
    "MODEL_ERROR_HEADERS",
    "ProbeComparison",
    "ProbeResult",
    "ScoringEndpoint",
    "ServiceCall",
    "call_endpoint",
    "call_service",
    "check_probe",
    "compare_with_simulation",
    "default_request",
    "endpoint_of",
    "model_error",
    "probe_endpoint",
    "probe_settings",
    "status_meaning",
]
