"""The AKS autoscaler's own decisions, one home for them: replicas becoming ready, and every refresh period
scale up at once or scale down after a quiet spell (steps 1 and 7 of the model in docs/sizing.md).

The simulator calls it once a simulated second; the workshop emulator's scoring front end once a wall-clock
second, with the slot units its requests really held. Both therefore scale by the same rules.
"""

from __future__ import annotations

import math
from collections import deque

from .settings import AksAutoscaleSettings
from .traffic import SLOT_UNITS

__all__ = ["Autoscaler"]


class Autoscaler:
    """Replicas ready and starting under ``settings``; ``t`` counts whole seconds from 0.

    ``arrive(t)`` makes the replicas whose start finished ready (step 1); ``decide(t, inuse)`` is the
    decision of second ``t`` (step 7) from ``inuse``, the slot units (``SLOT_UNITS`` = one slot for one
    second) the requests held in that second. Decisions happen at seconds 0, r, 2r, ... only.
    """

    __slots__ = ("ready", "starting", "next_ready", "_pending", "_last_high", "_window_max", "_denom",
                 "_lowest", "_highest", "_refresh", "_down", "_start")  # fmt: skip

    def __init__(self, settings: AksAutoscaleSettings) -> None:
        s = settings
        self._denom = s.replica_max_concurrent_requests * SLOT_UNITS * s.autoscale_target_utilization
        self._lowest, self._highest = s.autoscale_min_replicas, s.autoscale_max_replicas
        self._refresh, self._down = s.autoscale_refresh_seconds, s.scale_down_seconds
        self._start = max(1, math.ceil(s.replica_start_seconds))
        self.ready, self.starting = self._lowest, 0
        self.next_ready = -1  # the second the next starting replicas become ready (-1: none starting)
        self._pending: deque[list[int]] = deque()  # [second ready, replicas], in order
        self._last_high, self._window_max = 0, 0

    def arrive(self, t: int) -> int:
        """Step 1: the replicas due at second ``t`` become ready; returns the replicas ready."""
        pending = self._pending
        if pending and pending[0][0] == t:
            came = pending.popleft()[1]
            self.ready += came
            self.starting -= came
            self.next_ready = pending[0][0] if pending else -1
        return self.ready

    def decide(self, t: int, inuse: int) -> None:
        """Step 7: desired = ceil(busy / target) clamped to [min, max]; start the difference at once when
        above ready + starting, go down to the highest desired seen once below for ``scale_down_seconds``
        (cancelling replicas still starting first)."""
        if t % self._refresh:
            return
        desired = -((-inuse * 100) // self._denom)
        lowest = self._lowest
        desired = lowest if desired < lowest else self._highest if desired > self._highest else desired
        total = self.ready + self.starting
        if desired > total:
            self._pending.append([t + self._start, desired - total])
            self.starting += desired - total
            self.next_ready = self._pending[0][0]
            self._last_high, self._window_max = t, 0
        elif desired == total:
            self._last_high, self._window_max = t, 0
        else:
            if desired > self._window_max:
                self._window_max = desired
            if t - self._last_high >= self._down:
                remove = total - max(self._window_max, lowest)
                pending = self._pending
                while remove and pending:  # cancel replicas not yet ready first
                    cancel = min(remove, pending[-1][1])
                    pending[-1][1] -= cancel
                    self.starting -= cancel
                    remove -= cancel
                    if not pending[-1][1]:
                        pending.pop()
                self.next_ready = pending[0][0] if pending else -1
                self.ready -= remove
                self._last_high, self._window_max = t, 0
