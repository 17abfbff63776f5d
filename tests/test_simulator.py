"""The AKS autoscaler simulator: checked against an independent SimPy event model, and on the behaviour a
user relies on (no 503 below capacity, 503s in a spike until replicas are ready, more min never hurts)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from amlwizard import UsageProblem
from amlwizard.sizing import (
    TIMELINE_COLUMNS,
    AksAutoscaleSettings,
    load_rps_series,
    make_workload,
    recommend,
    simulate,
    traffic_profile,
)
from devtools.simpy_autoscaler import run_reference  # shared with the benchmarks; see devtools/__init__.py

REFERENCE_CASES = {
    "spike, fixed 1 s, defaults": (
        ("spike", {"rps": 3, "peak_rps": 12, "seconds": 1200}),
        {"request_seconds": 1.0},
        {},
    ),
    "spike, exponential, queue 2.5 s, timeout 2 s": (
        ("spike", {"rps": 3, "peak_rps": 12, "seconds": 1200}),
        {"request_seconds": 0.8, "distribution": "exponential"},
        {"max_request_wait_time": 2500, "scoring_timeout_ms": 2000},
    ),
    "ramp, lognormal, 2 per replica, refresh 3 s": (
        ("ramp", {"rps": 1, "peak_rps": 10, "seconds": 1200}),
        {"request_seconds": 2.5, "distribution": "lognormal"},
        {"replica_max_concurrent_requests": 2, "autoscale_refresh_seconds": 3, "scale_down_seconds": 30},
    ),
    "daily slice, short requests, fast start, low target": (
        ("daily", {"rps": 5, "peak_rps": 400, "seconds": 2400}),
        {"request_seconds": 0.3, "distribution": "exponential"},
        {"autoscale_target_utilization": 50, "replica_start_seconds": 20, "scoring_timeout_ms": 1000},
    ),
    # sub-second requests at a high rate: many requests share each second's capacity
    "spike, sub-second exponential": (
        ("spike", {"rps": 20, "peak_rps": 300, "seconds": 600}),
        {"request_seconds": 0.05, "distribution": "exponential"},
        {},
    ),
}


@pytest.mark.parametrize("case", REFERENCE_CASES)
def test_simulator_matches_the_simpy_event_model(case):
    (kind, shape), work, changes = REFERENCE_CASES[case]
    workload = make_workload(traffic_profile(kind, **shape), seed=7, **work)
    settings = AksAutoscaleSettings().replace(autoscale_max_replicas=30, **changes)
    fast = simulate(workload, settings).totals
    durations = workload.durations
    if durations is None:
        durations = np.full(workload.total_requests, workload.request_seconds)
    ref = run_reference(workload.arrival_times(), durations, settings, workload.seconds)
    assert fast.rejected_503 + fast.timeout_504 > 0, "a case that cannot fail checks nothing"
    for mine, theirs in [(fast.rejected_503, ref.rejected_503), (fast.timeout_504, ref.timeout_504)]:
        assert abs(mine - theirs) <= 0.02 * max(theirs, 1)
    # the semantics are exact, so in fact everything agrees
    assert (fast.served, fast.rejected_503, fast.timeout_504, fast.unfinished) == (
        ref.served,
        ref.rejected_503,
        ref.timeout_504,
        ref.unfinished,
    )
    assert fast.replica_seconds == ref.replica_seconds


def test_constant_load_below_capacity_gets_no_503():
    workload = make_workload(
        traffic_profile("constant", rps=6, seconds=1800), request_seconds=1.0, noise=False
    )
    result = simulate(workload, autoscale_min_replicas=9)  # 6 busy of 9: under the 70 % target
    assert result.totals.rejected_503 == 0
    assert result.totals.served == workload.total_requests == 6 * 1800
    assert result.timeline["utilization"].max() == pytest.approx(6 / 9)
    assert result.totals.peak_replicas == 9


def test_a_spike_beyond_the_headroom_gives_503s_until_replicas_are_ready():
    rates = traffic_profile("spike", rps=4, peak_rps=12, seconds=1800, spike_start=600, spike_seconds=900)
    workload = make_workload(rates, request_seconds=1.0, noise=False)
    result = simulate(workload, autoscale_min_replicas=6, autoscale_max_replicas=20, replica_start_seconds=60)
    line = result.timeline
    assert line.loc[:599, "rejected_503"].sum() == 0
    assert line.loc[600:659, "rejected_503"].sum() > 0  # the replicas asked for at 600 are not ready yet
    ready_enough = line.index[(line["replicas_ready"] >= 12) & (line.index >= 600)][0]
    assert ready_enough < 600 + 3 * 60
    assert line.loc[ready_enough:, "rejected_503"].sum() == 0
    # and the autoscaler gives replicas back after the spike, conservatively
    after = line.loc[1500:, "replicas_ready"]
    assert after.iloc[:60].min() >= 12 and after.iloc[-1] < 12


@pytest.mark.parametrize(
    ("target", "start", "distribution"), [(70, 60, "fixed"), (50, 120, "exponential"), (90, 30, "lognormal")]
)
def test_more_min_replicas_never_gives_more_503s(target, start, distribution):
    rates = traffic_profile("spike", rps=3, peak_rps=15, seconds=2400)
    workload = make_workload(rates, request_seconds=1.5, distribution=distribution, seed=11)
    rejected = [
        simulate(
            workload,
            autoscale_min_replicas=m,
            autoscale_max_replicas=40,
            autoscale_target_utilization=target,
            replica_start_seconds=start,
        ).totals.rejected_503
        for m in range(1, 30, 2)
    ]
    assert rejected[0] > 0
    assert all(b <= a for a, b in zip(rejected, rejected[1:], strict=False)), rejected


def test_requests_longer_than_the_scoring_timeout_get_504():
    workload = make_workload(
        traffic_profile("constant", rps=1, seconds=300), request_seconds=8.0, noise=False
    )
    result = simulate(workload, scoring_timeout_ms=5000, autoscale_min_replicas=10, autoscale_max_replicas=10)
    assert result.totals.timeout_504 == 300 and result.totals.served == 0
    assert result.timeline["busy_replicas"].max() == pytest.approx(5.0)  # held until the 5 s timeout


def test_a_longer_queue_budget_lets_requests_wait_instead_of_503():
    workload = make_workload(
        traffic_profile("spike", rps=3, peak_rps=9, seconds=900), request_seconds=1.0, seed=2
    )
    short = simulate(workload, max_request_wait_time=500)
    patient = simulate(workload, max_request_wait_time=3000)
    assert patient.totals.rejected_503 < short.totals.rejected_503
    assert short.timeline["queued"].max() == 0 and patient.timeline["queued"].max() > 0


def test_timeline_and_totals_add_up():
    workload = make_workload(
        traffic_profile("ramp", rps=2, peak_rps=20, seconds=600),
        request_seconds=0.7,
        distribution="exponential",
        seed=5,
    )
    result = simulate(workload, max_request_wait_time=1500, scoring_timeout_ms=2000)
    line, t = result.timeline, result.totals
    assert tuple(line.columns) == TIMELINE_COLUMNS and len(line) == 600
    assert t.requests == t.served + t.rejected_503 + t.timeout_504 + t.unfinished
    assert line["rejected_503"].sum() == t.rejected_503 and line["timeout_504"].sum() == t.timeout_504
    assert t.replica_seconds == (line["replicas_ready"] + line["replicas_starting"]).sum()
    assert result.to_dict()["totals"]["rejected_503"] == t.rejected_503


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"autoscale_min_replicas": 5, "autoscale_max_replicas": 2}, "above max"),
        ({"autoscale_target_utilization": 0.7}, "whole percent"),
        ({"autoscale_target_utilization": 120}, "whole percent"),
        ({"autoscale_min_replicas": 0}, ">= 1"),
        ({"replica_start_seconds": -1}, ">= 0"),
        ({"autoscale_max_replica": 3}, "unknown"),
    ],
)
def test_bad_settings_are_usage_problems(changes, message):
    workload = make_workload(traffic_profile("constant", rps=1, seconds=10))
    with pytest.raises(UsageProblem, match=message):
        simulate(workload, **changes)


def test_user_series_from_csv_and_pandas(tmp_path):
    good = tmp_path / "traffic.csv"
    good.write_text("second,rps\n0,1\n1,2.5\n2,0\n")
    assert list(load_rps_series(good)) == [1.0, 2.5, 0.0]
    assert list(load_rps_series(pd.Series([3, 4]))) == [3.0, 4.0]
    for text, message in [
        ("rps\n1\nmany\n", "row 2"),
        ("rps\n-2\n", "row 1"),
        ("rps\n", "no rows"),
        ("a,b\nx,y\n", "no 'rps' column"),
        ("rps\n0\n0\n", "every rate is 0"),
    ]:
        bad = tmp_path / "bad.csv"
        bad.write_text(text)
        with pytest.raises(UsageProblem, match=message):
            load_rps_series(bad)
    with pytest.raises(UsageProblem, match="cannot read"):
        load_rps_series(tmp_path / "missing.csv")


def test_recommendation_meets_the_budget_and_is_the_cheapest_min():
    workload = make_workload(
        traffic_profile("spike", rps=4, peak_rps=10, seconds=1800), request_seconds=1.0, seed=3
    )
    progress = []
    advice = recommend(
        workload, budget_503=0.002, targets=(50, 70), on_progress=lambda *a: progress.append(a)
    )
    assert progress == [(1, 2), (2, 2)]
    s = advice.settings
    assert advice.met_budget and advice.result.totals.rate_503 <= 0.002
    assert s.autoscale_target_utilization in (50, 70) and s.autoscale_min_replicas <= s.autoscale_max_replicas
    if s.autoscale_min_replicas > 1:
        fewer = simulate(workload, s, autoscale_min_replicas=s.autoscale_min_replicas - 1)
        assert fewer.totals.rate_503 > 0.002
    call = advice.deploy_configuration
    assert call.startswith("AksWebservice.deploy_configuration(autoscale_enabled=True")
    assert f"autoscale_min_replicas={s.autoscale_min_replicas}," in call
    assert f"autoscale_target_utilization={s.autoscale_target_utilization}," in call


def test_settings_come_from_a_deployed_service():
    from amlwizard.backends._base import AutoscaleSettings, ServiceDetails

    fields = ServiceDetails.__dataclass_fields__
    details = ServiceDetails(
        **{name: None for name, f in fields.items() if f.default is f.default_factory is dataclasses.MISSING},
        autoscale=AutoscaleSettings(enabled=True, min_replicas=1, max_replicas=4, target_utilization=70),
        scoring_timeout_ms=5000,
        max_concurrent_requests=2,
    )
    settings = AksAutoscaleSettings.from_service(details, replica_start_seconds=90)
    assert (settings.autoscale_max_replicas, settings.scoring_timeout_ms) == (4, 5000)
    assert settings.replica_max_concurrent_requests == 2 and settings.max_request_wait_time == 500
    assert settings.replica_start_seconds == 90


def test_the_workshop_spike_scenario_gives_503s_in_its_spike():
    import json
    from pathlib import Path

    import amlwizard
    from amlwizard.sizing import scenario_workload

    scenario = Path(amlwizard.__file__).parent / "scenarios" / "aks-503-spike" / "scenario.json"
    data = json.loads(scenario.read_text())
    workload = scenario_workload(data["traffic"], seed=1)
    auto = data["service"]["autoScaler"]
    result = simulate(
        workload,
        autoscale_min_replicas=auto["minReplicas"],
        autoscale_max_replicas=auto["maxReplicas"],
        autoscale_target_utilization=auto["targetUtilization"],
    )
    line = result.timeline
    start, length = data["traffic"]["spike_start_s"], data["traffic"]["spike_duration_s"]
    assert line.loc[start : start + 59, "rejected_503"].sum() > 0  # the spike outruns replica start-up
    assert line.loc[start + length + 120 :, "rejected_503"].sum() == 0
    with pytest.raises(UsageProblem, match="traffic block"):
        scenario_workload({"baseline_rps": 1})
