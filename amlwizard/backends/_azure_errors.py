"""Turn azureml-core and network failures into one-line ``BackendError``s, and bound SDK calls in time.

``bounded(fn, timeout_s, what)`` runs one SDK call in a daemon thread; ``translate(exc, ...)`` names
what went wrong (401/403, not found, 5xx, unreachable) and what to try, with an ``auth-or-workspace``
Finding where it is one.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from .._errors import AuthError, BackendError, NotFoundError, UnreachableError
from .._finding import Evidence, Finding
from .._secrets import mask_secrets

__all__ = [
    "RetriedCalls",
    "bounded",
    "retried",
    "TIMEOUT_HINT",
    "translate",
    "http_status",
    "is_connection_error",
    "access_finding",
]

T = TypeVar("T")

# where an SDK message carries the HTTP status: MMS, ARM (ProjectSystemException's JSON), requests
_STATUS = re.compile(
    r"Response Code: (\d{3})|status code:? (\d{3})|\"status_?[cC]ode\": (\d{3})"
    r"|\b(\d{3}) Client Error|\b(\d{3}) Server Error"
)

_ROLE_HINT = (
    "ask the workspace owner (or a subscription admin) for the 'AzureML Data Scientist' role, or "
    "Contributor, on workspace {ws}, then sign in again"
)


# How a user allows more time, named in the time-limit message: the CLI says its flag instead.
TIMEOUT_HINT = "AzureBackend(timeout_s=...)"


def bounded(fn: Callable[[], T], timeout_s: float, what: str, hint: str = TIMEOUT_HINT) -> T:
    """Run ``fn`` with a time limit. A daemon thread: a hung SDK call never blocks the caller or exit.

    What ``fn`` raises comes back as is, except a ``BaseException`` that is no ``Exception`` (the SDK's
    vendored CLI code may call ``sys.exit``): that becomes a one-line ``BackendError``."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=target, name=f"amlwizard-azure: {what}", daemon=True)
    worker.start()
    worker.join(timeout_s)
    if worker.is_alive():
        raise UnreachableError(
            f"{what}: no answer from the workspace within {timeout_s:g} s; check your network or proxy and "
            f"try again ({hint} allows more time)"
        )
    if "error" in box:
        error = box["error"]
        if not isinstance(error, (Exception, KeyboardInterrupt)):
            raise BackendError(f"{what}: the Azure ML SDK stopped ({type(error).__name__}: {error})")
        raise error
    return box["value"]


def retried(
    fn: Callable[[], T],
    *,
    what: str,
    timeout_s: float,
    hint: str,
    retries: int,
    backoff_s: float,
    translate_error: Callable[[BaseException], BackendError],
) -> T:
    """``bounded(fn)``, tried again (with backoff) while the SDK failure translates to ``UnreachableError``;
    any other failure is raised at once as its ``BackendError``. Both SDKs' backends call through here."""
    for attempt in range(retries + 1):
        try:
            return bounded(fn, timeout_s, what, hint)
        except UnreachableError:  # our own time limit: trying again would only double the wait
            raise
        except Exception as exc:
            err = translate_error(exc)
            if isinstance(err, UnreachableError) and attempt < retries:
                time.sleep(backoff_s * 2**attempt)
                continue
            raise err from exc
    raise AssertionError("unreachable")  # pragma: no cover


class RetriedCalls:
    """What both SDK backends share: every SDK call bounded in time and retried (``retried``), its failure
    made one line by the backend's ``_translate`` (azureml-core's ``translate``, azure-ai-ml's
    ``translate_v2``)."""

    timeout_s: float
    retries: int
    backoff_s: float
    timeout_hint: str
    name: str
    _translate: Callable[..., BackendError]  # a staticmethod: (exc, *, what, workspace, kind, name, existing)

    def _call(
        self,
        what: str,
        fn: Callable[[], T],
        *,
        kind: str = "",
        name: str = "",
        existing: Callable[[], list[str]] | None = None,
    ) -> T:
        return retried(
            fn,
            what=what,
            timeout_s=self.timeout_s,
            hint=self.timeout_hint,
            retries=self.retries,
            backoff_s=self.backoff_s,
            translate_error=lambda exc: self._translate(
                exc, what=what, workspace=self.name, kind=kind, name=name, existing=existing
            ),
        )


def http_status(exc: BaseException) -> int | None:
    """The HTTP status an SDK exception carries (azureml puts it in its message as 'Response Code: N')."""
    for attr in ("status_code", "status"):
        value = getattr(exc, attr, None)
        if isinstance(value, int):
            return value
    response = getattr(exc, "response", None)
    if isinstance(getattr(response, "status_code", None), int):
        return response.status_code
    text = str(exc)
    match = _STATUS.search(text)
    if match:
        return int(next(g for g in match.groups() if g))
    if "Workspace not found" in text or "ResourceNotFound" in text or "ResourceGroupNotFound" in text:
        return 404
    if "AuthorizationFailed" in text:
        return 403
    return None


