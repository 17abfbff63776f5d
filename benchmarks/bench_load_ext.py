"""How much `%load_ext amlwizard` + the first `%aml_troubleshoot --workshop` add to a fresh kernel.

Each figure comes from a fresh Python process with an IPython shell (as a new kernel): the baseline
imports ipywidgets alone; the measured one loads the extension and runs the magic up to the wizard
shown (ipywidgets included). The emulator start and the first service list are timed apart, and
the replica wizard's update on a 24-hour traffic profile is timed too.

    python benchmarks/bench_load_ext.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

from amlwizard.wizards import host_of, open_wizards


def _child(mode: str) -> dict[str, float | bool]:
    from IPython.core.interactiveshell import InteractiveShell

    ip = InteractiveShell.instance()
    out: dict[str, float | bool] = {}
    if mode == "baseline":
        t0 = time.perf_counter()
        import ipywidgets  # noqa: F401

        out["seconds"] = time.perf_counter() - t0
        return out
    if mode == "replicas":
        return _replicas(ip)
    import amlwizard.session as session_module

    # Hold the workshop lock so the wizard's worker thread waits before starting the emulator:
    # the first figure is then the magic and the wizard alone, the emulator start the second.
    session_module._WORKSHOP_LOCK.acquire()
    t0 = time.perf_counter()
    ip.run_line_magic("load_ext", "amlwizard")
    t1 = time.perf_counter()
    s = ip.run_line_magic("aml_troubleshoot", "--workshop --scenario aks-503-spike")
    t2 = time.perf_counter()
    out["load_ext"] = t1 - t0
    out["seconds"] = t2 - t0
    out["azureml_loaded_before_workspace"] = any(m.startswith("azureml") for m in sys.modules)
    out["heavy_loaded"] = ",".join(m for m in ("plotly", "pandas", "numpy") if m in sys.modules)
    t3 = time.perf_counter()
    session_module._WORKSHOP_LOCK.release()
    host_of(s).wait(120)
    out["workshop_first_diagnosis"] = time.perf_counter() - t3
    out["azureml_loaded_after"] = "azureml.core" in sys.modules
    out["error"] = host_of(s).current.error_text
    out["findings"] = ",".join(f.id for f in s.findings)
    host_of(s).close()
    ip.run_line_magic("unload_ext", "amlwizard")
    return out


def _replicas(ip) -> dict[str, float | bool]:
    """Time a control change of the replica wizard on a 24-hour profile (sync: the figure is updated)."""
    from amlwizard.session import TroubleshootSession

    s = TroubleshootSession({"kind": "text"})
    host = open_wizards(s, "replicas", threaded=False)
    wizard = host.current
    t0 = time.perf_counter()
    wizard.profile.value = "daily"
    first = time.perf_counter() - t0
    times = []
    for value in (60, 65, 75, 80, 70, 55, 85, 72):
        t = time.perf_counter()
        wizard.target_utilization.value = value
        times.append(time.perf_counter() - t)
    # the engine alone on the same workload and values: what the view adds is the difference
    from amlwizard import sizing
    from amlwizard.wizards.replicas import _settings

    state = wizard.values()
    workload = wizard._cached_workload({**state, "spike_start": None, "spike_seconds": None})
    engine = []
    for value in (60, 65, 75, 80, 70, 55, 85, 72):
        t = time.perf_counter()
        sizing.simulate(workload, _settings({**state, "target_utilization": value}))
        engine.append(time.perf_counter() - t)
    return {
        "first": first,
        "median": statistics.median(times),
        "max": max(times),
        "engine": statistics.median(engine),
        "error": wizard.error_text,
    }


def _run(mode: str) -> dict[str, float | bool]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", mode], capture_output=True, text=True, timeout=300
    )
    if proc.returncode != 0:
        raise SystemExit(f"{mode} run failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one run of each instead of three")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child)))
        return
    runs = 1 if args.quick else 3
    base = [_run("baseline")["seconds"] for _ in range(runs)]
    ext = [_run("extension") for _ in range(runs)]
    b = statistics.median(base)
    e = statistics.median(r["seconds"] for r in ext)
    added = e - b
    print(
        "%load_ext amlwizard + first %aml_troubleshoot --workshop (wizard shown, emulator excluded): "
        f"{e * 1000:.0f} ms"
        f"   baseline import ipywidgets: {b * 1000:.0f} ms   ratio {e / b:.2f}x"
    )
    print(
        f"extension's added time: {added * 1000:.0f} ms   (target < 100 ms)   "
        f"of which %load_ext alone: {statistics.median(r['load_ext'] for r in ext) * 1000:.1f} ms"
    )
    last = ext[-1]
    print(
        f"azureml in sys.modules before a workspace is needed: {last['azureml_loaded_before_workspace']}   "
        f"(target False); plotly/pandas/numpy loaded: {last['heavy_loaded'] or 'none'}"
    )
    print(
        f"workshop emulator start + first service diagnosis (worker thread): "
        f"{statistics.median(r['workshop_first_diagnosis'] for r in ext):.2f} s   "
        f"azureml loaded then: {last['azureml_loaded_after']}   findings: {last['findings'] or 'none'}"
        + (f"   error: {last['error']}" if last["error"] else "")
    )
    rep = _run("replicas")
    print(
        f"replica wizard update on a 24-hour profile: median {rep['median'] * 1000:.0f} ms, max "
        f"{rep['max'] * 1000:.0f} ms (target < 150 ms); "
        f"switching to the daily profile: {rep['first'] * 1000:.0f} ms; "
        f"baseline simulation alone: {rep['engine'] * 1000:.0f} ms (view adds "
        f"{(rep['median'] - rep['engine']) * 1000:.0f} ms)"
        + (f"   error: {rep['error']}" if rep["error"] else "")
    )


if __name__ == "__main__":
    main()
