"""The troubleshooting guide's replica formula, its inverse questions, and the queueing view beside it.

``size_replicas`` answers "how many replicas for this load" both ways: the guide's formula (spare capacity
for spikes) and Erlang C (random arrivals must not wait longer than the queue budget too often).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any

from .._errors import UsageProblem
from .queueing import erlang_c_replicas, wait_probability

__all__ = [
    "ReplicaSizing",
    "SpikeHeadroom",
    "size_replicas",
    "formula_replicas",
    "rps_for_replicas",
    "spike_headroom",
    "check_utilization",
]


def check_utilization(target_utilization: float) -> float:
    """A utilization is a fraction in (0, 1]; 70 % is written 0.7."""
    u = float(target_utilization)
    if not (0.0 < u <= 1.0) or math.isnan(u):
        raise UsageProblem(f"target utilization {target_utilization!r} is outside (0, 1]; write 70 % as 0.7")
    return u


def _positive(name: str, value: float) -> float:
    v = float(value)
    if not (v > 0.0) or math.isinf(v):
        raise UsageProblem(f"{name} must be a positive number, got {value!r}")
    return v


def _exact(value: float) -> Fraction:
    # Decimal-exact: 0.7 means 7/10, not the binary float 0.6999999999999999555910790149937.
    return Fraction(repr(float(value)))


def formula_replicas(
    target_rps: float, request_seconds: float, target_utilization: float = 0.7, max_concurrent: int = 1
) -> tuple[int, float]:
    """(replicas, concurrent_requests) by the guide: ceil(rps * seconds / u / max_concurrent).

    Computed with exact fractions so that an exact multiple never rounds up by float error
    (e.g. 7 rps * 1 s / 0.7 = 10 concurrent requests -> 10 replicas, not 11).
    """
    rps = _positive("requests per second", target_rps)
    seconds = _positive("request seconds", request_seconds)
    u = check_utilization(target_utilization)
    if int(max_concurrent) < 1:
        raise UsageProblem(f"max concurrent requests per replica must be >= 1, got {max_concurrent!r}")
    concurrent = _exact(rps) * _exact(seconds) / _exact(u)
    replicas = math.ceil(concurrent / int(max_concurrent))
    return int(replicas), float(concurrent)


def rps_for_replicas(
    replicas: int, request_seconds: float, target_utilization: float = 0.7, max_concurrent: int = 1
) -> float:
    """The load (requests per second) that keeps ``replicas`` at the target utilization."""
    if int(replicas) < 1:
        raise UsageProblem(f"replicas must be >= 1, got {replicas!r}")
    seconds = _positive("request seconds", request_seconds)
    u = check_utilization(target_utilization)
    return float(int(replicas) * int(max_concurrent) * _exact(u) / _exact(seconds))


@dataclass
class SpikeHeadroom:
    """How much more load a target utilization absorbs before the replicas are saturated."""

    target_utilization: float
    headroom_percent: float  # (1/u - 1) * 100: extra load, relative to the current load
    guide_percent: float  # (1 - u) * 100: the guide's "about 30 %" (spare share of capacity)
    note: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def spike_headroom(target_utilization: float = 0.7) -> SpikeHeadroom:
    u = check_utilization(target_utilization)
    headroom = (1.0 / u - 1.0) * 100.0
    guide = (1.0 - u) * 100.0
    note = (
        f"At {u:.0%} target the replicas are saturated when load grows by {headroom:.1f} % "
        f"(1/u - 1); the guide's 'about {guide:.0f} %' is the spare share of capacity (1 - u)."
    )
    return SpikeHeadroom(u, round(headroom, 3), round(guide, 3), note)


@dataclass
class ReplicaSizing:
    """Replicas for a steady load: the guide's formula beside the queueing (Erlang C) answer."""

    target_rps: float
    request_seconds: float
    max_concurrent: int
    target_utilization: float
    concurrent_requests: float  # rps * seconds / u
    replicas: int  # the guide's formula
    max_wait_ms: float
    wait_probability: float  # the bound the user accepts on P(wait > max_wait)
    erlang_c_replicas: int  # fewest replicas with P(wait > max_wait) <= wait_probability
    erlang_c_wait_probability: float  # P(wait > max_wait) at erlang_c_replicas
    formula_wait_probability: float  # P(wait > max_wait) at the formula's replicas
    headroom_percent: float
    guide_headroom_percent: float
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def size_replicas(
    target_rps: float,
    request_seconds: float,
    *,
    max_concurrent: int = 1,
    target_utilization: float = 0.7,
    max_wait_ms: float = 500.0,
    wait_probability_bound: float = 0.01,
) -> ReplicaSizing:
    """Both sizings for a steady load of ``target_rps`` requests taking ``request_seconds`` each."""
    replicas, concurrent = formula_replicas(target_rps, request_seconds, target_utilization, max_concurrent)
    if not (0.0 < float(wait_probability_bound) < 1.0):
        raise UsageProblem(f"wait probability must be in (0, 1), got {wait_probability_bound!r}")
    if float(max_wait_ms) < 0:
        raise UsageProblem(f"max wait must be >= 0 ms, got {max_wait_ms!r}")
    wait_s = float(max_wait_ms) / 1000.0
    erlang, p_erlang = erlang_c_replicas(
        target_rps, request_seconds, max_concurrent, wait_s, float(wait_probability_bound)
    )
    p_formula = wait_probability(target_rps, request_seconds, replicas * int(max_concurrent), wait_s)
    head = spike_headroom(target_utilization)
    relation = "fewer" if erlang < replicas else "more" if erlang > replicas else "as many"
    explanation = (
        f"The formula keeps {head.guide_percent:.0f} % spare capacity for spikes; queueing needs {relation} "
        f"({erlang}): the fewest replicas for which random arrivals at a steady {float(target_rps):g} rps "
        f"wait over {float(max_wait_ms):g} ms at most {float(wait_probability_bound):.2%} of the time."
    )
    return ReplicaSizing(
        target_rps=float(target_rps),
        request_seconds=float(request_seconds),
        max_concurrent=int(max_concurrent),
        target_utilization=float(target_utilization),
        concurrent_requests=concurrent,
        replicas=replicas,
        max_wait_ms=float(max_wait_ms),
        wait_probability=float(wait_probability_bound),
        erlang_c_replicas=erlang,
        erlang_c_wait_probability=p_erlang,
        formula_wait_probability=p_formula,
        headroom_percent=head.headroom_percent,
        guide_headroom_percent=head.guide_percent,
        explanation=explanation,
    )
