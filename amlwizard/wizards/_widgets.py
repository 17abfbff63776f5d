"""Small helpers the wizards share: finding cards, the six-steps strip and the SDK v2 stages' strip (from
``_strips``), log and code views, the workshop scenario's app to prefill a form.

Only rendering: every value shown was computed by the engine or fetched by a backend.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from typing import Any

import ipywidgets as w

from .._errors import UsageProblem
from .._finding import Finding, link_url, step_label
from .._secrets import mask_secrets
from ._strips import V2_STAGES, steps_strip, v2_stage, v2_stages_strip

__all__ = [
    "NEXT_STEPS",
    "exact_findings",
    "next_steps",
    "finding_card",
    "findings_box",
    "steps_strip",
    "V2_STAGES",
    "v2_stage",
    "v2_stages_strip",
    "service_kind",
    "log_html",
    "server_log_html",
    "code_html",
    "state_badge",
    "labelled",
    "workshop_app",
]

# JupyterLab breaks output <pre> lines anywhere (word-break: break-all), mid-word: wrap between words,
# and inside a word only when it is longer than the line (a URL)
PRE_STYLE = "white-space:pre-wrap;word-break:normal;overflow-wrap:anywhere"
# widget HTML is not styled as rendered Markdown is: a link must say it is one
LINK_STYLE = "color:var(--jp-content-link-color,#1a73e8);text-decoration:underline"

# finding family -> the wizards that help next, as (button label, wizard name); every finding
# also offers "Fetch logs" (the guide's first move for any failure).
NEXT_STEPS: dict[str, list[tuple[str, str]]] = {
    "service-launch-crashloop": [("Deploy locally", "local")],
    "run-failure": [("Deploy locally", "local")],
    "http-502": [("Deploy locally", "local")],
    "http-504": [("Deploy locally", "local")],
    "model-path-not-found": [("Inspect model path", "model-path")],
    "http-503": [("Size replicas", "replicas")],
}


def next_steps(finding: Finding) -> list[tuple[str, str]]:
    """The next-step buttons of a finding: its wizards, then Fetch logs."""
    steps = NEXT_STEPS.get(finding.id) or NEXT_STEPS.get(finding.family) or []
    return [*steps, ("Fetch logs", "logs")]


def exact_findings(findings: Iterable[Finding]) -> list[Finding]:
    """The findings a catalogue entry matched exactly (tier 1), not the family model's guesses (tier 2)."""
    return [f for f in findings if f.facts.get("tier") != 2]


def service_kind(sdk: str | None, compute_type: str | None) -> str:
    """How a deployed thing is named to the user: "v1 web service (AKS)", "v2 online deployment (Managed)"."""
    what = "v2 online deployment" if sdk == "v2" else "v1 web service"
    return f"{what} ({compute_type})" if compute_type else what


def _finding_html(rank: int, f: Finding) -> str:
    step = step_label(f.step)
    parts = [
        f"<div class='amlw-finding-title'><b>{rank}. {html.escape(f.title)}</b> "
        f"<code>{html.escape(f.id)}</code> &middot; {step} &middot; confidence {f.confidence:.0%}</div>"
    ]
    if f.facts.get("source"):  # several texts are diagnosed together: say which one told
        parts.append(
            f"<div class='amlw-finding-source'>found in: <b>{html.escape(str(f.facts['source']))}</b></div>"
        )
    if f.explanation:
        parts.append(f"<p>{html.escape(f.explanation)}</p>")
    if f.facts.get("tier") == 2:
        cues = ", ".join(str(c) for c in f.facts.get("cues", []))
        parts.append(
            "<p class='amlw-family-cues'>No exact match in the catalogue: the family these cues point at "
            f"(probability {f.facts.get('probability', 0):.0%}): <code>{html.escape(cues)}</code></p>"
        )
    if f.evidence:
        source = html.escape(str(f.facts.get("source", "log")))
        shown = f.evidence[:8]
        # a line of the input can hold several (a JSON payload unwrapped): "+" marks the same line again
        marks = [":" if i == 0 or e.line != shown[i - 1].line else "+" for i, e in enumerate(shown)]
        lines = "\n".join(
            f"{e.line:>6}{mark} {html.escape(mask_secrets(e.text))}"
            for e, mark in zip(shown, marks, strict=True)
        )
        more = f"\n   … {len(f.evidence) - 8} more" if len(f.evidence) > 8 else ""
        parts.append(
            f"<div>Evidence ({source}):</div>"
            f"<pre class='amlw-evidence' style='{PRE_STYLE}'>{lines}{more}</pre>"
        )
    if f.remedies:
        items = "".join(f"<li>{html.escape(r)}</li>" for r in f.remedies)
        parts.append(f"<div class='amlw-remedy'>What to do:<ul>{items}</ul></div>")
    link = link_url(f.doc_url)
    if link:
        parts.append(
            f"<a class='amlw-guide' href='{html.escape(link)}' target='_blank' rel='noopener noreferrer' "
            f"title='{html.escape(link)}' style='{LINK_STYLE}'>Read the guide ↗</a>"
        )
    elif f.doc_url:  # a loaded session may hold any text there: shown, never a link
        parts.append(f"<div class='amlw-guide'>Documentation: {html.escape(mask_secrets(f.doc_url))}</div>")
    return "".join(parts)


