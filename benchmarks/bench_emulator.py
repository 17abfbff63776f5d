"""How fast the real azureml-core client talks to the emulator, and what TCP_NODELAY buys.

Run: python benchmarks/bench_emulator.py [--quick]
Baseline in the same run: the same calls against an emulator whose sockets keep Nagle's algorithm on.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("AZUREML_DEFAULT_500_BACKOFF", "0")


def _per_call(emu, calls: int) -> float:
    from amlwizard.workshop._attach import Attachment

    attachment = Attachment(emu.url, emu.ca.bundle_path, emu.state_dir, token=emu.issue_token())
    attachment.attach()
    try:
        from azureml.core import Webservice

        ws = attachment.workspace()
        Webservice(ws, "healthy-aks")  # warm: discovery, imports
        times = []
        for _ in range(calls):
            started = time.perf_counter()
            Webservice(ws, "healthy-aks").get_logs(num_lines=50)
            times.append(time.perf_counter() - started)
        return statistics.median(times) / 2  # two HTTP calls each: the service, then its logs
    finally:
        attachment.detach()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer calls")
    calls = 10 if parser.parse_args().quick else 50
    from amlwizard.emulator import Emulator
    from amlwizard.scenarios import load_scenarios

    scenarios = load_scenarios(["healthy-aks"])
    with Emulator(scenarios) as fast, Emulator(scenarios, nodelay=False) as slow:
        started = time.perf_counter()
        Emulator(scenarios).start().stop()
        startup = time.perf_counter() - started
        ours, baseline = _per_call(fast, calls), _per_call(slow, calls)
    print(f"emulator start + stop: {startup:.2f} s")
    print(
        f"azureml-core call with TCP_NODELAY: {ours * 1000:.1f} ms   "
        f"baseline with Nagle: {baseline * 1000:.1f} ms   ratio {ours / baseline:.2f}x (target <= 0.5x)"
    )


if __name__ == "__main__":
    main()
