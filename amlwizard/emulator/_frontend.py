"""The scoring front end of one emulated service, as azureml-fe behaves: replica slots, a queue, scaling.

A request takes a free slot of a ready replica (``maxConcurrentRequestsPerContainer`` slots a replica); when
none is free it waits, first come first served, up to ``maxQueueWaitMs``, then gets 503. Once a wall-clock
second, the slot-seconds the requests held in that second go to ``Autoscaler``, the same object the
simulator (``amlwizard.sizing.simulate``) scales with, so replicas come and go by the same rules. AKS's slow
clocks (a replica's start, the quiet spell before scaling down) run ``speed`` times faster: a workshop sees
replicas come up in seconds. Request durations, the queue budget and the scoring timeout stay real.

A Kubernetes online endpoint (SDK v2) has the same azureml-fe. A managed online endpoint has no queue and no
autoscaler of its own: it takes at most 2 x max_concurrent_requests_per_instance x instance_count requests
in flight and refuses the next at once (429); an ACI container takes every request it is sent.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter, deque
from typing import Any

from ..scenarios import SDK_V2, Scenario, duration_ms
from ..sizing import SLOT_UNITS, AksAutoscaleSettings, Autoscaler, ceiling_429

__all__ = ["FrontEnd", "front_end_of", "settings_of"]

_TIMELINE_SECONDS = 900  # the last 15 minutes of replicas and load, for a wizard's plot


def settings_of(service: dict[str, Any], speed: float) -> AksAutoscaleSettings:
    """An AKS service payload's scaling settings (camelCase, as Azure answers), AKS's start-up and scale-down
    delays divided by ``speed``. A service without autoscale keeps ``numReplicas`` replicas."""
    auto = service.get("autoScaler") or {}
    base = AksAutoscaleSettings()
    if auto.get("autoscaleEnabled"):
        low, high = int(auto.get("minReplicas") or 1), int(auto.get("maxReplicas") or 10)
    else:
        low = high = int(service.get("numReplicas") or 1)
    return AksAutoscaleSettings(
        autoscale_min_replicas=low,
        autoscale_max_replicas=high,
        autoscale_target_utilization=int(auto.get("targetUtilization") or 70),
        autoscale_refresh_seconds=int(auto.get("refreshPeriodInSeconds") or 1),
        replica_max_concurrent_requests=int(service.get("maxConcurrentRequestsPerContainer") or 1),
        max_request_wait_time=int(service.get("maxQueueWaitMs") or 500),
        scoring_timeout_ms=int(service.get("scoringTimeoutMs") or 60_000),
        replica_start_seconds=base.replica_start_seconds / speed,
        scale_down_seconds=math.ceil(base.scale_down_seconds / speed),
    ).validated()


def _v2_settings(deployment: dict[str, Any], speed: float) -> AksAutoscaleSettings:
    """A Kubernetes online deployment's azureml-fe settings (ARM's camelCase and ISO-8601 durations):
    TargetUtilization scales between min and max instances, Default keeps ``instanceCount``."""
    scale, requests = deployment.get("scaleSettings") or {}, deployment.get("requestSettings") or {}
    base = AksAutoscaleSettings()
    if scale.get("scaleType") == "TargetUtilization":
        low, high = int(scale.get("minInstances") or 1), int(scale.get("maxInstances") or 1)
    else:
        low = high = int(deployment.get("instanceCount") or 1)
    return AksAutoscaleSettings(
        autoscale_min_replicas=low,
        autoscale_max_replicas=high,
        autoscale_target_utilization=int(scale.get("targetUtilizationPercentage") or 70),
        autoscale_refresh_seconds=max(1, duration_ms(scale.get("pollingInterval"), 1000) // 1000),
        replica_max_concurrent_requests=int(requests.get("maxConcurrentRequestsPerInstance") or 1),
        max_request_wait_time=duration_ms(requests.get("maxQueueWait"), 500),
        scoring_timeout_ms=duration_ms(requests.get("requestTimeout"), 5000),
        replica_start_seconds=base.replica_start_seconds / speed,
        scale_down_seconds=math.ceil(base.scale_down_seconds / speed),
    ).validated()


def front_end_of(scenario: Scenario, speed: float) -> FrontEnd:
    """The front end a scenario's service has: azureml-fe for AKS and Kubernetes, a ceiling of requests in
    flight for a managed online deployment, none for ACI."""
    if scenario.sdk == SDK_V2:
        d = scenario.deployment
        if scenario.target == "Kubernetes":
            return FrontEnd(scenario.name, _v2_settings(d, speed), speed=speed)
        per_instance = int((d.get("requestSettings") or {}).get("maxConcurrentRequestsPerInstance") or 1)
        limit = ceiling_429(per_instance, int(d.get("instanceCount") or 1))
        return FrontEnd(scenario.name, None, speed=speed, limit=limit)
    settings = settings_of(scenario.service, speed) if scenario.target == "AKS" else None
    return FrontEnd(scenario.name, settings, speed=speed)


class FrontEnd:
    """Admission and scaling for one service. ``settings`` None: no azureml-fe; ``limit`` then caps the
    requests in flight (a managed online endpoint's 429), or nothing does (ACI: one container takes every
    request it is sent, there is no queue to overflow)."""

    def __init__(
        self,
        name: str,
        settings: AksAutoscaleSettings | None,
        *,
        speed: float = 1.0,
        limit: int | None = None,
    ) -> None:
        self.name, self.settings, self.speed, self.limit = name, settings, speed, limit
        self.by_status: Counter[int] = Counter()
        self._cond = threading.Condition()
        self._queue: deque[object] = deque()  # waiting requests, first come first served
        self._in_flight = 0
        self._held = 0.0  # slot-seconds held since the last tick
        self._mark = time.monotonic()
        self._second = 0
        self.timeline: deque[dict[str, Any]] = deque(maxlen=_TIMELINE_SECONDS)
        self._stop = threading.Event()
        self._scaler = Autoscaler(settings) if settings is not None else None
        self._slots = settings.replica_max_concurrent_requests if settings is not None else 0
        if self._scaler is not None:
            threading.Thread(target=self._tick_loop, name=f"amlwizard-fe-{name}", daemon=True).start()

    # -- requests ----------------------------------------------------------------------------------
    def admit(self) -> bool:
        """Take a slot (True), or give up after the queue budget or at once over the limit (False: the caller
        answers 503, or 429 for a managed endpoint)."""
        if self._scaler is None:
            with self._cond:
                if self.limit is not None and self._in_flight >= self.limit:
                    return False
                self._in_flight += 1
            return True
        assert self.settings is not None
        ticket = object()
        with self._cond:
            self._queue.append(ticket)
            deadline = time.monotonic() + self.settings.max_request_wait_time / 1000.0
            while True:
                if self._queue[0] is ticket and self._in_flight < self._scaler.ready * self._slots:
                    self._queue.popleft()
                    self._account()
                    self._in_flight += 1
                    self._cond.notify_all()  # the next in line may fit too
                    return True
                left = deadline - time.monotonic()
                if left <= 0:
                    self._queue.remove(ticket)
                    self._cond.notify_all()
                    return False
                self._cond.wait(left)

    def release(self) -> None:
        with self._cond:
            self._account()
            self._in_flight -= 1
            self._cond.notify_all()

    def count(self, status: int) -> None:
        with self._cond:
            self.by_status[status] += 1

    def _account(self) -> None:
        now = time.monotonic()
        self._held += self._in_flight * (now - self._mark)
        self._mark = now

    # -- the autoscaler's clock ----------------------------------------------------------------------
    def _tick_loop(self) -> None:
        assert self._scaler is not None
        started = last = time.monotonic()
        while not self._stop.wait(max(0.0, started + self._second + 1 - time.monotonic())):
            with self._cond:
                self._account()
                now = time.monotonic()
                # slot units held in this second (a late tick is scaled back to one second)
                inuse = round(self._held / max(now - last, 1e-6) * SLOT_UNITS)
                self._held, last = 0.0, now
                t = self._second
                self._scaler.decide(t, inuse)
                self.timeline.append(self._sample(t, inuse / SLOT_UNITS / self._slots))
                self._second = t + 1
                self._scaler.arrive(t + 1)
                self._cond.notify_all()  # replicas that became ready let waiting requests in

    def _sample(self, t: int, busy: float) -> dict[str, Any]:
        assert self._scaler is not None
        return {
            "second": t,
            "replicas_ready": self._scaler.ready,
            "replicas_starting": self._scaler.starting,
            "busy_replicas": round(busy, 3),
            "in_flight": self._in_flight,
            "queued": len(self._queue),
        }

    # -- what a wizard shows ---------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        """Replicas ready and starting, requests in flight and queued, answers by status, the last minutes."""
        with self._cond:
            out: dict[str, Any] = {
                "service": self.name,
                "front_end": self._scaler is not None,
                "limit": self.limit,
                "speed": self.speed,
                "in_flight": self._in_flight,
                "queued": len(self._queue),
                "by_status": {str(k): v for k, v in sorted(self.by_status.items())},
            }
            if self._scaler is not None and self.settings is not None:
                s = self.settings
                out.update(
                    replicas_ready=self._scaler.ready,
                    replicas_starting=self._scaler.starting,
                    slots=self._scaler.ready * self._slots,
                    settings=s.to_dict(),
                    timeline=list(self.timeline),
                )
            return out

    def close(self) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
