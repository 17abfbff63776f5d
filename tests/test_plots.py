"""Plotly figures of sizing results: one shared time axis, exact 503 counts, in-place updates."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from amlwizard.plots import autoscale_figure, downsample_timeline, replicas_figure, update_autoscale_figure
from amlwizard.sizing import make_workload, simulate, traffic_profile


@pytest.fixture(scope="module")
def spike_result():
    workload = make_workload(traffic_profile("spike", rps=3, peak_rps=12, seconds=1800), seed=1)
    return simulate(workload)


def test_autoscale_figure_shows_the_four_views_on_one_time_axis(spike_result):
    fig = autoscale_figure(spike_result)
    assert isinstance(fig, go.Figure)
    names = [trace.name for trace in fig.data]
    assert names == [
        "utilization",
        "target",
        "replicas ready",
        "ready + starting",
        "requests / s",
        "503",
        "504",
    ]
    assert [fig.layout.xaxis.matches, fig.layout.xaxis2.matches, fig.layout.xaxis3.matches] == ["x4"] * 3
    t = spike_result.totals
    assert f"{t.rate_503:.2%}" in fig.layout.title.text and f"{t.rejected_503:,}" in fig.layout.title.text
    assert list(fig.data[1].y) == [0.7, 0.7]  # the target line
    assert sum(fig.data[5].y) == t.rejected_503  # bucketed for display, counts kept exact


def test_a_day_is_downsampled_but_keeps_every_503():
    workload = make_workload(traffic_profile("daily", rps=20, peak_rps=120), request_seconds=0.5, seed=4)
    result = simulate(workload, autoscale_max_replicas=40)
    shown = downsample_timeline(result.timeline)
    assert shown["bucket_seconds"] == 60 and len(shown["time"]) == 1440 and shown["time_unit"] == "hours"
    assert shown["rejected_503"].sum() == result.totals.rejected_503 > 0
    assert shown["replicas_total"].max() == result.totals.peak_replicas
    fig = autoscale_figure(result)
    assert all(len(trace.x) <= 1500 for trace in fig.data)


def test_widget_figure_is_updated_in_place(spike_result):
    fig = autoscale_figure(spike_result, widget=True)
    assert isinstance(fig, go.FigureWidget)
    workload = make_workload(traffic_profile("spike", rps=3, peak_rps=12, seconds=1800), seed=1)
    better = simulate(workload, autoscale_min_replicas=12, autoscale_max_replicas=20)
    traces_before = list(fig.data)
    same = update_autoscale_figure(fig, better)
    assert same is fig and list(fig.data) == traces_before
    assert f"{better.totals.rate_503:.2%}" in fig.layout.title.text
    assert sum(fig.data[5].y) == better.totals.rejected_503 < spike_result.totals.rejected_503
    assert max(fig.data[2].y) == better.timeline["replicas_ready"].max()


def test_replicas_figure_marks_the_users_load():
    fig = replicas_figure(20, 10, target_utilization=0.7)
    marker = fig.data[-1]
    assert marker.name == "your load" and list(marker.x) == [20.0] and list(marker.y) == [286]
    lines = {trace.name for trace in fig.data[:-1]}
    assert {"target 50%", "target 70%", "target 90%"} <= lines
    assert "286" in fig.layout.title.text
    assert isinstance(replicas_figure(5, 1, widget=True), go.FigureWidget)
