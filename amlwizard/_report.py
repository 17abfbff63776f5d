"""The support-ticket report of a session: one Markdown file and one HTML file, secrets masked.

It renders a session as saved (``TroubleshootSession.to_dict()``: what is in the ticket is what the
saved JSON holds): findings with their evidence lines, what was tried (steps with times), results of
each wizard, notes, and the autoscale plot (static plotly HTML) when the replicas were sized. Text from
logs, notes and results is shown as text in both formats (never as markup); only http(s) links are links.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from ._errors import UsageProblem
from ._files import write_atomic
from ._finding import Finding, link_url, step_label
from ._secrets import mask_secrets

__all__ = ["write_report", "report_markdown", "report_html", "service_line"]


def _title(data: dict[str, Any]) -> str:
    t = data.get("target") or {}
    return f"amlwizard troubleshooting report: {t.get('service') or t.get('log') or 'session'}"


def service_line(target: dict[str, Any]) -> str:
    """What was troubleshot, with the SDK that deployed it: "SDK v2 online endpoint 'E', deployment 'D'
    (Managed)" or "SDK v1 web service 'S' (AKS)"; "" without a service. A session saved before the SDK was
    recorded: an ``endpoint/deployment`` name is v2, another v1."""
    name = str(target.get("service") or "")
    if not name:
        return ""
    sdk = target.get("sdk") or ("v2" if "/" in name else "v1")
    compute = f" ({target['compute_type']})" if target.get("compute_type") else ""
    if sdk == "v2":
        endpoint, _, deployment = name.partition("/")
        endpoint, deployment = target.get("endpoint") or endpoint, target.get("deployment") or deployment
        which = f", deployment '{deployment}'" if deployment else ""
        return f"SDK v2 online endpoint '{endpoint}'{which}{compute}"
    return f"SDK v1 web service '{name}'{compute}"


def _sections(data: dict[str, Any]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(section title, [(kind, text)]) with kind in p / pre / li: one model for both formats."""
    t = data.get("target") or {}
    target = [("li", service_line(t))] if t.get("service") else []
    target += [
        ("li", f"{k}: {t[k]}")
        for k in ("kind", "workspace", "service", "scenario", "config", "log")
        if t.get(k)
    ]
    sections: list[tuple[str, list[tuple[str, str]]]] = [("Target", target or [("p", "none")])]
    found: list[tuple[str, str]] = []
    for i, f in enumerate((Finding.from_dict(d) for d in data.get("findings") or []), 1):
        found.append(("h3", f"{i}. {f.title} [{f.id}] - {step_label(f.step)}, confidence {f.confidence:.0%}"))
        if f.explanation:
            found.append(("p", f.explanation))
        if f.evidence:
            source = f" ({f.facts['source']})" if f.facts.get("source") else ""
            found.append(("p", f"Evidence{source}:"))
            found.append(("pre", "\n".join(f"{e.line:>6}: {e.text}" for e in f.evidence)))
        found += [("li", f"Remedy: {r}") for r in f.remedies]
        if f.doc_url:
            found.append(("doc", f.doc_url))
    sections.append(("Findings", found or [("p", "No known failure was found.")]))
    tried = [
        (
            "li",
            f"{st['time']} [{st['wizard']}] {st['action']}"
            + (f": {st['outcome']}" if st.get("outcome") else ""),
        )
        for st in data.get("steps") or []
    ]
    sections.append(("What was tried", tried or [("p", "Nothing yet.")]))
    results: list[tuple[str, str]] = []
    for name, result in (data.get("results") or {}).items():
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
    notes = [("li", f"{n['time']} {n['text']}") for n in data.get("notes") or []]
    sections.append(("Notes", notes or [("p", "None.")]))
    return sections


def _summary(data: dict[str, Any]) -> str:
    return (
        f"Session started {data.get('created', '?')}; {len(data.get('findings') or [])} finding(s), "
        f"{len(data.get('steps') or [])} step(s) taken."
    )


# Markdown would read these as markup: escaped with a backslash wherever they are
_MD_ANYWHERE = re.compile(r"([\\`*_\[\]|~])")
# ... and these only where a line starts: headings, bullets, setext rules, "1." / "1)" ordered lists
# (a block quote's ">" is already "&gt;")
_MD_LINE_START = re.compile(r"^([#+=-]|\d+(?=[.)]))([.)]?)")


def _escape_line_start(m: re.Match[str]) -> str:
    marker, after = m.group(1), m.group(2)
    return f"{marker}\\{after}" if after else f"\\{marker}"  # "1\." and "\#": a digit cannot be escaped


