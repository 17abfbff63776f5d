"""Replica sizing: the guide's formula, the queueing answer beside it, and the inverse questions."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from amlwizard import UsageProblem
from amlwizard.sizing import (
    erlang_b,
    erlang_c,
    formula_replicas,
    rps_for_replicas,
    size_replicas,
    spike_headroom,
    wait_probability,
)


def test_guide_example_gives_286_replicas():
    sizing = size_replicas(20, 10, max_concurrent=1, target_utilization=0.7)
    assert sizing.replicas == 286
    assert sizing.concurrent_requests == pytest.approx(285.714, abs=1e-3)


@pytest.mark.parametrize(
    ("rps", "seconds", "u", "conc", "expected"),
    [
        (21, 1, 0.7, 1, 30),  # 21 / 0.7 is 30.000000000000004 in floats
        (2.1, 1, 0.7, 1, 3),
        (7, 1, 0.7, 1, 10),
        (30, 1, 0.7, 2, 22),  # 42.86 concurrent / 2 per replica
        (60, 0.5, 0.6, 5, 10),  # exactly 50 concurrent / 5
        (0.1, 0.1, 1.0, 1, 1),
    ],
)
def test_exact_multiples_do_not_round_up(rps, seconds, u, conc, expected):
    assert formula_replicas(rps, seconds, u, conc)[0] == expected


@pytest.mark.parametrize("bad", [0, -0.5, 1.01, 70, float("nan")])
def test_utilization_outside_zero_one_is_a_usage_problem(bad):
    with pytest.raises(UsageProblem, match="outside"):
        size_replicas(10, 1, target_utilization=bad)


@pytest.mark.parametrize(("rps", "seconds"), [(0, 1), (-3, 1), (5, 0), (5, -1)])
def test_non_positive_load_is_a_usage_problem(rps, seconds):
    with pytest.raises(UsageProblem, match="positive"):
        size_replicas(rps, seconds)


def test_erlang_formulas_match_textbook_values():
    assert erlang_b(1, 1.0) == pytest.approx(0.5)
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)
    for servers, load in [(3, 2.0), (7, 5.5), (12, 9.0)]:
        top = load**servers / math.factorial(servers) * servers / (servers - load)
        below = sum(load**k / math.factorial(k) for k in range(servers))
        assert erlang_c(servers, load) == pytest.approx(top / (below + top))


def test_erlang_c_is_stable_for_thousands_of_servers():
    p = erlang_c(5000, 4900.0)
    assert 0.0 < p < 1.0
    sizing = size_replicas(2000, 10, target_utilization=0.7)  # 20,000 Erlangs
    assert sizing.replicas == 28572
    assert 20_000 < sizing.erlang_c_replicas < sizing.replicas


def test_queueing_answer_is_the_fewest_replicas_meeting_the_bound():
    sizing = size_replicas(20, 10, max_wait_ms=500, wait_probability_bound=0.01)
    n = sizing.erlang_c_replicas
    assert wait_probability(20, 10, n, 0.5) <= 0.01 < wait_probability(20, 10, n - 1, 0.5)
    assert sizing.erlang_c_wait_probability == pytest.approx(wait_probability(20, 10, n, 0.5))
    assert "fewer" in sizing.explanation and "spare capacity" in sizing.explanation
    stricter = size_replicas(20, 10, wait_probability_bound=0.0001)
    assert stricter.erlang_c_replicas > n


def test_short_requests_need_more_than_the_mean_load_in_queueing():
    sizing = size_replicas(100, 0.05, target_utilization=1.0, max_wait_ms=0, wait_probability_bound=0.05)
    assert sizing.replicas == 5  # the formula at 100 % keeps no room at all
    assert sizing.erlang_c_replicas > sizing.replicas


def test_inverse_questions():
    assert rps_for_replicas(286, 10, 0.7) >= 20 > rps_for_replicas(285, 10, 0.7)
    assert rps_for_replicas(10, 0.5, 0.7, max_concurrent=2) == pytest.approx(28.0)
    head = spike_headroom(0.7)
    assert head.headroom_percent == pytest.approx(42.857, abs=1e-3)
    assert head.guide_percent == pytest.approx(30.0)
    assert "about 30 %" in head.note


def test_results_are_json_ready():
    data = json.loads(json.dumps(size_replicas(20, 10).to_dict()))
    assert data["replicas"] == 286 and data["erlang_c_replicas"] < 286
    assert json.loads(json.dumps(spike_headroom(0.5).to_dict()))["headroom_percent"] == pytest.approx(100.0)


def test_sizing_never_imports_plotting_or_widgets():
    code = (
        "import sys, amlwizard.sizing; "
        "print(','.join(m for m in ('plotly', 'ipywidgets', 'azureml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_a_managed_deployment_is_sized_with_its_429_ceiling_timeout_and_quota():
    from amlwizard.sizing import size_managed

    # the guide's example load on a managed endpoint: 20 rps of 10 s requests
    s = size_managed(20, 10, slowest_seconds=12, instance_type="Standard_DS3_v2")
    assert s.instances == 286  # the guide's formula, which the v2 doc keeps
    assert s.ceiling_429 == 2 * 1 * 286 and s.in_flight == 200 and s.max_rps_before_429 == 57.2
    assert s.request_timeout_ms == 18_000 and "408" in s.timeout_note  # 12 s > the default 5 s
    assert s.quota_cores == math.ceil(286 * 1.2) * 4  # the 20 % of instances Azure ML keeps for upgrades
    assert "instance_count=286" in s.snippet and "request_timeout_ms=18000" in s.snippet
    assert "instance_count: 286" in s.yaml


def test_the_quota_reserve_is_whole_instances():
    from amlwizard.sizing import quota_for, size_managed

    # v2-out-of-quota: one Standard_DS3_v2 (4 cores) counts as ceil(1 x 1.2) = 2 instances = 8 cores
    needed, note = quota_for(1, 4, "Standard_DS3_v2", free=6)
    assert needed == 8 and "ceil(1 x 1.2) = 2 instance(s) x 4 cores = 8 cores" in note
    assert "NOT enough: ask for 2 more cores" in note
    assert size_managed(0.5, 0.2, instance_type="Standard_DS3_v2", quota_limit=8).quota_note.endswith(
        "enough"
    )


def test_run_slower_than_an_online_endpoint_waits_says_batch():
    from amlwizard.sizing import size_managed

    s = size_managed(1, 200)
    assert s.request_timeout_ms == 180_000 and "batch endpoint" in s.timeout_note
    assert s.quota_cores is None  # no instance type, no cores: nothing claimed
