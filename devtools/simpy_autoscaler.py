"""Reference model: the simulator's documented semantics as a per-request discrete-event model.

Written apart from ``amlwizard._sizing.simulator`` (SimPy processes, one per request and one per replica
batch) so that the fast model can be checked against it on the same seeded arrivals and durations.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

import simpy

__all__ = ["ReferenceTotals", "run_reference"]

SLOT = 1_000_000  # micro-slots, as documented
EPS = 1e-9  # ordering inside an instant: capacity at t, dispatch at t+EPS, arrivals in (t, t+1) ...
MEASURE = 1e-8  # ... the autoscaler just before t+1, reneging after it


@dataclass
class ReferenceTotals:
    requests: int = 0
    served: int = 0
    rejected_503: int = 0
    timeout_504: int = 0
    unfinished: int = 0
    replica_seconds: int = 0
    ready_per_second: list[int] = field(default_factory=list)


class _Pool:
    """Free micro-slots and a first-come-first-served line of requests waiting for them."""

    def __init__(self, env: simpy.Environment) -> None:
        self.env = env
        self.free = 0
        self.line: deque[tuple[simpy.Event, int]] = deque()

    def ask(self, units: int) -> simpy.Event:
        event = self.env.event()
        if not self.line and units <= self.free:
            self.free -= units
            event.succeed()
        else:
            self.line.append((event, units))
        return event

    def dispatch(self) -> None:
        while self.line and self.line[0][1] <= self.free:
            event, units = self.line.popleft()
            self.free -= units
            event.succeed()

    def leave(self, event: simpy.Event) -> None:
        self.line = deque(item for item in self.line if item[0] is not event)


def run_reference(arrivals, durations, settings, seconds: int) -> ReferenceTotals:
    """Simulate ``arrivals`` (times, sorted) with ``durations`` (seconds, same order) under ``settings``
    (an ``AksAutoscaleSettings``) for ``seconds`` seconds."""
    env = simpy.Environment()
    pool = _Pool(env)
    timeout_s = settings.scoring_timeout_ms / 1000.0
    wait_seconds = settings.max_request_wait_time // 1000
    slot = settings.replica_max_concurrent_requests * SLOT
    out = ReferenceTotals(requests=len(arrivals))
    state = {"ready": settings.autoscale_min_replicas, "starting": []}  # starting: [count] per batch
    pool.free = state["ready"] * slot

    def request(arrival: float, duration: float):
        work = min(duration, timeout_s)
        hold_seconds = max(1, math.ceil(work))
        units = round(work / hold_seconds * SLOT)
        granted = pool.ask(units)
        deadline = math.floor(arrival) + wait_seconds + 1 - EPS
        yield granted | env.timeout(deadline - env.now)
        if not granted.triggered:
            pool.leave(granted)
            out.rejected_503 += 1
            return
        if duration > timeout_s:
            out.timeout_504 += 1
        else:
            out.served += 1
        start = math.floor(env.now)
        yield env.timeout(start + hold_seconds - env.now)
        pool.free += units

    def traffic():
        for arrival, duration in zip(arrivals, durations, strict=True):
            yield env.timeout(arrival - env.now)
            env.process(request(float(arrival), float(duration)))

    def dispatcher():
        for t in range(seconds):
            yield env.timeout(t + EPS - env.now)
            pool.dispatch()

    def replicas_ready(at: int, batch: list[int]):
        yield env.timeout(at - env.now)
        state["starting"] = [b for b in state["starting"] if b is not batch]
        state["ready"] += batch[0]
        pool.free += batch[0] * slot

    def autoscaler():
        low, high = settings.autoscale_min_replicas, settings.autoscale_max_replicas
        start_after = max(1, math.ceil(settings.replica_start_seconds))
        quiet_since, highest_wanted = 0, 0
        for t in range(seconds):
            yield env.timeout(t + 1 - MEASURE - env.now)
            ready = state["ready"]
            starting = sum(batch[0] for batch in state["starting"])
            out.ready_per_second.append(ready)
            out.replica_seconds += ready + starting
            if t % settings.autoscale_refresh_seconds:
                continue
            held = ready * slot - pool.free
            wanted = math.ceil(held * 100 / (slot * settings.autoscale_target_utilization))
            if held * 100 % (slot * settings.autoscale_target_utilization) == 0:
                wanted = held * 100 // (slot * settings.autoscale_target_utilization)
            wanted = min(max(wanted, low), high)
            if wanted >= ready + starting:
                if wanted > ready + starting:
                    batch = [wanted - ready - starting]
                    state["starting"].append(batch)
                    env.process(replicas_ready(t + start_after, batch))
                quiet_since, highest_wanted = t, 0
                continue
            highest_wanted = max(highest_wanted, wanted)
            if t - quiet_since < settings.scale_down_seconds:
                continue
            surplus = ready + starting - max(highest_wanted, low)
            for batch in reversed(list(state["starting"])):
                cancelled = min(surplus, batch[0])
                batch[0] -= cancelled
                surplus -= cancelled
            state["ready"] -= surplus
            pool.free -= surplus * slot
            assert pool.free >= 0, "scale-down removed a busy replica"
            quiet_since, highest_wanted = t, 0

    env.process(traffic())
    env.process(dispatcher())
    env.process(autoscaler())
    env.run(until=seconds)
    out.unfinished = len(pool.line)
    return out