def finding_card(
    rank: int, f: Finding, on_next: Callable[[str, Finding], None], here: str | None = None
) -> w.VBox:
    """One finding: title, evidence lines, remedies, and its next-step buttons (none to ``here``)."""
    buttons = []
    for label, wizard in next_steps(f):
        if wizard == here:  # the user is in that wizard already
            continue
        b = w.Button(
            description=f"Next step: {label}",
            tooltip=f"Open the {label} wizard",
            layout=w.Layout(width="auto"),
        )
        b.add_class("amlw-next-step").add_class(f"amlw-open-{wizard}")
        b.on_click(lambda _b, wiz=wizard: on_next(wiz, f))
        buttons.append(b)
    body = w.HTML(_finding_html(rank, f))
    card = w.VBox(
        [body, w.HBox(buttons)], layout=w.Layout(border="1px solid #ccc", padding="4px", margin="4px 0")
    )
    return card.add_class("amlw-finding")


def unrecognised_html(unrecognised: Any) -> str:
    """The "not recognised" answer: the lines that look failed, the step they point at, what to try."""
    lines = "\n".join(f"{n:>6}: {html.escape(mask_secrets(t))}" for n, t in unrecognised.lines)
    step = f"<p>They point at {step_label(unrecognised.step)}.</p>" if unrecognised.step else ""
    todo = "".join(f"<li>{html.escape(t)}</li>" for t in unrecognised.next_steps)
    return (
        "<div class='amlw-unrecognised'><b>No known failure matched exactly.</b> The lines that look most "
        f"like the failure:<pre class='amlw-evidence'>{lines}</pre>{step}"
        f"What to try next:<ul>{todo}</ul></div>"
    )


def findings_box(
    findings: Iterable[Finding],
    on_next: Callable[[str, Finding], None],
    here: str | None = None,
    unrecognised: Any = None,
) -> list[w.Widget]:
    """A card a finding (best first), after the "not recognised" answer when nothing matched exactly."""
    cards: list[w.Widget] = [w.HTML(unrecognised_html(unrecognised))] if unrecognised is not None else []
    cards += [finding_card(i, f, on_next, here) for i, f in enumerate(findings, 1)]
    if not cards:
        cards = [
            w.HTML(
                "<p class='amlw-no-findings'>No failure found: nothing in this text looks failed. Read the "
                "logs (Fetch logs), reproduce locally (Deploy locally), or paste the error you saw.</p>"
            )
        ]
    return cards


