"""Turning whatever a user has (text, bytes, a path, a file object) into bounded byte chunks.

Chunks end at a line boundary so no line is split; memory stays flat however big the input is. An
input whose size is not known in advance (a pipe, a FIFO, a device, a /proc file) is read up to
``MAX_STREAM_BYTES``, and the source's ``notes`` say so when it was cut.
"""

from __future__ import annotations

import functools
import gzip
import io
import os
from collections.abc import Iterator
from typing import Any

from .._errors import UsageProblem
from ._opening import decoded, open_path, sized

__all__ = ["open_source", "iter_chunks", "Source", "CHUNK_BYTES", "MAX_LINE_BYTES", "MAX_STREAM_BYTES"]

CHUNK_BYTES = 8 << 20  # big reads keep Python's per-call cost negligible next to the scan
MAX_LINE_BYTES = 32 << 20  # a "line" longer than this is handed over in pieces, so one line cannot eat memory
MAX_STREAM_BYTES = 1 << 30  # what is read from a source of unknown length (/dev/zero never ends)
_SPLIT_CONTEXT = 256  # text kept before an anchor when a huge line is split in front of it


class Source:
    """The input as UTF-8-ish bytes (``read``/``close``); ``notes`` say what a user should know about it."""

    def __init__(self, stream: Any, *, limit: int | None = None, shown: str = "the input") -> None:
        self._stream, self._left, self._shown = stream, limit, shown
        self.notes: list[str] = []

    def read(self, size: int = -1) -> bytes:
        if self._left is not None:
            if self._left <= 0:
                if not self.notes and self._stream.read(1):  # more was there: say the input was cut
                    self.notes.append(
                        f"the input was cut: {self._shown} has no size known in advance (a pipe, a device, "
                        f"a FIFO or a /proc file), so only its first {MAX_STREAM_BYTES >> 20} MB were read"
                    )
                return b""
            size = self._left if size < 0 else min(size, self._left)
        block = self._stream.read(size)
        if self._left is not None:
            self._left -= len(block)
        return block

    def close(self) -> None:
        self._stream.close()


def _looks_like_path(text: str) -> bool:
    return len(text) < 4096 and "\n" not in text and os.path.isfile(text)


def _open_path(path: str | os.PathLike[str]) -> Source:
    stream, bounded = open_path(path)
    try:
        whole = decoded(stream, os.fspath(path))
    except BaseException:
        stream.close()
        raise
    return Source(whole, limit=None if bounded else MAX_STREAM_BYTES, shown=os.fspath(path))


def open_source(source: Any) -> Source:
    """A binary stream over ``source``: str (text, or the path of an existing file), bytes, a path
    (``os.PathLike``) or a file object. Raises ``UsageProblem`` for what cannot be read."""
    if isinstance(source, os.PathLike):
        return _open_path(source)
    if isinstance(source, str):
        if _looks_like_path(source):
            return _open_path(source)
        return Source(io.BytesIO(source.encode("utf-8", "surrogatepass")))
    if isinstance(source, (bytes, bytearray, memoryview)):
        return Source(decoded(io.BytesIO(bytes(source))))
    if hasattr(source, "read"):
        limit = None if isinstance(source, (io.BytesIO, io.StringIO)) or sized(source) else MAX_STREAM_BYTES
        shown = _name_of(source)
        return Source(decoded(_BinaryReader(source), shown), limit=limit, shown=shown)
    raise UsageProblem(
        f"cannot diagnose a {type(source).__name__}: pass the text, bytes, a path or an open binary file"
    )


def _name_of(stream: Any) -> str:
    name = getattr(stream, "name", None)
    return "stdin" if name in ("<stdin>", 0) else (str(name) if isinstance(name, str) else "the stream")


class _BinaryReader:
    """Adapts a text-mode file object (``io.StringIO``, ``sys.stdin``) to give bytes."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        return data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)

    def close(self) -> None:
        pass  # the caller owns the stream it handed us


@functools.lru_cache(maxsize=1)
def _anchors() -> tuple[bytes, ...]:
    from ..catalogue import ENTRIES

    return tuple(sorted({a.encode() for e in ENTRIES for a in e.anchors}))


def _split_point(buf: bytes) -> int:
    """Where to cut one enormous line (``buf`` holds no newline): the last bytes that could start an
    anchor go to the next piece, and an anchor the cut would split goes there whole, with some text
    before it (a pattern may need it). Nothing is scanned twice."""
    anchors = _anchors()
    longest = max(map(len, anchors))
    end = len(buf) - longest + 1
    for _ in range(8):  # moving the cut back may land inside another anchor; a few tries settle it
        low = max(0, end - longest + 1)
        window = buf[low : end + longest - 1]
        starts = [low + i for a in anchors for i in _finds(window, a) if low + i < end < low + i + len(a)]
        if not starts:
            break
        end = max(len(buf) // 2, min(starts) - _SPLIT_CONTEXT)
    return end


def _finds(text: bytes, word: bytes) -> Iterator[int]:
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


def iter_chunks(stream: Any, chunk_bytes: int = CHUNK_BYTES) -> Iterator[tuple[bytes, int]]:
    """Yield ``(buffer, end)`` pairs: ``buffer[:end]`` is a run of whole lines of ``stream``.

    Passing the end instead of slicing saves copying every chunk once more. The last pair keeps
    the input's unterminated last line, so a pasted text without a final newline arrives whole.
    """
    carry = b""
    pending: tuple[bytes, int] | None = None
    while True:
        try:
            block = stream.read(chunk_bytes)
        except (OSError, EOFError, gzip.BadGzipFile) as err:
            raise UsageProblem(f"the input could not be read to the end ({err}); check the file") from None
        if not block:
            break
        buf = carry + block if carry else block
        cut = buf.rfind(b"\n")
        if cut >= 0:
            end = cut + 1
        elif len(buf) < MAX_LINE_BYTES:
            carry = buf
            continue
        else:
            end = _split_point(buf)  # one enormous line: hand it over in pieces
        if pending is not None:
            yield pending
        pending, carry = (buf, end), buf[end:]
    if pending is None:
        if carry:
            yield carry, len(carry)
    elif carry:
        buf, end = pending
        whole = buf[:end] + carry
        yield whole, len(whole)
    else:
        yield pending
