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
    erlang_c,
    load_rps_series,
    make_workload,
    mean_wait,
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


# --- against results that do not come from the model's own rules ----------------------------------------
# The SimPy check above proves the simulator follows its documented rules; these check the rules against
# queueing theory. With replicas fixed (min = max), Poisson arrivals and exponential durations, the slots
# of all replicas behind one first-come-first-served queue are an M/M/c queue (c = replicas x concurrent
# requests), so the share of requests that wait and the mean wait must come out as Erlang C says.
#
# Why the tolerances. (1) The model steps in whole seconds: a request that cannot start in the second it
# arrives waits at least until the next second, its wait counts from the start of its arrival second, and
# a slot freed inside a second is only reused at the next one. Measured over 12 seeds x 2 million seconds,
# this adds about 1.0 s to the mean wait at mean durations of 25, 50 and 100 s alike, and 0.06 / 0.03 /
# 0.017 (relative) to the share that waits; that is why durations here are long (100 s, 60 s) next to the
# 1-second step. (2) Sampling: one run of 1 million seconds (about 80,000 requests) scatters the mean wait
# by about 5.5 % and the share that waits by about 0.009 (one standard deviation, over 8 seeds). So: the
# share that waits within 0.04 of Erlang C's (bias + about 3.5 sd), the mean wait within 1 s + 20 % of
# Erlang C's (bias + about 3.5 sd). A mistake in capacity or in how long a slot is held is far outside:
# one slot fewer of 10 gives a share of 0.66, durations held 10 % longer a mean wait of 52 s, not 20 s.

ERLANG_CASES = {
    # replicas, concurrent requests per replica, mean duration (s), utilization of the c slots
    "10 replicas x 1, 100 s, 80 %": (10, 1, 100.0, 0.8),
    "2 replicas x 2 (one queue for 4 slots), 60 s, 70 %": (2, 2, 60.0, 0.7),
}


def _fixed_replicas(replicas, concurrent, request_seconds, rates, seed, **changes):
    workload = make_workload(rates, request_seconds=request_seconds, distribution="exponential", seed=seed)
    result = simulate(
        workload,
        autoscale_min_replicas=replicas,
        autoscale_max_replicas=replicas,
        replica_max_concurrent_requests=concurrent,
        max_request_wait_time=10**9,  # no 503: the queue is unbounded, as in M/M/c
        scoring_timeout_ms=10**9,  # no 504
        **changes,
    )
    return workload, result


@pytest.mark.parametrize("case", ERLANG_CASES)
def test_fixed_replicas_wait_as_erlang_c_says(case):
    replicas, concurrent, request_seconds, utilization = ERLANG_CASES[case]
    servers = replicas * concurrent
    rps = utilization * servers / request_seconds
    # 1 million seconds of Poisson arrivals, then quiet until the queue has drained
    rates = np.concatenate((np.full(1_000_000, rps), np.zeros(int(60 * request_seconds))))
    workload, result = _fixed_replicas(replicas, concurrent, request_seconds, rates, seed=3)
    line, n = result.timeline, workload.total_requests
    assert result.totals.served == n, "every request must start and end for the comparison to hold"
    arrived = line["rps"].to_numpy()
    started_by = np.cumsum(line["served"].to_numpy())  # no 504 here: served = started, in arrival order
    arrived_before = np.concatenate(([0], np.cumsum(arrived)[:-1]))
    on_time = np.clip(started_by - arrived_before, 0, arrived).sum()  # started in their arrival second
    waited = 1 - on_time / n
    mean_waited = line["queued"].sum() / n  # each queued request-second is one second of someone's wait

    expected_share = erlang_c(servers, rps * request_seconds)
    expected_wait = mean_wait(rps, request_seconds, servers)
    assert waited == pytest.approx(expected_share, abs=0.04), (waited, expected_share)
    assert abs(mean_waited - expected_wait) <= 1.0 + 0.2 * expected_wait, (mean_waited, expected_wait)


def test_erlang_c_mean_wait_formula():
    # M/M/1 at 50 %: Wq = rho / (mu - lambda) = 0.5 / (1 - 0.5)
    assert mean_wait(0.5, 1.0, 1) == pytest.approx(1.0)
    # M/M/2, a = 1: C = 1/3, Wq = C / (2 mu - lambda) = (1/3) / (2 - 1)
    assert mean_wait(1.0, 1.0, 2) == pytest.approx(1 / 3)
    assert mean_wait(2.0, 1.0, 2) == float("inf")


LITTLE_CASES = {
    # profile, durations, settings: with autoscaling, timeouts and several requests per replica
    "fixed 4 replicas, exponential": (
        ("constant", {"rps": 3, "seconds": 3600}),
        {"request_seconds": 1.2, "distribution": "exponential"},
        {"autoscale_min_replicas": 4, "autoscale_max_replicas": 4},
    ),
    "autoscaled spike, fixed 1 s": (
        ("spike", {"rps": 4, "peak_rps": 20, "seconds": 3600}),
        {"request_seconds": 1.0},
        {"autoscale_min_replicas": 2, "autoscale_max_replicas": 30},
    ),
    "autoscaled ramp, lognormal, 2 per replica": (
        ("ramp", {"rps": 1, "peak_rps": 30, "seconds": 3600}),
        {"request_seconds": 2.5, "distribution": "lognormal"},
        {"replica_max_concurrent_requests": 2, "autoscale_max_replicas": 40, "autoscale_refresh_seconds": 5},
    ),
    "daily slice, sub-second, with 504s": (
        ("daily", {"rps": 50, "peak_rps": 400, "seconds": 3600}),
        {"request_seconds": 0.3, "distribution": "exponential"},
        {"autoscale_max_replicas": 200, "scoring_timeout_ms": 800},
    ),
}


@pytest.mark.parametrize("case", LITTLE_CASES)
def test_littles_law_holds_for_the_busy_slots(case):
    # L = lambda W for the slots: the mean number of busy slots (what the timeline reports as busy
    # replicas) equals the arrival rate times the mean time a request holds a slot, min(duration,
    # timeout), taken from the drawn durations, not from the simulator. Every request must start and end
    # inside the timeline: an unbounded queue and a quiet tail of an hour.
    (kind, shape), work, changes = LITTLE_CASES[case]
    rates = np.concatenate((traffic_profile(kind, **shape), np.zeros(3600)))
    workload = make_workload(rates, seed=17, **work)
    settings = AksAutoscaleSettings().replace(max_request_wait_time=10**9, **changes)
    result = simulate(workload, settings)
    t = result.totals
    assert t.rejected_503 == 0 and t.unfinished == 0 and t.served + t.timeout_504 == t.requests
    durations = workload.durations
    if durations is None:
        durations = np.full(workload.total_requests, workload.request_seconds)
    held = np.minimum(durations, settings.scoring_timeout_ms / 1000)
    seconds = len(result.timeline)
    busy_slots = result.timeline["busy_replicas"].mean() * settings.replica_max_concurrent_requests
    arrival_rate = workload.total_requests / seconds
    # exact but for rounding each holding to a micro-slot
    assert busy_slots == pytest.approx(arrival_rate * held.mean(), rel=1e-5)
