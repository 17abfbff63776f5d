"""The SDK v2 (azure-ai-ml) control-plane calls of online endpoints, answered from ``EndpointsData``.

``PATTERNS`` and ``HANDLERS`` join ``_routes``' table, so the v2 routes share its dispatch (workspace checks,
faults by route name). The ``api-version`` a client sends is ignored: it differs per operation and release.
The scoring URI (``online-score``) is matched here and answered by ``_scoring`` (the endpoint's front end and
a real scoring server), as the v1 services' scoring URIs are.
"""

from __future__ import annotations

import json
from typing import Any

from ..scenarios import WORKSPACE
from ._http import Reply, json_reply

__all__ = ["ROUTES", "PATTERNS", "HANDLERS"]

POLL_AFTER_S = "0.2"  # Retry-After of an operation in progress (Azure says 10-30 s; the SDK's default is 5)

_RP = r"/providers/microsoft\.machinelearningservices/workspaces"
_WS = r"/subscriptions/(?P<sub>[^/]+)/resourcegroups/(?P<rg>[^/]+)" + _RP + r"/(?P<ws>[^/?]+)"
_E = _WS + r"/onlineendpoints/(?P<endpoint>[^/]+)"
_D = _E + r"/deployments/(?P<deployment>[^/]+)"

PATTERNS: list[tuple[str, str, str]] = [
    ("endpoints", "GET", _WS + r"/onlineendpoints"),
    ("endpoint", "GET", _E),
    ("deployments", "GET", _E + r"/deployments"),
    ("deployment", "GET|PUT", _D),
    ("deployment-logs", "POST", _D + r"/getlogs"),
    ("endpoint-keys", "POST", _E + r"/listkeys"),
    ("endpoint-token", "POST", _E + r"/token"),
    ("operation", "GET", r"/subscriptions/(?P<sub>[^/]+)/providers/microsoft\.machinelearningservices"
                         r"/locations/(?P<loc>[^/]+)/mfeoperationsstatus/(?P<op>[^/]+)"),
    ("v2-models", "GET", _WS + r"/models/(?P<model>[^/]+)/versions"),
    ("v2-model", "GET", _WS + r"/models/(?P<model>[^/]+)/versions/(?P<version>[^/]+)"),
    ("online-score", "POST", r"/online/(?P<endpoint>[^/]+)/score"),
    ("build-log", "GET", r"/azureml/imagelogs/(?P<endpoint>[^/]+)/build\.log"),
]  # fmt: skip
ROUTES = tuple(dict.fromkeys(name for name, _, _ in PATTERNS))


def _missing(kind: str, name: str, route: str, service: str | None = None) -> Reply:
    """A 404 as the v2 API answers it (azure-ai-ml raises ResourceNotFoundError)."""
    ws = WORKSPACE["workspace_name"]
    message = {
        "endpoint": f"Could not find online endpoint '{name}' in workspace '{ws}'.",
        "deployment": f"Deployment {name} not found in endpoint {service}, workspace {ws}",
        "model": f"Could not find asset with ID: {name}",
    }[kind]
    code = "UserError"
    body = {
        "error": {"code": code, "message": message, "details": [{"code": "NotFound", "message": message}]}
    }
    return json_reply(404, body, route, service)


def _service(g: dict[str, str]) -> str:
    return f"{g['endpoint']}/{g['deployment']}" if "deployment" in g else g["endpoint"]


def _endpoints(g, q, req, data):
    v2 = data.v2
    values = [v2.endpoint(s, req.base_url) for s in v2.scenarios.values()]
    values.sort(key=lambda e: e["systemData"]["createdAt"] or "", reverse=True)
    return json_reply(200, {"value": values}, "endpoints")


def _endpoint(g, q, req, data):
    s = data.v2.find(g["endpoint"])
    if s is None:
        return _missing("endpoint", g["endpoint"], "endpoint", g["endpoint"])
    return json_reply(200, data.v2.endpoint(s, req.base_url), "endpoint", s.name)


def _deployments(g, q, req, data):
    s = data.v2.find(g["endpoint"])
    if s is None:
        return _missing("endpoint", g["endpoint"], "deployments", g["endpoint"])
    return json_reply(200, {"value": [data.v2.deployment(s, req.base_url)]}, "deployments", s.name)


