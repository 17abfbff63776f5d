"""Benchmark: `amlwizard diagnose` on a 200 MB scoring-container log against `grep -cE` in the same run.

    python benchmarks/bench_diagnose.py          # 200 MB logs, a 1 GB single line, a 500 MB line
    python benchmarks/bench_diagnose.py --quick  # 20 MB logs, 100 MB / 50 MB lines

The log (benchmarks/_data/, git-ignored) is healthy azmlinfsrv/gunicorn traffic with failures
buried in it. grep gets exactly the catalogue's patterns; the engine runs in a child process so its
peak memory (VmHWM) is its own. Targets: engine within 3x of grep, every buried failure found,
peak memory under 200 MB.

Then the worst cases, each against its target (exit 1 when one is missed):
- a worker restart loop (most lines hold an anchor) of the same size: engine within 3x of grep;
- one enormous line (1 GB) and a log with a 500 MB line: peak memory of what `--log` does (the session
  keeps the log's end, then the whole file is diagnosed) under 200 MB, the failure at the end found;
- the prefilter pass alone with `re` and, where the optional `hyperscan` is installed, with hyperscan
  (the engine uses `re`: this figure is what an accelerator would save).
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
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from _logs import write_log, write_restart_loop_log  # noqa: E402

from amlwizard import catalogue  # noqa: E402

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
    missed = _restart_loop_case(data, size_mb, patterns, max(1, args.repeat), have_grep)
    missed += _huge_line_cases(data, args.quick)
    _prefilter_pass(log, data / f"restart-loop-{size_mb}mb.log")
    return 1 if missed else 0


def _restart_loop_case(data: Path, size_mb: int, patterns: Path, repeat: int, have_grep: bool) -> int:
    """The engine's worst case: a worker restart loop, most lines candidates. Returns targets missed."""
    log = data / f"restart-loop-{size_mb}mb.log"
    buried = write_restart_loop_log(log, size_mb << 20)
    engine_runs, grep_runs = [], []
    for _ in range(repeat):
        engine_runs.append(_engine(log))
        if have_grep:
            grep_runs.append(_grep(log, patterns))
    best = min(engine_runs, key=lambda r: r["seconds"])
    missing = [i for i in buried if i not in best["ids"]]
    line = f"restart loop {size_mb} MB ({best['lines']:,} lines): {best['seconds']:.2f} s"
    ratio = 0.0
    if have_grep:
        grep_s, grep_lines = min(grep_runs)
        ratio = best["seconds"] / grep_s
        line += f"   baseline grep -cE -f ({grep_lines:,} lines): {grep_s:.2f} s   ratio {ratio:.2f}x"
    print(line + " (target <= 3x)")
    found = f"  buried failures found: {len(buried) - len(missing)}/{len(buried)}"
    print(found + (f"   MISSED: {missing}" if missing else "   (all)"))
    return int(ratio > 3) + int(bool(missing))


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
                cwd=HERE.parent,
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
