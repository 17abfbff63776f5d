"""azure-ai-ml (SDK v2) failures as one-line ``BackendError``s, and the error an operation carried.

``translate_v2`` adds what only v2 raises (no credential, the SDK's own validation) to
``_azure_errors.translate`` (401/403, not found, 5xx, unreachable; azure-core exceptions carry
``status_code``). ``error_parts`` reads an ``HttpResponseError``'s code, message, details and the service's
request id: what a failed create/update said.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .._errors import AuthError, BackendError
from .._secrets import mask_secrets
from ._azure_errors import access_finding, translate

__all__ = ["translate_v2", "error_parts", "NO_CREDENTIAL"]

NO_CREDENTIAL = (
    "no Azure credential found for azure-ai-ml: sign in (az login, or the compute instance's identity), "
    "or pass credential= (e.g. azure.identity.DefaultAzureCredential())"
)


def translate_v2(
    exc: BaseException,
    *,
    what: str,
    workspace: str,
    kind: str = "",
    name: str = "",
    existing: Callable[[], list[str]] | None = None,
) -> BackendError:
    """One ``BackendError`` for an azure-ai-ml failure while doing ``what``."""
    if isinstance(exc, BackendError):
        return exc
    names = {c.__name__ for c in type(exc).__mro__}
    if "CredentialUnavailableError" in names or "ClientAuthenticationError" in names and not _status(exc):
        msg = f"{what}: {NO_CREDENTIAL}"
        return AuthError(msg, access_finding("http-401-403", msg, _first(exc)))
    if names & {"ValidationException", "MlException"} and not _status(exc):
        text = _first(exc)
        if "not found" in text.lower():  # e.g. "Deployment name blue not found for this endpoint"
            from .._errors import NotFoundError

            there = _there(existing, kind)
            msg = f"{what}: {text}{there}"
            return NotFoundError(msg, access_finding("resource-not-found", msg, text))
        return BackendError(f"{what}: {text}")
    return translate(exc, what=what, workspace=workspace, kind=kind, name=name, existing=existing)


def _status(exc: BaseException) -> int | None:
    value = getattr(exc, "status_code", None)
    return value if isinstance(value, int) else None


def _first(exc: BaseException) -> str:
    lines = [ln.strip() for ln in mask_secrets(str(exc)).splitlines() if ln.strip()]
    return (lines[0] if lines else type(exc).__name__)[:300]


def _there(existing: Callable[[], list[str]] | None, kind: str) -> str:
    if existing is None:
        return ""
    try:
        names = existing()[:20]
    except Exception:  # noqa: BLE001 - a courtesy list; the original error matters more
        return ""
    return f"; {kind}s there: {', '.join(names)}" if names else ""


def error_parts(exc: BaseException) -> dict[str, Any]:
    """What a failed call or operation said: ``code``, ``message``, ``details`` ([{code, message}]),
    ``status`` (HTTP), ``request_id``; masked. Reads azure-core's ``exc.error`` (the OData error of the
    answer or of the operation status), else the answer's JSON body, else the exception text."""
    error = getattr(exc, "error", None)
    code = getattr(error, "code", None)
    message = getattr(error, "message", None)
    details = [
        {"code": getattr(d, "code", None), "message": getattr(d, "message", None)}
        for d in (getattr(error, "details", None) or [])
    ]
    response = getattr(exc, "response", None)
    if not message and response is not None:
        try:
            body = json.loads(response.text())
            inner = body.get("error", body) if isinstance(body, dict) else {}
            code, message = inner.get("code", code), inner.get("message")
        except (ValueError, TypeError, AttributeError):
            pass
    headers = getattr(response, "headers", None) or {}
    parts = {
        "code": code,
        "message": mask_secrets(str(message or getattr(exc, "message", None) or exc)),
        "details": [{k: mask_secrets(str(v)) if v else v for k, v in d.items()} for d in details],
        "status": _status(exc),
        "request_id": headers.get("x-ms-request-id") if hasattr(headers, "get") else None,
        "exception": type(exc).__name__,
    }
    return parts
