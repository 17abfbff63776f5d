"""What a caller of a scoring URI gets back, by the kind of service in front of the scoring server.

The scoring server (azmlinfsrv) answers the same everywhere: 200, or 500 with ``x-ms-run-function-failed``
when run() raised or ran past the server's own limit. The caller sees that answer through a gateway, and
each kind passes it on differently (../shared/reference/AZUREML-V2.md, "Settings and status codes"):

| | refused for load | run() raised | too slow |
|---|---|---|---|
| v1 AKS, v2 Kubernetes (azureml-fe) | 503 | 502 | 504 |
| v1 ACI (no gateway) | - | 502 | 504 |
| v2 managed online endpoint | 429, no queue | 424, ``ms-azureml-model-error-*`` | 408 (request_timeout_ms) |

A v2 endpoint is first asked for its key and a deployment to route to (401; 404 "No valid deployments").
"""

from __future__ import annotations

from typing import Any

from ..scenarios import SDK_V2, Scenario
from ._http import Reply, Request, json_reply

__all__ = ["NO_SCORING_SERVERS", "passed_on", "refused", "route_online", "timed_out", "unreachable", "wait_s"]

_TEXT = "text/plain; charset=utf-8"
# a bare Emulator() serves the control plane only (503 on every scoring URI)
NO_SCORING_SERVERS = b"this emulator was started without scoring servers (amlwizard.workshop starts them)"
_MARGIN_S = 2.0  # past a v1 service's scoring timeout, azureml-fe stops waiting for a server that is silent
_NO_DEPLOYMENT = (
    "No valid deployments to route to. Please check that the endpoint has at least one deployment with "
    "positive weight values or use a deployment specific header to route."
)
_MODEL_ERROR = "An unexpected error occurred in scoring script. Check the logs for more info."


def _managed(scenario: Scenario) -> bool:
    return scenario.sdk == SDK_V2 and scenario.target == "Managed"


def route_online(endpoints: Any, scenario: Scenario | None, endpoint: str, req: Request) -> Reply | None:
    """A v2 endpoint's refusal before any container: unknown endpoint, wrong key, no deployment to route to
    (the one named in ``azureml-model-deployment``, else one with traffic; a Failed one takes nothing).
    None when the request goes on to the deployment."""
    if scenario is None:
        return Reply(404, b"", "text/plain", "online-score", endpoint)
    if not endpoints.key_valid(scenario, req.headers.get("Authorization")):
        return Reply(401, b"key_auth_access_denied", "text/plain", "online-score", scenario.name)
    pinned = req.headers.get("azureml-model-deployment")
    deployment = scenario.deployment_name or ""
    if pinned:
        routed = endpoints.has_deployment(scenario, pinned)
    else:
        routed = (scenario.endpoint.get("traffic") or {deployment: 100}).get(deployment, 0) > 0
    if not routed or scenario.state != "Succeeded":
        return json_reply(404, {"message": _NO_DEPLOYMENT}, "online-score", scenario.name)
    return None


def wait_s(scenario: Scenario) -> float:
    """How long the gateway waits for the scoring server: a v2 deployment's request_timeout_ms (its server
    keeps working past it, as on Azure), a v1 service's scoring timeout and a margin (its server answers
    the timeout itself)."""
    timeout_ms = scenario.scoring_timeout_ms or 60_000
    return timeout_ms / 1000.0 if scenario.sdk == SDK_V2 else timeout_ms / 1000.0 + _MARGIN_S


def refused(scenario: Scenario) -> Reply:
    """The answer to a request the front end did not admit."""
    name = scenario.name
    if _managed(scenario):
        body = {"error": {"code": "429", "message": "Too Many Requests"}}
        return _pinned(scenario, json_reply(429, body, "online-score", name))
    text = f"Too many requests for service {name} (overloaded)"
    return _pinned(scenario, Reply(503, text.encode(), _TEXT, _route(scenario), name))


def timed_out(scenario: Scenario) -> Reply:
    status = 408 if _managed(scenario) else 504
    reply = Reply(status, b"upstream request timeout", _TEXT, _route(scenario), scenario.name)
    return _pinned(scenario, reply)


def unreachable(scenario: Scenario, reason: object) -> Reply:
    """The scoring server did not start or could not be reached (Envoy's words, as azureml-fe says them)."""
    text = f"upstream connect error or disconnect/reset before headers. reset reason: {reason}"
    return _pinned(scenario, Reply(502, text.encode(), _TEXT, _route(scenario), scenario.name))


def passed_on(scenario: Scenario, status: int, headers: dict[str, str], body: bytes) -> Reply:
    """The scoring server's answer as the caller gets it through the scenario's gateway."""
    route, name = _route(scenario), scenario.name
    failed = headers.get("x-ms-run-function-failed", "").lower() == "true"
    content_type = headers.get("content-type", "application/json")
    if status == 500 and failed and b"Scoring timeout" in body:
        return timed_out(scenario)
    if _managed(scenario) and status != 200:
        # the model answered, but not 200: the managed front end says 424 and names the model's status
        reply = json_reply(424, {"message": _MODEL_ERROR}, route, name)
        reply.headers["ms-azureml-model-error-statuscode"] = str(status)
        reply.headers["ms-azureml-model-error-reason"] = "model_error"
        return _pinned(scenario, reply)
    reply = Reply(502 if status == 500 and failed else status, body, content_type, route, name)
    if failed:
        reply.headers["x-ms-run-function-failed"] = "True"
    return _pinned(scenario, reply)


def _route(scenario: Scenario) -> str:
    return "online-score" if scenario.sdk == SDK_V2 else "score"


def _pinned(scenario: Scenario, reply: Reply) -> Reply:
    """A v2 answer names the deployment that served it, as Azure's does."""
    if scenario.sdk == SDK_V2 and scenario.deployment_name:
        reply.headers["azureml-model-deployment"] = scenario.deployment_name
    return reply
