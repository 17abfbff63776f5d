"""Benchmark: `amlwizard diagnose` on a 200 MB scoring-container log against `grep -cE` in the same run.

    python benchmarks/bench_diagnose.py          # 200 MB
    python benchmarks/bench_diagnose.py --quick  # 20 MB

The log (benchmarks/_data/, git-ignored) is healthy azmlinfsrv/gunicorn traffic with failures buried in it
(devtools/synthetic_logs.py). Both sides are whole processes, run alternately on the same file with the page
cache warm: `python -m amlwizard diagnose LOG --json` against `grep -cE -f PATTERNS LOG`, where PATTERNS are
exactly the catalogue's patterns (a test checks grep -E and Python's re pick the same lines with them; both
run under LC_ALL=C.UTF-8, so grep reads characters as Python does). Medians of wall and CPU time (user +
sys of the child). Targets: the CLI within 3x of grep's wall time, every buried failure found, the CLI's
peak RSS under 200 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # amlwizard and devtools/ of this checkout

from _measure import MIN_RUNS, Targets, median, run_process, wall_cpu  # noqa: E402

from amlwizard import catalogue  # noqa: E402
from devtools.synthetic_logs import write_log  # noqa: E402

RATIO_TARGET = 3.0
PEAK_TARGET_MB = 200


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 MB instead of 200 MB")
    parser.add_argument("--repeat", type=int, default=MIN_RUNS, help=f"runs of each side (>= {MIN_RUNS})")
    args = parser.parse_args()
    runs = max(MIN_RUNS, args.repeat)
    size_mb = 20 if args.quick else 200
    data = HERE / "_data"
    data.mkdir(exist_ok=True)
    log = data / f"diagnose-{size_mb}mb.log"
    start = time.perf_counter()
    buried = write_log(log, size_mb << 20)
    print(
        f"generated {log.relative_to(ROOT)}: {log.stat().st_size / 2**20:.0f} MB in "
        f"{time.perf_counter() - start:.1f} s, {len(buried)} failures buried"
    )
    patterns = data / "catalogue-patterns.txt"
    patterns.write_text("".join(e.pattern + "\n" for e in catalogue.ENTRIES))
    subprocess.run(["cat", str(log)], stdout=subprocess.DEVNULL, check=True)  # warm the page cache
    targets = Targets()
    if shutil.which("grep") is None:
        print("grep is not installed: no baseline")
        targets.check("diagnose-vs-grep", False, "no baseline run", f"<= {RATIO_TARGET:g}x grep")
        return targets.exit_code()

    env = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONPATH": str(ROOT)}
    ours_cmd = [sys.executable, "-m", "amlwizard", "diagnose", str(log), "--json"]
    grep_cmd = ["grep", "-cE", "-f", str(patterns), str(log)]
    own_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ours, grep = [], []
    for _ in range(runs):  # alternately, so both see the same machine load
        ours.append(run_process(ours_cmd, cwd=ROOT, env=env))
        grep.append(run_process(grep_cmd, env=env))
    for sample in ours:
        if sample.returncode != 0:
            raise SystemExit(f"amlwizard diagnose failed:\n{sample.stderr[-2000:]}")
    if grep[0].stderr.strip():
        print(f"grep complained: {grep[0].stderr.strip()}")
    result = json.loads(ours[-1].stdout)
    ids = [f["id"] for f in result["findings"]]
    ratio = median(ours) / median(grep)
    print(
        f"amlwizard diagnose {size_mb} MB ({result['lines']:,} lines, {len(catalogue.ENTRIES)} entries), "
        f"whole process: {wall_cpu(ours)}"
    )
    print(
        f"baseline grep -cE -f ({len(catalogue.ENTRIES)} catalogue patterns, {grep[-1].stdout.strip()} lines "
        f"matched), whole process: {wall_cpu(grep)}"
    )
    print(
        f"ratio wall {ratio:.2f}x, CPU {median(ours, 'cpu') / median(grep, 'cpu'):.2f}x "
        f"(target <= {RATIO_TARGET:g}x wall)"
    )
    targets.check(
        "diagnose-vs-grep",
        ratio <= RATIO_TARGET,
        f"{ratio:.2f}x grep's wall time on {size_mb} MB",
        f"<= {RATIO_TARGET:g}x",
    )
    missing = [i for i in buried if i not in ids]
    found = f"{len(buried) - len(missing)}/{len(buried)}"
    print(f"buried failures found: {found}" + (f"   MISSED: {missing}" if missing else ""))
    targets.check("diagnose-finds-buried", not missing, f"{found} found", "all")
    peak = max(s.peak_mb for s in ours)
    print(f"CLI peak RSS (ru_maxrss, worst of {runs}): {peak:.0f} MB; this benchmark's own: {own_mb:.0f} MB "
          "(a child's ru_maxrss cannot read below its parent's)")  # fmt: skip
    targets.check("diagnose-peak-memory", peak < PEAK_TARGET_MB, f"{peak:.0f} MB", f"< {PEAK_TARGET_MB} MB")
    return targets.exit_code()


if __name__ == "__main__":
    sys.exit(main())
