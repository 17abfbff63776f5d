"""An SDK v2 deployment's liveness and readiness probes against init()'s measured time: a probe that gives up
before init() ends restarts (liveness) or never admits (readiness) the container, and the create fails with
ResourceNotReady. ``check_probes(init_seconds, liveness, readiness)`` says so with the numbers and the fix.

Defaults of a managed online deployment's probes (reference/AZUREML-V2.md): initial_delay 10 s, period 10 s,
timeout 2 s, failure_threshold 30, success_threshold 1.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["PROBE_DEFAULTS", "ProbeCheck", "check_probes"]

PROBE_DEFAULTS: dict[str, int] = {
    "initial_delay": 10,
    "period": 10,
    "timeout": 2,
    "failure_threshold": 30,
    "success_threshold": 1,
}
_CLOSE = 0.8  # init() past this share of a probe's patience: a slower start (cold node, bigger model) fails
_WHAT = {
    "liveness": "the container is restarted before init() ends, again and again",
    "readiness": "the instance is never marked ready",
}


@dataclass
class ProbeCheck:
    """One probe against init()'s time: ``gives_up_s`` = initial_delay + failure_threshold x period."""

    probe: str  # "liveness" or "readiness"
    settings: dict[str, int]  # the probe's settings, the deployment's or the defaults
    defaults: bool  # True when the deployment sets none of its own
    gives_up_s: int
    init_seconds: float
    verdict: str  # "ok", "close", "fails"
    message: str
    fix: str | None  # the ProbeSettings to set (None when it holds)
    suggested_initial_delay: int | None = None

    @property
    def ok(self) -> bool:
        return self.verdict != "fails"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _settings(given: dict[str, Any] | None) -> tuple[dict[str, int], bool]:
    known = {k: v for k, v in (given or {}).items() if v is not None and k in PROBE_DEFAULTS}
    merged = {**PROBE_DEFAULTS, **{k: int(float(v)) for k, v in known.items()}}
    return merged, merged == PROBE_DEFAULTS


def _one(probe: str, given: dict[str, Any] | None, init: float, finished: bool) -> ProbeCheck:
    s, defaults = _settings(given)
    took = f"init() took {init:.0f} s" if finished else f"init() was still running after {init:.0f} s"
    limit = s["initial_delay"] + s["failure_threshold"] * s["period"]
    sum_text = f"{s['initial_delay']} + {s['failure_threshold']} x {s['period']} = {limit} s"
    which = "the default" if defaults else "its"
    delay = math.ceil(init * 1.5)  # the first probe after init() ends, with room for a slower start
    fix = f"{probe}_probe=ProbeSettings(initial_delay={delay})"
    if init >= limit:
        message = (
            f"{took}; {which} {probe} probe gives up after {sum_text}: {_WHAT[probe]}, and "
            f"the deployment fails with ResourceNotReady. Set {fix} (or make init() faster)."
        )
        return ProbeCheck(probe, s, defaults, limit, init, "fails", message, fix, delay)
    if not finished:
        message = (
            f"{took} (the local wait); {which} {probe} probe waits up to {sum_text}: if init() ends "
            "later than that, the deployment fails with ResourceNotReady."
        )
        return ProbeCheck(probe, s, defaults, limit, init, "close", message, None)
    if init >= _CLOSE * limit:
        message = (
            f"init() took {init:.0f} s, close to when {which} {probe} probe gives up ({sum_text}): a slower "
            f"start there (a cold node, a bigger model) fails. Consider {fix}."
        )
        return ProbeCheck(probe, s, defaults, limit, init, "close", message, fix, delay)
    message = f"init() took {init:.1f} s; {which} {probe} probe waits up to {sum_text}: it holds."
    return ProbeCheck(probe, s, defaults, limit, init, "ok", message, None)


def check_probes(
    init_seconds: float,
    liveness: dict[str, Any] | None = None,
    readiness: dict[str, Any] | None = None,
    *,
    finished: bool = True,
) -> list[ProbeCheck]:
    """Both probes (the deployment's settings as ``ServiceDetails`` names them; None: the defaults) against
    ``init_seconds`` (server start to healthy, measured locally); ``finished`` False: init() was still
    running when the local wait ended (at least that long)."""
    return [
        _one(p, given, init_seconds, finished)
        for p, given in (("liveness", liveness), ("readiness", readiness))
    ]
