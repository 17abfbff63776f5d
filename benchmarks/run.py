"""Run every benchmark in this folder, one after the other, and print what each measured.

Usage: ``python benchmarks/run.py [--quick] [NAME ...]`` (NAME is e.g. ``diagnose`` for bench_diagnose.py).
Each benchmark compares against its own baseline in the same run and prints the ratio.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    names = [a for a in argv if not a.startswith("-")]
    scripts = sorted(HERE.glob("bench_*.py"))
    if names:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in names]
    failed = 0
    for script in scripts:
        print(f"=== {script.stem}", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, str(script), *(["--quick"] if quick else [])])
        print(f"--- {script.stem}: exit {code}, {time.perf_counter() - started:.1f} s wall\n", flush=True)
        failed += code != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
