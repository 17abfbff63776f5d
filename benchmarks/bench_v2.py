"""What SDK v2 (azure-ai-ml) costs beside SDK v1 (azureml-core) against the same emulator.

Run: python benchmarks/bench_v2.py [--quick]
1. Per call, in this process, against one workshop emulator serving both: amlwizard's two reads of a
   deployment, through each SDK's backend, made alternately (same machine load), timed the same way (wall,
   and this process's CPU: client and server threads alike), median of at least 5 (20 with --quick, 60
   without): the logs (v1: ``Webservice(ws, name)`` + ``get_logs``, 2 requests; v2: ``get_logs``, 1 request)
   and the details (v1: 1 request; v2: the endpoint + the deployment, 2 requests).
   Target: v2 within 2x of v1 for each.
2. Import cost, whole processes, median of 5: ``import azure.ai.ml`` beside ``import azureml.core``, and
   ``import jsonschema`` (which azure-ai-ml imports: with jupyter's ``jsonschema[format-nongpl]`` installed it
   builds the rfc3987 grammar at import, about 1.3 s here). Target: within 6x of azureml-core's, a guard
   against a release that makes it much heavier, not a goal: it is the SDK's own cost (measured 3.8x-5.0x
   here in successive runs; the reference measured 1.2-1.4 s of CPU without the grammar), and amlwizard pays
   it only once a v2 workspace is used (tests/test_public_api.py: importing amlwizard imports no SDK).
3. The workshop's start, whole processes, median of 5: ``start_workshop()`` with both clients made and one
   call each, beside the same with the v1 client alone. Target: within 5x of v1 alone, a guard as above
   (azure-ai-ml's import is most of the difference; measured 3.0x-3.9x).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # amlwizard of this checkout, not whichever one is installed

from _measure import MIN_RUNS, Targets, median, run_process, time_call, wall_cpu  # noqa: E402

os.environ.setdefault("AZUREML_DEFAULT_500_BACKOFF", "0")
CALL_RATIO, IMPORT_RATIO, START_RATIO = 2.0, 6.0, 5.0

_START = """
from amlwizard.workshop import start_workshop
w = start_workshop(["healthy-aks", "v2-healthy-managed"])
w.backend.get_logs("healthy-aks", lines=10)
{v2}
w.stop()
"""
_V2_CALL = 'w.v2_backend.get_logs("v2-healthy-managed/blue", lines=10)'


def _processes(code: str, runs: int) -> list:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AZUREML_DEFAULT_500_BACKOFF": "0"}
    samples = [run_process([sys.executable, "-c", code], env=env) for _ in range(runs)]
    failed = [s for s in samples if s.returncode != 0]
    if failed:
        raise SystemExit(f"bench_v2: `{code.strip()[:60]}` failed: {failed[0].stderr[-400:]}")
    return samples


def _calls(calls: int) -> dict[str, tuple[list, list]]:
    from amlwizard.workshop import start_workshop

    w = start_workshop(["healthy-aks", "v2-healthy-managed"])
    try:
        v1, v2 = w.backend, w.v2_backend
        pairs = {
            "logs": (
                lambda: v1.get_logs("healthy-aks", lines=50),
                lambda: v2.get_logs("v2-healthy-managed/blue", lines=50),
            ),
            "details": (
                lambda: v1.get_service("healthy-aks"),
                lambda: v2.get_service("v2-healthy-managed/blue"),
            ),
        }
        found: dict[str, tuple[list, list]] = {}
        for name, (one, two) in pairs.items():
            one(), two()  # warm: imports, discovery, the SDKs' caches
            ours, baseline = [], []
            for _ in range(calls):  # alternately, so both see the same machine load
                baseline.append(time_call(one))
                ours.append(time_call(two))
            found[name] = (ours, baseline)
        return found
    finally:
        w.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="20 calls of each instead of 60")
    calls = max(MIN_RUNS, 20 if parser.parse_args().quick else 60)
    targets = Targets()
    # whole processes first, while this process is small (a child's peak RSS starts at its parent's)
    v2_import = _processes("import azure.ai.ml", MIN_RUNS)
    v1_import = _processes("import azureml.core", MIN_RUNS)
    schema_import = _processes("import jsonschema", MIN_RUNS)
    peak = median(v2_import, "peak_mb"), median(v1_import, "peak_mb")
    ratio = median(v2_import) / median(v1_import)
    print(f"import azure.ai.ml: {wall_cpu(v2_import)}, peak {peak[0]:.0f} MB")
    print(f"import azureml.core: {wall_cpu(v1_import)}, peak {peak[1]:.0f} MB")
    print(f"  of azure.ai.ml's import, jsonschema's alone: {wall_cpu(schema_import)}")
    print(f"  ratio {ratio:.2f}x wall (target <= {IMPORT_RATIO:g}x)")
    targets.check("v2-import", ratio <= IMPORT_RATIO, f"{ratio:.2f}x azureml.core", f"<= {IMPORT_RATIO:g}x")

    both = _processes(_START.format(v2=_V2_CALL), MIN_RUNS)
    v1_alone = _processes(_START.format(v2=""), MIN_RUNS)
    ratio = median(both) / median(v1_alone)
    print(f"workshop start, both clients and a call each: {wall_cpu(both)}")
    print(f"workshop start, the v1 client alone: {wall_cpu(v1_alone)}")
    print(f"  ratio {ratio:.2f}x wall (target <= {START_RATIO:g}x)")
    targets.check("v2-workshop-start", ratio <= START_RATIO, f"{ratio:.2f}x v1 alone", f"<= {START_RATIO:g}x")

    for name, (ours, baseline) in _calls(calls).items():
        ratio = median(ours) / median(baseline)
        print(
            f"{name}: v2 (azure-ai-ml) {wall_cpu(ours, 'ms')}; v1 (azureml-core) {wall_cpu(baseline, 'ms')}"
        )
        print(f"  ratio {ratio:.2f}x wall (target <= {CALL_RATIO:g}x)")
        targets.check(f"v2-call-{name}", ratio <= CALL_RATIO, f"{ratio:.2f}x v1", f"<= {CALL_RATIO:g}x")
    return targets.exit_code()


if __name__ == "__main__":
    sys.exit(main())
