"""Inputs that used to hang or end in a traceback: pipes, FIFOs, devices, /proc, UTF-16, odd consoles,
one enormous line. Each gets an answer or one line, never a hang."""

from __future__ import annotations

import codecs
import gzip
import io
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from amlwizard import UsageProblem
from amlwizard._scanning import _opening, sources
from amlwizard.diagnosis import diagnose

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_LINE = "[2026-11-25 13:27:09 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:93)"
LOG = f"2026-11-25 13:27:08,001 I [93] azmlinfsrv - POST /score 200 3.1ms 86\n{TIMEOUT_LINE}\n"
posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and /dev are POSIX")


def _ids(result) -> list[str]:
    return [f.id for f in result.findings]


def amlwizard(*args: str, stdin: bytes | None = None, encoding: str = "utf-8") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "amlwizard", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": encoding},
    )


# --- pipes, FIFOs, devices, /proc ---------------------------------------------------------------


@posix_only
def test_a_pipe_named_by_path_is_read_without_seeking() -> None:
    # `amlwizard diagnose <(cat log)` and `... /dev/stdin` hand over a pipe, which cannot seek
    out = amlwizard("diagnose", "/dev/stdin", "--json", stdin=LOG.encode())
    assert out.returncode == 0, out.stderr
    assert b'"gunicorn-worker-timeout"' in out.stdout


@posix_only
def test_a_gzipped_log_arrives_through_a_pipe() -> None:
    read, write = os.pipe()
    threading.Thread(target=lambda: (os.write(write, gzip.compress(LOG.encode())), os.close(write))).start()
    result = diagnose(Path(f"/dev/fd/{read}"))
    os.close(read)
    assert _ids(result) == ["gunicorn-worker-timeout"] and result.findings[0].evidence[0].line == 2


@posix_only
def test_a_fifo_whose_writer_comes_later_is_waited_for(tmp_path: Path) -> None:
    fifo = tmp_path / "log.fifo"
    os.mkfifo(fifo)

    def writer() -> None:
        time.sleep(0.3)
        fifo.write_text(LOG)

    threading.Thread(target=writer).start()
    assert _ids(diagnose(fifo)) == ["gunicorn-worker-timeout"]


@posix_only
def test_a_fifo_nobody_writes_is_one_line_not_a_hang(tmp_path: Path, monkeypatch) -> None:
    fifo = tmp_path / "log.fifo"
    os.mkfifo(fifo)
    monkeypatch.setattr(_opening, "FIFO_WAIT_S", 0.2)
    with pytest.raises(UsageProblem) as err:
        diagnose(fifo)
    assert "nothing was written" in str(err.value) and "\n" not in str(err.value)


@posix_only
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_endless_devices_are_answered_at_once(device: str) -> None:
    result = diagnose(Path(device))
    assert result.findings == [] and any("binary" in note for note in result.notes)
    assert result.bytes <= sources.MAX_LINE_BYTES + sources.CHUNK_BYTES  # one piece, not forever


def test_an_endless_text_stream_is_cut_at_the_cap_with_a_note(monkeypatch) -> None:
    monkeypatch.setattr(sources, "MAX_STREAM_BYTES", 1 << 20)

    class Endless(io.RawIOBase):  # like `yes | amlwizard diagnose`, with a failure early on
        def __init__(self) -> None:
            self.sent = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            line = (TIMEOUT_LINE + "\n" if self.sent == 0 else "y\n").encode()
            block = (line * (len(buffer) // len(line) + 1))[: len(buffer)]
            buffer[: len(block)] = block
            self.sent += len(block)
            return len(block)

    result = diagnose(io.BufferedReader(Endless()))
    assert result.bytes == 1 << 20
    assert any("cut" in note and "first 1 MB" in note for note in result.notes)
    assert "gunicorn-worker-timeout" in _ids(result)


def test_a_file_is_read_whole_and_never_called_cut(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sources, "MAX_STREAM_BYTES", 64)
    log = tmp_path / "main.log"
    log.write_text("ok\n" * 100 + LOG)
    result = diagnose(log)
    assert _ids(result) == ["gunicorn-worker-timeout"] and result.notes == []


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="Linux /proc")
def test_a_proc_file_that_refuses_reading_is_one_line() -> None:
    with pytest.raises(UsageProblem) as err:
        diagnose(Path("/proc/self/mem"))
    assert "/proc/self/mem" in str(err.value) and "\n" not in str(err.value)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="Linux /proc")
def test_a_proc_file_without_a_size_is_read() -> None:
    assert diagnose(Path("/proc/self/status")).lines > 5


