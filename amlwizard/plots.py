"""Plotly figures from sizing results: the autoscale timeline (utilization, replicas, load, 503s on one time
axis) and replicas needed against load; and of load probes (``_plots_probe``): answers per second by status,
latency, and observed 503s beside the simulator's. Figures are ``go.Figure`` or ``go.FigureWidget``, updated
in place."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._plots_probe import probe_comparison_figure, probe_figure, update_probe_figure
from ._sizing.formula import formula_replicas

__all__ = [
    "autoscale_figure",
    "update_autoscale_figure",
    "replicas_figure",
    "downsample_timeline",
    "probe_figure",
    "update_probe_figure",
    "probe_comparison_figure",
]

_BUCKETS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600)
MAX_POINTS = 1500  # per trace: enough detail, and a slider redraw stays fast
_ROWS = ("utilization", "replicas", "requests / s", "503s")


def downsample_timeline(timeline: Any, max_points: int = MAX_POINTS) -> dict[str, Any]:
    """Per-bucket arrays for display: utilization mean, replicas max, rps mean, 503/504 sums (exact counts).

    The bucket is the smallest of 1 s, 2 s, 5 s, ... 1 h that keeps each trace under ``max_points``.
    """
    n = len(timeline)
    bucket = next((b for b in _BUCKETS if math.ceil(n / b) <= max_points), _BUCKETS[-1])
    pad = (-n) % bucket

    def shaped(column: str, fill: float = 0.0) -> np.ndarray:
        values = timeline[column].to_numpy(dtype=np.float64)
        if pad:
            values = np.concatenate((values, np.full(pad, fill)))
        return values.reshape(-1, bucket)

    counts = np.full(n + pad, 1.0)
    counts[n:] = 0.0
    per = counts.reshape(-1, bucket).sum(axis=1)
    scale, unit = (3600.0, "hours") if n >= 4 * 3600 else (60.0, "minutes") if n >= 600 else (1.0, "seconds")
    return {
        "bucket_seconds": bucket,
        "time": np.arange(per.size) * bucket / scale,
        "time_unit": unit,
        "utilization": shaped("utilization").sum(axis=1) / per,
        "replicas_ready": shaped("replicas_ready").max(axis=1),
        "replicas_total": (shaped("replicas_ready") + shaped("replicas_starting")).max(axis=1),
        "rps": shaped("rps").sum(axis=1) / per,
        "rejected_503": shaped("rejected_503").sum(axis=1),
        "timeout_504": shaped("timeout_504").sum(axis=1),
    }


def _title(result: Any) -> str:
    t, s = result.totals, result.settings
    return (
        f"503s: {t.rate_503:.2%} of {t.requests:,} requests ({t.rejected_503:,}) · 504s: {t.rate_504:.2%} · "
        f"target {s.autoscale_target_utilization} %, "
        f"replicas {s.autoscale_min_replicas}-{s.autoscale_max_replicas}"
    )


def _trace_data(result: Any) -> tuple[list[tuple[Any, Any]], dict[str, Any]]:
    d = downsample_timeline(result.timeline)
    x = d["time"]
    target = result.settings.autoscale_target_utilization / 100.0
    edges = [x[0], x[-1]] if len(x) else [0, 0]
    pairs = [
        (x, d["utilization"]),
        (edges, [target, target]),
        (x, d["replicas_ready"]),
        (x, d["replicas_total"]),
        (x, d["rps"]),
        (x, d["rejected_503"]),
        (x, d["timeout_504"]),
    ]
    return pairs, d


def autoscale_figure(result: Any, *, widget: bool = False) -> Any:
    """Utilization against its target, replicas ready / starting, requests per second and 503s, on one
    shared time axis; the title gives the 503 rate. ``widget=True`` returns a ``go.FigureWidget``."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    base = make_subplots(rows=4, cols=1, shared_xaxes=True, vertical_spacing=0.04, subplot_titles=_ROWS)
    fig = go.FigureWidget(base) if widget else go.Figure(base)
    pairs, d = _trace_data(result)
    specs = [
        (1, go.Scatter(name="utilization", line={"color": "#1f77b4"})),
        (1, go.Scatter(name="target", mode="lines", line={"color": "#d62728", "dash": "dash"})),
        (2, go.Scatter(name="replicas ready", line={"color": "#2ca02c", "shape": "hv"})),
        (2, go.Scatter(name="ready + starting", line={"color": "#98df8a", "shape": "hv", "dash": "dot"})),
        (3, go.Scatter(name="requests / s", line={"color": "#7f7f7f"})),
        (4, go.Bar(name="503", marker={"color": "#d62728"})),
        (4, go.Bar(name="504", marker={"color": "#ff7f0e"})),
    ]
    for (row, trace), (x, y) in zip(specs, pairs, strict=True):
        trace.x, trace.y = x, y
        fig.add_trace(trace, row=row, col=1)
    fig.update_layout(
        title={"text": _title(result)},
        height=720,
        barmode="stack",
        bargap=0,
        hovermode="x unified",
        legend={"orientation": "h", "y": -0.08, "traceorder": "normal"},
        margin={"t": 70, "l": 60, "r": 20, "b": 60},
    )
    fig.update_yaxes(range=[0, 1.05], tickformat=".0%", row=1, col=1)
    fig.update_xaxes(title_text=f"time ({d['time_unit']})", row=4, col=1)
    _bucket_labels(fig, d)
    return fig


