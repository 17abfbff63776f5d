"""Turning whatever a user has (text, bytes, a path, a file object) into bounded byte chunks.

Chunks end at a line boundary so no line is split; memory stays flat however big the input is.
"""

from __future__ import annotations

import gzip
import io
import os
from collections.abc import Iterator
from typing import IO, Any

from .._errors import UsageProblem

__all__ = ["open_source", "iter_chunks", "CHUNK_BYTES", "MAX_LINE_BYTES"]

CHUNK_BYTES = 8 << 20  # big reads keep Python's per-call cost negligible next to the scan
MAX_LINE_BYTES = 32 << 20  # a "line" longer than this is cut, so one huge line cannot eat memory
_GZIP_MAGIC = b"\x1f\x8b"


def _looks_like_path(text: str) -> bool:
    return len(text) < 4096 and "\n" not in text and os.path.isfile(text)


def _open_path(path: str | os.PathLike[str]) -> IO[bytes]:
    shown = os.fspath(path)
    if os.path.isdir(shown):
        raise UsageProblem(
            f"{shown} is a directory: pass a log file (e.g. {shown}/main.log) or '-' for stdin"
        )
    try:
        stream: IO[bytes] = open(shown, "rb")  # noqa: SIM115 - closed by the caller
    except FileNotFoundError:
        raise UsageProblem(
            f"{shown}: no such file; check the path, or paste the text on stdin with '-'"
        ) from None
    except PermissionError:
        raise UsageProblem(
            f"{shown}: permission denied; copy the log somewhere readable and try again"
        ) from None
    except OSError as err:
        raise UsageProblem(f"{shown}: cannot be read ({err.strerror or err}); pass another file") from None
    if stream.read(2) == _GZIP_MAGIC:  # `get_logs()` output saved as .gz
        stream.seek(0)
        return gzip.GzipFile(fileobj=stream)  # type: ignore[return-value]
    stream.seek(0)
    return stream


def open_source(source: Any) -> IO[bytes]:
    """A binary stream over ``source``: str (text, or the path of an existing file), bytes, a path
    (``os.PathLike``) or a file object. Raises ``UsageProblem`` for what cannot be read."""
    if isinstance(source, os.PathLike):
        return _open_path(source)
    if isinstance(source, str):
        if _looks_like_path(source):
            return _open_path(source)
        return io.BytesIO(source.encode("utf-8", "surrogatepass"))
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if data[:2] == _GZIP_MAGIC:
            return gzip.GzipFile(fileobj=io.BytesIO(data))  # type: ignore[return-value]
        return io.BytesIO(data)
    if hasattr(source, "read"):
        return _BinaryReader(source)  # type: ignore[return-value]
    raise UsageProblem(
        f"cannot diagnose a {type(source).__name__}: pass the text, bytes, a path or an open binary file"
    )


class _BinaryReader:
    """Adapts a text-mode file object (``io.StringIO``, ``sys.stdin``) to give bytes."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        return data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)

    def close(self) -> None:
        pass  # the caller owns the stream it handed us


def iter_chunks(stream: IO[bytes], chunk_bytes: int = CHUNK_BYTES) -> Iterator[tuple[bytes, int]]:
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
        if cut < 0:
            if len(buf) < MAX_LINE_BYTES:
                carry = buf
                continue
            cut = len(buf) - 1  # one enormous line: hand it over in pieces
        if pending is not None:
            yield pending
        pending, carry = (buf, cut + 1), buf[cut + 1 :]
    if pending is None:
        if carry:
            yield carry, len(carry)
    elif carry:
        buf, end = pending
        whole = buf[:end] + carry
        yield whole, len(whole)
    else:
        yield pending
