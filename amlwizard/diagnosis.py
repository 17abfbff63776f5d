"""Name the failure in any text a user has: a pasted error, an error payload, a whole container log.

``diagnose(source)`` streams the input through every catalogue entry and returns ranked Findings
(root causes before the symptoms they cause) with masked evidence lines and the facts pulled out.
``diagnose_many(sources)`` does it for the texts of one service (its error payload, main and init logs,
what a call returned) and merges them: every caller ranks a service the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._finding import Evidence, Finding
from ._scanning.sources import iter_chunks, open_source
from ._secrets import mask_secrets

__all__ = ["diagnose", "diagnose_many", "Diagnosis", "rank_key"]

_BINARY_SAMPLE = 8192
_RARITY_SAMPLE = 1 << 20  # the start of the log tells which characters are rare in it


@dataclass
class Diagnosis:
    """The findings for one input, best first, and how much input there was.

    ``notes`` says what a user should know about the input itself (empty, binary, not UTF-8).
    """

    findings: list[Finding] = field(default_factory=list)
    bytes: int = 0
    lines: int = 0
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON ``amlwizard diagnose --json`` prints."""
        return {
            "findings": [f.to_dict() for f in self.findings],
            "bytes": self.bytes,
            "lines": self.lines,
            "notes": list(self.notes),
        }

    @property
    def top(self) -> Finding | None:
        return self.findings[0] if self.findings else None


def rank_key(finding: Finding) -> tuple[float, int, str]:
    """How findings are ordered, ties included: higher confidence first; at equal confidence the earlier
    deployment step (a failure there explains what follows), then the id (never the registry's order)."""
    return (-finding.confidence, finding.step if finding.step is not None else 99, finding.id)


def _looks_binary(sample: bytes) -> bool:
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 9 or 13 < b < 27 or 27 < b < 32)
    return control > len(sample) // 10


def _mask_facts(value: Any) -> Any:
    if isinstance(value, str):
        return mask_secrets(value)
    if isinstance(value, dict):
        return {k: _mask_facts(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_facts(v) for v in value]
    return value


def diagnose(source: Any, *, top: int | None = None) -> Diagnosis:
    """Diagnose ``source`` and return the ranked findings.

    ``source`` is text (a str; a one-line str naming an existing file is read as that file), bytes,
    an ``os.PathLike`` path, or a file object (binary or text). Inputs of any size are streamed in
    chunks. ``top`` keeps only the best N findings. Unreadable paths raise ``UsageProblem``; odd
    input (empty, binary, not UTF-8) gives an empty or partial diagnosis with a note, never a traceback.
    """
    from . import catalogue  # keep `import amlwizard.diagnosis` cheap until used
    from ._scanning.scan import Scanner

    if top is not None and top < 1:
        from ._errors import UsageProblem

        raise UsageProblem(f"top must be 1 or more, not {top}")
    scanner: Scanner | None = None
    result = Diagnosis()
    stream = open_source(source)
    binary = False
    ends_with_newline = True
    try:
        for chunk, end in iter_chunks(stream):
            if scanner is None:  # the first chunk: is it text, and which characters are rare in it
                binary = _looks_binary(chunk[: min(end, _BINARY_SAMPLE)])
                scanner = Scanner(catalogue.ENTRIES, sample=chunk[: min(end, _RARITY_SAMPLE)])
            result.bytes += end
            ends_with_newline = chunk[end - 1 : end] == b"\n"
            if binary:  # nothing will be diagnosed: reading on would only count (/dev/zero never ends)
                scanner.lines += chunk.count(b"\n", 0, end)
                break
            scanner.feed(chunk, end)
    finally:
        stream.close()
    result.notes += stream.notes  # e.g. a stream of unknown length that was cut
    if scanner is None:
        result.notes.append("nothing to diagnose: the input is empty")
        return result
    scanner.finish(ends_with_newline)
    result.lines = scanner.lines

    if not binary and result.bytes < 4096 and not _has_text(source, result):
        result.notes.append("nothing to diagnose: the input is empty")
        return result
    if binary:
        result.notes.append(
            "the input looks binary (not a text log); nothing was diagnosed - pass the log as text"
        )
        return result
    if scanner.non_utf8:
        result.notes.append("some bytes are not UTF-8; they are shown as \ufffd in evidence")

    for entry_id, hits in scanner.hits.items():
        entry = catalogue.get(entry_id)
        if hits.count < entry.min_hits:
            continue
        facts = _mask_facts(dict(hits.facts))
        facts["occurrences"] = hits.count
        confidence = round(min(0.99, entry.confidence + 0.02 * min(hits.count - 1, 2)), 2)
        result.findings.append(
            Finding(
                id=entry.id,
                family=entry.family,
                title=entry.title,
                step=entry.step,
                confidence=confidence,
                evidence=[Evidence(line, text) for line, text in sorted(hits.evidence)],
                explanation=entry.explanation,
                remedies=list(entry.remedies),
                doc_url=entry.doc_url,
                facts=facts,
            )
        )
    result.findings.sort(key=rank_key)
    if top is not None:
        del result.findings[top:]
    return result


def diagnose_many(sources: dict[str, Any], *, top: int | None = None) -> Diagnosis:
    """Diagnose each named source (``{"service error": ..., "main log": ..., "init log": ...}``; values as
    ``diagnose`` takes them) and merge: the best finding of each id, its ``facts["source"]`` naming where it
    was found, ranked as ``diagnose`` ranks. Empty sources are skipped; bytes, lines and notes add up."""
    merged = Diagnosis()
    best: dict[str, Finding] = {}
    for name, source in sources.items():
        if source is None or (isinstance(source, (str, bytes)) and not source.strip()):
            continue
        one = diagnose(source)
        merged.bytes += one.bytes
        merged.lines += one.lines
        merged.notes += [f"{name}: {note}" for note in one.notes]
        for f in one.findings:
            f.facts = {**f.facts, "source": name}
            if f.id not in best or f.confidence > best[f.id].confidence:
                best[f.id] = f
    merged.findings = sorted(best.values(), key=rank_key)
    if top is not None:
        del merged.findings[top:]
    return merged


def _has_text(source: Any, result: Diagnosis) -> bool:
    """Small inputs made only of whitespace count as empty."""
    if isinstance(source, (str, bytes, bytearray)):
        return bool(source.strip())
    return result.lines > 0 and result.bytes > result.lines  # more than bare newlines