def _deployment(g, q, req, data):
    s = data.v2.find(g["endpoint"])
    if s is None:
        return _missing("endpoint", g["endpoint"], "deployment", _service(g))
    name = _service(g)
    if req.method == "PUT":
        return _create(s, req, data, name)
    if not data.v2.has_deployment(s, g["deployment"]):
        return _missing("deployment", g["deployment"], "deployment", s.name)
    return json_reply(200, data.v2.deployment(s, req.base_url), "deployment", name)


def _create(s, req, data, name: str) -> Reply:
    """A PUT of the deployment: refused at once when Azure refused the request itself (quota: 400), else
    accepted (201) with the operation to poll, which ends as the scenario's create ended."""
    outcome = s.operation or {}
    if outcome.get("httpStatus"):
        return json_reply(int(outcome["httpStatus"]), {"error": outcome["error"]}, "deployment", name)
    op_id = data.v2.start_operation(s)
    sub, loc = WORKSPACE["subscription_id"], WORKSPACE["location"]
    status_url = (
        f"{req.base_url}/subscriptions/{sub}/providers/Microsoft.MachineLearningServices/locations/{loc}"
        f"/mfeOperationsStatus/{op_id}?api-version=2023-04-01-preview"
    )
    body = data.v2.deployment(s, req.base_url)
    body["properties"]["provisioningState"] = "Updating"
    reply = json_reply(201, body, "deployment", name)
    reply.headers["Azure-AsyncOperation"] = status_url
    reply.headers["Retry-After"] = POLL_AFTER_S  # the SDK waits this long before it polls
    return reply


def _operation(g, q, req, data):
    status = data.v2.operation_status(g["op"], req.base_url)
    if status is None:
        body = {"error": {"code": "NotFound", "message": f"Operation {g['op']} was not found."}}
        return json_reply(404, body, "operation")
    reply = json_reply(200, status, "operation")
    if status["status"] == "InProgress":
        reply.headers["Retry-After"] = POLL_AFTER_S
    return reply


def _logs(g, q, req, data):
    s = data.v2.find(g["endpoint"])
    if s is None or not data.v2.has_deployment(s, g["deployment"]):
        kind, name = ("endpoint", g["endpoint"]) if s is None else ("deployment", g["deployment"])
        return _missing(kind, name, "deployment-logs", _service(g))
    try:
        asked: dict[str, Any] = json.loads(req.body or b"{}")
    except ValueError:
        asked = {}
    container = str(asked.get("containerType") or "InferenceServer")
    tail = asked.get("tail")
    text = data.v2.logs(s, container, int(tail) if isinstance(tail, int) else None, data.live_log(s.name))
    return json_reply(200, {"content": text}, "deployment-logs", _service(g))


def _keys(g, q, req, data):
    s = data.v2.find(g["endpoint"])
    if s is None:
        return _missing("endpoint", g["endpoint"], "endpoint-keys", g["endpoint"])
    return json_reply(200, data.v2.keys(s), "endpoint-keys", s.name)


def _token(g, q, req, data):
    s = data.v2.find(g["endpoint"])
    if s is None:
        return _missing("endpoint", g["endpoint"], "endpoint-token", g["endpoint"])
    token = data.v2.keys(s)["primaryKey"]
    body = {
        "accessToken": token,
        "tokenType": "Bearer",
        "expiryTimeUtc": 4102444800,
        "refreshAfterTimeUtc": 4102441200,
    }
    return json_reply(200, body, "endpoint-token", s.name)


def _models(g, q, req, data):
    found = data.v2.model_entry(g["model"])
    if not found:
        return _missing("model", g["model"], "v2-models")
    return json_reply(200, {"value": [data.v2.model(s) for s in found]}, "v2-models")


def _model(g, q, req, data):
    found = data.v2.model_entry(g["model"], g["version"])
    if not found:
        return _missing("model", f"azureml:{g['model']}:{g['version']}", "v2-model")
    return json_reply(200, data.v2.model(found[0]), "v2-model")


def _build_log(g, q, req, data):
    s = data.v2.find(g["endpoint"])
    text = s.build_log() if s is not None else ""
    if not text:
        return Reply(404, b"BlobNotFound", "text/plain", "build-log")
    return Reply(200, text.encode(), "text/plain; charset=utf-8", "build-log", s.name)


HANDLERS = {
    "endpoints": _endpoints,
    "endpoint": _endpoint,
    "deployments": _deployments,
    "deployment": _deployment,
    "deployment-logs": _logs,
    "endpoint-keys": _keys,
    "endpoint-token": _token,
    "operation": _operation,
    "v2-models": _models,
    "v2-model": _model,
    "build-log": _build_log,
}
