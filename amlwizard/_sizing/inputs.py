"""What a sizing is run on: the traffic and the autoscaler settings, as one plain record.

The one place where a deployed service's settings, a workshop scenario's observed traffic and the
values a user typed become a workload and ``AksAutoscaleSettings`` (the wizard, the report and the
CLI all size through it, so they cannot disagree on a setting).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from .settings import AksAutoscaleSettings, SimulationResult
from .traffic import Workload, make_workload, traffic_profile

__all__ = ["SizingInputs"]

_DAY = 86_400
# our short names -> the SDK's (AksWebservice.deploy_configuration) names, as AksAutoscaleSettings has them
_SETTING_NAMES = {
    "min_replicas": "autoscale_min_replicas",
    "max_replicas": "autoscale_max_replicas",
    "target_utilization": "autoscale_target_utilization",
    "refresh_seconds": "autoscale_refresh_seconds",
    "max_concurrent": "replica_max_concurrent_requests",
    "max_wait_ms": "max_request_wait_time",
    "scoring_timeout_ms": "scoring_timeout_ms",
    "replica_start_seconds": "replica_start_seconds",
}


@dataclass(frozen=True)
class SizingInputs:
    """Traffic (a profile of requests per second and seconds per request) and the autoscaler's settings.

    Defaults are AKS's, with the guide's example load. ``spike_start``/``spike_seconds`` place the spike
    of a ``spike`` profile (None: the profile's own placement).
    """

    profile: str = "spike"
    rps: float = 20.0
    peak_rps: float = 60.0
    seconds: int = 3600
    request_seconds: float = 0.05
    target_utilization: int = 70
    min_replicas: int = 1
    max_replicas: int = 10
    max_concurrent: int = 1
    max_wait_ms: int = 500
    scoring_timeout_ms: int = 60_000
    refresh_seconds: int = 1
    replica_start_seconds: float = 60.0
    spike_start: int | None = None
    spike_seconds: int | None = None

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> SizingInputs:
        """From saved values (a session's state); unknown keys are ignored, missing ones take defaults."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def with_service(self, details: Any) -> SizingInputs:
        """These inputs with the settings of a deployed service (a backend ``ServiceDetails``)."""
        return self.with_settings(AksAutoscaleSettings.from_service(details, base=self.settings()))

    def with_settings(self, settings: AksAutoscaleSettings) -> SizingInputs:
        """These inputs with the autoscaler's ``settings`` (the traffic stays)."""
        return replace(self, **{ours: getattr(settings, sdk) for ours, sdk in _SETTING_NAMES.items()})

    def with_scenario_traffic(self, traffic: dict[str, Any]) -> SizingInputs:
        """These inputs with a workshop scenario's observed spike (so the plot shows the 503s users saw)."""
        return replace(
            self,
            profile="spike",
            rps=float(traffic["baseline_rps"]),
            peak_rps=float(traffic["spike_rps"]),
            seconds=int(traffic["duration_s"]),
            request_seconds=float(traffic["request_seconds"]),
            spike_start=int(traffic["spike_start_s"]),
            spike_seconds=int(traffic["spike_duration_s"]),
        )

    @property
    def load_rps(self) -> float:
        """The load to size for: the steady rate, or the peak of a varying profile."""
        return self.rps if self.profile == "constant" else max(self.rps, self.peak_rps)

    def traffic_key(self) -> tuple[Any, ...]:
        """What the workload depends on: two inputs with the same key draw the same requests."""
        return (self.profile, self.rps, self.peak_rps, self.seconds, self.request_seconds,
                self.spike_start, self.spike_seconds)  # fmt: skip

    def workload(self, *, seed: int = 0) -> Workload:
        seconds = _DAY if self.profile == "daily" else int(self.seconds)
        spike = self.profile == "spike"
        rates = traffic_profile(
            self.profile, rps=self.rps, peak_rps=self.peak_rps, seconds=seconds,
            spike_start=self.spike_start if spike else None,
            spike_seconds=self.spike_seconds if spike else None,
        )  # fmt: skip
        return make_workload(rates, request_seconds=self.request_seconds, seed=seed)

    def settings(self) -> AksAutoscaleSettings:
        return AksAutoscaleSettings(
            **{sdk: getattr(self, ours) for ours, sdk in _SETTING_NAMES.items()}
        ).validated()

    def simulate(self, workload: Workload | None = None) -> SimulationResult:
        """The autoscaler simulated on this traffic (``workload``: an already drawn one, to reuse it)."""
        from .simulator import simulate

        return simulate(workload if workload is not None else self.workload(), self.settings())
