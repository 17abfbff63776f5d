"""Benchmark: `amlwizard diagnose` on a 200 MB scoring-container log against `grep -cE` in the same run.

    python benchmarks/bench_diagnose.py          # 200 MB logs, a 1 GB single line, a 500 MB line
    python benchmarks/bench_diagnose.py --quick  # 20 MB logs, 100 MB / 50 MB lines

The log (benchmarks/_data/, git-ignored) is healthy azmlinfsrv/gunicorn traffic with failures buried in it
(devtools/synthetic_logs.py). Both sides are whole processes, run alternately on the same file with the page
cache warm: `python -m amlwizard diagnose LOG --json` against `grep -cE -f PATTERNS LOG`, where PATTERNS are
exactly the catalogue's patterns (a test checks grep -E and Python's re pick the same lines with them; both
run under LC_ALL=C.UTF-8, so grep reads characters as Python does). Medians of wall and CPU time (user +
sys of the child). Targets: the CLI within 3x of grep's wall time, every buried failure found, the CLI's
peak RSS under 200 MB.

Then the worst cases, each against its target (exit 1 when one is missed):
- a worker restart loop (most lines hold an anchor) of the same size: the CLI within 3x of grep, measured
  the same way (whole processes, medians);
- one enormous line (1 GB) and a log with a 500 MB line: peak memory of what `--log` does (the session
  keeps the log's end, then the whole file is diagnosed) under 200 MB, the failure at the end found;
- the prefilter pass alone with `re` and, where the optional `hyperscan` is installed, with hyperscan
  (the engine uses `re`: this figure is what an accelerator would save).
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
from devtools.synthetic_logs import write_log, write_restart_loop_log  # noqa: E402

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
    _restart_loop_case(data, size_mb, patterns, runs, env, targets)
    missed = _huge_line_cases(data, args.quick)
    targets.check("diagnose-huge-lines", missed == 0, f"{missed} case(s) over 200 MB or missing", "0")
    _prefilter_pass(log, data / f"restart-loop-{size_mb}mb.log")
    return targets.exit_code()


# What `%aml_troubleshoot --log FILE` does with a file: the session keeps its end, triage diagnoses it all.
_LOG_CHILD = """
import json, resource, sys, time
from pathlib import Path
from amlwizard.diagnosis import diagnose
from amlwizard.session import TroubleshootSession
start = time.perf_counter()
kept = TroubleshootSession().set_logs_from_file("file", sys.argv[1])
ids = [f.id for f in diagnose(Path(sys.argv[1])).findings]
seconds = time.perf_counter() - start
try:
    peak_kb = int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1])
except OSError:
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kept_bytes = len(kept.encode())
print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024, "kept_bytes": kept_bytes, "ids": ids}))
"""


def _restart_loop_case(
    data: Path, size_mb: int, patterns: Path, runs: int, env: dict, targets: Targets
) -> None:
    """The engine's worst case: a worker restart loop, most lines candidates; both sides whole processes."""
    log = data / f"restart-loop-{size_mb}mb.log"
    buried = write_restart_loop_log(log, size_mb << 20)
    ours_cmd = [sys.executable, "-m", "amlwizard", "diagnose", str(log), "--json"]
    grep_cmd = ["grep", "-cE", "-f", str(patterns), str(log)]
    ours, grep = [], []
    for _ in range(runs):
        ours.append(run_process(ours_cmd, cwd=ROOT, env=env))
        grep.append(run_process(grep_cmd, env=env))
    ids = [f["id"] for f in json.loads(ours[-1].stdout)["findings"]]
    ratio = median(ours) / median(grep)
    matched = grep[-1].stdout.strip()
    print(f"restart loop {size_mb} MB, whole process: {wall_cpu(ours)}   baseline grep -cE -f "
          f"({matched} lines matched): {wall_cpu(grep)}   ratio wall {ratio:.2f}x")  # fmt: skip
    targets.check(
        "diagnose-restart-loop-vs-grep", ratio <= RATIO_TARGET, f"{ratio:.2f}x", f"<= {RATIO_TARGET:g}x"
    )
    missing = [i for i in buried if i not in ids]
    found = f"{len(buried) - len(missing)}/{len(buried)}"
    targets.check("diagnose-restart-loop-finds-buried", not missing, f"{found} found", "all")


def _huge_line_cases(data: Path, quick: bool) -> int:
    """Peak memory of `--log` on one enormous line and on a log holding a 500 MB line."""
    missed = 0
    tail = b" [CRITICAL] WORKER TIMEOUT (pid:42)\n"
    one_line, long_line = (100, 50) if quick else (1024, 500)
    healthy = b"2026-11-25 09:00:00,001 I [8] azmlinfsrv - POST /score 200 3.114ms 86\n" * 1000
    cases = [
        (data / f"one-line-{one_line}mb.log", b"", one_line),
        (data / f"line-{long_line}mb.log", healthy, long_line),
    ]
    for path, before, mb in cases:
        with open(path, "wb") as out:
            out.write(before)
            block = b"x" * (8 << 20)
            for _ in range(mb // 8):
                out.write(block)
            out.write(tail)
        run = json.loads(
            subprocess.run(
                [sys.executable, "-c", _LOG_CHILD, str(path)],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            ).stdout
        )
        found = "gunicorn-worker-timeout" in run["ids"]
        print(
            f"--log on {path.name} ({path.stat().st_size / 2**20:.0f} MB, a {mb} MB line): "
            f"{run['seconds']:.1f} s, peak memory {run['peak_mb']:.0f} MB (target < 200 MB), session keeps "
            f"{run['kept_bytes'] / 2**20:.1f} MB, failure at its end {'found' if found else 'MISSED'}"
        )
        missed += int(run["peak_mb"] >= 200) + int(not found)
        path.unlink()  # a gigabyte of x is not worth keeping
    return missed


def _prefilter_pass(*logs: Path) -> None:
    """The one fast pass alone, with re (used) and hyperscan (optional, measured only if installed)."""
    from amlwizard._scanning.prefilter import build_prefilter

    anchors = sorted({a for e in catalogue.ENTRIES for a in e.anchors})
    try:
        import hyperscan
    except ImportError:
        hyperscan = None
    for log in logs:
        text = log.read_bytes()
        regex, _ = build_prefilter(anchors, text[: 1 << 20])
        start = time.process_time()
        hits = sum(1 for _ in regex.finditer(text))
        re_s = time.process_time() - start
        line = f"prefilter pass on {log.name}: re {re_s:.2f} s ({hits:,} hits)"
        if hyperscan is not None:
            db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            db.compile(expressions=[a.encode() for a in anchors], ids=list(range(len(anchors))), literal=True)
            matches: list[int] = []
            start = time.process_time()
            db.scan(text, match_event_handler=lambda *_, out=matches: out.append(1))
            line += f"   hyperscan {time.process_time() - start:.2f} s ({len(matches):,} hits)"
        else:
            line += "   hyperscan: not installed"
        print(line)


if __name__ == "__main__":
    sys.exit(main())
