"""The part of an input that tier 2 and the "not recognised" answer read: all of a small text, the head and
the tail of a big log (a log ends with what made it stop), as numbered, unwrapped lines.
"""

from __future__ import annotations

from .scan import unwrap_line

__all__ = ["Sample", "HEAD_BYTES", "TAIL_BYTES"]

HEAD_BYTES = 64 << 10
TAIL_BYTES = 192 << 10


class Sample:
    """Fed the same chunks as the scanner; keeps at most ``HEAD_BYTES + TAIL_BYTES`` of them."""

    def __init__(self) -> None:
        self._head = bytearray()
        self._head_full = False
        self._tail = bytearray()
        self._dropped_lines = 0  # whole lines dropped between the head and the tail
        self.whole = True  # nothing dropped: head and tail are one continuous text

    def feed(self, chunk: bytes, end: int) -> None:
        data = memoryview(chunk)[:end]
        if not self._head_full:
            room = HEAD_BYTES - len(self._head)
            if end <= room:
                self._head += data
                return
            piece = bytes(data[:room])
            cut = piece.rfind(b"\n") + 1  # the head ends at a line's end
            self._head += piece[:cut]
            data = data[cut:]
            self._head_full = True
        self._tail += data
        if len(self._tail) > TAIL_BYTES:
            drop = self._tail.find(b"\n", len(self._tail) - TAIL_BYTES) + 1 or len(self._tail) - TAIL_BYTES
            self._dropped_lines += self._tail.count(b"\n", 0, drop)
            del self._tail[:drop]
            self.whole = False

    def lines(self) -> list[tuple[int, str]]:
        """``(line number, text)`` of the kept lines, JSON payloads unwrapped as the scanner unwraps them."""
        out: list[tuple[int, str]] = []
        parts = [(1, bytes(self._head))]
        if self._tail:
            parts.append((self._head.count(b"\n") + self._dropped_lines + 1, bytes(self._tail)))
        for first, block in parts:
            for number, raw in enumerate(block.split(b"\n"), first):
                if raw.strip():
                    out.extend((number, text) for text in unwrap_line(raw) if text.strip())
        return out
