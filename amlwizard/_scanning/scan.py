"""The scanning core of ``diagnose``: find candidate lines fast, then run the catalogue's rules.

One compiled alternation of every entry's literal anchors runs over each byte chunk; only lines it
hits are decoded, unwrapped (JSON-in-string escapes, ANSI colours) and tested against full patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .._secrets import mask_secrets
from .._tracebacks import EXCEPTION_LINE, FRAME_LINE, SERVER_WRAPPERS
from ..catalogue import Entry
from .prefilter import build_prefilter

__all__ = ["Scanner", "Hits", "unwrap_line"]

MAX_EVIDENCE = 3
_EVIDENCE_CHARS = 300
# No catalogue pattern or fact extractor is run on more text than this at once: on a longer line each
# is tried in a window around each anchor (a match within _AROUND characters of its anchor is found).
MAX_REGEX_CHARS = 64 << 10
_AROUND = MAX_REGEX_CHARS // 2
_MATCH_SPAN = 4 << 10  # right context an anchor keeps before the next window takes over
_ANSI_BYTES = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# JSON string escapes, as found when an error payload is nested as a string inside another one
_NEVER = re.compile(rb"(?!)")  # the prefilter once no anchor is left in it
_REGEX_SYNTAX = frozenset(".^$*+?{}[]\\|()")
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|[nrt\"\\/])")
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\", "/": "/"}


def _unescape_once(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        if code[0] == "u":
            point = int(code[1:], 16)
            return "\ufffd" if 0xD800 <= point <= 0xDFFF else chr(point)  # lone surrogates cannot print
        return _SIMPLE[code]

    return _ESCAPE.sub(one, text)


def unwrap_line(raw: bytes) -> list[str]:
    """Decode one raw line, drop ANSI colours and CR, undo up to three levels of JSON string
    escaping, and split what was folded into it (``\\n`` inside a JSON message) into lines."""
    text = raw.decode("utf-8", "replace")
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    for _ in range(3):
        if "\\" not in text:
            break
        unwrapped = _unescape_once(text)
        if unwrapped == text:
            break
        text = unwrapped
    return [part.rstrip("\r") for part in text.replace("\r\n", "\n").split("\n")]


def _clip(text: str, span: tuple[int, int]) -> str:
    """Mask secrets, then keep at most ``_EVIDENCE_CHARS`` around the match."""
    if len(text) <= _EVIDENCE_CHARS:
        return mask_secrets(text.strip())
    start = max(0, span[0] - 100)
    window = text[max(0, start - 200) : start + _EVIDENCE_CHARS + 200]
    masked = mask_secrets(window)
    offset = min(200, start)
    body = masked[offset : offset + _EVIDENCE_CHARS]
    return ("..." if start else "") + body.strip() + ("..." if start + _EVIDENCE_CHARS < len(text) else "")


def search_bounded(entry: Entry, text: str) -> re.Match[str] | None:
    """``entry``'s pattern in ``text`` (a line holding one of its anchors), never run on more than
    ``MAX_REGEX_CHARS`` at once: on a longer line, in windows around its anchors (linear in the line)."""
    if len(text) <= MAX_REGEX_CHARS:
        return entry.regex.search(text) if any(a in text for a in entry.anchors) else None
    next_at = {anchor: text.find(anchor) for anchor in entry.anchors}  # -1: not on this line
    pos = 0
    while True:
        for anchor, at in next_at.items():  # each anchor's next place, looked up again only once passed
            if 0 <= at < pos:
                next_at[anchor] = text.find(anchor, pos)
        places = [at for at in next_at.values() if at >= pos]
        if not places:
            return None
        at = min(places)
        low, high = max(0, at - _AROUND), min(len(text), at + _AROUND)
        m = entry.regex.search(text, low, high)
        if m is not None or high == len(text):
            return m
        pos = max(at + 1, high - _MATCH_SPAN)


def _near(text: str, span: tuple[int, int]) -> str:
    """The text a fact extractor sees: the line, or on a very long line the window around the match."""
    if len(text) <= MAX_REGEX_CHARS:
        return text
    return text[max(0, span[0] - _AROUND) : span[1] + _AROUND]


@dataclass
class Hits:
    """What one entry matched so far: how often, the first few lines, the facts pulled out."""

    count: int = 0
    evidence: list[tuple[int, str]] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def merge_facts(self, found: dict[str, Any]) -> None:
        for key, value in found.items():
            self.facts.setdefault(key, value)


def _exception_facts(hits: Hits, following: list[tuple[int, str]]) -> None:
    """The first real exception after the match (not the server's wrapper), and where it was raised."""
    frame = None
    for line_no, text in following:
        if m := FRAME_LINE.match(text):
            if "site-packages" not in m.group(1) and not m.group(1).startswith("<"):
                frame = f"{m.group(1)}:{m.group(2)} in {m.group(3)}"
            continue
        m = EXCEPTION_LINE.match(text)
        if m and not m.group(1).endswith(SERVER_WRAPPERS):
            hits.facts.setdefault("exception", _clip(text, (0, 0)))
            if frame:
                hits.facts.setdefault("raised_at", frame)
            if all(line_no != n or text.strip() != t for n, t in hits.evidence):
                hits.evidence.append((line_no, _clip(text, (0, 0))))
            return


def _literal_of(entry: Entry) -> bytes | None:
    """The one anchor of an entry whose pattern is that very literal (a line holding it matches)."""
    pattern = entry.pattern
    if len(entry.anchors) == 1 and pattern == entry.anchors[0] and not _REGEX_SYNTAX & set(pattern):
        return pattern.encode()
    return None


class Scanner:
    """Runs every catalogue entry over a stream of byte chunks, keeping bounded evidence.

    Once an entry holds its ``MAX_EVIDENCE`` lines, a further line only adds to its count, so such
    lines are counted cheaply (a worker restart loop makes most lines of a log candidates): a plain
    line is tested with the pattern on its bytes, without decoding or unwrapping it; and an entry
    whose pattern is its one literal anchor leaves the prefilter and is counted per chunk in C.
    """

    def __init__(self, entries: tuple[Entry, ...], sample: bytes = b"") -> None:
        """``sample``: the start of the input, to pick the rarest anchor characters of this log."""
        self.entries = entries
        self._sample = sample
        self._anchor_bytes = {e.id: tuple(a.encode() for a in e.anchors) for e in entries}
        self._bytes_regex = {e.id: re.compile(e.pattern.encode()) for e in entries if e.pattern.isascii()}
        self._full: set[str] = set()  # entries holding all their evidence: a further line only counts
        # a prefilter key whose every entry is full -> how to count a plain line it hits
        self._count_only: dict[bytes, list[tuple[Hits, tuple[bytes, ...], re.Pattern[bytes]]]] = {}
        self._counted: dict[bytes, str] = {}  # literal anchors out of the prefilter -> their entry
        self._to_count: dict[bytes, str] = {}  # the same, taken out when the next chunk starts
        self._index(anchors=[a for e in entries for a in e.anchors])
        self.hits: dict[str, Hits] = {}
        self.lines = 0
        self.non_utf8 = False

    def _index(self, anchors: list[str]) -> None:
        """The prefilter over ``anchors`` and what each key it reports may concern."""
        self._prefilter, suffix_of = build_prefilter(anchors, self._sample) if anchors else (_NEVER, {})
        # what the prefilter reports (the shortest anchor suffix it met) -> entries it may concern
        suffixes: dict[bytes, list[Entry]] = {}
        for entry in self.entries:
            for anchor in entry.anchors:
                if anchor in anchors:
                    suffixes.setdefault(suffix_of[anchor.encode()], []).append(entry)
        self._by_found: dict[bytes, tuple[Entry, ...]] = {
            short: tuple(
                {e.id: e for long, es in suffixes.items() if long.startswith(short) for e in es}.values()
            )
            for short in suffixes
        }
        self._plan_counting()

    def _plan_counting(self) -> None:
        self._count_only = {
            key: [(self.hits[e.id], self._anchor_bytes[e.id], self._bytes_regex[e.id]) for e in es]
            for key, es in self._by_found.items()
            if all(e.id in self._full and e.id in self._bytes_regex for e in es)
        }

    def _became_full(self, entry: Entry) -> None:
        self._full.add(entry.id)
        self._plan_counting()
        literal = _literal_of(entry)
        sharing = [e for e in self.entries if literal and literal in self._anchor_bytes[e.id]]
        if literal and all(e.id in self._full and _literal_of(e) == literal for e in sharing):
            self._to_count[literal] = entry.id  # not mid-chunk: the chunk under way is scanned as it began

    def _count_in_c(self) -> None:
        """From this chunk on, the literal anchors of full entries leave the prefilter: counted per chunk."""
        self._counted.update(self._to_count)
        self._to_count.clear()
        self._index([a for e in self.entries for a in e.anchors if a.encode() not in self._counted])

    def feed(self, chunk: bytes, end: int | None = None) -> None:
        """Scan ``chunk[:end]``, a run of whole lines (the input's last one may lack its newline)."""
        end = len(chunk) if end is None else end
        if b"\x1b" in chunk:
            chunk = _ANSI_BYTES.sub(b"", chunk[:end])
            end = len(chunk)
        if not self.non_utf8 and not chunk.isascii():
            try:
                chunk[:end].decode("utf-8")
            except UnicodeDecodeError:
                self.non_utf8 = True
        if self._to_count:
            self._count_in_c()
        for literal, entry_id in self._counted.items():
            self.hits[entry_id].count += chunk.count(literal, 0, end)
        search, count_only = self._prefilter.search, self._count_only
        counted_to, line_no = 0, self.lines
        pos = 0
        while (m := search(chunk, pos, end)) is not None:
            start = chunk.rfind(b"\n", 0, m.start()) + 1
            stop = chunk.find(b"\n", m.end(), end)
            if stop < 0:
                stop = end
            found = {m.group()}
            while (more := search(chunk, m.end(), stop)) is not None:  # other anchors on the same line
                found.add(more.group())
                m = more
            pos = stop + 1
            if len(found) == 1 and (plan := count_only.get(m.group())) is not None:
                raw = chunk[start:stop]
                if b"\\" not in raw and raw.isascii() and len(raw) <= MAX_REGEX_CHARS:
                    for hits, anchors, pattern in plan:  # a further line of full entries: count it
                        if any(a in raw for a in anchors) and pattern.search(raw):
                            hits.count += 1
                    continue
            line_no += chunk.count(b"\n", counted_to, start)
            counted_to = start
            self._test_line(chunk, start, stop, line_no + 1, found)
        self.lines = line_no + chunk.count(b"\n", counted_to, end)

    def finish(self, last_chunk_ended_with_newline: bool) -> None:
        if not last_chunk_ended_with_newline:
            self.lines += 1  # a last line without a final newline still counts

    def _test_line(self, chunk: bytes, start: int, end: int, line_no: int, found: set[bytes]) -> None:
        raw = chunk[start:end]
        maybe = {e.id: e for key in found for e in self._by_found.get(key, ())}
        candidates = [e for e in maybe.values() if any(a in raw for a in self._anchor_bytes[e.id])]
        if not candidates:
            return
        parts = unwrap_line(raw)
        for index, text in enumerate(parts):
            for entry in candidates:
                m = search_bounded(entry, text)
                if m is None:
                    continue
                hits = self.hits.setdefault(entry.id, Hits())
                hits.count += 1
                if len(hits.evidence) >= MAX_EVIDENCE:
                    continue
                hits.evidence.append((line_no, _clip(text, m.span())))
                if len(hits.evidence) >= MAX_EVIDENCE:
                    self._became_full(entry)
                following: list[tuple[int, str]] = []
                if entry.lines_after and hits.count == 1:
                    following = self._following(chunk, end, line_no, parts[index + 1 :], entry.lines_after)
                    _exception_facts(hits, following)
                if entry.facts is not None:
                    hits.merge_facts(entry.facts([_near(text, m.span()), *(t for _, t in following)]))

    @staticmethod
    def _following(
        chunk: bytes, end: int, line_no: int, rest: list[str], limit: int
    ) -> list[tuple[int, str]]:
        """Up to ``limit`` lines after a match: the rest of its unwrapped line, then the next lines
        of the chunk (a match at the very end of a chunk sees fewer; rare, and only facts suffer)."""
        out = [(line_no, text) for text in rest[:limit]]
        pos, number = end + 1, line_no
        while len(out) < limit and pos < len(chunk):
            nxt = chunk.find(b"\n", pos)
            nxt = len(chunk) if nxt < 0 else nxt
            number += 1
            out.extend((number, text) for text in unwrap_line(chunk[pos : min(nxt, pos + MAX_REGEX_CHARS)]))
            pos = nxt + 1
        return [(n, text[:MAX_REGEX_CHARS]) for n, text in out[:limit]]
