"""Plain-text rendering of a Diagnosis for terminals: ranked findings, step, evidence, remedies.

Shared by ``amlwizard diagnose`` and anything else that prints a diagnosis (e.g. ``amlwizard logs``).
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

from ._finding import step_label

if TYPE_CHECKING:
    from .diagnosis import Diagnosis

__all__ = ["render_diagnosis"]

_WIDTH = 100


def _fact_text(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _wrap(text: str, indent: str) -> list[str]:
    """Wrap ``text`` with ``indent`` on the first line and as many spaces on the others."""
    return textwrap.wrap(text, _WIDTH, initial_indent=indent, subsequent_indent=" " * len(indent)) or [indent]


def _unrecognised(u: Any, *, guessed: bool) -> list[str]:
    head = "No known failure matched exactly" + ("; the likeliest families follow." if guessed else ".")
    out = ["", head, "The lines that look most like the failure:"]
    width = len(str(max((n for n, _ in u.lines), default=1)))
    out += [f"        line {n:>{width}} | {text}" for n, text in u.lines]
    if u.step:
        out.append(f"      They point at {step_label(u.step)}.")
    out.append("      What to try next:")
    for n, step in enumerate(u.next_steps, 1):
        out += _wrap(step, f"        {n}. ")
    return out


def render_diagnosis(diagnosis: Diagnosis, *, source: str = "the input") -> str:
    """The human-readable report: what was read, then each finding, best first."""
    lines = f"{diagnosis.lines:,} line{'' if diagnosis.lines == 1 else 's'}"
    out = [f"Read {lines} ({diagnosis.bytes:,} bytes) from {source}."]
    out += [f"Note: {note}" for note in diagnosis.notes]
    if diagnosis.unrecognised is not None:
        out += _unrecognised(diagnosis.unrecognised, guessed=bool(diagnosis.findings))
    if not diagnosis.findings:
        if diagnosis.bytes and diagnosis.unrecognised is None:
            out.append(
                "No failure found: nothing in this text looks failed. Try the other logs (init container, "
                "`amlwizard logs --init`), or paste the deployment error; `amlwizard catalogue` lists what "
                "is recognised."
            )
        return "\n".join(out) + "\n"
    total = len(diagnosis.findings)
    for rank, finding in enumerate(diagnosis.findings, 1):
        out += ["", f"{rank}/{total}  {finding.title}"]
        out.append(
            f"      id {finding.id} (family {finding.family}) - {step_label(finding.step)} - "
            f"confidence {finding.confidence:.2f}"
        )
        out += _wrap(finding.explanation, "      ")
        facts = {k: v for k, v in finding.facts.items() if k not in ("occurrences", "tier", "cues")}
        if finding.facts.get("tier") == 2:
            out.append(
                "      No exact match: the family these cues point at: " + ", ".join(finding.facts["cues"])
            )
        if facts:
            out.append("      Found: " + "; ".join(f"{k} = {_fact_text(v)}" for k, v in facts.items()))
        seen = finding.facts.get("occurrences", len(finding.evidence))
        more = f" (first of {seen} matching lines)" if seen > len(finding.evidence) else ""
        out.append(f"      Evidence{more}:")
        width = len(str(max((e.line for e in finding.evidence), default=1)))
        for ev in finding.evidence:
            out.append(f"        line {ev.line:>{width}} | {ev.text}")
        out.append("      What to do:")
        for n, remedy in enumerate(finding.remedies, 1):
            out += _wrap(remedy, f"        {n}. ")
        if finding.doc_url:
            out.append(f"      Docs: {finding.doc_url}")
    return "\n".join(out) + "\n"
