"""The support-ticket report of a session: one Markdown file and one HTML file, secrets masked.

Findings with their evidence lines, what was tried (steps with times), results of each wizard, notes,
and the autoscale plot (static plotly HTML) when the replicas were sized.
"""

from __future__ import annotations

import html
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ._errors import UsageProblem
from ._finding import step_label
from ._secrets import mask_secrets

if TYPE_CHECKING:
    from .session import TroubleshootSession

__all__ = ["write_report", "report_markdown", "report_html"]


def _sections(s: TroubleshootSession) -> list[tuple[str, list[tuple[str, str]]]]:
    """(section title, [(kind, text)]) with kind in p / pre / li: one model for both formats."""
    t = s.target
    target = [
        ("li", f"{k}: {t[k]}")
        for k in ("kind", "workspace", "service", "scenario", "config", "log")
        if t.get(k)
    ]
    sections: list[tuple[str, list[tuple[str, str]]]] = [("Target", target or [("p", "none")])]
    found: list[tuple[str, str]] = []
    for i, f in enumerate(s.findings, 1):
        found.append(("h3", f"{i}. {f.title} [{f.id}] - {step_label(f.step)}, confidence {f.confidence:.0%}"))
        if f.explanation:
            found.append(("p", f.explanation))
        if f.evidence:
            source = f" ({f.facts['source']})" if f.facts.get("source") else ""
            found.append(("p", f"Evidence{source}:"))
            found.append(("pre", "\n".join(f"{e.line:>6}: {e.text}" for e in f.evidence)))
        found += [("li", f"Remedy: {r}") for r in f.remedies]
        if f.doc_url:
            found.append(("p", f"Documentation: {f.doc_url}"))
    sections.append(("Findings", found or [("p", "No known failure was found.")]))
    tried = [
        (
            "li",
            f"{st['time']} [{st['wizard']}] {st['action']}"
            + (f": {st['outcome']}" if st.get("outcome") else ""),
        )
        for st in s.steps
    ]
    sections.append(("What was tried", tried or [("p", "Nothing yet.")]))
    results: list[tuple[str, str]] = []
    for name, result in s.results.items():
        if not isinstance(result, dict):
            continue
        results.append(("h3", str(result.get("title") or name)))
        for key, value in result.items():
            if key in ("title", "plot", "snippet", "tree"):
                continue
            results.append(("li", f"{key}: {value}"))
        for key in ("tree", "snippet"):
            if result.get(key):
                results.append(("pre", str(result[key])))
    if results:
        sections.append(("Results", results))
    notes = [("li", f"{n['time']} {n['text']}") for n in s.notes]
    sections.append(("Notes", notes or [("p", "None.")]))
    return sections


def report_markdown(s: TroubleshootSession) -> str:
    out = [f"# amlwizard troubleshooting report: {s.service or s.target.get('log') or 'session'}", ""]
    out.append(f"Session started {s.created}; {len(s.findings)} finding(s), {len(s.steps)} step(s) taken.")
    for title, items in _sections(s):
        out += ["", f"## {title}", ""]
        for kind, text in items:
            if kind == "pre":
                out += ["```", text, "```"]
            elif kind == "li":
                out.append(f"- {text}")
            elif kind == "h3":
                out += ["", f"### {text}"]
            else:
                out.append(text)
    if s.results.get("replicas"):
        out += ["", "The autoscale utilization plot is in the HTML report beside this file."]
    return mask_secrets("\n".join(out) + "\n")


def _plot_html(s: TroubleshootSession, include_plotlyjs: str | bool) -> str:
    """The autoscale plot of the last sizing, recomputed from its saved inputs (static plotly HTML)."""
    state = s.state.get("replicas")
    if not s.results.get("replicas") or not state:
        return ""
    try:
        from .wizards.replicas import sizing_figure

        fig = sizing_figure(state)
    except Exception as e:  # noqa: BLE001 - the report must still be written without its plot
        return f"<p>(The autoscale plot could not be drawn: {html.escape(type(e).__name__)}.)</p>"
    return fig.to_html(full_html=False, include_plotlyjs=include_plotlyjs)


def report_html(s: TroubleshootSession, include_plotlyjs: str | bool = "cdn") -> str:
    title = f"amlwizard troubleshooting report: {s.service or s.target.get('log') or 'session'}"
    body = [
        f"<h1>{html.escape(title)}</h1>",
        f"<p>Session started {html.escape(s.created)}; {len(s.findings)} finding(s), "
        f"{len(s.steps)} step(s).</p>",
    ]
    for sec_title, items in _sections(s):
        body.append(f"<h2>{html.escape(sec_title)}</h2>")
        in_list = False
        for kind, text in items:
            if kind == "li" and not in_list:
                body.append("<ul>")
                in_list = True
            elif kind != "li" and in_list:
                body.append("</ul>")
                in_list = False
            tag = {"li": "li", "pre": "pre", "h3": "h3"}.get(kind, "p")
            body.append(f"<{tag}>{html.escape(mask_secrets(text))}</{tag}>")
        if in_list:
            body.append("</ul>")
        if sec_title == "Results":
            body.append(_plot_html(s, include_plotlyjs))
    style = (
        "body{font-family:sans-serif;max-width:60em;margin:2em auto}"
        "pre{background:#f4f4f4;padding:.5em;overflow:auto}"
    )
    doc = (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{style}</style></head><body>{''.join(body)}</body></html>\n"
    )
    return doc


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_report(
    s: TroubleshootSession, stem: Path, include_plotlyjs: str | bool = "cdn"
) -> tuple[Path, Path]:
    """Write ``<stem>.md`` and ``<stem>.html``; returns both paths."""
    if stem.suffix in (".md", ".html"):
        stem = stem.with_suffix("")
    if not stem.parent.is_dir():
        raise UsageProblem(f"cannot write the report: folder {str(stem.parent)!r} does not exist")
    md, page = stem.with_name(stem.name + ".md"), stem.with_name(stem.name + ".html")
    _write_atomic(md, report_markdown(s))
    _write_atomic(page, report_html(s, include_plotlyjs))
    return md, page
