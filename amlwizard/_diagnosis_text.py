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


def render_diagnosis(diagnosis: Diagnosis, *, source: str = "the input") -> str:
    """The human-readable report: what was read, then each finding, best first."""
    lines = f"{diagnosis.lines:,} line{'' if diagnosis.lines == 1 else 's'}"
    out = [f"Read {lines} ({diagnosis.bytes:,} bytes) from {source}."]
    out += [f"Note: {note}" for note in diagnosis.notes]
    if not diagnosis.findings:
        if diagnosis.bytes:
            out.append(
                "No known failure found. Try the other logs (init container, `amlwizard logs --init`), "
                "or paste the deployment error; `amlwizard catalogue` lists what is recognised."
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
        facts = {k: v for k, v in finding.facts.items() if k != "occurrences"}
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