def log_html(
    numbered: list[tuple[int, str]], *, highlight: Iterable[int] = (), search: str = "", scroll: bool = True
) -> str:
    """(1-based number, line) pairs as a numbered block; ``highlight`` lines marked, ``search`` marked;
    ``scroll``: in a box of its own height that scrolls (else the caller's box scrolls)."""
    marked = set(highlight)
    out = []
    needle = search.lower()
    # masked as one text (a private key block spans lines); masking keeps the number of lines
    masked = mask_secrets("\n".join(raw for _, raw in numbered)).split("\n")
    for (n, _), line in zip(numbered, masked, strict=False):  # as many: lines hold no "\n"
        text = html.escape(line)
        i = line.lower().find(needle) if needle else -1
        if i >= 0:
            text = (
                html.escape(line[:i])
                + f"<mark>{html.escape(line[i : i + len(needle)])}</mark>"
                + html.escape(line[i + len(needle) :])
            )
        cls = " class='amlw-log-hit'" if n in marked else ""
        style = " style='background:#ffe08a'" if n in marked else ""
        out.append(f"<span{cls}{style} data-line='{n}'>{n:>6}  {text}</span>")
    box = "max-height:28em;overflow:auto;" if scroll else ""
    return f"<pre class='amlw-log-lines' style='{box}{PRE_STYLE}'>" + "\n".join(out) + "</pre>"


def server_log_html(lines: list[str], window: int = 400) -> str:
    """A server's log (its last ``window`` lines) opened where it matters: at its last traceback, with the
    lines before it folded away and the root error marked; without one, scrolled to its newest line."""
    from .._tracebacks import last_traceback

    first = max(0, len(lines) - window)
    numbered = [(n, lines[n - 1]) for n in range(first + 1, len(lines) + 1)]
    found = last_traceback(lines)
    if found is None or found[0] < first:
        # a column-reversed scroll box opens at its end: the newest line shows, as in a terminal
        return (
            "<div class='amlw-log-tail' style='display:flex;flex-direction:column-reverse;"
            "max-height:28em;overflow:auto'>" + log_html(numbered, scroll=False) + "</div>"
        )
    start, root = found[0] + 1, found[1] + 1
    before, shown = numbered[: start - first - 1], numbered[start - first - 1 :]
    folded = (
        f"<details class='amlw-log-before'><summary>lines {before[0][0]}-{before[-1][0]} before the "
        f"traceback</summary>{log_html(before)}</details>"
        if before
        else ""
    )
    return folded + log_html(shown, highlight=[root])


def code_html(text: str, title: str = "") -> str:
    head = f"<div><b>{html.escape(title)}</b></div>" if title else ""
    return f"{head}<pre class='amlw-code' style='{PRE_STYLE}'>{html.escape(mask_secrets(text))}</pre>"


_BADGES = {
    "healthy": "✔",
    "succeeded": "✔",
    "failed": "✖",
    "unhealthy": "⚠",
    "transitioning": "…",
    "unschedulable": "✖",
}


def state_badge(state: str | None) -> str:
    """An icon for a service state (Healthy, Failed, Unhealthy, Transitioning...; v2: Succeeded...)."""
    return _BADGES.get((state or "").lower(), "•")


def labelled(label: str, widget: w.Widget, width: str = "12em", hint: str = "") -> w.HBox:
    """``label`` then ``widget`` in a row (rows of one form share ``width``, so their boxes line up);
    ``hint`` is a short note after the box (what 0 means...), so the label itself stays short."""
    # flex "none": a crowded row must shrink the control, never cut the label
    row = [w.Label(label, layout=w.Layout(width=width, min_width=width, flex="none")), widget]
    if hint:
        row.append(w.HTML(f"<span class='amlw-hint'>{html.escape(hint)}</span>").add_class("amlw-hint-box"))
    return w.HBox(row)


def workshop_app(session: Any) -> Any:
    """The workshop scenario's app (score.py, model files, timeout) when the session targets one: the
    learner's copy when the notebook runs in the folder ``amlwizard workshop`` made (so an edit of score.py
    is theirs, not a file inside the installed package), else the package's."""
    target = session.target
    in_workshop = target.get("kind") == "workshop"
    # a v2 scenario's service is its endpoint's deployment: "v2-<name>/blue"
    scenario = target.get("scenario") or ((session.service or "").partition("/")[0] if in_workshop else None)
    if not scenario:
        return None
    from .._workfolder import learner_app_dir
    from ..local import scenario_app

    try:
        return scenario_app(scenario, learner_app_dir(scenario))
    except UsageProblem:
        return None
