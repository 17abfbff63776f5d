"""Run every benchmark in this folder, one after the other, and say at the end which targets were missed.

Usage: ``python benchmarks/run.py [--quick] [NAME ...]`` (NAME is e.g. ``diagnose`` for bench_diagnose.py).
Each benchmark compares against its own baseline in the same run, prints the figures, ends each target
with a line ``TARGET <name>: met|MISSED (<figure> vs <target>)`` and exits non-zero when one was missed.
This collects those lines and exits non-zero when any target was missed or any benchmark failed.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
VERDICT = re.compile(r"^TARGET (\S+): (met|MISSED) \((.*)\)$")


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    names = [a for a in argv if not a.startswith("-")]
    scripts = sorted(HERE.glob("bench_*.py"))
    if names:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in names]
    verdicts: list[tuple[str, str, str, str]] = []  # bench, target, met|MISSED, detail
    failed: list[str] = []
    for script in scripts:
        print(f"=== {script.stem}", flush=True)
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, str(script), *(["--quick"] if quick else [])],
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        seen = 0
        assert proc.stdout is not None
        for line in proc.stdout:  # shown as it comes, and read for verdicts
            print(line, end="", flush=True)
            if m := VERDICT.match(line.rstrip("\n")):
                verdicts.append((script.stem, *m.groups()))
                seen += 1
        code = proc.wait()
        print(f"--- {script.stem}: exit {code}, {time.perf_counter() - started:.1f} s wall\n", flush=True)
        missed_here = any(v[0] == script.stem and v[2] == "MISSED" for v in verdicts)
        if seen == 0 or (code != 0 and not missed_here):
            failed.append(f"{script.stem} (exit {code}, {seen} targets reported)")
    missed = [v for v in verdicts if v[2] == "MISSED"]
    print(f"=== targets: {len(verdicts) - len(missed)} met, {len(missed)} missed")
    for bench, name, _, detail in missed:
        print(f"MISSED {name} ({bench}): {detail}")
    for what in failed:
        print(f"FAILED {what}: no verdict for its targets")
    return 1 if missed or failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
