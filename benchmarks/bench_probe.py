"""Does the load probe keep its rate, and what does it cost a request? Against the emulator, whole processes.

Run: python benchmarks/bench_probe.py [--quick]
The emulator runs in a process of its own (``amlwizard emulator``); each measurement is a whole process:
``amlwizard probe healthy-aks --rps 50 --seconds 30 --json`` (open loop, async, keep-alive) and, as the
baseline in the same run, a closed-loop sequential client (httpx, keep-alive: one request, wait for the
answer, the next) on the same URI for the same time. Medians of 5 runs each. Target: the probe's achieved
rate within 5 % of 50 rps; its own CPU per request is printed beside the baseline's. Exit 1 when missed.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from _measure import MIN_RUNS, Targets, run_process, wall_cpu  # noqa: E402

RPS, TOLERANCE = 50.0, 0.05

# The baseline: send, wait for the answer, send again, for SECONDS; print requests, CPU seconds, statuses.
_CLOSED_LOOP = r"""
import json, sys, time, httpx
from amlwizard.calls import endpoint_of
from amlwizard.calls._http import trusted_context
from amlwizard.backends.azure import AzureBackend
from amlwizard.workshop import connect

config, seconds = sys.argv[1], float(sys.argv[2])
endpoint = endpoint_of(AzureBackend(connect(config)), "healthy-aks")
body = open(sys.argv[3], "rb").read()
headers = endpoint.headers()
with httpx.Client(verify=trusted_context(), trust_env=False, headers=headers, timeout=60) as client:
    client.post(endpoint.uri, content=body)  # warm, as the probe's warm-up
    sent, statuses, cpu, started = 0, {}, time.thread_time(), time.monotonic()
    while time.monotonic() - started < seconds:
        status = client.post(endpoint.uri, content=body).status_code
        statuses[status] = statuses.get(status, 0) + 1
        sent += 1
    print(json.dumps({"sent": sent, "elapsed_s": time.monotonic() - started,
                      "cpu_seconds": time.thread_time() - cpu, "by_status": statuses}))
"""


def _env(home: Path) -> dict[str, str]:
    # the repository's package first, the machine's basics; a home of our own (the SDK's caches)
    return {**os.environ, "HOME": str(home), "PYTHONPATH": str(ROOT), "AMLWIZARD_EMULATOR_SPEED": "1"}


def _start_emulator(home: Path) -> tuple[subprocess.Popen[str], Path]:
    config = home / "config.json"
    command = [sys.executable, "-m", "amlwizard", "emulator", "--scenario", "healthy-aks"]
    proc = subprocess.Popen(
        [*command, "--config-out", str(config)],
        cwd=home, env=_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline() if proc.stdout else ""
        if not line:
            break
        if line.startswith("Serving until Ctrl-C"):
            return proc, config
    proc.kill()
    raise SystemExit(f"the emulator did not start: {proc.stderr.read() if proc.stderr else ''}")


def _run(args: list[str], home: Path) -> tuple[dict, object]:
    """A whole process (its wall and CPU time), and the JSON it printed."""
    done = run_process(args, cwd=home, env=_env(home))
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args[:5])} failed ({done.returncode}): {done.stderr[-2000:]}")
    return json.loads(done.stdout), done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="5 runs of 6 s instead of 30 s")
    seconds = 6 if parser.parse_args().quick else 30
    with tempfile.TemporaryDirectory(prefix="amlwizard-bench-probe-") as tmp:
        home = Path(tmp)
        request = home / "request.json"
        sample = ROOT / "amlwizard" / "scenarios" / "healthy-aks" / "app" / "sample-request.json"
        request.write_bytes(sample.read_bytes())
        emulator, config = _start_emulator(home)
        try:
            load = os.getloadavg()[0]
            probes, closed, probe_runs, closed_runs = [], [], [], []
            for run in range(MIN_RUNS):  # alternately, so both see the same machine load
                probe_cmd = [sys.executable, "-m", "amlwizard", "probe", "healthy-aks", "--workspace",
                             str(config), "--rps", f"{RPS:g}", "--seconds", str(seconds), "--seed", str(run),
                             "--request", str(request), "--json"]  # fmt: skip
                for out, runs, cmd in [
                    (probes, probe_runs, probe_cmd),
                    (closed, closed_runs, [sys.executable, "-c", _CLOSED_LOOP, str(config), str(seconds),
                                           str(request)]),
                ]:  # fmt: skip
                    result, sample = _run(cmd, home)
                    out.append(result)
                    runs.append(sample)
        finally:
            emulator.send_signal(signal.SIGINT)
            emulator.communicate(timeout=60)
    achieved = statistics.median(p["achieved_rps"] for p in probes)
    planned = statistics.median(p["planned"] / p["seconds"] for p in probes)
    lag = statistics.median(p["send_lag_ms"]["p99"] for p in probes)
    cpu_probe = statistics.median(p["cpu_seconds"] / p["sent"] * 1000 for p in probes)
    cpu_closed = statistics.median(c["cpu_seconds"] / c["sent"] * 1000 for c in closed)
    closed_rps = statistics.median(c["sent"] / c["elapsed_s"] for c in closed)
    statuses = {k: sum(p["by_status"].get(k, 0) for p in probes) for p in probes for k in p["by_status"]}
    p99 = statistics.median(p["latency_ms"]["p99"] for p in probes)
    print(f"load average before: {load:.1f} on {os.cpu_count()} CPUs; {MIN_RUNS} runs of {seconds} s each")
    print(
        f"probe (open loop, async, keep-alive): achieved {achieved:.2f} rps for target {RPS:g} "
        f"(its Poisson schedule: {planned:.2f} rps); sends left p99 {lag:.1f} ms late; "
        f"answers p99 {p99:.0f} ms; statuses {statuses}"
    )
    print(
        f"probe CPU per request: {cpu_probe:.3f} ms   baseline closed-loop sequential client: "
        f"{cpu_closed:.3f} ms per request ({closed_rps:.0f} rps, one at a time)   "
        f"ratio {cpu_probe / cpu_closed:.2f}x"
    )
    off = abs(achieved / RPS - 1)
    print(f"whole processes: probe {wall_cpu(probe_runs)}; closed-loop client {wall_cpu(closed_runs)}")
    targets = Targets()
    targets.check(
        "probe-rate",
        off <= TOLERANCE,
        f"{achieved:.2f} rps, {off:.1%} off",
        f"<= {TOLERANCE:.0%} off {RPS:g}",
    )
    return targets.exit_code()


if __name__ == "__main__":
    sys.exit(main())
