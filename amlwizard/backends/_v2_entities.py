"""azure-ai-ml's endpoint and deployment entities read into the seam's types (``ServiceDetails``).

The SDK's names differ from v1's (instance_count, request_timeout_ms...): they land in the fields of the same
meaning, the rest in the optional v2 fields.
"""

from __future__ import annotations

import re
from typing import Any

from .._secrets import mask_json
from ._base import AutoscaleSettings, ServiceDetails

__all__ = ["deployment_details", "compute_type", "state", "created"]

MODEL_ROOT = "/var/azureml-app/azureml-models"  # where a deployment's container finds its models
_MODEL_ID = re.compile(r"/models/([^/]+)/versions/([^/]+)$|^azureml:([^:]+):(.+)$")


def _iso(value: Any) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else (str(value) if value else None)


def created(entity: Any) -> str | None:
    return _iso(getattr(getattr(entity, "creation_context", None), "created_at", None))


def compute_type(entity: Any) -> str:
    kind = str(getattr(entity, "type", "") or "").lower()
    if kind == "kubernetes" or "Kubernetes" in type(entity).__name__:
        return "Kubernetes"
    return "Managed"


def state(entity: Any) -> str | None:
    value = getattr(entity, "provisioning_state", None)
    return str(getattr(value, "value", value)) if value is not None else None


def _model_ref(model: Any) -> tuple[str, str] | None:
    text = model if isinstance(model, str) else getattr(model, "id", None) or ""
    if not text and getattr(model, "name", None):
        return str(model.name), str(model.version)
    match = _MODEL_ID.search(text or "")
    if not match:
        return None
    return (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))


def _settings(obj: Any, names: tuple[str, ...]) -> dict[str, Any] | None:
    if obj is None:
        return None
    return {n: getattr(obj, n, None) for n in names}


_PROBE = ("initial_delay", "period", "timeout", "failure_threshold", "success_threshold")
_REQUESTS = ("request_timeout_ms", "max_concurrent_requests_per_instance", "max_queue_wait_ms")
_SCALE = ("type", "min_instances", "max_instances", "target_utilization_percentage", "polling_interval")


def deployment_details(ep: Any, d: Any, captured: dict[str, Any] | None) -> ServiceDetails:
    name = f"{ep.name}/{d.name}"
    requests = getattr(d, "request_settings", None)
    scale = getattr(d, "scale_settings", None)
    autoscale = None
    if str(getattr(scale, "type", "")).lower().replace("_", "") == "targetutilization":
        autoscale = AutoscaleSettings(
            enabled=True,
            min_replicas=scale.min_instances or 1,
            max_replicas=scale.max_instances or 1,
            target_utilization=scale.target_utilization_percentage or 70,
            refresh_seconds=scale.polling_interval or 1,
        )
    model = _model_ref(getattr(d, "model", None))
    resources = getattr(d, "resources", None)
    requests_k8s = getattr(resources, "requests", None)
    code = getattr(d, "code_configuration", None)
    return ServiceDetails(
        name=name,
        compute_type=compute_type(d),
        state=state(d),
        created_time=created(d),
        sdk="v2",
        error=mask_json(captured["error"]) if captured else None,
        scoring_uri=getattr(ep, "scoring_uri", None),
        swagger_uri=getattr(ep, "openapi_uri", None),
        compute_target=getattr(ep, "compute", None),
        cpu=_number(getattr(requests_k8s, "cpu", None)),
        memory_gb=_memory_gb(getattr(requests_k8s, "memory", None)),
        num_replicas=getattr(d, "instance_count", None),
        autoscale=autoscale,
        scoring_timeout_ms=getattr(requests, "request_timeout_ms", None),
        max_concurrent_requests=getattr(requests, "max_concurrent_requests_per_instance", None),
        max_queue_wait_ms=getattr(requests, "max_queue_wait_ms", None),
        models=[f"{model[0]}:{model[1]}"] if model else [],
        endpoint=ep.name,
        deployment=d.name,
        instance_type=getattr(d, "instance_type", None),
        traffic=dict(getattr(ep, "traffic", None) or {}),
        auth_mode=getattr(ep, "auth_mode", None),
        liveness_probe=_settings(getattr(d, "liveness_probe", None), _PROBE),
        readiness_probe=_settings(getattr(d, "readiness_probe", None), _PROBE),
        scale_settings=_settings(scale, _SCALE),
        request_settings=_settings(requests, _REQUESTS),
        environment=_short_id(getattr(d, "environment", None)),
        scoring_script=getattr(code, "scoring_script", None),
        model_dir=f"{MODEL_ROOT}/{model[0]}/{model[1]}" if model else None,
        environment_variables={
            str(k): str(v) for k, v in (getattr(d, "environment_variables", None) or {}).items()
        }
        or None,
    )


def _short_id(value: Any) -> str | None:
    text = value if isinstance(value, str) else getattr(value, "id", None) or getattr(value, "name", None)
    if not text:
        return None
    match = re.search(r"/environments/([^/]+)/versions/([^/]+)$", str(text))
    return f"{match.group(1)}:{match.group(2)}" if match else str(text)


def _number(value: Any) -> float | None:
    try:
        return float(str(value).rstrip("m")) / (1000 if str(value).endswith("m") else 1) if value else None
    except ValueError:
        return None


def _memory_gb(value: Any) -> float | None:
    match = re.fullmatch(r"([\d.]+)\s*(Gi|G|Mi|M)?", str(value or ""))
    if not match:
        return None
    amount, unit = float(match.group(1)), match.group(2) or "Gi"
    return amount if unit in ("Gi", "G") else round(amount / 1024, 3)
