"""The Azure ML control-plane calls azureml-core makes, answered from ``WorkspaceData``.

``answer(request)`` maps one HTTP request to a ``Reply``; every route has a short name (``service``,
``logs``, ``keys``...) that faults and scenario ``faults`` refer to.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, quote, unquote, urlsplit

from ..scenarios import WORKSPACE
from ._arm import ARM_HANDLERS, same_workspace, workspace_missing
from ._data import WorkspaceData
from ._http import Reply, Request, error_body, json_reply
from ._v2_routes import HANDLERS as V2_HANDLERS
from ._v2_routes import PATTERNS as V2_PATTERNS
from ._v2_routes import ROUTES as V2_ROUTES

__all__ = ["answer", "ROUTES"]

ROUTES = (
    "metadata", "subscriptions", "workspaces", "workspace", "discovery", "services", "service", "logs",
    "keys", "models", "model", "asset", "contentinfo", "content", "score", "msi",
) + V2_ROUTES  # fmt: skip

_FAKE_SAS = "sv=2019-07-07&sr=b&sig=emulatorSAS0000&sp=r"  # blob-SAS shaped, so masking is exercised
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
        ("msi", "GET|POST", r"/msi/token"),
        *V2_PATTERNS,  # SDK v2 online endpoints (_v2_routes)
    ]
]  # fmt: skip


def answer(req: Request, data: WorkspaceData) -> Reply:
    split = urlsplit(req.target)
    path, query = split.path, {k: v[-1] for k, v in parse_qs(split.query).items()}
    for name, method, pattern in _PATTERNS:
        match = pattern.match(path)
        if match and req.method in method.split("|"):
            groups = {k: unquote(v) for k, v in match.groupdict().items() if v is not None}
            if "ws" in groups and not same_workspace(groups):
                return workspace_missing(groups, name)
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
    text = s.init_log() if q.get("init", "false").lower() == "true" else s.main_log()
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
            # shaped like a blob SAS URL (a fake signature) so that masking is exercised too
            "contentUri": f"{req.base_url}/content/{quote(entry.id)}/{quote(rel)}?{_FAKE_SAS}",
        }
        for rel in entry.files
    ]
    return json_reply(200, {"value": items, "continuationToken": None}, "contentinfo")


def _content(g, q, req, data):
    entry = data.models.get(g["model"])
    if entry is None or entry.root is None or g["file"] not in entry.files:
        return Reply(404, b"BlobNotFound", "text/plain", "content")
    return Reply(200, (entry.root / g["file"]).read_bytes(), "application/octet-stream", "content")


def _score(g, q, req, data):
    """The scoring URI: answers what the scenario's callers see (its HTTP failure), else 200."""
    s = data.scenarios.get(g["name"])
    if s is None:
        return Reply(404, b"Not Found", "text/plain", "score", g["name"])
    if s.service.get("state") != "Healthy":
        return Reply(503, b"no healthy upstream", "text/plain", "score", s.name)
    if s.symptom and s.symptom.get("kind") == "scoring":
        body = s.symptom.get("body") or ""
        raw = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        return Reply(int(s.symptom["status"]), raw, "text/plain", "score", s.name)
    note = "emulated service: run `amlwizard serve` on the scenario's app/ to score for real"
    return json_reply(200, {"emulated": True, "note": note}, "score", s.name)


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
    "score": _score,
    **V2_HANDLERS,
}
