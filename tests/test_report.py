"""The ticket report shows what a session holds as text: a log, a note or a loaded session cannot inject
headings, images, scripts, links or break out of a code block, in the Markdown or the HTML report."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from amlwizard._finding import Evidence, Finding
from amlwizard._report import report_html, report_markdown

FENCE_BREAK = "```\n# INJECTED HEADING\n<img src=x onerror=alert(1)>\n```"
NASTY_NOTE = (
    "# not a heading\n<img src=x onerror=alert(1)>\n- not a list\n1. not a list\n[click](javascript:alert(1))"
)
GUIDE = "https://learn.microsoft.com/azure/machine-learning/how-to-troubleshoot-deployment"


def _data(doc_url: str = GUIDE) -> dict:
    finding = Finding(
        id="run-failure",
        family="run-failure",
        title="run() raised <b>bold</b>",
        step=6,
        confidence=0.9,
        evidence=[
            Evidence(12, "ValueError: <script>alert(1)</script> **strong**"),
            Evidence(13, FENCE_BREAK),
        ],
        explanation="## Not a heading either",
        remedies=["Fix `run()` | a table?"],
        doc_url=doc_url,
    )
    return {
        "created": "2024-05-01T00:00:00+00:00",
        "target": {"kind": "workshop", "service": "svc<img src=x onerror=alert(2)>"},
        "findings": [finding.to_dict()],
        "steps": [{"time": "t", "wizard": "triage", "action": "# diagnosed", "outcome": "*ok*"}],
        "notes": [{"time": "t", "text": NASTY_NOTE}],
        "results": {"model-path": {"title": "Model path", "tree": FENCE_BREAK, "fix": "<img src=y>"}},
    }


def _render(markdown: str) -> str:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


def test_markdown_report_renders_logs_notes_and_results_as_text():
    page = _render(report_markdown(_data()))
    # only the report's own structure: one title, its sections, one heading per finding / result
    assert len(re.findall(r"<h1>", page)) == 1
    assert re.findall(r"<h2>(.*?)</h2>", page) == ["Target", "Findings", "What was tried", "Results", "Notes"]
    assert len(re.findall(r"<h3>", page)) == 2
    assert "<img" not in page and "<script" not in page and "<b>" not in page and "<strong>" not in page
    assert "<table" not in page and 'href="javascript' not in page
    # the note reads as the user wrote it, the evidence and the result tree stay inside their code blocks
    assert "# not a heading" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert page.count("<pre>") == 2 and "INJECTED HEADING" not in re.sub(
        r"<pre>.*?</pre>", "", page, flags=re.S
    )
    # the notes are one list (a line of a note starting with "- " or "1." is no list item of its own)
    notes = page.split("<h2>Notes</h2>", 1)[1]
    assert notes.count("<li>") == 1 and "<ol>" not in notes


def test_only_http_documentation_urls_are_links_in_both_reports():
    md = _render(report_markdown(_data()))
    assert f'<a href="{GUIDE}">{GUIDE}</a>' in md
    page = report_html(_data())
    assert f"<a href='{GUIDE}' rel='noopener noreferrer'>{GUIDE}</a>" in page
    for url in ("javascript:alert(document.cookie)", "data:text/html,<script>alert(1)</script>"):
        md = _render(report_markdown(_data(url)))
        page = report_html(_data(url))
        assert "<a " not in md and "<a " not in page
        assert "alert" in md and "alert" in page  # shown, as text


def test_html_report_wraps_long_evidence_instead_of_scrolling_sideways():
    page = report_html(_data())
    style = re.search(r"<style>(.*?)</style>", page).group(1)
    pre = re.search(r"pre\{([^}]*)\}", style).group(1)
    assert "white-space:pre-wrap" in pre and "overflow:auto" not in pre
    assert "<img" not in page.split("</h1>", 1)[1].replace("&lt;img", "")
