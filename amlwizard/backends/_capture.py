"""``capture``: keep the error of an SDK v2 create/update of an online deployment when it fails.

Azure tells why a deployment failed only in the answer to its create/update (the operation's status); a later
GET says ``provisioningState: Failed`` and nothing else. ``capture`` runs the work, and on failure records the
code, message, details and operation URL, reads what the service still exposes (both containers' logs, the
image build log the message links to), diagnoses them, and keeps the record for this process (``V2Backend``
then shows and diagnoses it) and, when given, in a session.
"""

from __future__ import annotations

import re
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

from .._errors import AmlWizardError
from .._finding import Finding
from .._secrets import mask_json, mask_secrets

__all__ = ["Capture", "capture", "captured_error", "describe_capture", "forget_captures"]

_LOCK = threading.Lock()
_CAPTURED: dict[tuple[str, str], dict[str, Any]] = {}  # (endpoint, deployment), lower case -> record
_TARGET = re.compile(r"/onlineEndpoints/([^/?]+)/deployments/([^/?]+)", re.IGNORECASE)
_BUILD_LOG = re.compile(r"https://[^\s\"']+/build\.log(?:\?[^\s\"']*)?", re.IGNORECASE)


@dataclass
class Capture:
    """What a failed create/update said, and what amlwizard made of it (``findings``: best first)."""

    endpoint: str | None
    deployment: str | None
    code: str | None
    message: str
    details: list[dict[str, Any]] = field(default_factory=list)
    status: int | None = None  # HTTP status when Azure refused the request itself (e.g. 400), else None
    operation_url: str | None = None  # the Azure-AsyncOperation URL, to ask the operation's status again
    request_id: str | None = None
    exception: str = ""
    time: str = ""
    logs: dict[str, str] = field(default_factory=dict)  # container -> text read after the failure
    build_log: str = ""
    findings: list[Finding] = field(default_factory=list)

    @property
    def error(self) -> dict[str, Any]:
        """The error payload, shaped as the operation status carries it."""
        return {"code": self.code, "message": self.message, "details": self.details}

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["findings"] = [f.to_dict() for f in self.findings]
        data["error"] = self.error
        return mask_json(data)

    def __str__(self) -> str:
        return describe_capture(self.to_dict())


def captured_error(endpoint: str, deployment: str) -> dict[str, Any] | None:
    """The record ``capture`` kept for a deployment in this process (None when none failed)."""
    with _LOCK:
        return _CAPTURED.get((endpoint.lower(), deployment.lower()))


def forget_captures() -> None:
    """Drop every record kept in this process."""
    with _LOCK:
        _CAPTURED.clear()


def describe_capture(record: dict[str, Any]) -> str:
    """The record as text: what a diagnosis reads (code, message, details, where the operation is)."""
    lines = [f"{record.get('code') or '(no code)'}: {record.get('message', '')}"]
    lines += [
        f"  {d.get('code') or '(no code)'}: {d.get('message') or ''}" for d in record.get("details") or []
    ]
    if record.get("status"):
        lines.append(f"HTTP status: {record['status']}")
    if record.get("operation_url"):
        lines.append(f"operation: {record['operation_url']}")
    return mask_secrets("\n".join(lines))


def _url_parts(url: str | None) -> tuple[str | None, str | None]:
    match = _TARGET.search(url or "")
    return (match.group(1), match.group(2)) if match else (None, None)


def _operation_url(poller: Any) -> str | None:
    try:
        response = poller.polling_method()._initial_response.http_response
    except AttributeError:
        return None
    headers = response.headers
    return headers.get("Azure-AsyncOperation") or headers.get("Location")


def _request_url(poller: Any, exc: BaseException) -> str | None:
    response = getattr(exc, "response", None)
    request = getattr(response, "request", None)
    if request is not None and _TARGET.search(str(getattr(request, "url", ""))):
        return str(request.url)
    try:
        return str(poller.polling_method()._initial_response.http_response.request.url)
    except AttributeError:
        return None


