"""Small helpers the wizards share: finding cards, the six-steps strip, log and code views, the
workshop scenario's app to prefill a form.

Only rendering: every value shown was computed by the engine or fetched by a backend.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from typing import Any

import ipywidgets as w

from .._errors import UsageProblem
from .._finding import DEPLOYMENT_STEPS, Finding, step_label
from .._secrets import mask_secrets

__all__ = [
    "NEXT_STEPS",
    "next_steps",
    "finding_card",
    "findings_box",
    "steps_strip",
    "log_html",
    "code_html",
    "state_badge",
    "labelled",
    "workshop_app",
]

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


def steps_strip(failed_step: int | None, *, passed: int = 0, note: str = "") -> str:
    """The six deployment steps as a strip; the failed one marked, those before it passed. With no failed
    step, ``passed`` steps are marked done (a healthy service: 5 from its state, 6 once a call answered 200)
    and ``note`` says what the next one needs."""
    cells = []
    for i, (name, what) in enumerate(DEPLOYMENT_STEPS, 1):
        if failed_step is None and i <= passed:
            cls, mark = "amlw-step amlw-step-ok", "✔ "
        elif failed_step is None:
            cls, mark = "amlw-step", ""
        elif i < failed_step:
            cls, mark = "amlw-step amlw-step-ok", "✔ "
        elif i == failed_step:
            cls, mark = "amlw-step amlw-step-failed", "✖ "
        else:
            cls, mark = "amlw-step amlw-step-later", ""
        style = {
            "amlw-step amlw-step-failed": "background:#fdd;border-color:#c00;font-weight:bold",
            "amlw-step amlw-step-ok": "background:#efe",
        }.get(cls, "")
        cells.append(
            f"<span class='{cls}' title='{html.escape(what)}' data-step='{i}' "
            "style='display:inline-block;border:1px solid #999;border-radius:4px;padding:2px 8px;"
            f"margin:2px;{style}'>"
            f"{mark}{i}. {html.escape(name)}</span>"
        )
    where = (
        f" <span class='amlw-step-where'>failed at step {failed_step}: "
        f"{DEPLOYMENT_STEPS[failed_step - 1][0]}</span>"
        if failed_step
        else f" <span class='amlw-step-where'>{html.escape(note)}</span>"
        if note
        else ""
    )
    return "<div class='amlw-steps'>" + "&rarr;".join(cells) + where + "</div>"


def _finding_html(rank: int, f: Finding) -> str:
    step = step_label(f.step)
    parts = [
        f"<div class='amlw-finding-title'><b>{rank}. {html.escape(f.title)}</b> "
        f"<code>{html.escape(f.id)}</code> &middot; {step} &middot; confidence {f.confidence:.0%}</div>"
    ]
    if f.explanation:
        parts.append(f"<p>{html.escape(f.explanation)}</p>")
    if f.evidence:
        source = html.escape(str(f.facts.get("source", "log")))
        lines = "\n".join(f"{e.line:>6}: {html.escape(mask_secrets(e.text))}" for e in f.evidence[:8])
        more = f"\n   … {len(f.evidence) - 8} more" if len(f.evidence) > 8 else ""
        parts.append(f"<div>Evidence ({source}):</div><pre class='amlw-evidence'>{lines}{more}</pre>")
    if f.remedies:
        items = "".join(f"<li>{html.escape(r)}</li>" for r in f.remedies)
        parts.append(f"<div class='amlw-remedy'>What to do:<ul>{items}</ul></div>")
    if f.doc_url:
        parts.append(f"<a href='{html.escape(f.doc_url)}' target='_blank'>Guide</a>")
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


def findings_box(
    findings: Iterable[Finding], on_next: Callable[[str, Finding], None], here: str | None = None
) -> list[w.Widget]:
    cards: list[w.Widget] = [finding_card(i, f, on_next, here) for i, f in enumerate(findings, 1)]
    if not cards:
        cards = [
            w.HTML(
                "<p class='amlw-no-findings'>No known failure found in this text. Read the logs "
                "(Fetch logs), reproduce locally (Deploy locally), or paste the error you saw.</p>"
            )
        ]
    return cards


def log_html(numbered: list[tuple[int, str]], *, highlight: Iterable[int] = (), search: str = "") -> str:
    """(1-based number, line) pairs as a numbered block; ``highlight`` lines marked, ``search`` marked."""
    marked = set(highlight)
    out = []
    needle = search.lower()
    for n, raw in numbered:
        line = mask_secrets(raw)
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
    return "<pre class='amlw-log-lines' style='max-height:28em;overflow:auto'>" + "\n".join(out) + "</pre>"


def code_html(text: str, title: str = "") -> str:
    head = f"<div><b>{html.escape(title)}</b></div>" if title else ""
    return f"{head}<pre class='amlw-code'>{html.escape(mask_secrets(text))}</pre>"


_BADGES = {"healthy": "✔", "failed": "✖", "unhealthy": "⚠", "transitioning": "…", "unschedulable": "✖"}


def state_badge(state: str | None) -> str:
    """An icon for a service state (Healthy, Failed, Unhealthy, Transitioning...)."""
    return _BADGES.get((state or "").lower(), "•")


def labelled(label: str, widget: w.Widget, width: str = "12em") -> w.HBox:
    # flex "none": a crowded row must shrink the control, never cut the label
    return w.HBox([w.Label(label, layout=w.Layout(width=width, min_width=width, flex="none")), widget])


def workshop_app(session: Any) -> Any:
    """The workshop scenario's app (score.py, model files, timeout) when the session targets one."""
    target = session.target
    scenario = target.get("scenario") or (session.service if target.get("kind") == "workshop" else None)
    if not scenario:
        return None
    from ..local import scenario_app

    try:
        return scenario_app(scenario)
    except UsageProblem:
        return None
