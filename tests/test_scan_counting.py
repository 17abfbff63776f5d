"""A worker restart loop makes most lines of a log candidates: once a failure holds its evidence, further
lines are only counted, cheaply, and the counts stay exact. Pattern checks, not timings (those are in
benchmarks/bench_diagnose.py)."""

from __future__ import annotations

import io

from amlwizard import catalogue
from amlwizard._scanning.scan import MAX_EVIDENCE, Scanner
from amlwizard._scanning.sources import iter_chunks

BOOT = "[2026-11-25 13:27:10 +0000] [{pid}] [INFO] Booting worker with pid: {pid}\n"
TIMEOUT = "[2026-11-25 13:27:09 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:{pid})\n"
EXITING = "[2026-11-25 13:27:09 +0000] [{pid}] [INFO] Worker exiting (pid: {pid})\n"
# lines the cheap path must hand to the full one: JSON escapes, non-ASCII, CR
ODD = [
    '{"log": "[CRITICAL] WORKER TIMEOUT (pid:7)\\nBooting worker with pid: 8"}\n',
    "[2026-11-25 13:27:09 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:9) \u2014 d\u00e9j\u00e0\n",
    "[2026-11-25 13:27:10 +0000] [10] [INFO] Booting worker with pid: 10\r\n",
]


def _restart_loop(cycles: int) -> str:
    lines = []
    for pid in range(100, 100 + cycles):
        lines += [TIMEOUT.format(pid=pid), EXITING.format(pid=pid), BOOT.format(pid=pid + 1)]
        if pid % 97 == 0:
            lines += ODD
    return "".join(lines)


def _scan(text: str, chunk_bytes: int) -> Scanner:
    scanner = Scanner(catalogue.ENTRIES)
    for chunk, end in iter_chunks(io.BytesIO(text.encode()), chunk_bytes):
        scanner.feed(chunk, end)
    return scanner


def test_counts_are_exact_whichever_path_counted_a_line() -> None:
    text = _restart_loop(3000)
    scanner = _scan(text, 4096)  # many chunks: lines are counted before and after the switch
    odd_rounds = sum(1 for pid in range(100, 3100) if pid % 97 == 0)
    assert scanner.hits["gunicorn-worker-timeout"].count == 3000 + 2 * odd_rounds
    assert scanner.hits["worker-restart-loop"].count == 3000 + 2 * odd_rounds
    assert [n for n, _ in scanner.hits["worker-restart-loop"].evidence] == [3, 6, 9]
    assert scanner.lines == text.count("\n")


def test_a_literal_failure_holding_its_evidence_leaves_the_prefilter() -> None:
    scanner = _scan(_restart_loop(50), 1024)
    assert len(scanner.hits["worker-restart-loop"].evidence) == MAX_EVIDENCE
    assert b"Booting" not in scanner._prefilter.pattern  # its lines no longer stop the one fast pass
    assert b"WORKER TIMEOUT"[-4:] in scanner._prefilter.pattern  # a regex entry stays, counted per line


def test_every_failure_is_still_found_after_the_switch() -> None:
    text = _restart_loop(500) + "Reason: OOMKilled\n" + _restart_loop(10)
    scanner = _scan(text, 2048)
    assert scanner.hits["container-oom-killed"].count == 1
