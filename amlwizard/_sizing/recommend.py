"""The cheapest AKS autoscale settings that keep a traffic profile's 503 rate under a budget, found by
searching over the simulator, with the ready-to-paste ``AksWebservice.deploy_configuration`` call."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .._errors import UsageProblem
from .settings import AksAutoscaleSettings, SimulationResult
from .simulator import simulate
from .traffic import Workload

__all__ = ["Recommendation", "recommend", "TARGETS"]

TARGETS = (30, 40, 50, 60, 70, 80, 90)  # whole percents, as AKS takes them
MOST_REPLICAS = 5_000  # search ceiling; larger is a capacity question for a person, not a search


@dataclass
class Recommendation:
    settings: AksAutoscaleSettings
    result: SimulationResult  # the simulation of ``settings``
    budget_503: float
    met_budget: bool
    simulations: int  # how many simulations the search ran
    deploy_configuration: str
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "settings": self.settings.to_dict(),
            "totals": self.result.totals.to_dict(),
            "budget_503": self.budget_503,
            "met_budget": self.met_budget,
            "simulations": self.simulations,
            "deploy_configuration": self.deploy_configuration,
            "note": self.note,
        }


def recommend(
    workload: Workload,
    settings: AksAutoscaleSettings | None = None,
    *,
    budget_503: float = 0.001,
    targets: tuple[int, ...] = TARGETS,
    on_progress: Callable[[int, int], None] | None = None,
) -> Recommendation:
    """For each target utilization, the smallest min replicas (binary search; more min replicas means fewer
    503s, nearly always: the answer always meets the budget, it may rarely be a replica above the least)
    that meets ``budget_503`` with a generous max; max is then the peak the autoscaler reached. The cheapest
    (fewest replica-seconds) wins. ``settings`` gives everything else (start time, timeouts, concurrency).
    ``on_progress(done, total)`` is called after each target (a widget's progress bar; raise to cancel)."""
    base = (settings or AksAutoscaleSettings()).validated()
    if not (0.0 <= float(budget_503) < 1.0):
        raise UsageProblem(f"the 503 budget is a fraction in [0, 1) (0.001 = 0.1 %), got {budget_503!r}")
    runs = 0

    def run(min_r: int, max_r: int, pct: int) -> SimulationResult:
        nonlocal runs
        runs += 1
        return simulate(
            workload,
            base,
            autoscale_min_replicas=min_r,
            autoscale_max_replicas=max_r,
            autoscale_target_utilization=pct,
        )

    peak = int(workload.counts.max()) if workload.seconds else 0
    conc = base.replica_max_concurrent_requests
    best: SimulationResult | None = None
    fallback: SimulationResult | None = None
    for done, pct in enumerate(targets, start=1):
        if on_progress is not None and done > 1:
            on_progress(done - 1, len(targets))
        needed = math.ceil(peak * max(workload.request_seconds, 1e-3) * 100 / pct / conc)
        cap = min(MOST_REPLICAS, max(2, 2 * needed))
        top = run(cap, cap, pct)
        if fallback is None or top.totals.rate_503 < fallback.totals.rate_503:
            fallback = top
        if top.totals.rate_503 > budget_503:
            continue
        low, high, found = 1, cap, top
        while low < high:
            mid = (low + high) // 2
            trial = run(mid, cap, pct)
            if trial.totals.rate_503 <= budget_503:
                high, found = mid, trial
            else:
                low = mid + 1
        # the autoscaler never wanted more than it reached, so that peak as max changes nothing
        tight = run(found.settings.autoscale_min_replicas, found.totals.peak_replicas, pct)
        if best is None or _cost(tight) < _cost(best):
            best = tight
    if on_progress is not None:
        on_progress(len(targets), len(targets))
    chosen = best or fallback
    assert chosen is not None
    met = best is not None
    t = chosen.totals
    note = (
        f"{t.rate_503:.3%} of {t.requests} requests get 503 (budget {budget_503:.3%}); "
        f"cost {t.replica_seconds} replica-seconds"
        if met
        else f"no setting searched keeps 503s under {budget_503:.3%}; the best found gives {t.rate_503:.3%} "
        "- shorten replica start-up or requests, or raise max replicas beyond the search"
    )
    return Recommendation(
        settings=chosen.settings,
        result=chosen,
        budget_503=float(budget_503),
        met_budget=met,
        simulations=runs,
        deploy_configuration=chosen.settings.deploy_configuration_call(),
        note=note,
    )


def _cost(result: SimulationResult) -> tuple[int, int]:
    return (result.totals.replica_seconds, result.settings.autoscale_max_replicas)
