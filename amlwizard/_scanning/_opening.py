"""Opening what a user points at without hanging or seeking: files, pipes, FIFOs, devices, /proc files.

The start of the input is read once and kept (``Prefixed``), so gzip, a BOM or UTF-16 are recognised on a
pipe as well as on a file; UTF-16 and UTF-8-with-BOM become plain UTF-8 bytes for the scanner.
"""

from __future__ import annotations

import codecs
import gzip
import os
import select
import stat
from typing import IO, Any

from .._errors import UsageProblem

__all__ = ["open_path", "sized", "decoded", "Prefixed", "FIFO_WAIT_S"]

FIFO_WAIT_S = 10.0  # how long a FIFO with no writer is waited for before saying so
_HEAD_BYTES = 4096  # enough to recognise gzip, a BOM, or UTF-16 without one
_GZIP_MAGIC = b"\x1f\x8b"
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class Prefixed:
    """A byte stream that first gives back ``head`` (already read from ``stream``), then the rest."""

    def __init__(self, head: bytes, stream: Any) -> None:
        self._head, self._stream = head, stream

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if 0 <= size < len(self._head):
                out, self._head = self._head[:size], self._head[size:]
                return out
            out, self._head = self._head, b""
            return out + self._stream.read(-1 if size < 0 else size - len(out))
        return self._stream.read(size)

    def close(self) -> None:
        self._stream.close()


class _Transcoded:
    """UTF-16 (or UTF-8 with a BOM) in, UTF-8 out, decoded incrementally (a bad pair becomes U+FFFD)."""

    def __init__(self, stream: Any, encoding: str) -> None:
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder(encoding)("replace")
        self._done = False

    def read(self, size: int = -1) -> bytes:
        while not self._done:
            block = self._stream.read(size)
            text = self._decoder.decode(block, final=not block)
            self._done = not block
            if text:
                return text.encode("utf-8", "surrogatepass")
        return b""

    def close(self) -> None:
        self._stream.close()


def _read_head(stream: Any) -> bytes:
    """Up to ``_HEAD_BYTES`` from the start (a pipe may hand them over in several reads)."""
    head = b""
    while len(head) < _HEAD_BYTES:
        block = stream.read(_HEAD_BYTES - len(head))
        if not block:
            break
        head += block
    return head


def _utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le`` / ``-be`` when the start is mostly ASCII with a NUL beside each character."""
    pairs = len(head) // 2
    if pairs < 4:
        return None
    even = sum(1 for b in head[0 : pairs * 2 : 2] if b == 0) / pairs
    odd = sum(1 for b in head[1 : pairs * 2 : 2] if b == 0) / pairs
    if odd > 0.7 and even < 0.05:
        return "utf-16-le"
    if even > 0.7 and odd < 0.05:
        return "utf-16-be"
    return None


def decoded(stream: Any, shown: str = "the input", *, _depth: int = 0) -> Any:
    """``stream`` as UTF-8-ish bytes: gunzipped if gzip, transcoded if UTF-16 or UTF-8 with a BOM."""
    try:
        head = _read_head(stream)
    except (OSError, EOFError, gzip.BadGzipFile) as err:  # /proc/self/mem: EIO on the first read
        raise UsageProblem(f"{shown}: cannot be read ({_reason(err)}); pass another file") from None
    whole = Prefixed(head, stream)
    if head[:2] == _GZIP_MAGIC and _depth == 0:  # `get_logs()` output saved as .gz
        return decoded(gzip.GzipFile(fileobj=whole), shown, _depth=1)  # type: ignore[arg-type]
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return _Transcoded(whole, encoding)
    encoding = _utf16_without_bom(head)
    return _Transcoded(whole, encoding) if encoding else whole


def _reason(err: BaseException) -> str:
    return (err.strerror if isinstance(err, OSError) else None) or str(err) or type(err).__name__


def _open_fifo(shown: str) -> IO[bytes]:
    """A FIFO opened without blocking: with no writer, wait up to ``FIFO_WAIT_S`` for one to write."""
    fd = os.open(shown, os.O_RDONLY | os.O_NONBLOCK)  # a plain open() would block until a writer comes
    try:
        first = os.read(fd, _HEAD_BYTES)
    except BlockingIOError:
        first = None  # a writer is there, it has not written yet: wait for it as `cat` would
    if first == b"":  # no writer at all yet
        ready, _, _ = select.select([fd], [], [], FIFO_WAIT_S)
        if not ready:
            os.close(fd)
            raise UsageProblem(
                f"{shown} is a FIFO and nothing was written to it within {FIFO_WAIT_S:g} s; start the "
                "program that writes it first, or pass the log as a file"
            )
    os.set_blocking(fd, True)
    stream = os.fdopen(fd, "rb")
    return Prefixed(first or b"", stream)  # type: ignore[return-value]


def open_path(path: str | os.PathLike[str]) -> tuple[Any, bool]:
    """A binary stream over the file at ``path`` and whether its size bounds it (a regular file that
    has a size; not a pipe, a FIFO, a device or a /proc file). ``UsageProblem`` for what cannot be read."""
    shown = os.fspath(path)
    try:
        info = os.stat(shown)
        if stat.S_ISDIR(info.st_mode):
            raise UsageProblem(
                f"{shown} is a directory: pass a log file (e.g. {shown}/main.log) or '-' for stdin"
            )
        if stat.S_ISFIFO(info.st_mode) and hasattr(os, "O_NONBLOCK"):
            return _open_fifo(shown), False
        stream = open(shown, "rb")  # noqa: SIM115 - closed by the caller
    except FileNotFoundError:
        raise UsageProblem(
            f"{shown}: no such file; check the path, or paste the text on stdin with '-'"
        ) from None
    except PermissionError:
        raise UsageProblem(
            f"{shown}: permission denied; copy the log somewhere readable and try again"
        ) from None
    except OSError as err:
        raise UsageProblem(f"{shown}: cannot be read ({_reason(err)}); pass another file") from None
    return stream, stat.S_ISREG(info.st_mode) and info.st_size > 0


def sized(stream: Any) -> bool:
    """Whether a file object is a regular file with a size (read whole) rather than a pipe or device."""
    try:
        info = os.fstat(stream.fileno())
    except (AttributeError, OSError, ValueError, TypeError):  # io.UnsupportedOperation is both
        return False
    return stat.S_ISREG(info.st_mode) and info.st_size > 0
