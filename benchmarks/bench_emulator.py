"""How fast the real azureml-core client talks to the emulator, and what TCP_NODELAY buys.

Run: python benchmarks/bench_emulator.py [--quick]
Baseline in the same run: the same calls against an emulator whose sockets keep Nagle's algorithm on.
Both emulators run in this process (threads), each attached as its own cloud; a call is
``Webservice(ws, "healthy-aks").get_logs(num_lines=50)`` (two HTTP requests: the service, then its logs),
made alternately on the two, timed the same way (wall, and this process's CPU: client and server
threads alike), median of at least 5 calls each (10 with --quick, 50 without). A figure is per HTTP request
(a call / 2): whole processes would only time azureml's import. Target: TCP_NODELAY <= 0.5x Nagle.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # amlwizard of this checkout, not whichever one is installed

from _measure import MIN_RUNS, Targets, median, time_call, wall_cpu  # noqa: E402

os.environ.setdefault("AZUREML_DEFAULT_500_BACKOFF", "0")
RATIO_TARGET = 0.5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10 calls of each instead of 50")
    calls = max(MIN_RUNS, 10 if parser.parse_args().quick else 50)
    from azureml.core import Webservice

    from amlwizard.emulator import Emulator
    from amlwizard.scenarios import load_scenarios
    from amlwizard.workshop._attach import Attachment

    scenarios = load_scenarios(["healthy-aks"])
    startup = [time_call(lambda: Emulator(scenarios).start().stop()) for _ in range(MIN_RUNS)]
    with Emulator(scenarios) as fast, Emulator(scenarios, nodelay=False) as slow:
        attached = [
            Attachment(e.url, e.ca.bundle_path, e.state_dir, token=e.issue_token()) for e in (fast, slow)
        ]
        for a in attached:
            a.attach()
        try:
            spaces = [a.workspace() for a in attached]
            for ws in spaces:
                Webservice(ws, "healthy-aks").get_logs(num_lines=50)  # warm: discovery, imports
            ours, baseline = [], []
            for _ in range(calls):  # alternately, so both see the same machine load
                for ws, runs in zip(spaces, (ours, baseline), strict=True):
                    runs.append(time_call(lambda ws=ws: Webservice(ws, "healthy-aks").get_logs(num_lines=50)))
        finally:
            for a in attached:
                a.detach()
    for runs in (ours, baseline):  # per HTTP request: each call is two
        for sample in runs:
            sample.wall, sample.cpu = sample.wall / 2, sample.cpu / 2
    ratio = median(ours) / median(baseline)
    print(f"emulator start + stop: {wall_cpu(startup)}")
    print(f"azureml-core request with TCP_NODELAY: {wall_cpu(ours, 'ms')}")
    print(f"baseline with Nagle's algorithm: {wall_cpu(baseline, 'ms')}")
    print(f"ratio {ratio:.2f}x wall (target <= {RATIO_TARGET:g}x)")
    targets = Targets()
    targets.check("emulator-nodelay", ratio <= RATIO_TARGET, f"{ratio:.2f}x Nagle's", f"<= {RATIO_TARGET:g}x")
    return targets.exit_code()


if __name__ == "__main__":
    sys.exit(main())
