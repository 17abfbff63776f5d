"""One request to a service's scoring URI, and what came back: the HTTP part every caller shares.

``ScoringEndpoint`` is where and how to call (the key never shown unmasked); ``call_endpoint`` sends one
request; ``CallAnswer`` is the answer as a user sees it (status, latency, the headers that matter, the body
masked) and as the diagnosis reads it (``as_text``, shaped as the SDK's ``WebserviceException`` prints it).
The probe (``_probe``) uses the same headers, TLS trust and limits.
"""

from __future__ import annotations

import json
import os
import ssl
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .._errors import UsageProblem
from .._secrets import mask_secrets, mask_value

__all__ = [
    "ScoringEndpoint",
    "CallAnswer",
    "call_endpoint",
    "request_bytes",
    "MAX_BODY_SHOWN",
    "MODEL_ERROR_HEADERS",
]

MAX_BODY_SHOWN = 64 * 1024  # characters of an answer's body kept for display and diagnosis
# the answer headers that say something about a failure (the rest is transport noise)
_HEADERS_THAT_MATTER = (
    "content-type", "content-length", "x-ms-request-id", "x-request-id", "x-ms-run-function-failed",
    "x-ms-server-version", "retry-after", "www-authenticate", "server",
    # a managed online endpoint's (SDK v2): which deployment answered, and what the model itself said on a 424
    "azureml-model-deployment", "ms-azureml-model-error-statuscode", "ms-azureml-model-error-reason",
)  # fmt: skip
MODEL_ERROR_HEADERS = ("ms-azureml-model-error-statuscode", "ms-azureml-model-error-reason")


@dataclass(frozen=True)
class ScoringEndpoint:
    """A service's scoring URI and the key it wants (None: no key auth). ``timeout_s`` bounds one call."""

    uri: str
    key: str | None = field(default=None, repr=False)
    service: str = ""
    timeout_s: float = 90.0
    deployment: str | None = None  # SDK v2: pins the call to this deployment (azureml-model-deployment)

    def __post_init__(self) -> None:
        parts = urlsplit(self.uri or "")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageProblem(
                f"service {self.service or '?'} has no scoring URI ({self.uri!r}): it is not deployed, or "
                "its deployment failed; its state and logs say why (amlwizard logs SERVICE)"
            )

    @property
    def host(self) -> str:
        return urlsplit(self.uri).hostname or ""

    @property
    def is_local(self) -> bool:
        """A loopback address: the workshop emulator or a local deployment (no cost, no production)."""
        return self.host in ("127.0.0.1", "localhost", "::1")

    def headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "User-Agent": "amlwizard"}
        if self.key:
            headers["Authorization"] = f"Bearer {self.key}"
        if self.deployment:  # else the endpoint's traffic split picks one
            headers["azureml-model-deployment"] = self.deployment
        return headers

    def __repr__(self) -> str:
        key = mask_value(self.key) if self.key else None
        return f"ScoringEndpoint(uri={self.uri!r}, key={key!r}, service={self.service!r})"


def trusted_context() -> ssl.SSLContext:
    """The CAs the process trusts for HTTPS, as ``requests`` (and so the SDK) decides them:
    ``REQUESTS_CA_BUNDLE`` or ``CURL_CA_BUNDLE`` when set (the workshop's test CA), else certifi's."""
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if not (bundle and Path(bundle).is_file()):
        import certifi

        bundle = certifi.where()
    return ssl.create_default_context(cafile=bundle)


def request_bytes(request: Any) -> bytes:
    """A request body: bytes and str as they are (str must be JSON), anything else as JSON."""
    if isinstance(request, bytes):
        return request
    if isinstance(request, str):
        return request.encode("utf-8")
    try:
        return json.dumps(request).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise UsageProblem(f"the request cannot be sent as JSON ({exc}); give a JSON string or file") from exc


@dataclass
class CallAnswer:
    """What one call returned. ``status`` 0: no HTTP answer (``error`` says why: refused, timed out...)."""

    status: int
    reason: str
    latency_ms: float
    headers: dict[str, str]
    body: str  # masked, at most MAX_BODY_SHOWN characters
    uri: str
    error: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def json_body(self) -> Any:
        """The body parsed as JSON, or the text when it is not JSON."""
        try:
            return json.loads(self.body)
        except ValueError:
            return self.body

    def as_text(self) -> str:
        """The answer as the SDK's ``WebserviceException`` prints it, for the diagnosis and the report."""
        if not self.status:
            return f"POST {self.uri}\nNo answer: {self.error}"
        return (
            f"POST {self.uri}\n{self.status} {self.reason}\nResponse Code: {self.status}\n"
            f"Headers: {self.headers}\nContent: {self.body}"
        )


def _kept_headers(headers: Any) -> dict[str, str]:
    return {k: mask_secrets(str(headers[k])) for k in _HEADERS_THAT_MATTER if k in headers}


def answer_of(uri: str, status: int, reason: str, headers: Any, raw: bytes, latency_ms: float) -> CallAnswer:
    text = raw[: MAX_BODY_SHOWN * 4].decode("utf-8", "replace")[:MAX_BODY_SHOWN]
    return CallAnswer(status, reason, round(latency_ms, 1), _kept_headers(headers), mask_secrets(text), uri)


def call_endpoint(endpoint: ScoringEndpoint, request: Any) -> CallAnswer:
    """POST ``request`` to the scoring URI with the service's key. Never raises for what the service does
    (an HTTP error, no answer): the ``CallAnswer`` says it; a malformed request is a ``UsageProblem``."""
    import httpx

    body = request_bytes(request)
    started = time.perf_counter()
    try:
        with httpx.Client(
            verify=trusted_context(), trust_env=False, follow_redirects=False, timeout=endpoint.timeout_s
        ) as client:
            resp = client.post(endpoint.uri, content=body, headers=endpoint.headers())
    except httpx.HTTPError as exc:
        latency = (time.perf_counter() - started) * 1000
        what = "no answer in time" if isinstance(exc, httpx.TimeoutException) else type(exc).__name__
        return CallAnswer(0, "", round(latency, 1), {}, "", endpoint.uri, mask_secrets(f"{what}: {exc}"))
    latency = (time.perf_counter() - started) * 1000
    return answer_of(endpoint.uri, resp.status_code, resp.reason_phrase, resp.headers, resp.content, latency)
