"""The emulator's request and reply types, and error bodies shaped as Azure ML answers them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Request", "Reply", "json_reply", "error_body"]


@dataclass
class Request:
    method: str
    target: str  # path and query, as received
    base_url: str  # https://127.0.0.1:PORT
    headers: Mapping[str, str] = field(default_factory=dict)  # case-insensitive when from the server
    body: bytes = b""


@dataclass
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    route: str = "unknown"
    service: str | None = None  # the service the call is about, for per-service faults
    headers: dict[str, str] = field(default_factory=dict)


def json_reply(status: int, data: Any, route: str, service: str | None = None) -> Reply:
    return Reply(status, json.dumps(data).encode(), route=route, service=service)


def error_body(status: int, message: str | None = None) -> dict[str, Any]:
    """An error body shaped as Azure ML answers it for ``status``."""
    code = {401: "Unauthorized", 403: "AuthorizationFailed", 404: "NotFound", 429: "TooManyRequests"}.get(
        status, "InternalServerError" if status >= 500 else "BadRequest"
    )
    text = message or {
        401: "The access token is invalid or has expired.",
        403: "The client does not have authorization to perform this action over this workspace.",
        404: "The requested resource was not found.",
    }.get(status, "An internal server error occurred. Please try again.")
    return {"code": code, "statusCode": status, "message": text, "error": {"code": code, "message": text}}