# --- encodings ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoding",
    ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"],
    ids=["utf-16 with BOM (PowerShell >)", "utf-16-le no BOM", "utf-16-be no BOM", "utf-8 with BOM"],
)
def test_utf16_and_bom_logs_are_decoded(tmp_path: Path, encoding: str) -> None:
    log = tmp_path / "main.log"
    log.write_bytes(LOG.replace("\n", "\r\n").encode(encoding))
    result = diagnose(log)
    assert _ids(result) == ["gunicorn-worker-timeout"] and result.notes == []
    assert result.findings[0].evidence[0].text == TIMEOUT_LINE and result.lines == 2


def test_utf16_bytes_with_a_bom_split_across_reads_are_decoded() -> None:
    data = codecs.BOM_UTF16_LE + ("x" * 5000 + "\n" + LOG).encode("utf-16-le")
    assert _ids(diagnose(data)) == ["gunicorn-worker-timeout"]


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
def test_output_survives_a_console_that_cannot_print_the_replacement_character(encoding: str) -> None:
    bad = b"x\xff\xfe " + TIMEOUT_LINE.encode() + b"\n"
    out = amlwizard("diagnose", "-", stdin=bad, encoding=encoding)
    assert out.returncode == 0 and b"Traceback" not in out.stderr, out.stderr
    assert b"WORKER TIMEOUT" in out.stdout and b"\\ufffd" in out.stdout


# --- one enormous line ---------------------------------------------------------------------------


class _Trickle(io.RawIOBase):
    """A stream that hands over at most ``step`` bytes a read, as a slow pipe does."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data, self.step, self.at = data, step, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        n = self.step if size < 0 else min(size, self.step)
        out = self.data[self.at : self.at + n]
        self.at += len(out)
        return out


@pytest.mark.parametrize("shift", range(0, 40, 3))
def test_an_anchor_across_the_split_of_a_huge_line_is_found_once(monkeypatch, shift: int) -> None:
    monkeypatch.setattr(sources, "MAX_LINE_BYTES", 512)
    # pieces are cut near each 512-byte boundary; put WORKER TIMEOUT across it at every offset
    line = b"x" * (512 - 30 + shift) + b" [CRITICAL] WORKER TIMEOUT (pid:42) " + b"y" * 2000 + b"\n"
    result = diagnose(_Trickle(line + b"tail\n", 512))
    assert _ids(result) == ["gunicorn-worker-timeout"]
    finding = result.findings[0]
    assert finding.facts["occurrences"] == 1 and finding.evidence[0].line == 1
    assert result.lines == 2


# --- no pattern is run on a 100 MB line at once --------------------------------------------------


class _Recording:
    """An entry whose pattern records how much text each search was given."""

    def __init__(self, pattern: str, anchors: tuple[str, ...]) -> None:
        import re

        self.anchors, self._regex, self.sizes = anchors, re.compile(pattern), []
        self.regex = self

    def search(self, text: str, pos: int = 0, endpos: int | None = None):
        endpos = len(text) if endpos is None else endpos
        self.sizes.append(endpos - pos)
        return self._regex.search(text, pos, endpos)


def test_a_pattern_sees_windows_of_a_huge_line_and_still_finds_a_match_at_its_end() -> None:
    from amlwizard._scanning.scan import MAX_REGEX_CHARS, search_bounded

    entry = _Recording(r"WORKER TIMEOUT \(pid:[0-9]+\)", ("WORKER TIMEOUT",))
    line = "WORKER TIMEOUT soon " * 250_000 + "WORKER TIMEOUT (pid:42)"  # 5 MB, an anchor every 20 chars
    m = search_bounded(entry, line)
    assert m is not None and m.group() == "WORKER TIMEOUT (pid:42)"
    assert max(entry.sizes) <= MAX_REGEX_CHARS
    assert sum(entry.sizes) < 3 * len(line)  # windows overlap a little: linear, not once per anchor


def test_a_huge_line_is_diagnosed_through_windows(monkeypatch) -> None:
    from amlwizard._scanning import scan

    monkeypatch.setattr(scan, "MAX_REGEX_CHARS", 1000)
    monkeypatch.setattr(scan, "_AROUND", 500)
    monkeypatch.setattr(scan, "_MATCH_SPAN", 100)
    text = (
        "x" * 5000
        + " Insufficient nvidia.com/gpu. 0/3 nodes are available: 3 Insufficient nvidia.com/gpu. "
        + "y" * 5000
    )
    finding = diagnose(text).findings[0]
    assert finding.facts.get("resource") == "nvidia.com/gpu", finding.facts