def capture(
    work: Any,
    *,
    ml_client: Any = None,
    deployment: Any = None,
    session: Any = None,
    raise_error: bool = True,
    lines: int = 500,
    timeout_s: float | None = None,
) -> Any:
    """Run an SDK v2 create/update and keep its error if it fails.

    ``work``: the poller ``ml_client.online_deployments.begin_create_or_update(d)`` returned, or a function
    that starts it (``lambda: ml_client.online_deployments.begin_create_or_update(d)``): the function form
    also catches what Azure refuses at once (quota: a 400 before any operation starts). ``deployment``: the
    ``OnlineDeployment`` (or ``"endpoint/deployment"``) when the request does not say it. ``ml_client``:
    lets ``capture`` read both containers' logs after the failure. ``session``: a ``TroubleshootSession``
    that keeps the record (its logs, results, findings and steps). ``timeout_s``: how long to wait for the
    operation (None: as long as it takes, as ``poller.result()``).

    On success returns what the operation returned (the deployment). On failure keeps the record for this
    process (``V2Backend`` shows it as the deployment's error) and re-raises the SDK's exception with the
    record in its ``amlwizard_capture`` attribute, or returns the ``Capture`` when ``raise_error=False``.
    """
    poller = None
    try:
        poller = work() if callable(work) and not hasattr(work, "result") else work
        return poller.result(timeout_s) if hasattr(poller, "result") else poller
    except AmlWizardError:
        raise
    except Exception as exc:  # noqa: BLE001 - any SDK failure is what we capture
        record = _record(exc, poller, deployment)
        _read_afterwards(record, ml_client, lines)
        _diagnose(record)
        with _LOCK:
            if record.endpoint and record.deployment:
                _CAPTURED[(record.endpoint.lower(), record.deployment.lower())] = record.to_dict()
        if session is not None:
            _into_session(session, record)
        if raise_error:
            exc.amlwizard_capture = record  # type: ignore[attr-defined]
            raise
        return record


def _record(exc: BaseException, poller: Any, deployment: Any) -> Capture:
    from ._v2_errors import error_parts

    parts = error_parts(exc)
    endpoint, name = _url_parts(_request_url(poller, exc))
    if isinstance(deployment, str) and "/" in deployment:
        endpoint, _, name = deployment.partition("/")
    elif deployment is not None and getattr(deployment, "endpoint_name", None):
        endpoint, name = deployment.endpoint_name, deployment.name
    operation = _operation_url(poller) if poller is not None else None
    return Capture(
        endpoint=endpoint,
        deployment=name,
        code=parts["code"],
        message=parts["message"],
        details=parts["details"],
        status=parts["status"] if operation is None else None,
        operation_url=mask_secrets(operation) if operation else None,
        request_id=parts["request_id"],
        exception=parts["exception"],
        time=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )


def _read_afterwards(record: Capture, ml_client: Any, lines: int) -> None:
    """Both containers' logs (what the service still exposes), and the image build log it links to."""
    if ml_client is not None and record.endpoint and record.deployment:
        from ._azure_errors import bounded

        logs = ml_client.online_deployments
        for container in ("inference-server", "storage-initializer"):
            try:
                text = bounded(
                    lambda c=container: logs.get_logs(
                        record.deployment, record.endpoint, lines, container_type=c
                    ),
                    30,
                    f"reading the {container} logs",
                )
                record.logs[container] = mask_secrets(str(text or ""))
            except Exception:  # noqa: BLE001 - a container that never started has no logs: the error still tells
                record.logs[container] = ""
    link = _BUILD_LOG.search(describe_capture(asdict(record) | {"operation_url": None}) + record.message)
    if link:
        record.build_log = _fetch_text(link.group(0))


def _fetch_text(url: str) -> str:
    import requests

    try:
        answer = requests.get(url, timeout=10)
        return mask_secrets(answer.text) if answer.ok else ""
    except requests.RequestException:
        return ""


def _diagnose(record: Capture) -> None:
    from ..diagnosis import diagnose_many

    texts = {"create error": describe_capture(asdict(record))}
    texts.update({f"{c} log": t for c, t in record.logs.items()})
    if record.build_log:
        texts["image build log"] = record.build_log
    record.findings = list(diagnose_many(texts, top=3, context={"sdk": "v2"}).findings)


def _into_session(session: Any, record: Capture) -> None:
    """Keep the record in a session (duck-typed: a TroubleshootSession), after what it already holds."""
    name = f"{record.endpoint}/{record.deployment}"
    session.set_logs("create error", describe_capture(record.to_dict()))
    for container, text in record.logs.items():
        if text:
            session.set_logs(container, text)
    session.results["capture"] = record.to_dict()
    known = {f.id for f in record.findings}
    session.set_findings([*record.findings, *(f for f in session.findings if f.id not in known)])
    outcome = f"failed: {record.code or record.exception}" + (
        f" -> {record.findings[0].id}" if record.findings else ""
    )
    session.record("capture", f"create/update of online deployment {name}", outcome)
