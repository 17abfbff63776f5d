"""The AKS autoscale settings the simulator takes (named as ``AksWebservice.deploy_configuration`` names
them) and the simulation's result: a per-second timeline and totals."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields, replace
from functools import cached_property
from typing import Any

from .._errors import UsageProblem

__all__ = ["AksAutoscaleSettings", "SimulationTotals", "SimulationResult"]


@dataclass(frozen=True)
class AksAutoscaleSettings:
    """AKS autoscaler settings. ``autoscale_target_utilization`` is a whole percent, as the SDK takes it."""

    autoscale_min_replicas: int = 1
    autoscale_max_replicas: int = 10
    autoscale_target_utilization: int = 70
    autoscale_refresh_seconds: int = 1
    replica_max_concurrent_requests: int = 1
    max_request_wait_time: int = 500  # ms a request may wait in the queue before it gets 503
    scoring_timeout_ms: int = 60_000  # requests longer than this get 504
    replica_start_seconds: float = 60.0  # not an SDK setting: how long AKS takes to make a replica ready
    scale_down_seconds: int = 60  # not an SDK setting: how long load must stay low before replicas go

    def replace(self, **changes: Any) -> AksAutoscaleSettings:
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise UsageProblem(f"unknown autoscale setting {unknown[0]!r}; known: {', '.join(sorted(known))}")
        return replace(self, **changes).validated()

    def validated(self) -> AksAutoscaleSettings:
        """Itself when every setting is usable; a UsageProblem naming the first bad one otherwise."""
        ints = {
            "autoscale_min_replicas": 1,
            "autoscale_max_replicas": 1,
            "autoscale_refresh_seconds": 1,
            "replica_max_concurrent_requests": 1,
            "max_request_wait_time": 0,
            "scoring_timeout_ms": 1,
            "scale_down_seconds": 0,
        }
        for name, lowest in ints.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < lowest:
                raise UsageProblem(f"{name} must be a whole number >= {lowest}, got {value!r}")
        pct = self.autoscale_target_utilization
        if isinstance(pct, bool) or not isinstance(pct, int) or not 1 <= pct <= 100:
            raise UsageProblem(
                "autoscale_target_utilization is a whole percent in 1..100 "
                f"(AKS takes 70 for 70 %), got {pct!r}"
            )
        if self.autoscale_min_replicas > self.autoscale_max_replicas:
            raise UsageProblem(
                f"min replicas ({self.autoscale_min_replicas}) is above max replicas "
                f"({self.autoscale_max_replicas}); raise max or lower min"
            )
        start = self.replica_start_seconds
        if not isinstance(start, (int, float)) or math.isnan(start) or math.isinf(start) or start < 0:
            raise UsageProblem(f"replica_start_seconds must be a number >= 0, got {start!r}")
        return self

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_service(
        cls, details: Any, base: AksAutoscaleSettings | None = None, **changes: Any
    ) -> AksAutoscaleSettings:
        """The settings of a deployed service (a backend ``ServiceDetails``); the ones it does not set
        come from ``base`` (AKS defaults when None), then ``changes`` apply."""
        found: dict[str, Any] = {}
        auto = getattr(details, "autoscale", None)
        if auto is not None:
            found.update(
                autoscale_min_replicas=auto.min_replicas,
                autoscale_max_replicas=auto.max_replicas,
                autoscale_target_utilization=auto.target_utilization,
                autoscale_refresh_seconds=auto.refresh_seconds,
            )
        for ours, theirs in [
            ("replica_max_concurrent_requests", "max_concurrent_requests"),
            ("max_request_wait_time", "max_queue_wait_ms"),
            ("scoring_timeout_ms", "scoring_timeout_ms"),
        ]:
            if getattr(details, theirs, None) is not None:
                found[ours] = getattr(details, theirs)
        return (base or cls()).replace(**{**found, **changes})

    def deploy_configuration_call(self) -> str:
        """The ready-to-paste SDK call with these settings."""
        return (
            "AksWebservice.deploy_configuration(autoscale_enabled=True, "
            f"autoscale_min_replicas={self.autoscale_min_replicas}, "
            f"autoscale_max_replicas={self.autoscale_max_replicas}, "
            f"autoscale_target_utilization={self.autoscale_target_utilization}, "
            f"autoscale_refresh_seconds={self.autoscale_refresh_seconds}, "
            f"replica_max_concurrent_requests={self.replica_max_concurrent_requests}, "
            f"max_request_wait_time={self.max_request_wait_time}, "
            f"scoring_timeout_ms={self.scoring_timeout_ms})"
        )

    def v2_kubernetes(self, endpoint: str = "my-endpoint", deployment: str = "blue") -> tuple[str, str]:
        """The same settings for an SDK v2 Kubernetes online deployment: (the Python, the YAML)."""
        timeout = min(self.scoring_timeout_ms, 180_000)
        code = (
            "from azure.ai.ml.entities import (\n    KubernetesOnlineDeployment, OnlineRequestSettings, "
            "TargetUtilizationScaleSettings,\n)\n\n"
            f"deployment = KubernetesOnlineDeployment(\n    name={deployment!r}, "
            f"endpoint_name={endpoint!r},\n"
            f"    scale_settings=TargetUtilizationScaleSettings(min_instances={self.autoscale_min_replicas}, "
            f"max_instances={self.autoscale_max_replicas}, "
            f"target_utilization_percentage={self.autoscale_target_utilization}, "
            f"polling_interval={self.autoscale_refresh_seconds}),\n"
            f"    request_settings=OnlineRequestSettings(request_timeout_ms={timeout}, "
            f"max_concurrent_requests_per_instance={self.replica_max_concurrent_requests}),\n"
            "    # model=..., environment=..., code_configuration=..., instance_type=... as before\n)\n"
            "ml_client.online_deployments.begin_create_or_update(deployment)"
        )
        yaml = (
            f"name: {deployment}\nendpoint_name: {endpoint}\ntype: kubernetes\nscale_settings:\n"
            f"  type: target_utilization\n  min_instances: {self.autoscale_min_replicas}\n"
            f"  max_instances: {self.autoscale_max_replicas}\n"
            f"  target_utilization_percentage: {self.autoscale_target_utilization}\n"
            f"  polling_interval: {self.autoscale_refresh_seconds}\nrequest_settings:\n"
            f"  request_timeout_ms: {timeout}\n"
            f"  max_concurrent_requests_per_instance: {self.replica_max_concurrent_requests}\n"
        )
        return code, yaml


@dataclass
class SimulationTotals:
    seconds: int
    requests: int
    served: int  # started and finished within the scoring timeout
    rejected_503: int  # found no capacity within the queue budget
    timeout_504: int  # ran longer than the scoring timeout
    unfinished: int  # still queued when the profile ends
    rate_503: float
    rate_504: float
    replica_seconds: int  # sum over seconds of replicas ready or starting: the cost figure
    peak_replicas: int  # most replicas ready or starting at once
    mean_utilization: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SimulationResult:
    """``timeline``: one row per second (pandas DataFrame); ``totals``; the settings simulated.

    The timeline is made from ``columns`` (numpy arrays) when first asked for: a search over settings
    (``recommend``) reads only the totals of most of its runs, and a DataFrame costs a third of a small run.
    """

    settings: AksAutoscaleSettings
    totals: SimulationTotals
    columns: dict[str, Any] = field(repr=False)  # the timeline's columns, one value a second

    @cached_property
    def timeline(self) -> Any:  # pandas.DataFrame; columns in TIMELINE_COLUMNS of the simulator
        import pandas as pd

        frame = pd.DataFrame(self.columns)
        frame.attrs["target_utilization"] = self.settings.autoscale_target_utilization / 100.0
        return frame

    def to_dict(self, *, timeline: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"settings": self.settings.to_dict(), "totals": self.totals.to_dict()}
        if timeline:
            out["timeline"] = self.timeline.to_dict(orient="list")
        return out
