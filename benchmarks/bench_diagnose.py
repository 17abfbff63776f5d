"""Benchmark: `amlwizard diagnose` on a 200 MB scoring-container log against `grep -cE` in the same run.

    python benchmarks/bench_diagnose.py          # 200 MB
    python benchmarks/bench_diagnose.py --quick  # 20 MB

The log (benchmarks/_data/, git-ignored) is healthy azmlinfsrv/gunicorn traffic with failures
buried in it. grep gets exactly the catalogue's patterns; the engine runs in a child process so its
peak memory (VmHWM) is its own. Targets: engine within 3x of grep, every buried failure found,
peak memory under 200 MB.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # amlwizard and devtools/ of this checkout

from amlwizard import catalogue  # noqa: E402
from devtools.synthetic_logs import write_log  # noqa: E402

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from amlwizard.diagnosis import diagnose
start = time.perf_counter()
result = diagnose(Path(sys.argv[1]))
seconds = time.perf_counter() - start
try:  # VmHWM is this process's own peak; ru_maxrss can carry the forking parent's size over exec
    peak_kb = int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1])
except OSError:
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024, "lines": result.lines,
                  "ids": [f.id for f in result.findings]}))
"""


def _engine(path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, check=True, cwd=HERE.parent
    )
    return json.loads(out.stdout)


def _grep(path: Path, patterns: Path) -> tuple[float, int]:
    start = time.perf_counter()
    out = subprocess.run(["grep", "-cE", "-f", str(patterns), str(path)], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if out.stderr.strip():
        print(f"grep complained: {out.stderr.strip()}")
    return seconds, int(out.stdout.strip() or 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 MB instead of 200 MB")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each side; the best counts")
    args = parser.parse_args()
    size_mb = 20 if args.quick else 200
    data = HERE / "_data"
    data.mkdir(exist_ok=True)
    log = data / f"diagnose-{size_mb}mb.log"
    start = time.perf_counter()
    buried = write_log(log, size_mb << 20)
    print(
        f"generated {log.relative_to(HERE.parent)}: {log.stat().st_size / 2**20:.0f} MB in "
        f"{time.perf_counter() - start:.1f} s, {len(buried)} failures buried"
    )
    patterns = data / "catalogue-patterns.txt"
    patterns.write_text("".join(e.pattern + "\n" for e in catalogue.ENTRIES))
    log.read_bytes() if size_mb <= 20 else subprocess.run(["cat", str(log)], stdout=subprocess.DEVNULL)

    have_grep = shutil.which("grep") is not None
    engine_runs, grep_runs = [], []
    for _ in range(max(1, args.repeat)):  # interleaved, so both see the same machine load
        engine_runs.append(_engine(log))
        if have_grep:
            grep_runs.append(_grep(log, patterns))
    best = min(engine_runs, key=lambda r: r["seconds"])
    found = [i for i in buried if i in best["ids"]]
    print(
        f"diagnose {size_mb} MB ({best['lines']:,} lines, {len(catalogue.ENTRIES)} entries): "
        f"{best['seconds']:.2f} s",
        end="",
    )
    if have_grep:
        grep_s, grep_lines = min(grep_runs)
        ratio = best["seconds"] / grep_s
        print(
            f"   baseline grep -cE -f ({len(catalogue.ENTRIES)} catalogue patterns, {grep_lines} lines): "
            f"{grep_s:.2f} s   ratio {ratio:.2f}x (target <= 3x)"
        )
    else:
        print("   baseline grep: not installed, no ratio")
    missing = [i for i in buried if i not in best["ids"]]
    print(
        f"buried failures found: {len(found)}/{len(buried)}"
        + (f"   MISSED: {missing}" if missing else "   (all)")
    )
    print(f"engine peak memory (child VmHWM): {best['peak_mb']:.0f} MB (target < 200 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