def is_connection_error(exc: BaseException) -> bool:
    names = {c.__name__ for c in type(exc).__mro__}
    if names & {
        "ConnectionError",
        "ServiceRequestError",
        "NewConnectionError",
        "MaxRetryError",
        "SSLError",
        "Timeout",
    }:
        return True
    text = str(exc)
    return any(
        s in text
        for s in (
            "Connection refused",
            "Failed to establish a new connection",
            "Max retries exceeded",
            "Connection aborted",
        )
    )


def access_finding(entry_id: str, message: str, evidence: str) -> Finding:
    """An ``auth-or-workspace`` Finding, with the catalogue's explanation when the catalogue is there."""
    finding = Finding(
        id=entry_id,
        family="auth-or-workspace",
        title=message,
        step=None,
        confidence=0.9,
        evidence=[Evidence(1, mask_secrets(evidence)[:500])],
        remedies=[message],
    )
    try:
        from ..catalogue import get

        entry = get(entry_id)
        finding.title, finding.explanation = entry.title, entry.explanation
        finding.remedies, finding.doc_url = [message, *entry.remedies], entry.doc_url
    except (ImportError, KeyError):
        pass
    return finding


def _first_line(exc: BaseException) -> str:
    text = mask_secrets(str(exc)).strip()
    host = re.search(r"host='([^']+)', port=(\d+)", text)
    if host and is_connection_error(exc):
        reason = "connection refused" if "refused" in text else "no connection"
        return f"{reason} at {host.group(1)}:{host.group(2)}"
    content = re.search(r'"message":\s*"([^"]{1,300})', text)
    if content:
        return content.group(1)
    lines = [
        ln.strip()
        for ln in text.splitlines()
        if ln.strip() and not ln.strip().startswith(("Headers:", "Message:"))
    ]
    return (lines[0] if lines else type(exc).__name__)[:200]


def translate(
    exc: BaseException,
    *,
    what: str,
    workspace: str,
    kind: str = "",
    name: str = "",
    existing: Callable[[], list[str]] | None = None,
) -> BackendError:
    """One ``BackendError`` for an SDK failure while doing ``what`` (e.g. "reading service 'x'").

    ``kind`` ("service", "model", "workspace") and ``existing`` (names that do exist) make 404s useful.
    """
    if isinstance(exc, BackendError):
        return exc
    status = http_status(exc)
    detail = _first_line(exc)
    ws = repr(workspace)
    if status == 401:
        msg = (
            f"{what}: the workspace {ws} refused your credentials (401 Unauthorized); sign in again "
            "(az login, or a new auth object) in the workspace's tenant"
        )
        return AuthError(msg, access_finding("http-401-403", msg, detail))
    if status == 403:
        msg = f"{what}: your identity is not allowed to do this (403 Forbidden); " + _ROLE_HINT.format(ws=ws)
        return AuthError(msg, access_finding("authorization-failed", msg, detail))
    if status == 404 or "NotFound" in detail or type(exc).__name__ == "ModelNotFoundException":
        names = _safe_names(existing)
        there = (
            f"; {kind}s there: {', '.join(names)}"
            if names
            else (f"; the workspace has no {kind}s" if existing and kind else "")
        )
        if kind == "workspace" or not kind:
            msg = (
                f"{what}: workspace not found ({detail}); check the subscription, resource group and "
                f"workspace names in config.json{there}"
            )
            return NotFoundError(msg, access_finding("workspace-not-found", msg, detail))
        msg = f"{what}: no {kind} {name!r} in workspace {ws}{there}"
        entry = {
            "service": "webservice-not-found",
            "model": "model-not-registered",
            "endpoint": "resource-not-found",
            "deployment": "resource-not-found",
        }.get(kind, "workspace-not-found")
        return NotFoundError(msg, access_finding(entry, msg, detail))
    if status is not None and status >= 500:
        return UnreachableError(
            f"{what}: the workspace answered {status} (server error) even after retries; Azure ML may be "
            "having trouble: try again in a few minutes and check https://status.azure.com"
        )
    if is_connection_error(exc):
        return UnreachableError(
            f"{what}: could not reach the workspace ({detail}); check your network, proxy or VPN and "
            "try again"
        )
    return BackendError(f"{what}: {type(exc).__name__}: {detail}")


def _safe_names(existing: Callable[[], list[str]] | None) -> list[str]:
    if existing is None:
        return []
    try:
        return existing()[:20]
    except Exception:  # noqa: BLE001 - the list is a courtesy; the original error matters more
        return []
