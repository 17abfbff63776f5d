"""How every benchmark measures, the same way on both sides of a comparison, and how it reports a target.

A side is timed as a whole process where it can be (``run_process``: wall time from spawn to exit, CPU time
user + sys of the child and what it waited for, from ``os.wait4``), or else as a call in this process
(``time_call``: wall and CPU of this process). Figures are medians of at least ``MIN_RUNS`` runs.
Every target ends in one line ``TARGET <name>: met|MISSED (<figure> vs <target>)``, which
``benchmarks/run.py`` collects; ``Targets.exit_code()`` is 1 when any was missed.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

MIN_RUNS = 5


@dataclass
class Sample:
    wall: float  # seconds
    cpu: float  # seconds, user + sys
    peak_mb: float = 0.0  # the child's ru_maxrss (0 for an in-process call)
    returncode: int = 0
    stdout: str = ""
    stderr: str = ""
    value: Any = None  # what an in-process call returned


def run_process(
    cmd: Sequence[str], *, cwd: os.PathLike | str | None = None, env: dict | None = None
) -> Sample:
    """Run ``cmd`` to its end; its wall time, its CPU time and peak RSS (``os.wait4`` of this very child).

    ru_maxrss on Linux is at least the spawning process's own RSS (the child starts as its copy), so a
    benchmark that reports it keeps itself small."""
    # Modules are imported compiled, as in a user's kernel (pip compiles them at install): a shell that sets
    # PYTHONDONTWRITEBYTECODE would time Python's compiler on every run instead.
    env = {k: v for k, v in (os.environ if env is None else env).items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        out.seek(0)
        err.seek(0)
        return Sample(
            wall=wall,
            cpu=usage.ru_utime + usage.ru_stime,
            peak_mb=usage.ru_maxrss / 1024,
            returncode=proc.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


def time_call(func: Callable[[], Any]) -> Sample:
    """One call in this process: wall time and this process's CPU time (all its threads)."""
    started, started_cpu = time.perf_counter(), time.process_time()
    value = func()
    return Sample(wall=time.perf_counter() - started, cpu=time.process_time() - started_cpu, value=value)


def median(samples: Sequence[Sample], what: str = "wall") -> float:
    return statistics.median(getattr(s, what) for s in samples)


def wall_cpu(samples: Sequence[Sample], unit: str = "s") -> str:
    """'1.23 s (CPU 1.10 s), median of 5' - or in ms."""
    scale, fmt = (1000.0, "{:.0f} ms") if unit == "ms" else (1.0, "{:.2f} s")
    wall, cpu = median(samples) * scale, median(samples, "cpu") * scale
    return f"{fmt.format(wall)} (CPU {fmt.format(cpu)}), median of {len(samples)}"


class Targets:
    """Collects each target's verdict, prints its TARGET line, and gives the exit code."""

    def __init__(self) -> None:
        self.missed: list[str] = []

    def check(self, name: str, met: bool, figure: str, target: str) -> bool:
        print(f"TARGET {name}: {'met' if met else 'MISSED'} ({figure} vs {target})", flush=True)
        if not met:
            self.missed.append(name)
        return met

    def exit_code(self) -> int:
        return 1 if self.missed else 0
