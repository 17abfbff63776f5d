"""Sizing an SDK v2 online deployment: instances for a load, the 429 ceiling, the request timeout against
run()'s time, and the quota the instances need with the 20 % Azure ML keeps for upgrades.

Facts (the online-endpoint troubleshooting doc, reference/AZUREML-V2.md): a managed endpoint answers 429
beyond 2 x max_concurrent_requests_per_instance x instance_count requests in flight; 408 past
request_timeout_ms (default 5000, at most 180000); quota is counted on ceil(1.2 x instance_count) instances
(20 % reserved for upgrades). The number of instances follows the guide's formula, as the v2 doc keeps it.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from .formula import formula_replicas

__all__ = [
    "ManagedSizing",
    "ceiling_429",
    "size_managed",
    "quota_for",
    "INSTANCE_CORES",
    "MAX_REQUEST_TIMEOUT_MS",
    "UPGRADE_RESERVE",
]

MAX_REQUEST_TIMEOUT_MS = 180_000
DEFAULT_REQUEST_TIMEOUT_MS = 5_000
UPGRADE_RESERVE = 0.2  # of an instance type's cores, kept by Azure ML for upgrades
# vCPUs of the instance types people deploy to most (Azure's published sizes); others: give cores=...
INSTANCE_CORES: dict[str, int] = {
    "Standard_DS1_v2": 1, "Standard_DS2_v2": 2, "Standard_DS3_v2": 4, "Standard_DS4_v2": 8,
    "Standard_DS5_v2": 16, "Standard_F2s_v2": 2, "Standard_F4s_v2": 4, "Standard_F8s_v2": 8,
    "Standard_F16s_v2": 16, "Standard_F32s_v2": 32, "Standard_E2s_v3": 2, "Standard_E4s_v3": 4,
    "Standard_E8s_v3": 8, "Standard_E16s_v3": 16, "Standard_E32s_v3": 32, "Standard_NC6s_v3": 6,
    "Standard_NC12s_v3": 12, "Standard_NC24s_v3": 24, "Standard_NC4as_T4_v3": 4, "Standard_NC8as_T4_v3": 8,
    "Standard_NC16as_T4_v3": 16, "Standard_NC24ads_A100_v4": 24,
}  # fmt: skip


@dataclass
class ManagedSizing:
    """What a managed online deployment needs for ``rps`` requests a second of ``request_seconds`` each."""

    rps: float
    request_seconds: float
    instances: int  # the guide's formula at the target utilization
    in_flight: float  # requests in flight on average (Little's law: rps x seconds)
    ceiling_429: int  # requests in flight beyond which the endpoint answers 429, with ``instances``
    max_rps_before_429: float  # the steady load those instances take before 429s
    request_timeout_ms: int  # what to set: covers the slowest run() with room, within the maximum
    timeout_note: str
    instance_type: str | None
    cores_per_instance: int | None
    quota_cores: int | None  # what the subscription's quota must allow, the 20 % reserve included
    quota_note: str  # the sum, and whether ``quota_limit`` (cores free in the family) covers it
    snippet: str
    yaml: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _timeout(slowest_seconds: float) -> tuple[int, str]:
    wanted = math.ceil(slowest_seconds * 1.5) * 1000  # 50 % room, in whole seconds
    if slowest_seconds * 1000 > MAX_REQUEST_TIMEOUT_MS:
        return MAX_REQUEST_TIMEOUT_MS, (
            f"run() takes {slowest_seconds:g} s, longer than the most an online endpoint waits "
            f"({MAX_REQUEST_TIMEOUT_MS // 1000} s): every such request gets 408; use a batch endpoint"
        )
    timeout = min(MAX_REQUEST_TIMEOUT_MS, max(DEFAULT_REQUEST_TIMEOUT_MS, wanted))
    if slowest_seconds * 1000 > DEFAULT_REQUEST_TIMEOUT_MS:
        return timeout, (
            f"run() takes up to {slowest_seconds:g} s, over the default request_timeout_ms of "
            f"{DEFAULT_REQUEST_TIMEOUT_MS} (5 s): raise it to {timeout} or requests get 408"
        )
    return (
        timeout,
        f"run() takes up to {slowest_seconds:g} s: the default {DEFAULT_REQUEST_TIMEOUT_MS} ms holds",
    )


def quota_for(
    instances: int, cores: int | None, kind: str, free: int | None = None
) -> tuple[int | None, str]:
    """Azure ML counts ceil(1.2 x instances) instances against the quota (the doc's rule): the reserve is
    whole instances, so one instance of 4 cores needs 8."""
    if not cores:
        return None, f"give the cores of {kind} to count the quota it needs"
    counted = math.ceil(round(instances * (1 + UPGRADE_RESERVE), 6))
    needed = counted * cores
    note = (
        f"quota: ceil({instances} x 1.2) = {counted} instance(s) x {cores} cores = {needed} cores of the "
        f"{kind} family (20 % reserved for upgrades)"
    )
    if free is not None:
        enough = (
            "enough" if free >= needed else f"NOT enough: ask for {needed - free} more cores or use fewer"
        )
        note += f"; {free} free: {enough}"
    return needed, note


def ceiling_429(max_concurrent: int, instances: int) -> int:
    """Requests in flight beyond which a managed endpoint answers 429."""
    return 2 * max_concurrent * instances


def size_managed(
    rps: float,
    request_seconds: float,
    *,
    slowest_seconds: float | None = None,
    max_concurrent: int = 1,
    target_utilization: float = 0.7,
    instance_type: str | None = None,
    cores: int | None = None,
    deployment: str = "blue",
    endpoint: str = "my-endpoint",
    quota_limit: int | None = None,
) -> ManagedSizing:
    """Size a managed deployment. ``slowest_seconds``: run()'s slowest time (its p99; default the mean).
    ``quota_limit``: the cores still free in the instance family's quota (limit - usage), when known."""
    instances = max(1, formula_replicas(rps, request_seconds, target_utilization, max_concurrent)[0])
    ceiling = ceiling_429(max_concurrent, instances)
    timeout, note = _timeout(slowest_seconds or request_seconds)
    per_instance = cores if cores is not None else INSTANCE_CORES.get(instance_type or "")
    kind = instance_type or "Standard_DS3_v2"
    quota, quota_note = quota_for(instances, per_instance, kind, quota_limit)
    snippet = (
        "from azure.ai.ml.entities import ManagedOnlineDeployment, OnlineRequestSettings\n\n"
        f"deployment = ManagedOnlineDeployment(\n    name={deployment!r}, endpoint_name={endpoint!r},\n"
        f"    instance_type={kind!r}, instance_count={instances},\n"
        f"    request_settings=OnlineRequestSettings(request_timeout_ms={timeout}, "
        f"max_concurrent_requests_per_instance={max_concurrent}),\n    # model=..., environment=..., "
        "code_configuration=... as before\n)\nml_client.online_deployments.begin_create_or_update(deployment)"
    )
    yaml = (
        f"name: {deployment}\nendpoint_name: {endpoint}\ninstance_type: {kind}\ninstance_count: {instances}\n"
        f"request_settings:\n  request_timeout_ms: {timeout}\n  max_concurrent_requests_per_instance: "
        f"{max_concurrent}\n"
    )
    return ManagedSizing(
        rps=rps,
        request_seconds=request_seconds,
        instances=instances,
        in_flight=rps * request_seconds,
        ceiling_429=ceiling,
        max_rps_before_429=ceiling / request_seconds,
        request_timeout_ms=timeout,
        timeout_note=note,
        instance_type=instance_type,
        cores_per_instance=per_instance,
        quota_cores=quota,
        quota_note=quota_note,
        snippet=snippet,
        yaml=yaml,
    )
