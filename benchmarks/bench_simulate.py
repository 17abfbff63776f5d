"""How fast the autoscaler simulator is, against the SimPy event model of the same semantics, in one run.

Usage: ``python benchmarks/bench_simulate.py [--quick]``. Prints the simulator and SimPy times on the same
seeded profile with both totals, a 24-hour profile (~10 million requests), and a wizard slider step
(simulate + ``update_autoscale_figure`` of a 24-hour profile) against drawing a new figure.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # amlwizard and devtools/ of this checkout

from amlwizard.plots import autoscale_figure, update_autoscale_figure  # noqa: E402
from amlwizard.sizing import AksAutoscaleSettings, make_workload, simulate, traffic_profile  # noqa: E402
from devtools.simpy_autoscaler import run_reference  # noqa: E402


def timed(func, repeat: int = 1):
    """Median wall time of ``repeat`` calls, and the last value. CPU time goes to CPU_TIMES: on a busy
    machine it shows what the wall time would be without the other processes."""
    times, cpu, value = [], [], None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        value = func()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    CPU_TIMES.append(statistics.median(cpu))
    return statistics.median(times), value


CPU_TIMES: list[float] = []


def cpu() -> str:
    return f"(CPU {CPU_TIMES[-1] * 1000:.0f} ms)"


def totals_line(name: str, served: int, rejected: int, late: int) -> str:
    return f"{name}: served {served}, 503 {rejected}, 504 {late}"


def versus_simpy(quick: bool) -> None:
    seconds = 600 if quick else 3600
    rates = traffic_profile("spike", rps=15, peak_rps=45, seconds=seconds)
    settings = AksAutoscaleSettings(
        autoscale_min_replicas=12,
        autoscale_max_replicas=40,
        scoring_timeout_ms=3000,
        replica_start_seconds=90,
    )
    workload = make_workload(rates, request_seconds=0.6, distribution="exponential", seed=42)
    simulate(make_workload(rates[:60]), settings)  # warm up: pandas is imported on first use
    first, fast = timed(lambda: simulate(workload, settings))  # includes the per-request preparation
    again, _ = timed(lambda: simulate(workload, settings), repeat=5)
    arrivals = workload.arrival_times()
    slow, ref = timed(lambda: run_reference(arrivals, workload.durations, settings, workload.seconds))
    t = fast.totals
    label = f"{seconds // 60} min spike, {workload.total_requests} requests"
    print(
        f"simulator ({label}, first call): {first:.4f} s   baseline SimPy event model: {slow:.2f} s   "
        f"ratio {slow / first:.0f}x (target >= 100x)"
    )
    print(
        f"simulator ({label}, settings changed, workload cached): {again:.4f} s   "
        f"baseline SimPy: {slow:.2f} s"
        f"   ratio {slow / again:.0f}x"
    )
    print(
        "  "
        + totals_line("simulator", t.served, t.rejected_503, t.timeout_504)
        + "   |   "
        + totals_line("SimPy", ref.served, ref.rejected_503, ref.timeout_504)
        + (
            "   (identical)"
            if (t.served, t.rejected_503, t.timeout_504) == (ref.served, ref.rejected_503, ref.timeout_504)
            else "   (DIFFERENT)"
        )
    )
    return slow / max(workload.total_requests, 1)


def one_day(quick: bool, simpy_per_request: float) -> None:
    seconds = 7200 if quick else 86_400
    rates = traffic_profile("daily", rps=40, peak_rps=200, seconds=seconds)
    for distribution in ("fixed", "exponential"):
        made, workload = timed(
            lambda d=distribution: make_workload(rates, request_seconds=0.5, distribution=d)
        )
        first, result = timed(lambda w=workload: simulate(w, autoscale_max_replicas=200))
        first_cpu = cpu()
        again, _ = timed(lambda w=workload: simulate(w, autoscale_max_replicas=150), repeat=3)
        n = workload.total_requests
        estimate = simpy_per_request * n
        print(
            f"simulator ({seconds // 3600} h daily, {n:,} requests, {distribution} durations, first call): "
            f"{first:.3f} s {first_cpu} (+ {made:.3f} s drawing the workload)   "
            "baseline SimPy (its per-request cost "
            f"above x {n:,}): ~{estimate:.0f} s   ratio ~{estimate / first:.0f}x (target: well under 1 s)"
        )
        print(
            f"  same, settings changed, workload cached: {again:.3f} s {cpu()}; "
            f"503 rate {result.totals.rate_503:.3%}"
        )


def slider(quick: bool) -> None:
    seconds = 7200 if quick else 86_400
    workload = make_workload(
        traffic_profile("daily", rps=40, peak_rps=200, seconds=seconds), request_seconds=0.5
    )
    fig = autoscale_figure(simulate(workload, autoscale_max_replicas=200), widget=True)
    settings = iter(range(100, 200, 3))

    def step():
        return update_autoscale_figure(fig, simulate(workload, autoscale_max_replicas=next(settings)))

    def redraw():
        return autoscale_figure(simulate(workload, autoscale_max_replicas=next(settings)), widget=True)

    updated, _ = timed(step, repeat=7)
    updated_cpu = cpu()
    redrawn, _ = timed(redraw, repeat=3)
    print(
        f"slider step ({seconds // 3600} h: simulate + update_autoscale_figure in place): "
        f"{updated * 1000:.0f} ms {updated_cpu}"
        f"   baseline simulate + new FigureWidget: {redrawn * 1000:.0f} ms   ratio {redrawn / updated:.1f}x "
        "(target < 150 ms)"
    )


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    per_request = versus_simpy(quick)
    one_day(quick, per_request)
    slider(quick)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
