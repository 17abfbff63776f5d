"""Linter accuracy on 40 real public scoring scripts, and its time per script beside pyflakes'.

    python benchmarks/bench_lint.py            # every script, 5 timed rounds
    python benchmarks/bench_lint.py --quick    # timing on every 4th script (accuracy always on all 40)

Ground truth: tests/data/scoring-scripts/manifest.jsonl (`expected`: what a reviewer found by reading each
script). Each script is linted by a whole process, as a user runs it: `amlwizard lint --json score.py
[--env FILE]` (one process per script). Only error and warning findings count; info notes do not.

Matching: a finding matches an expected entry when the ids are equal and the lines are at most
LINE_TOLERANCE apart (the README allows an `except` line a few lines above the `return`); each expected
entry is matched at most once, by the nearest finding. A finding that matches nothing is a false alarm,
an expected entry that nothing matches is a miss. Severity is not part of the match (it is printed).

Timing baseline, run in the same run and the same way: `python -m pyflakes score.py`, one process per
script, interleaved with the linter's. Medians of 5 rounds per script.
Targets: precision >= 0.9 and recall >= 0.75 (exit 1 when missed); time is reported, not a target.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from _measure import Targets  # benchmarks/ is on the path: this script runs as a file

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "scoring-scripts"
LINE_TOLERANCE = 3
PRECISION_TARGET, RECALL_TARGET = 0.9, 0.75
ROUNDS = 5


def _manifest() -> list[dict]:
    return [json.loads(line) for line in (DATA / "manifest.jsonl").read_text().splitlines() if line.strip()]


def _lint_command(entry: dict) -> list[str]:
    folder = DATA / entry["dir"]
    cmd = [sys.executable, "-m", "amlwizard", "lint", "--json", str(folder / "score.py")]
    return cmd + (["--env", str(folder / entry["env"])] if entry["env"] else [])


def _baseline_command(entry: dict) -> list[str]:
    return [sys.executable, "-m", "pyflakes", str(DATA / entry["dir"] / "score.py")]


def _timed(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    return time.perf_counter() - start, out


def _findings(out: subprocess.CompletedProcess[str], entry: dict) -> list[dict]:
    try:
        report = json.loads(out.stdout)
    except json.JSONDecodeError:
        print(f"{entry['dir']}: lint did not print JSON (exit {out.returncode}): {out.stderr.strip()[-300:]}")
        return []
    return [i for i in report["issues"] if i["severity"] in ("error", "warning")]


def match(found: list[dict], expected: list[dict]) -> tuple[list, list[dict], list[dict]]:
    """(matched (expected, finding) pairs, false alarms, misses): equal id, lines within LINE_TOLERANCE."""
    pairs, unmatched = [], list(found)
    for exp in expected:
        near = [
            f
            for f in unmatched
            if f["id"] == exp["id"]
            and (exp["line"] is None or abs(f["line"] - exp["line"]) <= LINE_TOLERANCE)
        ]
        if near:
            best = min(near, key=lambda f: abs(f["line"] - (exp["line"] or f["line"])))
            unmatched.remove(best)
            pairs.append((exp, best))
    misses = [e for e in expected if not any(e is p[0] for p in pairs)]
    return pairs, unmatched, misses


def _ratio(hits: int, total: int) -> str:
    return f"{hits / total:.2f}" if total else "  - "


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="time every 4th script only")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every match, false alarm and miss")
    args = parser.parse_args()
    entries = _manifest()

    tp, fp, fn = Counter(), Counter(), Counter()
    severity_differs = []
    for entry in entries:
        _, out = _timed(_lint_command(entry))
        pairs, alarms, misses = match(_findings(out, entry), entry["expected"])
        for exp, got in pairs:
            tp[exp["id"]] += 1
            if exp["severity"] != got["severity"]:
                severity_differs.append(f"{entry['dir']}:{got['line']} {got['id']} is {got['severity']}")
            if args.verbose:
                print(f"  ok    {entry['dir']}:{got['line']} {got['id']}")
        for f in alarms:
            fp[f["id"]] += 1
            print(
                f"  false alarm  {entry['dir']}:{f['line']} {f['severity']} [{f['id']}] {f['message'][:90]}"
            )
        for e in misses:
            fn[e["id"]] += 1
            print(f"  missed       {entry['dir']}:{e['line']} {e['severity']} [{e['id']}]")

    print(
        f"\nmatch: same id, line within +-{LINE_TOLERANCE}; errors and warnings only; {len(entries)} scripts"
    )
    print(f"{'id':34} {'found':>5} {'expect':>6} {'TP':>4} {'FP':>4} {'FN':>4} {'prec':>5} {'recall':>6}")
    for name in sorted(set(tp) | set(fp) | set(fn)):
        t, f, n = tp[name], fp[name], fn[name]
        print(f"{name:34} {t + f:5} {t + n:6} {t:4} {f:4} {n:4} {_ratio(t, t + f):>5} {_ratio(t, t + n):>6}")
    all_tp, all_fp, all_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    precision = all_tp / (all_tp + all_fp) if all_tp + all_fp else 0.0
    recall = all_tp / (all_tp + all_fn) if all_tp + all_fn else 0.0
    print(
        f"{'OVERALL':34} {all_tp + all_fp:5} {all_tp + all_fn:6} {all_tp:4} {all_fp:4} {all_fn:4} "
        f"{precision:5.2f} {recall:6.2f}   (targets: precision >= {PRECISION_TARGET}, "
        f"recall >= {RECALL_TARGET})"
    )
    if severity_differs:
        print("severity differs from the expected one:", "; ".join(severity_differs))

    timed = entries[::4] if args.quick else entries
    lint_s: dict[str, list[float]] = {e["dir"]: [] for e in timed}
    base_s: dict[str, list[float]] = {e["dir"]: [] for e in timed}
    for _ in range(ROUNDS):  # interleaved, so both sides see the same machine load
        for entry in timed:
            lint_s[entry["dir"]].append(_timed(_lint_command(entry))[0])
            base_s[entry["dir"]].append(_timed(_baseline_command(entry))[0])
    lint_med = statistics.median(statistics.median(v) for v in lint_s.values())
    base_med = statistics.median(statistics.median(v) for v in base_s.values())
    print(
        f"\ntime per script (whole process, median over {len(timed)} scripts of medians of {ROUNDS}): "
        f"amlwizard lint {lint_med * 1000:.0f} ms   baseline python -m pyflakes {base_med * 1000:.0f} ms   "
        f"ratio {lint_med / base_med:.2f}x"
    )
    targets = Targets()
    met = precision >= PRECISION_TARGET
    targets.check("lint-precision", met, f"{precision:.2f}", f">= {PRECISION_TARGET}")
    targets.check("lint-recall", recall >= RECALL_TARGET, f"{recall:.2f}", f">= {RECALL_TARGET}")
    return targets.exit_code()


if __name__ == "__main__":
    sys.exit(main())
