"""Replica sizing for AKS autoscaling: the guide's formula, the queueing (Erlang C) answer, a fast
autoscaler simulator and a search for the cheapest settings; SDK v2 managed deployments (``size_managed``:
instances, the 429 ceiling, request_timeout_ms, quota). Plain dataclasses; no plotting here."""

from __future__ import annotations

from ._sizing.autoscaler import Autoscaler
from ._sizing.formula import (
    ReplicaSizing,
    SpikeHeadroom,
    formula_replicas,
    rps_for_replicas,
    size_replicas,
    spike_headroom,
)
from ._sizing.inputs import SizingInputs
from ._sizing.managed import INSTANCE_CORES, ManagedSizing, ceiling_429, quota_for, size_managed
from ._sizing.queueing import erlang_b, erlang_c, erlang_c_replicas, mean_wait, wait_probability
from ._sizing.recommend import Recommendation, recommend
from ._sizing.settings import AksAutoscaleSettings, SimulationResult, SimulationTotals
from ._sizing.simulator import TIMELINE_COLUMNS, simulate
from ._sizing.traffic import (
    DISTRIBUTIONS,
    PROFILES,
    SLOT_UNITS,
    Workload,
    load_rps_series,
    make_workload,
    scenario_workload,
    traffic_profile,
)

__all__ = [
    "AksAutoscaleSettings",
    "Autoscaler",
    "DISTRIBUTIONS",
    "INSTANCE_CORES",
    "PROFILES",
    "ManagedSizing",
    "Recommendation",
    "SLOT_UNITS",
    "ReplicaSizing",
    "SimulationResult",
    "SimulationTotals",
    "SizingInputs",
    "SpikeHeadroom",
    "TIMELINE_COLUMNS",
    "Workload",
    "erlang_b",
    "erlang_c",
    "erlang_c_replicas",
    "formula_replicas",
    "load_rps_series",
    "make_workload",
    "mean_wait",
    "recommend",
    "rps_for_replicas",
    "scenario_workload",
    "quota_for",
    "simulate",
    "size_managed",
    "ceiling_429",
    "size_replicas",
    "spike_headroom",
    "traffic_profile",
    "wait_probability",
]
