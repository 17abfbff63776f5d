"""How fast the autoscaler simulator is, against the SimPy event model of the same semantics, in one run.

Usage: ``python benchmarks/bench_simulate.py [--quick] [--simpy-day]``.

1. The simulator against the SimPy model (devtools/simpy_autoscaler.py) on the same seeded spike profile:
   1 hour (quick: 10 minutes) at 15 requests/s rising to 45 requests/s for the middle third. SimPy runs
   on nothing longer by default: one 24-hour run of it takes minutes, and a figure is a median of
   ``MIN_RUNS`` runs, never an extrapolation. ``--simpy-day`` runs that 24-hour baseline for real too.
2. The simulator alone on a 24-hour daily profile (quick: 2 hours) of 40 requests/s at midnight to 200 at
   noon: an absolute target (well under 1 s), no baseline.
3. A wizard slider step (simulate + ``update_autoscale_figure`` in place) against simulate + a new figure.

Both sides of each comparison run in this process, alternately, measured the same way (``time_call``: wall
time and this process's CPU time), so imports and start-up are not counted on either side. Each run of
the simulator is a first call: the per-workload preparation it caches is cleared before every run.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # amlwizard and devtools/ of this checkout

from _measure import MIN_RUNS, Targets, median, time_call, wall_cpu  # noqa: E402

from amlwizard.plots import autoscale_figure, update_autoscale_figure  # noqa: E402
from amlwizard.sizing import AksAutoscaleSettings, make_workload, simulate, traffic_profile  # noqa: E402
from devtools.simpy_autoscaler import run_reference  # noqa: E402

RATIO_TARGET = 100.0
DAY_TARGET_S = 1.0
SLIDER_TARGET_MS = 150.0


def _first_call(workload, settings):
    workload._cache.clear()  # what a first call pays: the per-request preparation, not cached
    return simulate(workload, settings)


def _traffic(workload) -> str:
    return (
        f"{workload.total_requests:,} requests in {workload.seconds:,} s, "
        f"mean {workload.total_requests / workload.seconds:.1f} requests/s"
    )


def versus_simpy(targets: Targets, seconds: int, kind: str, shape: dict, settings, label: str) -> None:
    rates = traffic_profile(kind, seconds=seconds, **shape)
    workload = make_workload(rates, request_seconds=0.6, distribution="exponential", seed=42)
    arrivals = workload.arrival_times()
    ours, simpy_runs = [], []
    for _ in range(MIN_RUNS):  # alternately, so both see the same machine load
        ours.append(time_call(lambda: _first_call(workload, settings)))
        simpy_runs.append(time_call(lambda: run_reference(arrivals, workload.durations, settings, seconds)))
    again = [time_call(lambda: simulate(workload, settings)) for _ in range(MIN_RUNS)]
    t, ref = ours[-1].value.totals, simpy_runs[-1].value
    ratio = median(simpy_runs) / median(ours)
    print(f"{label}: {_traffic(workload)}")
    print(f"  simulator, first call: {wall_cpu(ours, 'ms')}")
    print(f"  simulator, settings changed, workload cached: {wall_cpu(again, 'ms')}")
    print(f"  baseline SimPy event model: {wall_cpu(simpy_runs)}")
    print(
        f"  ratio SimPy / simulator (first call): wall {ratio:.0f}x, "
        f"CPU {median(simpy_runs, 'cpu') / median(ours, 'cpu'):.0f}x (target >= {RATIO_TARGET:g}x wall)"
    )
    mine = (t.served, t.rejected_503, t.timeout_504, t.unfinished)
    theirs = (ref.served, ref.rejected_503, ref.timeout_504, ref.unfinished)
    print(f"  totals served/503/504/unfinished: simulator {mine}, SimPy {theirs}")
    name = label.split(":")[0]
    targets.check(
        f"simulate-vs-simpy-{name}",
        ratio >= RATIO_TARGET,
        f"{ratio:.0f}x faster on {workload.total_requests:,} requests",
        f">= {RATIO_TARGET:g}x",
    )
    targets.check(f"simulate-equals-simpy-{name}", mine == theirs, f"totals {mine} / {theirs}", "identical")


def one_day(targets: Targets, seconds: int) -> None:
    rates = traffic_profile("daily", rps=40, peak_rps=200, seconds=seconds)
    settings = AksAutoscaleSettings(autoscale_max_replicas=200)
    for distribution in ("fixed", "exponential"):
        workload = make_workload(rates, request_seconds=0.5, distribution=distribution)
        runs = [time_call(lambda w=workload: _first_call(w, settings)) for _ in range(MIN_RUNS)]
        again = [
            time_call(lambda w=workload: simulate(w, autoscale_max_replicas=150)) for _ in range(MIN_RUNS)
        ]
        hours = seconds // 3600
        what = f"{hours} h daily (40 -> 200 requests/s), {distribution} 0.5 s durations"
        print(f"simulator, {what}: {_traffic(workload)}")
        print(f"  first call: {wall_cpu(runs)}; settings changed, workload cached: {wall_cpu(again)}; "
              f"503 rate {runs[-1].value.totals.rate_503:.3%}")  # fmt: skip
        targets.check(
            f"simulate-{hours}h-{distribution}",
            median(runs) < DAY_TARGET_S,
            f"{median(runs):.2f} s for {workload.total_requests:,} requests",
            f"< {DAY_TARGET_S:g} s",
        )


def slider(targets: Targets, seconds: int) -> None:
    workload = make_workload(
        traffic_profile("daily", rps=40, peak_rps=200, seconds=seconds), request_seconds=0.5
    )
    fig = autoscale_figure(simulate(workload, autoscale_max_replicas=200), widget=True)
    settings = iter(range(100, 200, 3))
    step, redraw = [], []

    def one_step():
        return update_autoscale_figure(fig, simulate(workload, autoscale_max_replicas=next(settings)))

    def new_figure():
        return autoscale_figure(simulate(workload, autoscale_max_replicas=next(settings)), widget=True)

    for _ in range(MIN_RUNS):  # alternately
        step.append(time_call(one_step))
        redraw.append(time_call(new_figure))
    hours = seconds // 3600
    print(
        f"slider step ({hours} h, {_traffic(workload)}): simulate + update_autoscale_figure in place "
        f"{wall_cpu(step, 'ms')}; baseline simulate + new FigureWidget {wall_cpu(redraw, 'ms')}; "
        f"ratio {median(redraw) / median(step):.1f}x"
    )
    targets.check(
        "simulate-slider-step",
        median(step) * 1000 < SLIDER_TARGET_MS,
        f"{median(step) * 1000:.0f} ms",
        f"< {SLIDER_TARGET_MS:g} ms",
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 min / 2 h profiles instead of 1 h / 24 h")
    parser.add_argument("--simpy-day", action="store_true", help="also run SimPy on the 24 h profile (slow)")
    args = parser.parse_args(argv)
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    simulate(make_workload(traffic_profile("constant", seconds=60)))  # imports pandas: not timed on a side
    targets = Targets()
    spike = AksAutoscaleSettings(
        autoscale_min_replicas=12,
        autoscale_max_replicas=40,
        scoring_timeout_ms=3000,
        replica_start_seconds=90,
    )
    seconds = 600 if args.quick else 3600
    shape = {"rps": 15, "peak_rps": 45}
    versus_simpy(
        targets, seconds, "spike", shape, spike, f"{seconds // 60}min-spike: spike 15 -> 45 requests/s"
    )
    if args.simpy_day:
        daily = AksAutoscaleSettings(autoscale_max_replicas=200)
        shape = {"rps": 40, "peak_rps": 200}
        versus_simpy(targets, 86_400, "daily", shape, daily, "24h-daily: daily 40 -> 200 requests/s")
    one_day(targets, 7200 if args.quick else 86_400)
    slider(targets, 7200 if args.quick else 86_400)
    return targets.exit_code()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
