"""The Azure ML control-plane calls azureml-core makes, answered from ``WorkspaceData``.

``answer(request, data, scoring)`` maps one HTTP request to a ``Reply``; every route has a short name
(``service``, ``logs``, ``keys``...) that faults and scenario ``faults`` refer to. ARM, model management and
artifact routes want a bearer token this emulator issued (401 as ARM answers otherwise); model files a SAS
signature it made; the scoring routes (``score``, ``swagger``) go to ``scoring`` (the front end).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, quote, unquote, urlsplit

from ..scenarios import WORKSPACE
from ._answers import NO_SCORING_SERVERS
from ._arm import ARM_HANDLERS, same_workspace, workspace_missing
from ._data import WorkspaceData
from ._http import Reply, Request, error_body, json_reply, unauthorized
from ._v2_routes import HANDLERS as V2_HANDLERS
from ._v2_routes import PATTERNS as V2_PATTERNS
from ._v2_routes import ROUTES as V2_ROUTES

__all__ = ["answer", "ROUTES", "ScoringRoute"]

ROUTES = (
    "metadata", "subscriptions", "workspaces", "workspace", "discovery", "services", "service", "logs",
    "keys", "models", "model", "asset", "contentinfo", "content", "score", "swagger", "msi",
) + V2_ROUTES  # fmt: skip
# No bearer token: the cloud metadata is public, the SDK asks discovery without one, MSI wants its secret,
# model files and build logs their SAS signature, scoring the service's (or endpoint's) key.
_OPEN = frozenset(
    {"metadata", "discovery", "msi", "content", "score", "swagger", "online-score", "build-log"}
)

ScoringRoute = Callable[[str, str, Request], Reply]  # (route, service name, request) -> the answer
_RP = r"/providers/microsoft\.machinelearningservices/workspaces"
_WS = r"/subscriptions/(?P<sub>[^/]+)/resourcegroups/(?P<rg>[^/]+)" + _RP + r"/(?P<ws>[^/?]+)"
_MMS = r"/modelmanagement/v1\.0" + _WS
_PATTERNS: list[tuple[str, str, re.Pattern[str]]] = [
    (name, method, re.compile(pattern + r"/?$", re.IGNORECASE))
    for name, method, pattern in [
        ("metadata", "GET", r"/metadata/endpoints"),
        ("subscriptions", "GET", r"/subscriptions"),
        ("workspaces", "GET", r"/subscriptions/(?P<sub>[^/]+)(?:/resourcegroups/(?P<rg>[^/]+))?" + _RP),
        ("workspace", "GET", _WS),
        ("discovery", "GET", r"/discovery/workspaces/(?P<wsid>[^/]+)"),
        ("services", "GET", _MMS + r"/services"),
        ("service", "GET", _MMS + r"/services/(?P<name>[^/]+)"),
        ("logs", "GET", _MMS + r"/services/(?P<name>[^/]+)/logs"),
        ("keys", "POST", _MMS + r"/services/(?P<name>[^/]+)/listkeys"),
        ("models", "GET", _MMS + r"/models"),
        ("model", "GET", _MMS + r"/models/(?P<id>[^/]+)"),
        ("asset", "GET", _MMS + r"/assets/(?P<id>[^/]+)"),
        ("contentinfo", "GET", r"/artifact/v2\.0" + _WS + r"/artifacts/prefix/contentinfo/"
                               r"(?P<origin>[^/]+)/(?P<container>[^/]+)/(?P<path>.+)"),
        ("content", "GET", r"/content/(?P<model>[^/]+)/(?P<file>.+)"),
        ("score", "POST", r"/api/v1/service/(?P<name>[^/]+)/score"),
        ("score", "POST", r"/aci/(?P<name>[^/]+)/score"),
        ("swagger", "GET", r"/api/v1/service/(?P<name>[^/]+)/swagger\.json"),
        ("swagger", "GET", r"/aci/(?P<name>[^/]+)/swagger\.json"),
        ("msi", "GET|POST", r"/msi(?:/(?P<secret>[^/]+))?/token"),
        *V2_PATTERNS,  # SDK v2 online endpoints (_v2_routes)
    ]
]  # fmt: skip


def answer(req: Request, data: WorkspaceData, scoring: ScoringRoute | None = None) -> Reply:
    split = urlsplit(req.target)
    path, query = split.path, {k: v[-1] for k, v in parse_qs(split.query).items()}
    for name, method, pattern in _PATTERNS:
        match = pattern.match(path)
        if match and req.method in method.split("|"):
            groups = {k: unquote(v) for k, v in match.groupdict().items() if v is not None}
            if name not in _OPEN:
                refused = data.credentials.check_token(req.headers.get("Authorization"))
                if refused:
                    return unauthorized(refused, name, groups.get("name"))
            if "ws" in groups and not same_workspace(groups):
                return workspace_missing(groups, name)
            if name == "online-score":  # a v2 endpoint's scoring URI: routed to a deployment by ``scoring``
                if scoring is None:
                    return Reply(503, NO_SCORING_SERVERS, "text/plain", name, groups["endpoint"])
                return scoring(name, groups["endpoint"], req)
            if name in ("score", "swagger"):
                if groups["name"] not in data.scenarios:
                    return Reply(404, b"Not Found", "text/plain", name, groups["name"])
                if scoring is None:
                    return Reply(503, NO_SCORING_SERVERS, "text/plain", name, groups["name"])
                return scoring(name, groups["name"], req)
            return _HANDLERS[name](groups, query, req, data)
    return json_reply(404, error_body(404, f"No route for {req.method} {path}"), "unknown")


def _services(g, q, req, data):
    names = [n for n in data.scenarios if q.get("computeType", "").upper() in ("", data.scenarios[n].target)]
    if "name" in q:
        names = [n for n in names if n == q["name"]]
    payloads = [data.service_payload(n, req.base_url) for n in names]
    payloads.sort(key=lambda p: p.get("createdTime") or "", reverse=True)
    return json_reply(200, {"value": payloads}, "services")


def _service_missing(name: str, route: str) -> Reply:
    msg = f"Service {name} not found in workspace {WORKSPACE['workspace_name']}"
    return json_reply(404, {"code": "WebserviceNotFound", "statusCode": 404, "message": msg}, route, name)


def _service(g, q, req, data):
    if g["name"] not in data.scenarios:
        return _service_missing(g["name"], "service")
    return json_reply(200, data.service_payload(g["name"], req.base_url), "service", g["name"])


def _logs(g, q, req, data):
    name = g["name"]
    if name not in data.scenarios:
        return _service_missing(name, "logs")
    s = data.scenarios[name]
    # the main log: the scenario's recorded history, then what its scoring server logged since it started
    text = s.init_log() if q.get("init", "false").lower() == "true" else s.main_log() + data.live_log(name)
    tail = int(q["tail"]) if q.get("tail", "").isdigit() else 5000
    lines = text.splitlines(keepends=True)
    return json_reply(200, {"content": "".join(lines[-tail:]) if tail else ""}, "logs", name)


def _keys(g, q, req, data):
    if g["name"] not in data.scenarios:
        return _service_missing(g["name"], "keys")
    return json_reply(200, data.keys(g["name"]), "keys", g["name"])


def _models(g, q, req, data):
    entries = sorted(data.models.values(), key=lambda m: (m.name, -m.version))
    if "name" in q:
        entries = data.model_versions(q["name"])
    if q.get("version"):
        entries = [m for m in entries if str(m.version) == q["version"]]
    if q.get("latestVersionOnly", "false").lower() == "true":
        entries = [m for m in entries if m is data.model_versions(m.name)[0]]
    count = int(q["count"]) if q.get("count", "").isdigit() else len(entries)
    return json_reply(200, {"value": [m.payload() for m in entries[:count]], "nextLink": None}, "models")


def _model(g, q, req, data):
    entry = data.models.get(g["id"])
    if entry is None:
        msg = f"Model {g['id']} not found in workspace {WORKSPACE['workspace_name']}"
        return json_reply(404, {"code": "ModelNotFound", "statusCode": 404, "message": msg}, "model")
    return json_reply(200, entry.payload(), "model")


def _asset(g, q, req, data):
    entry = data.asset(g["id"])
    if entry is None:
        return json_reply(404, error_body(404, f"Asset {g['id']} not found"), "asset")
    body = {
        "id": entry.asset_id,
        "name": entry.name,
        "description": None,
        "artifacts": [{"id": None, "prefix": entry.prefix}],
        "kvTags": {},
        "properties": {},
        "runid": None,
        "meta": None,
        "createdTime": entry.meta.get("createdTime"),
    }
    return json_reply(200, body, "asset")


def _contentinfo(g, q, req, data):
    entry = data.by_prefix(g["container"], g["path"])
    if entry is None or entry.root is None:
        return json_reply(200, {"value": [], "continuationToken": None}, "contentinfo")
    items = [
        {
            "path": f"{entry.name}/{rel}",
            "origin": g["origin"],
            "container": g["container"],
            # a read-only blob SAS URL, signed by this emulator (masking is exercised too)
            "contentUri": f"{req.base_url}/content/{quote(entry.id)}/{quote(rel)}?"
            + _sas(data, entry.id, rel),
        }
        for rel in entry.files
    ]
    return json_reply(200, {"value": items, "continuationToken": None}, "contentinfo")


def _sas(data: WorkspaceData, model: str, file: str) -> str:
    sig = quote(data.credentials.sas_signature(f"{model}/{file}"), safe="")
    return f"sv=2019-07-07&sr=b&sp=r&sig={sig}"


def _content(g, q, req, data):
    if not data.credentials.check_sas(f"{g['model']}/{g['file']}", q.get("sig")):
        return Reply(403, b"AuthenticationFailed: the SAS signature does not match", "text/plain", "content")
    entry = data.models.get(g["model"])
    if entry is None or entry.root is None or g["file"] not in entry.files:
        return Reply(404, b"BlobNotFound", "text/plain", "content")
    return Reply(200, (entry.root / g["file"]).read_bytes(), "application/octet-stream", "content")


_HANDLERS = {
    **ARM_HANDLERS,
    "services": _services,
    "service": _service,
    "logs": _logs,
    "keys": _keys,
    "models": _models,
    "model": _model,
    "asset": _asset,
    "contentinfo": _contentinfo,
    "content": _content,
    **V2_HANDLERS,
}
