"""What `%load_ext amlwizard` + the first `%aml_troubleshoot --workshop` cost a fresh kernel (as processes).

    python benchmarks/bench_load_ext.py [--quick]

Every figure is a fresh Python process with an IPython shell (as a new kernel), timed from spawn until its
work is done (then it leaves with os._exit, so no side pays interpreter teardown), wall time and CPU
(user + sys of the child), median of at least 5, the three kinds run alternately:

- baseline: the shell imports ipywidgets (what any widget notebook pays);
- wizard shown: `%load_ext amlwizard` + `%aml_troubleshoot --workshop --scenario aks-503-spike` until the
  magic returns with the wizard shown; the emulator start is held back (the workshop lock is taken first),
  so this is what the user waits for before seeing anything. Target: < 100 ms more than the baseline;
- first diagnosis: the same, then the worker thread starts the workshop emulator, imports azureml, fetches
  the service and diagnoses it, until its finding is shown: all that the two magics cost (no target).

Also: azureml must not be imported before a workspace is needed, and the replica wizard's update on a
24-hour traffic profile (in one process: 8 slider changes, each timed, against the simulation alone on the
same values): target < 150 ms median.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # amlwizard of this checkout, not whichever one is installed

from _measure import MIN_RUNS, Targets, median, run_process, time_call, wall_cpu  # noqa: E402

ADDED_TARGET_MS = 100.0
UPDATE_TARGET_MS = 150.0


def _child(mode: str) -> dict:
    from IPython.core.interactiveshell import InteractiveShell

    ip = InteractiveShell.instance()
    out: dict = {}
    if mode == "baseline":
        import ipywidgets  # noqa: F401

        return out
    if mode == "replicas":
        return _replicas()
    import amlwizard.workshop._workshop as workshop_module
    from amlwizard.wizards import host_of

    if mode == "shown":  # the worker thread waits for this lock before it starts the emulator
        workshop_module._START_LOCK.acquire()
    t0 = time.perf_counter()
    ip.run_line_magic("load_ext", "amlwizard")
    out["load_ext"] = time.perf_counter() - t0
    s = ip.run_line_magic("aml_troubleshoot", "--workshop --scenario aks-503-spike")
    out["azureml_loaded_before_workspace"] = any(m.startswith("azureml") for m in sys.modules)  # if "shown"
    out["heavy_loaded"] = ",".join(m for m in ("plotly", "pandas", "numpy") if m in sys.modules)
    if mode == "shown":
        return out
    host_of(s).wait(120)
    out["azureml_loaded_after"] = "azureml.core" in sys.modules
    out["error"] = host_of(s).current.error_text
    out["findings"] = ",".join(f.id for f in s.findings)
    host_of(s).close()
    ip.run_line_magic("unload_ext", "amlwizard")  # stops the workshop emulator
    return out


def _replicas() -> dict:
    """Time control changes of the replica wizard on a 24-hour profile (sync: the figure is updated)."""
    from amlwizard import sizing
    from amlwizard.session import TroubleshootSession
    from amlwizard.wizards import open_wizards

    s = TroubleshootSession({"kind": "text"})
    wizard = open_wizards(s, "replicas", threaded=False).current
    first = time_call(lambda: setattr(wizard.profile, "value", "daily"))
    values = (60, 65, 75, 80, 70, 55, 85, 72)
    updates = [time_call(lambda v=v: setattr(wizard.target_utilization, "value", v)) for v in values]
    # the engine alone on the same workload and values: what the view adds is the difference
    inputs = sizing.SizingInputs.from_dict(wizard.values())
    workload = wizard._cached_workload(inputs)
    engine = [
        time_call(
            lambda v=v: sizing.simulate(
                workload,
                inputs.with_settings(inputs.settings().replace(autoscale_target_utilization=v)).settings(),
            )
        )
        for v in values
    ]
    return {
        "first": first.wall,
        "median": statistics.median(u.wall for u in updates),
        "median_cpu": statistics.median(u.cpu for u in updates),
        "max": max(u.wall for u in updates),
        "engine": statistics.median(e.wall for e in engine),
        "engine_cpu": statistics.median(e.cpu for e in engine),
        "runs": len(updates),
        "requests": workload.total_requests,
        "seconds": workload.seconds,
        "error": wizard.error_text,
    }


def _run(mode: str):
    sample = run_process([sys.executable, __file__, "--child", mode], cwd=HERE.parent)
    if sample.returncode != 0:
        raise SystemExit(f"{mode} run failed:\n{sample.stderr[-2000:]}")
    sample.value = json.loads(sample.stdout.strip().splitlines()[-1])
    return sample


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{MIN_RUNS} runs of each kind instead of 9")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child)), flush=True)
        os._exit(0)  # no interpreter teardown on any side (and the held workshop lock is never waited for)
    runs = MIN_RUNS if args.quick else 9
    base, shown, full = [], [], []
    for _ in range(runs):  # alternately, so all three see the same machine load
        base.append(_run("baseline"))
        shown.append(_run("shown"))
        full.append(_run("diagnosis"))
    targets = Targets()
    added = (median(shown) - median(base)) * 1000
    added_cpu = (median(shown, "cpu") - median(base, "cpu")) * 1000
    print(f"baseline, fresh shell + import ipywidgets: {wall_cpu(base, 'ms')}")
    print(
        "fresh shell + %load_ext amlwizard + %aml_troubleshoot --workshop, wizard shown (no emulator yet): "
        f"{wall_cpu(shown, 'ms')}; of which %load_ext alone "
        f"{statistics.median(s.value['load_ext'] for s in shown) * 1000:.1f} ms"
    )
    print(
        f"  added to the baseline: {added:.0f} ms wall, {added_cpu:.0f} ms CPU "
        f"(target < {ADDED_TARGET_MS:g} ms wall)"
    )
    targets.check(
        "load-ext-added", added < ADDED_TARGET_MS, f"{added:.0f} ms added", f"< {ADDED_TARGET_MS:g} ms"
    )
    last = full[-1].value
    print(
        "the same until the first diagnosis is shown (emulator start, azureml import, fetch, diagnose): "
        f"{wall_cpu(full)}; {median(full) - median(base):.2f} s more than the baseline; "
        f"findings: {last['findings'] or 'none'}" + (f"   error: {last['error']}" if last["error"] else "")
    )
    # only where the emulator was held back: otherwise the worker thread may already be importing azureml
    early = [s.value["azureml_loaded_before_workspace"] for s in shown]
    print(f"plotly/pandas/numpy loaded with the wizard shown: {shown[-1].value['heavy_loaded'] or 'none'}")
    targets.check(
        "load-ext-no-azureml-early",
        not any(early) and last["azureml_loaded_after"],
        f"azureml imported before a workspace was needed in {sum(early)} of {len(early)} runs",
        "0",
    )
    rep = _run("replicas").value
    print(
        f"replica wizard update on a 24-hour profile ({rep['requests']:,} requests in {rep['seconds']:,} s): "
        f"median {rep['median'] * 1000:.0f} ms (CPU {rep['median_cpu'] * 1000:.0f} ms), max "
        f"{rep['max'] * 1000:.0f} ms, {rep['runs']} changes; switching to the daily profile: "
        f"{rep['first'] * 1000:.0f} ms; baseline simulation alone: {rep['engine'] * 1000:.0f} ms "
        f"(CPU {rep['engine_cpu'] * 1000:.0f} ms); "
        f"the view adds {(rep['median'] - rep['engine']) * 1000:.0f} ms"
        + (f"   error: {rep['error']}" if rep["error"] else "")
    )
    targets.check(
        "replicas-update",
        rep["median"] * 1000 < UPDATE_TARGET_MS,
        f"{rep['median'] * 1000:.0f} ms",
        f"< {UPDATE_TARGET_MS:g} ms",
    )
    return targets.exit_code()


if __name__ == "__main__":
    sys.exit(main())
