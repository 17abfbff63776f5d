"""Traffic for the autoscaler simulator: rates per second (built-in profiles or the user's series) and a
seeded ``Workload`` (requests per second, per-request durations) that both simulator models take as input.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .._errors import UsageProblem

__all__ = [
    "PROFILES",
    "DISTRIBUTIONS",
    "SLOT_UNITS",
    "traffic_profile",
    "load_rps_series",
    "Workload",
    "make_workload",
    "scenario_workload",
    "holdings",
]

PROFILES = ("constant", "ramp", "spike", "daily")
DISTRIBUTIONS = ("fixed", "exponential", "lognormal")
SLOT_UNITS = 1_000_000  # one slot for one second; holdings are integers so both models add up exactly


def traffic_profile(
    kind: str,
    *,
    rps: float = 10.0,
    peak_rps: float | None = None,
    seconds: int | None = None,
    spike_start: int | None = None,
    spike_seconds: int | None = None,
) -> np.ndarray:
    """Mean requests per second for each second of a built-in profile.

    constant: ``rps`` throughout. ramp: linear from ``rps`` to ``peak_rps``. spike: ``rps`` with a step to
    ``peak_rps`` from ``spike_start`` for ``spike_seconds`` (default: the middle third). daily: a cosine day
    from ``rps`` at midnight to ``peak_rps`` at noon (24 h unless ``seconds`` is given).
    """
    if kind not in PROFILES:
        raise UsageProblem(
            f"unknown traffic profile {kind!r}; use one of {', '.join(PROFILES)} or a CSV path"
        )
    n = int(seconds if seconds is not None else (86_400 if kind == "daily" else 3_600))
    if n < 1:
        raise UsageProblem(f"a profile needs at least 1 second, got {seconds!r}")
    base = float(rps)
    peak = float(peak_rps) if peak_rps is not None else base * (3.0 if kind == "spike" else 2.0)
    if not (base > 0 and peak > 0) or math.isinf(base) or math.isinf(peak):
        raise UsageProblem(f"request rates must be positive, got rps={rps!r} peak={peak_rps!r}")
    t = np.arange(n, dtype=np.float64)
    if kind == "constant":
        return np.full(n, base)
    if kind == "ramp":
        return base + (peak - base) * t / max(n - 1, 1)
    if kind == "daily":
        return base + (peak - base) * (1.0 - np.cos(2.0 * np.pi * t / 86_400.0)) / 2.0
    start = n // 3 if spike_start is None else int(spike_start)
    length = n // 3 if spike_seconds is None else int(spike_seconds)
    if start < 0 or length < 1:
        raise UsageProblem("the spike needs start >= 0 and a length of at least 1 second")
    rates = np.full(n, base)
    rates[start : start + length] = peak
    return rates


def load_rps_series(source: Any) -> np.ndarray:
    """Requests per second from a pandas Series, a sequence, or a CSV (a column ``rps``, or one numeric
    column; one row per second)."""
    import pandas as pd

    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            frame = pd.read_csv(path)
        except (OSError, ValueError, UnicodeDecodeError) as err:
            raise UsageProblem(
                f"cannot read {path}: {str(err).splitlines()[0]}; give a CSV with an 'rps' column"
            ) from err
        if "rps" in frame.columns:
            column = frame["rps"]
        else:
            numeric = frame.select_dtypes("number").columns
            if len(numeric) != 1:
                raise UsageProblem(
                    f"{path} has no 'rps' column; give one column of requests per second per row"
                )
            column = frame[numeric[0]]
        values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64)
        where = str(path)
    else:
        try:
            values = np.asarray(pd.Series(source), dtype=np.float64)
        except (TypeError, ValueError) as err:
            raise UsageProblem("the rps series must hold numbers, one a second") from err
        where = "the rps series"
    if values.size == 0:
        raise UsageProblem(f"{where} holds no rows; give one request rate a second")
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise UsageProblem(f"{where}: row {row + 1} is not a request rate >= 0; fix or remove it")
    if not values.any():
        raise UsageProblem(f"{where}: every rate is 0; there is no traffic to simulate")
    return values


@dataclass
class Workload:
    """Seeded requests: how many arrive in each second, and each request's duration (seconds).

    ``durations`` is None when every request takes ``request_seconds`` exactly. Requests are indexed in
    arrival order; ``arrival_times()`` gives their explicit times inside their second (only an event model
    needs them: inside a second, order is all the simulator's semantics depend on).
    """

    counts: np.ndarray  # int64, requests arriving in each second
    request_seconds: float  # the mean (or the fixed) duration
    durations: np.ndarray | None = None
    seed: int = 0
    rates: np.ndarray | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def seconds(self) -> int:
        return int(self.counts.size)

    @property
    def total_requests(self) -> int:
        return int(self.counts.sum())

    def arrival_times(self) -> np.ndarray:
        """Each request's arrival time: second + a sorted offset strictly inside (0, 1), seeded."""
        rng = np.random.default_rng([self.seed, 2])
        second = np.repeat(np.arange(self.seconds, dtype=np.float64), self.counts)
        offsets = np.clip(rng.random(second.size), 1e-6, 1.0 - 1e-6)
        order = np.lexsort((offsets, second))  # sorted inside each second
        return second + offsets[order]


def make_workload(
    rates: np.ndarray,
    *,
    request_seconds: float = 1.0,
    distribution: str = "fixed",
    sigma: float = 0.5,
    noise: bool = True,
    seed: int = 0,
) -> Workload:
    """Requests per second from mean ``rates`` (Poisson when ``noise``, else evenly rounded), durations
    fixed or drawn (exponential, or lognormal with ``sigma``) around the mean ``request_seconds``."""
    rates = np.asarray(rates, dtype=np.float64)
    if not (float(request_seconds) >= 0) or math.isinf(float(request_seconds)):
        raise UsageProblem(f"request seconds must be a number >= 0, got {request_seconds!r}")
    if distribution not in DISTRIBUTIONS:
        raise UsageProblem(f"unknown duration distribution {distribution!r}; use {', '.join(DISTRIBUTIONS)}")
    rng = np.random.default_rng([seed, 1])
    if noise:
        counts = rng.poisson(rates).astype(np.int64)
    else:  # the cumulative count rounds down, so the total equals the rates' sum without drifting
        cum = np.floor(np.concatenate(([0.0], np.cumsum(rates))) + 1e-9).astype(np.int64)
        counts = np.diff(cum)
    durations = None
    mean = float(request_seconds)
    n = int(counts.sum())
    if distribution == "exponential":
        durations = rng.exponential(mean, n)
    elif distribution == "lognormal":
        mu = math.log(mean) - sigma * sigma / 2.0 if mean > 0 else -math.inf
        durations = rng.lognormal(mu, sigma, n) if mean > 0 else np.zeros(n)
    return Workload(counts=counts, request_seconds=mean, durations=durations, seed=seed, rates=rates)


def scenario_workload(traffic: dict[str, Any], *, seed: int = 0, distribution: str = "fixed") -> Workload:
    """The workload of a workshop scenario's ``traffic`` block (a baseline with one spike)."""
    try:
        rates = traffic_profile(
            "spike",
            rps=traffic["baseline_rps"],
            peak_rps=traffic["spike_rps"],
            seconds=traffic["duration_s"],
            spike_start=traffic["spike_start_s"],
            spike_seconds=traffic["spike_duration_s"],
        )
        request_seconds = float(traffic["request_seconds"])
    except (KeyError, TypeError, ValueError) as err:
        raise UsageProblem(
            f"the scenario's traffic block is incomplete or malformed ({err}); see docs/sizing.md"
        ) from err
    return make_workload(rates, request_seconds=request_seconds, distribution=distribution, seed=seed)


def holdings(durations: np.ndarray | float, timeout_s: float) -> tuple[Any, Any, Any]:
    """(seconds held k, slot units held each of those seconds h, is_504) for durations, as the model defines:
    work = min(duration, timeout); k = max(1, ceil(work)); h = round(work / k * SLOT_UNITS).

    ``h`` is float64 holding exact integers (sums stay exact below 2**53); arrays are made in place
    where possible, since fresh 10-million-element arrays cost more than the arithmetic.
    """
    d = np.asarray(durations, dtype=np.float64).reshape(-1)
    work = np.minimum(d, timeout_s)
    held = np.empty(work.shape, dtype=np.int32)
    np.ceil(work, out=held, casting="unsafe")
    np.maximum(held, 1, out=held)
    np.divide(work, held, out=work)  # now the share of a slot held each second
    work *= SLOT_UNITS
    np.rint(work, out=work)
    return held, work, d > timeout_s
