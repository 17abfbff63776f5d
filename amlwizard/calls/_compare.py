"""What the autoscaler simulator predicts for the traffic a probe really sent, beside what the probe saw.

The simulator runs on the probe's own arrivals (requests per second as sent), each taking the time of a
request at rest (timed by the probe's warm-up; else the fast end of its 200s, which a queue slows), with
the service's autoscale settings: the same traffic, the model's answer. On the workshop emulator the
replica start-up and scale-down delays are its compressed ones: one clock for both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._probe import ProbeResult

__all__ = ["ProbeComparison", "compare_with_simulation", "probe_settings"]


@dataclass
class ProbeComparison:
    """Observed 503 / 504 rates beside the simulated ones (``predicted`` None: nothing to simulate)."""

    observed: ProbeResult
    predicted: Any  # amlwizard.sizing.SimulationResult | None
    request_seconds: float
    note: str

    def to_dict(self) -> dict[str, Any]:
        p = self.predicted
        o = self.observed
        predicted = None
        if p is not None:
            t = p.totals
            predicted = {"rate_503": t.rate_503, "rate_504": t.rate_504, "requests": t.requests,
                         "settings": p.settings.to_dict()}  # fmt: skip
        return {
            "observed": {"rate_503": o.rate(503), "rate_504": o.rate(504), "requests": o.answered},
            "predicted": predicted,
            "request_seconds": self.request_seconds,
            "note": self.note,
        }


def probe_settings(details: Any, frontend: dict[str, Any] | None = None) -> Any:
    """The autoscale settings to simulate for a service (a backend ``ServiceDetails``); None for a service
    without AKS's autoscaler (ACI, a managed online deployment). ``frontend``: the workshop emulator's
    front-end state, whose settings (its compressed replica start-up included) are what really ran."""
    from ..sizing import AksAutoscaleSettings

    if frontend and frontend.get("settings"):
        return AksAutoscaleSettings(**frontend["settings"]).validated()
    # AKS (v1) and a Kubernetes online deployment (v2, TargetUtilization) scale the same way
    if (getattr(details, "compute_type", "") or "").upper() not in ("AKS", "KUBERNETES"):
        return None
    settings = AksAutoscaleSettings.from_service(details)
    auto = getattr(details, "autoscale", None)
    fixed_v2 = auto is None and getattr(details, "sdk", "v1") == "v2"  # scale type Default: instance_count
    if fixed_v2 or (auto is not None and not auto.enabled):  # a fixed number of replicas
        fixed = int(getattr(details, "num_replicas", None) or 1)
        settings = settings.replace(autoscale_min_replicas=fixed, autoscale_max_replicas=fixed)
    return settings


def compare_with_simulation(
    result: ProbeResult, settings: Any, *, request_seconds: float | None = None
) -> ProbeComparison:
    """Simulate ``settings`` on the probe's arrivals; ``request_seconds``: a request at rest by default."""
    import numpy as np

    from ..sizing import Workload, simulate

    seconds = request_seconds
    if seconds is None:
        at_rest = (result.warmup or {}).get("at_rest_ms")
        seconds = (at_rest or result.ok_fast_ms or 0.0) / 1000.0
    if settings is None:
        return ProbeComparison(result, None, seconds, "no autoscaler to simulate (not AKS or Kubernetes)")
    if not result.per_second or not seconds:
        return ProbeComparison(result, None, seconds, "no 200 answer to time a request by: nothing simulated")
    counts = np.asarray([row["sent"] for row in result.per_second], dtype=np.int64)
    predicted = simulate(Workload(counts=counts, request_seconds=float(seconds)), settings)
    note = (
        f"observed 503s {result.rate(503):.1%}, simulated {predicted.totals.rate_503:.1%} for the same "
        f"{result.sent} requests ({seconds * 1000:.0f} ms each, replicas ready "
        f"{settings.replica_start_seconds:g} s after they are asked for)"
    )
    return ProbeComparison(result, predicted, float(seconds), note)
