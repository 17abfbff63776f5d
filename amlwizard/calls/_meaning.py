"""What an SDK v2 online endpoint's status code means, with the deployment's own numbers (the 429 ceiling,
request_timeout_ms), and the model's own answer behind a 424 (the ``ms-azureml-model-error-*`` headers).

Facts from the online-endpoint troubleshooting doc (reference/AZUREML-V2.md, "Settings and status codes").
"""

from __future__ import annotations

from typing import Any

__all__ = ["status_meaning", "model_error"]

_DEFAULT_TIMEOUT_MS = 5000


def model_error(headers: dict[str, str]) -> str | None:
    """``"the model answered 500 (model_error)"`` from a 424's headers; None when they are absent."""
    code = headers.get("ms-azureml-model-error-statuscode")
    reason = headers.get("ms-azureml-model-error-reason")
    if not code and not reason:
        return None
    return f"the model answered {code or '?'}" + (f" ({reason})" if reason else "")


def _managed(status: int, details: Any, headers: dict[str, str]) -> str | None:
    requests = details.request_settings or {}
    concurrent = requests.get("max_concurrent_requests_per_instance") or details.max_concurrent_requests or 1
    instances = details.num_replicas or 1
    timeout = requests.get("request_timeout_ms") or details.scoring_timeout_ms or _DEFAULT_TIMEOUT_MS
    if status == 408:
        default = " (the default)" if timeout == _DEFAULT_TIMEOUT_MS else ""
        return (
            f"408 Request Timeout: run() did not answer within request_timeout_ms = {timeout} ms{default}, "
            "so the endpoint gave up on the request. Make run() faster, or raise "
            "request_settings.request_timeout_ms (at most 180000); Size replicas sets it from run()'s time."
        )
    if status == 424:
        said = model_error(headers) or "something other than 200"
        return (
            f"424 Failed Dependency: the endpoint reached the model and {said} instead of 200: your run() "
            "failed (the ms-azureml-model-error-* headers carry its answer; the inference-server log has its "
            "traceback). Reproduce it with Deploy locally."
        )
    if status == 429:
        ceiling = 2 * concurrent * instances
        return (
            f"429 Too Many Requests: more than 2 x max_concurrent_requests_per_instance ({concurrent}) x "
            f"instance_count ({instances}) = {ceiling} requests were in flight at once (or the endpoint's "
            "rate limit was hit). Retry with backoff, add instances, or raise "
            "max_concurrent_requests_per_instance if run() can serve several at once (Size replicas)."
        )
    return None


def _not_found(details: Any) -> str:
    if details.state and details.state != "Succeeded":
        return (
            f"404 Not Found: deployment {details.deployment} is {details.state}, so it takes no requests: "
            "its create error and its containers' logs say why (Fetch logs)."
        )
    return (
        "404 Not Found: the endpoint has no deployment taking traffic (or the azureml-model-deployment "
        "header names none): set the endpoint's traffic, or call a deployment that succeeded."
    )


def _kubernetes(status: int) -> str | None:
    return {
        409: "409 Conflict: an operation (create, update) is still running on the deployment; call later.",
        502: "502 Bad Gateway: run() raised or the container crashed while answering (inference-server log).",
        503: "503 Service Unavailable: a traffic spike arrived before the autoscaler added instances "
        "(Size replicas: min instances, target utilization).",
        504: "504 Gateway Timeout: run() did not answer within request_timeout_ms.",
    }.get(status)


def status_meaning(status: int, details: Any, headers: dict[str, str] | None = None) -> str | None:
    """One plain sentence for a v2 endpoint's non-200 ``status`` (None for v1 services and other codes)."""
    if details is None or getattr(details, "sdk", "v1") != "v2" or not status or 200 <= status < 300:
        return None
    if status == 404:
        return _not_found(details)
    if status == 401:
        return "401 Unauthorized: the key (or token) is wrong or missing: get it with get_keys / list-keys."
    if details.compute_type == "Kubernetes":
        return _kubernetes(status)
    return _managed(status, details, headers or {})
