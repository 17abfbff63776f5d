"""Plotly figures of a load probe (``amlwizard.calls``): answers per second by status and latency percentiles,
live and updated in place, and the probe's 503s / 504s beside the simulator's for the same traffic.

Only drawing: the probe counted, the simulator predicted (``calls.compare_with_simulation``).
"""

from __future__ import annotations

from typing import Any

__all__ = ["STATUS_GROUPS", "probe_figure", "update_probe_figure", "probe_comparison_figure"]

# answers are stacked by these groups (colours kept across figures: 503 red, 504 orange as in the simulator's)
STATUS_GROUPS: tuple[tuple[str, str], ...] = (
    ("2xx", "#2ca02c"),
    ("502", "#9467bd"),
    ("503", "#d62728"),
    ("504", "#ff7f0e"),
    ("other", "#7f7f7f"),
)
_LATENCIES = (("p50", "#1f77b4", "solid"), ("p95", "#17becf", "dash"), ("p99", "#393b79", "dot"))


def _group(status: str) -> str:
    if status.startswith("2"):
        return "2xx"
    return status if status in ("502", "503", "504") else "other"


def _per_group(result: Any) -> tuple[list[int], dict[str, list[int]]]:
    seconds = [row["second"] for row in result.per_second]
    groups: dict[str, list[int]] = {name: [0] * len(seconds) for name, _ in STATUS_GROUPS}
    for i, row in enumerate(result.per_second):
        for status, n in row["by_status"].items():
            groups[_group(status)][i] += n
    return seconds, groups


def _title(result: Any) -> str:
    parts = [f"{status}: {n}" for status, n in result.by_status.items()]
    lat = result.latency_ms.get("p95")
    state = "cancelled" if result.cancelled else f"{len(result.per_second)} of {result.seconds} s"
    return (
        f"{result.service}: {result.sent} requests at {result.target_rps:g} rps ({state}) · "
        + (", ".join(parts) or "no answer yet")
        + (f" · p95 {lat:.0f} ms" if lat is not None else "")
    )


def probe_figure(result: Any = None, *, replicas: bool = False, widget: bool = False) -> Any:
    """Answers per second stacked by status, and latency p50 / p95 / p99 per second; with ``replicas``, a
    third row for the replicas ready and starting (the workshop emulator's front end shows them)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    titles = ["answers / s by status", "latency (ms)"] + (["replicas (front end)"] if replicas else [])
    base = make_subplots(rows=len(titles), cols=1, shared_xaxes=True, vertical_spacing=0.07,
                         subplot_titles=titles)  # fmt: skip
    fig = go.FigureWidget(base) if widget else go.Figure(base)
    for name, colour in STATUS_GROUPS:
        fig.add_trace(go.Bar(name=name, x=[], y=[], marker={"color": colour}), row=1, col=1)
    for name, colour, dash in _LATENCIES:
        fig.add_trace(go.Scatter(name=name, x=[], y=[], mode="lines", line={"color": colour, "dash": dash}),
                      row=2, col=1)  # fmt: skip
    if replicas:
        ready = {"color": "#2ca02c", "shape": "hv"}
        starting = {"color": "#98df8a", "shape": "hv", "dash": "dot"}
        fig.add_trace(go.Scatter(name="replicas ready", x=[], y=[], line=ready), row=3, col=1)
        fig.add_trace(go.Scatter(name="ready + starting", x=[], y=[], line=starting), row=3, col=1)
    fig.update_layout(
        title={"text": "load probe"},
        height=420 + 200 * replicas,
        barmode="stack",
        bargap=0.05,
        hovermode="x unified",
        legend={"orientation": "h", "y": -0.12},
        margin={"t": 70, "l": 60, "r": 20, "b": 60},
    )
    fig.update_xaxes(title_text="second of the probe", row=len(titles), col=1)
    if result is not None:
        update_probe_figure(fig, result)
    return fig


def update_probe_figure(fig: Any, result: Any, timeline: list[dict[str, Any]] | None = None) -> Any:
    """Put ``result`` (a probe snapshot) into ``fig`` in place, in one redraw. ``timeline``: the front end's
    samples with ``second`` already counted from the probe's start (replicas row)."""
    seconds, groups = _per_group(result)
    with fig.batch_update():
        for trace, (name, _) in zip(fig.data[: len(STATUS_GROUPS)], STATUS_GROUPS, strict=True):
            trace.x, trace.y = seconds, groups[name]
        for offset, (name, _, _) in enumerate(_LATENCIES):
            trace = fig.data[len(STATUS_GROUPS) + offset]
            trace.x, trace.y = seconds, [row[f"{name}_ms"] for row in result.per_second]
        if timeline is not None and len(fig.data) > len(STATUS_GROUPS) + len(_LATENCIES):
            ready, total = fig.data[-2], fig.data[-1]
            x = [s["second"] for s in timeline]
            ready.x, ready.y = x, [s["replicas_ready"] for s in timeline]
            total.x, total.y = x, [s["replicas_ready"] + s["replicas_starting"] for s in timeline]
        fig.layout.title.text = _title(result)
    return fig


def probe_comparison_figure(comparison: Any, timeline: list[dict[str, Any]] | None = None) -> Any:
    """The probe's 503s and 504s per second (bars) beside the simulator's for the same arrivals (lines), and
    the replicas: the simulator's, and the front end's when ``timeline`` is given."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    observed, predicted = comparison.observed, comparison.predicted
    seconds, groups = _per_group(observed)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1,
                        subplot_titles=["503s and 504s per second", "replicas"])  # fmt: skip
    fig.add_trace(go.Bar(name="503 observed", x=seconds, y=groups["503"], marker={"color": "#d62728"}), 1, 1)
    fig.add_trace(go.Bar(name="504 observed", x=seconds, y=groups["504"], marker={"color": "#ff7f0e"}), 1, 1)
    title = f"observed: 503 {observed.rate(503):.1%}, 504 {observed.rate(504):.1%}"
    if predicted is not None:
        t = predicted.timeline
        x = t["second"].tolist()
        fig.add_trace(go.Scatter(name="503 simulated", x=x, y=t["rejected_503"].tolist(), mode="lines",
                                 line={"color": "#7f0000", "dash": "dash", "shape": "hv"}), 1, 1)  # fmt: skip
        fig.add_trace(go.Scatter(name="504 simulated", x=x, y=t["timeout_504"].tolist(), mode="lines",
                                 line={"color": "#a05000", "dash": "dot", "shape": "hv"}), 1, 1)  # fmt: skip
        fig.add_trace(go.Scatter(name="replicas ready (simulated)", x=x, y=t["replicas_ready"].tolist(),
                                 line={"color": "#1f77b4", "dash": "dash", "shape": "hv"}), 2, 1)  # fmt: skip
        title += f" · simulated: 503 {predicted.totals.rate_503:.1%}, 504 {predicted.totals.rate_504:.1%}"
    if timeline:
        fig.add_trace(go.Scatter(name="replicas ready (front end)", x=[s["second"] for s in timeline],
                                 y=[s["replicas_ready"] for s in timeline],
                                 line={"color": "#2ca02c", "shape": "hv"}), 2, 1)  # fmt: skip
    fig.update_layout(
        title={"text": title},
        height=480,
        barmode="stack",
        bargap=0.05,
        hovermode="x unified",
        legend={"orientation": "h", "y": -0.15},
        margin={"t": 70, "l": 60, "r": 20, "b": 60},
    )
    fig.update_xaxes(title_text="second of the probe", row=2, col=1)
    return fig
