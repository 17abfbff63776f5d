"""A fast discrete-time model of the AKS autoscaler (1-second steps) that counts 503s, 504s and cost.

The model (docs/sizing.md says the same). Capacity is counted in slots: one replica has
``replica_max_concurrent_requests`` slots. A request whose work is ``w = min(duration, timeout)`` holds
``h = w / k`` of one slot for ``k = max(1, ceil(w))`` whole seconds from the second it starts (so a 50 ms
request holds 5 % of a slot for one second and a 10 s request one whole slot for 10 s; holdings are integer
micro-slots so every model adds up exactly). Requests are served first come first served; inside a second
only their order matters. ``W = floor(max_request_wait_time / 1000)`` is the queue budget in whole seconds.
Each second t, in this order:
  1. replicas whose start finished become ready (started at the end of second s -> ready at s + max(1, ceil(
     replica_start_seconds)));
  2. requests whose k seconds are over give their holdings back;
  3. this second's arrivals join the queue behind those still waiting;
  4. from the head of the queue, requests start while their holding fits in the free capacity of the ready
     replicas (the first that does not fit stops the line: no overtaking);
  5. waiting requests that arrived in second t - W or earlier get 503 (W = 0: all that did not start);
     a started request whose duration exceeds ``scoring_timeout_ms`` gets 504 (it held its slot until then);
  6. busy replicas = held slots / slots per replica, utilization = busy / ready replicas;
  7. at seconds 0, r, 2r, ... (r = ``autoscale_refresh_seconds``) the autoscaler decides: desired =
     ceil(busy / target), clamped to [min, max]. Above ready + starting: start the difference at once
     (eager). Equal: nothing. In both cases the scale-down clock restarts. Below: once it has stayed
     below for ``scale_down_seconds``, go down to the highest desired seen meanwhile (never under min),
     cancelling starting replicas first (conservative).
Steps 1 and 7 are `Autoscaler` (autoscaler.py), shared with the emulator. Only steps 4-5 of congested
seconds touch per-request arrays; the rest is scalar work per second.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from typing import Any

import numpy as np

from .autoscaler import Autoscaler
from .settings import AksAutoscaleSettings, SimulationResult, SimulationTotals
from .traffic import SLOT_UNITS, Workload, holdings

__all__ = ["simulate", "TIMELINE_COLUMNS"]

TIMELINE_COLUMNS = (
    "second",
    "rps",
    "replicas_ready",
    "replicas_starting",
    "busy_replicas",
    "utilization",
    "queued",
    "served",
    "rejected_503",
    "timeout_504",
)


class _Prepared:
    """Per-request arrays reduced to what the per-second loop needs (cached per workload and timeout)."""

    def __init__(self, workload: Workload, timeout_s: float) -> None:
        counts = workload.counts
        self.seconds = counts.size
        starts = np.concatenate(([0], np.cumsum(counts)))
        self.idx = starts.tolist()
        self.horizon = self.seconds + int(math.ceil(timeout_s)) + 2
        self.cum_late = None
        if workload.durations is None:
            k, h, late = holdings(workload.request_seconds, timeout_s)
            self.k, self.h, self.late = int(k[0]), int(h[0]), bool(late[0])
            sec_units = counts * self.h
            rel = np.zeros(self.horizon, dtype=np.int64)
            rel[self.k : self.k + self.seconds] = sec_units
            rel = rel.tolist()  # one kind of release: scalar corrections, and lists index fastest
            self.fit, self.shift = self._fit_fixed, self._shift_fixed
        else:
            self.k, self.h, late = holdings(workload.durations, timeout_s)
            self.cum_h = np.empty(self.h.size + 1)
            self.cum_h[0] = 0.0
            np.cumsum(self.h, out=self.cum_h[1:])
            if late.any():
                self.cum_late = np.concatenate(([0], np.cumsum(late, dtype=np.int64)))
            release_second = np.repeat(np.arange(self.seconds, dtype=np.intp), counts)  # bincount's type
            release_second += self.k
            rel = np.bincount(release_second, weights=self.h, minlength=self.horizon)
            sec_units = np.diff(self.cum_h[starts])
            self.fit, self.shift = self._fit_array, self._shift_array
        self.sec_units = [int(v) for v in sec_units.tolist()]
        # releases per second if each request starts in its own second (array path: float64 of exact ints)
        self.on_time_releases = rel

    def _fit_fixed(self, head: int, end: int, free: int) -> tuple[int, int]:
        n = end - head
        m = n if self.h == 0 else max(0, min(n, free // self.h))
        return m, m * self.h

    def _fit_array(self, head: int, end: int, free: int) -> tuple[int, int]:
        cum = self.cum_h  # bisect on the array beats numpy calls for these short ranges
        m = bisect_right(cum, cum[head] + free, head, end + 1) - 1 - head
        return m, int(cum[head + m] - cum[head])

    def _shift_fixed(self, rel: list[int], lo: int, hi: int, t: int, sign: int) -> None:
        rel[t + self.k] += sign * (hi - lo) * self.h

    def _shift_array(self, rel: np.ndarray, lo: int, hi: int, t: int, sign: int) -> None:
        (np.add if sign > 0 else np.subtract).at(rel, t + self.k[lo:hi], self.h[lo:hi])

    def late_between(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        if self.cum_late is not None:
            return self.cum_late[hi] - self.cum_late[lo]
        if isinstance(self.k, int) and self.late:
            return hi - lo
        return np.zeros_like(lo)


def _prepared(workload: Workload, timeout_s: float) -> _Prepared:
    key = ("prepared", timeout_s)
    if key not in workload._cache:
        workload._cache.clear()  # one timeout at a time: the arrays can be large
        workload._cache[key] = _Prepared(workload, timeout_s)
    return workload._cache[key]


def simulate(
    workload: Workload, settings: AksAutoscaleSettings | None = None, **changes: Any
) -> SimulationResult:
    """Run the autoscaler over ``workload`` with ``settings`` (AKS defaults), changed by keyword."""
    s = (settings or AksAutoscaleSettings()).replace(**changes)
    prep = _prepared(workload, s.scoring_timeout_ms / 1000.0)
    ready_l, starting_l, inuse_l, admit_l, expire_l = _run(prep, s)
    return _result(workload, prep, s, ready_l, starting_l, inuse_l, admit_l, expire_l)


def _run(prep: _Prepared, s: AksAutoscaleSettings) -> tuple[list[int], ...]:
    # Plain Python ints and lists: the per-second step is scalar, so this beats numpy here.
    seconds, idx, sec_units = prep.seconds, prep.idx, prep.sec_units
    rel = prep.on_time_releases.copy()
    fit, shift = prep.fit, prep.shift
    slot = s.replica_max_concurrent_requests * SLOT_UNITS
    wait_steps = s.max_request_wait_time // 1000
    scaler = Autoscaler(s)  # steps 1 and 7: the same object the emulator's front end scales with
    arrive, decide = scaler.arrive, scaler.decide
    inuse, head = 0, 0
    ready_l = [0] * seconds
    starting_l = [0] * seconds
    inuse_l = [0] * seconds
    admit_l = [0] * seconds
    expire_l = [0] * seconds
    for t in range(seconds):
        ready = arrive(t) if t == scaler.next_ready else scaler.ready  # a call only when replicas are due
        inuse -= int(rel[t])
        first, end = idx[t], idx[t + 1]
        free = ready * slot - inuse
        if head == first and sec_units[t] <= free:  # nobody waiting and the whole second fits
            inuse += sec_units[t]
            head = admitted = end
        else:
            m, used = fit(head, end, free)
            admitted = head + m
            inuse += used
            if head < first:  # waited from earlier seconds, start now: release k seconds from now
                shift(rel, head, min(admitted, first), t, 1)
            late_start = max(admitted, first)
            if late_start < end:  # did not start in their own second: undo their on-time release
                shift(rel, late_start, end, t, -1)
            head = admitted
            limit = idx[max(0, t - wait_steps + 1)]
            if head < limit:
                head = limit  # 503: waited the whole budget
        ready_l[t] = ready
        starting_l[t] = scaler.starting
        inuse_l[t] = inuse
        admit_l[t] = admitted
        expire_l[t] = head
        decide(t, inuse)
    return ready_l, starting_l, inuse_l, admit_l, expire_l


def _result(
    workload: Workload,
    prep: _Prepared,
    s: AksAutoscaleSettings,
    ready_l: list[int],
    starting_l: list[int],
    inuse_l: list[int],
    admit_l: list[int],
    expire_l: list[int],
) -> SimulationResult:
    ready = np.asarray(ready_l, dtype=np.int64)
    starting = np.asarray(starting_l, dtype=np.int64)
    admitted = np.asarray(admit_l, dtype=np.int64)
    expired = np.asarray(expire_l, dtype=np.int64)
    before = np.concatenate(([0], expired[:-1]))
    started = admitted - before
    late = prep.late_between(before, admitted)
    busy = np.asarray(inuse_l, dtype=np.float64) / (s.replica_max_concurrent_requests * SLOT_UNITS)
    utilization = busy / ready
    arrivals_end = np.asarray(prep.idx[1:], dtype=np.int64)
    columns = {
        "second": np.arange(prep.seconds),
        "rps": workload.counts,
        "replicas_ready": ready,
        "replicas_starting": starting,
        "busy_replicas": busy,
        "utilization": utilization,
        "queued": arrivals_end - expired,
        "served": started - late,
        "rejected_503": expired - admitted,
        "timeout_504": late,
    }
    requests = workload.total_requests
    n503, n504 = int((expired - admitted).sum()), int(late.sum())
    totals = SimulationTotals(
        seconds=prep.seconds,
        requests=requests,
        served=int((started - late).sum()),
        rejected_503=n503,
        timeout_504=n504,
        unfinished=int(requests - expired[-1]) if prep.seconds else 0,
        rate_503=n503 / requests if requests else 0.0,
        rate_504=n504 / requests if requests else 0.0,
        replica_seconds=int((ready + starting).sum()),
        peak_replicas=int((ready + starting).max()) if prep.seconds else 0,
        mean_utilization=float(utilization.mean()) if prep.seconds else 0.0,
    )
    return SimulationResult(settings=s, totals=totals, columns=columns)