def _md_text(text: str) -> str:
    """Text shown as itself in Markdown: no heading, list, link, emphasis, table or raw HTML it could make."""
    lines = []
    for raw in mask_secrets(str(text)).splitlines() or [""]:
        line = html.escape(raw.strip(), quote=False)  # <img onerror=...> stays text; leading "  " is no code
        line = _MD_ANYWHERE.sub(r"\\\1", line)
        lines.append(_MD_LINE_START.sub(_escape_line_start, line, count=1))
    return "  \n  ".join(lines)  # a hard line break that stays inside a list item


def _md_fence(text: str) -> list[str]:
    """A code block no line of ``text`` can close: the fence is longer than any backtick run inside."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence, mask_secrets(text), fence]


def _md_doc(url: str) -> str:
    link = link_url(url)
    return f"Documentation: <{link}>" if link else f"Documentation: {_md_text(url)}"


def report_markdown(data: dict[str, Any]) -> str:
    """The report of a saved session (``TroubleshootSession.to_dict()``) as Markdown."""
    out = [f"# {_md_text(_title(data))}", "", _md_text(_summary(data))]
    for title, items in _sections(data):
        out += ["", f"## {_md_text(title)}", ""]
        for kind, text in items:
            if kind == "pre":
                out += _md_fence(text)
            elif kind == "li":
                out.append(f"- {_md_text(text)}")
            elif kind == "h3":
                out += ["", f"### {_md_text(' '.join(text.split()))}"]
            elif kind == "doc":
                out.append(_md_doc(text))
            else:
                out.append(_md_text(text))
    if (data.get("results") or {}).get("replicas"):
        out += ["", "The autoscale utilization plot is in the HTML report beside this file."]
    return mask_secrets("\n".join(out) + "\n")


def _plot_html(data: dict[str, Any], include_plotlyjs: str | bool) -> str:
    """The autoscale plot of the last sizing, simulated again from its saved inputs (static plotly HTML)."""
    state = (data.get("state") or {}).get("replicas")
    if not (data.get("results") or {}).get("replicas") or not state:
        return ""
    try:
        from .plots import autoscale_figure
        from .sizing import SizingInputs

        fig = autoscale_figure(SizingInputs.from_dict(state).simulate())
    except Exception as e:  # noqa: BLE001 - the report must still be written without its plot
        return f"<p>(The autoscale plot could not be drawn: {html.escape(type(e).__name__)}.)</p>"
    return fig.to_html(full_html=False, include_plotlyjs=include_plotlyjs)


def _html_link(url: str) -> str:
    link = link_url(url)
    shown = html.escape(mask_secrets(url))
    return f"<a href='{html.escape(link)}' rel='noopener noreferrer'>{shown}</a>" if link else shown


def report_html(data: dict[str, Any], include_plotlyjs: str | bool = "cdn") -> str:
    """The report of a saved session (``TroubleshootSession.to_dict()``) as one HTML page."""
    title = _title(data)
    body = [f"<h1>{html.escape(title)}</h1>", f"<p>{html.escape(_summary(data))}</p>"]
    for sec_title, items in _sections(data):
        body.append(f"<h2>{html.escape(sec_title)}</h2>")
        in_list = False
        for kind, text in items:
            if kind == "li" and not in_list:
                body.append("<ul>")
                in_list = True
            elif kind != "li" and in_list:
                body.append("</ul>")
                in_list = False
            if kind == "doc":
                body.append(f"<p>Documentation: {_html_link(text)}</p>")
                continue
            tag = {"li": "li", "pre": "pre", "h3": "h3"}.get(kind, "p")
            body.append(f"<{tag}>{html.escape(mask_secrets(text))}</{tag}>")
        if in_list:
            body.append("</ul>")
        if sec_title == "Results":
            body.append(_plot_html(data, include_plotlyjs))
    style = (
        "body{font-family:sans-serif;max-width:60em;margin:2em auto}"
        # long evidence lines wrap (between words where they can) instead of scrolling sideways
        "pre{background:#f4f4f4;padding:.5em;white-space:pre-wrap;overflow-wrap:anywhere}"
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{style}</style></head><body>{''.join(body)}</body></html>\n"
    )


def write_report(data: dict[str, Any], stem: Path, include_plotlyjs: str | bool = "cdn") -> tuple[Path, Path]:
    """Write ``<stem>.md`` and ``<stem>.html`` for a saved session's ``data``; returns both paths."""
    if stem.suffix in (".md", ".html"):
        stem = stem.with_suffix("")
    if not stem.parent.is_dir():
        raise UsageProblem(f"cannot write the report: folder {str(stem.parent)!r} does not exist")
    md, page = stem.with_name(stem.name + ".md"), stem.with_name(stem.name + ".html")
    write_atomic(md, report_markdown(data))
    write_atomic(page, report_html(data, include_plotlyjs))
    return md, page
