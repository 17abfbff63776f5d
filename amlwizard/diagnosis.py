"""Name the failure in any text a user has: a pasted error, an error payload, a whole container log.

``diagnose(source)`` streams the input through every catalogue entry and returns ranked Findings
(root causes before the symptoms they cause) with masked evidence lines and the facts pulled out.
``diagnose_many(sources)`` does it for the texts of one service (its error payload, main and init logs,
what a call returned) and merges them: every caller ranks a service the same way.

Two tiers: tier 1 is the catalogue's exact entries (evidence lines, facts); tier 2, when tier 1 is silent
or weak, names the family a whole text is about (``_scanning/family.py``, below tier 1's confidence).
When neither names anything, ``Diagnosis.unrecognised`` holds the lines that look most like the failure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ._finding import Evidence, Finding
from ._scanning.sources import iter_chunks, open_source
from ._scanning.unrecognised import Unrecognised, unrecognised
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
    unrecognised: Unrecognised | None = None  # no exact (tier-1) finding, but some lines look failed

    def to_dict(self) -> dict[str, Any]:
        """The JSON ``amlwizard diagnose --json`` prints."""
        return {
            "findings": [f.to_dict() for f in self.findings],
            "bytes": self.bytes,
            "lines": self.lines,
            "notes": list(self.notes),
            "unrecognised": self.unrecognised.to_dict() if self.unrecognised else None,
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


def diagnose(
    source: Any,
    *,
    top: int | None = None,
    context: dict[str, str] | None = None,
    family_model: Any = None,
) -> Diagnosis:
    """Diagnose ``source`` and return the ranked findings.

    ``source`` is text (a str; a one-line str naming an existing file is read as that file), bytes,
    an ``os.PathLike`` path, a file object (binary or text), or an error payload as a dict or list
    (``service.error``). Inputs of any size are streamed in chunks. ``top`` keeps only the best N
    findings. ``context`` (``{"compute_type": "AKS", "sdk": "v1"}``, either key optional) ranks what
    cannot happen there below what can. ``family_model`` replaces tier 2's shipped model (for
    cross-validation). Unreadable paths raise ``UsageProblem``; odd input (empty, binary, not UTF-8)
    gives an empty or partial diagnosis with a note, never a traceback.
    """
    result, lines = _scan(source, top)
    return _complete(result, lines, top=top, context=context, family_model=family_model, told=True)


def _scan(source: Any, top: int | None) -> tuple[Diagnosis, list[tuple[int, str]] | None]:
    """Tier 1 over the whole input, and the numbered lines tier 2 may read (None: nothing to read)."""
    from . import catalogue  # keep `import amlwizard.diagnosis` cheap until used
    from ._scanning.sample import Sample
    from ._scanning.scan import Scanner

    if top is not None and top < 1:
        from ._errors import UsageProblem

        raise UsageProblem(f"top must be 1 or more, not {top}")
    if isinstance(source, (dict, list)):  # an error payload as the SDK gives it (service.error)
        source = json.dumps(source, indent=1, default=str)
    scanner: Scanner | None = None
    sample = Sample()
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
            sample.feed(chunk, end)
    finally:
        stream.close()
    result.notes += stream.notes  # e.g. a stream of unknown length that was cut
    empty = "nothing to diagnose: the input is empty"
    if scanner is None:
        result.notes.append(empty)
        return result, None
    scanner.finish(ends_with_newline)
    result.lines = scanner.lines
    if binary:
        result.notes.append(
            "the input looks binary (not a text log); nothing was diagnosed - pass the log as text"
        )
        return result, None
    lines = sample.lines()
    if not lines and sample.whole:  # only white space, whether a pasted string or a file
        result.notes.append(empty)
        return result, None
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
    return result, lines


def _complete(
    result: Diagnosis,
    lines: list[tuple[int, str]] | None,
    *,
    top: int | None,
    context: dict[str, str] | None,
    family_model: Any,
    told: bool,
) -> Diagnosis:
    """Context, tier 2 and the "not recognised" answer on top of tier 1's findings; ranked, cut to ``top``."""
    from ._scanning.family import family_findings

    if context:
        _apply_context(result.findings, context)
    if lines:
        result.findings += family_findings(lines, result.findings, family_model, told=told)
    result.findings.sort(key=rank_key)
    if top is not None:
        del result.findings[top:]
    if lines and not any(not f.id.startswith("family:") for f in result.findings):
        result.unrecognised = unrecognised(lines)  # nothing exact: show the lines that look failed
    return result


_DEMOTED = 0.4  # below every tier-1 entry that can apply (the lowest is 0.5)
# the names under which the wizards and the CLI pass what the user gave (not what was fetched)
USER_GIVEN = frozenset({"error you saw", "pasted text", "log file"})
_SDKS = {"v1", "v2"}


def _apply_context(findings: list[Finding], context: dict[str, str]) -> None:
    """Rank findings that cannot happen in ``context`` (an ACI finding on an AKS service) below the others;
    on an SDK v2 deployment, give v1-worded findings the v2 client's remedies."""
    from . import catalogue

    compute, sdk = context.get("compute_type"), context.get("sdk")
    for f in findings:
        advice = catalogue.v2_advice(f.id, f.family) if sdk == "v2" else None
        if advice:  # a v1-worded entry on an online deployment: what to do with the v2 client
            f.remedies, f.doc_url = advice
        applies = set(catalogue.get(f.id).applies_to) if f.id in catalogue.ids() else set()
        computes, sdks = applies - _SDKS, applies & _SDKS
        wrong = (compute and computes and compute not in computes) or (sdk and sdks and sdk not in sdks)
        if wrong:
            f.confidence = min(f.confidence, _DEMOTED)
            seen = ", ".join(sorted(applies))
            f.facts = {**f.facts, "context": f"happens on {seen}; this is {compute or sdk}"}


def diagnose_many(
    sources: dict[str, Any],
    *,
    top: int | None = None,
    context: dict[str, str] | None = None,
    family_model: Any = None,
) -> Diagnosis:
    """Diagnose each named source (``{"service error": ..., "main log": ..., "init log": ...}``; values as
    ``diagnose`` takes them) and merge: the best finding of each id, its ``facts["source"]`` naming where it
    was found, ranked as ``diagnose`` ranks. Tier 2 and the "not recognised" answer read the texts
    together. Empty sources are skipped; bytes, lines and notes add up."""
    merged = Diagnosis()
    best: dict[str, Finding] = {}
    lines: list[tuple[int, str]] = []
    for name, source in sources.items():
        if source is None or (isinstance(source, (str, bytes)) and not source.strip()):
            continue
        one, read = _scan(source, None)
        merged.bytes += one.bytes
        merged.lines += one.lines
        merged.notes += [f"{name}: {note}" for note in one.notes]
        lines += read or []
        for f in one.findings:
            f.facts = {**f.facts, "source": name}
            if f.id not in best or f.confidence > best[f.id].confidence:
                best[f.id] = f
    merged.findings = list(best.values())
    # texts fetched from a service (its logs, its error, a call's answer) are not a user's word that it
    # failed: tier 2 names a family there only when a line shows a failure; what a user gave is
    told = any(name in USER_GIVEN and str(sources[name]).strip() for name in sources)
    return _complete(merged, lines, top=top, context=context, family_model=family_model, told=told)