def _bucket_labels(fig: Any, d: dict[str, Any]) -> None:
    b = d["bucket_seconds"]
    per = "per second" if b == 1 else f"per {b} s"
    fig.layout.annotations[2].text = f"requests / s (mean {per})" if b > 1 else "requests / s"
    fig.layout.annotations[3].text = f"503s and 504s ({per})"


def update_autoscale_figure(fig: Any, result: Any) -> Any:
    """Put ``result`` into a figure made by ``autoscale_figure`` in place (one batched redraw)."""
    pairs, d = _trace_data(result)
    with fig.batch_update():
        for trace, (x, y) in zip(fig.data, pairs, strict=True):
            trace.x, trace.y = x, y
        fig.layout.title.text = _title(result)
        fig.layout.xaxis4.title.text = f"time ({d['time_unit']})"
        _bucket_labels(fig, d)
    return fig


def replicas_figure(
    rps: float,
    request_seconds: float,
    *,
    max_concurrent: int = 1,
    target_utilization: float = 0.7,
    targets: tuple[float, ...] = (0.5, 0.6, 0.7, 0.8, 0.9),
    widget: bool = False,
) -> Any:
    """Replicas the guide's formula asks for against requests per second, one line per target utilization,
    the user's load and target marked."""
    import plotly.graph_objects as go

    fig = go.FigureWidget() if widget else go.Figure()
    grid = np.linspace(0.0, max(float(rps), 1e-9) * 2.0, 201)[1:]
    shown = sorted(set(targets) | {float(target_utilization)})
    for u in shown:
        replicas = [formula_replicas(r, request_seconds, u, max_concurrent)[0] for r in grid]
        yours = math.isclose(u, float(target_utilization))
        fig.add_scatter(
            x=grid, y=replicas, name=f"target {u:.0%}", line={"shape": "hv", "width": 3 if yours else 1.5}
        )
    mine, concurrent = formula_replicas(rps, request_seconds, target_utilization, max_concurrent)
    fig.add_scatter(
        x=[float(rps)],
        y=[mine],
        mode="markers+text",
        name="your load",
        text=[f" {mine} replicas"],
        textposition="middle right",
        marker={"size": 12, "color": "black", "symbol": "x"},
    )
    fig.update_layout(
        title={
            "text": f"Replicas needed: {mine} for {float(rps):g} rps x {float(request_seconds):g} s "
            f"at {float(target_utilization):.0%} target ({concurrent:.1f} concurrent requests)"
        },
        xaxis_title="requests per second",
        yaxis_title="replicas",
        hovermode="x unified",
    )
    return fig
