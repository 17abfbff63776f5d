"""The triage wizard's *Call the service* step: send the sample (or the user's request) to the service with
its key, show status, latency, headers and body, and diagnose what came back together with the service's logs.

A 200 is evidence too: it checks step 6 (run) for that request. The HTTP is ``amlwizard.calls``'s.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from .._secrets import mask_secrets
from ._strips import call_strip, steps_strip
from ._widgets import exact_findings, findings_box

if TYPE_CHECKING:
    from ._frame import Wizard

__all__ = ["CallStep", "workshop_scenario"]


def workshop_scenario(session: Any, service: str | None) -> str | None:
    """The workshop scenario a service is (its sample request is the default), None outside the workshop."""
    if not service or session.target.get("kind") != "workshop":
        return None
    from ..scenarios import load_scenario, scenario_names

    if service in scenario_names():
        return service
    scenario = session.target.get("scenario")  # a v2 scenario's service is its endpoint/deployment
    if scenario in scenario_names() and load_scenario(scenario).service_name == service:
        return scenario
    return None


class CallStep:
    """Widgets and work of the step. ``wizard`` runs the tasks and shows errors; ``on_next(wizard, finding)``
    is a finding's next-step button; ``on_found(findings, details)`` shows them on the Findings step."""

    def __init__(
        self,
        wizard: Wizard,
        on_next: Callable[[str, Any], None],
        on_found: Callable[[list[Any], dict[str, Any]], None],
    ) -> None:
        self.wizard, self.on_next, self.on_found = wizard, on_next, on_found
        self.service: str | None = None
        self._default = ""  # the default request as put in the box
        self.request = w.Textarea(
            placeholder="the request body (JSON); empty: the workshop scenario's sample, or the service's "
            "swagger example",
            layout=w.Layout(width="48em", height="7em"),
        ).add_class("amlw-call-request")
        self.source = w.HTML().add_class("amlw-call-source")
        self.send_button = w.Button(description="Send request", button_style="primary", icon="paper-plane")
        self.send_button.add_class("amlw-call-send")
        self.probe_button = w.Button(description="Load probe", icon="line-chart").add_class("amlw-open-probe")
        wizard.on_click(self.send_button, lambda: self.send())
        wizard.on_click(self.probe_button, lambda: self.open_probe())
        self.answer = w.HTML().add_class("amlw-call-answer")
        self.strip = w.HTML(steps_strip(None)).add_class("amlw-call-strip")
        self.findings = w.VBox().add_class("amlw-call-findings")
        self.widget = w.VBox(
            [
                self.source,
                self.request,
                w.HBox([self.send_button, self.probe_button]),
                self.answer,
                self.strip,
                self.findings,
            ]
        )

    def for_service(self, service: str) -> None:
        """The service to call (a new one empties the request box and the last answer)."""
        if service != self.service:
            self.service = service
            self.request.value, self.answer.value, self.findings.children = "", "", ()
            self._default = ""
            self.source.value = f"<b>Call {html.escape(service)}</b> as a client does, with its key"

    # -- the request -----------------------------------------------------------------------------------
    def prepare(self) -> None:
        """Fill the request box with the default request (once), so the user sees what is sent."""
        if not self.service or self.request.value.strip():
            return
        name, session = self.service, self.wizard.session

        def work(task: Any) -> tuple[Any, str]:
            from ..calls import default_request, endpoint_of

            task.progress(f"reading service {name} and its key")
            details = session.backend.get_service(name)
            endpoint = endpoint_of(session.backend, name, details)
            return default_request(endpoint, details, scenario=workshop_scenario(session, name))

        def done(found: tuple[Any, str]) -> None:
            request, source = found
            if not self.request.value.strip():
                self.request.value = self._default = json.dumps(request)
                self.source.value = (
                    f"<b>Call {html.escape(name)}</b> as a client does, with its key · request: "
                    f"{html.escape(source)} (edit it to send another)"
                )

        self.wizard.run_task("Preparing the request", work, done)

    def send(self) -> Any:
        """Send the request box (empty: the default request), then diagnose the answer with the logs."""
        if not self.service:
            self.wizard.show_error("diagnose a service first (step 1): the call goes to that service")
            return None
        from ..local import load_sample_request

        text = self.request.value.strip()
        # the box as prepared: the default request again (named as such); else the user's (one line if bad)
        request = load_sample_request(text) if text and text != self._default else None
        name, session = self.service, self.wizard.session
        scenario, lines = workshop_scenario(session, name), session.max_log_lines

        def work(task: Any) -> Any:
            from ..calls import call_service

            task.progress(f"calling {name}, then reading its logs")
            return call_service(session.backend, name, request, scenario=scenario, lines=lines)

        return self.wizard.run_task(f"Calling {name}", work, self.show)

    # -- the answer ------------------------------------------------------------------------------------
    def show(self, done: Any) -> None:
        a, found = done.answer, done.diagnosis.findings
        exact = exact_findings(found)
        self.answer.value = _answer_html(a, done.request_source, done.details)
        ok, v2 = a is not None and a.ok, getattr(done.details, "sdk", "v1") == "v2"
        if ok:
            note = f"{'scoring' if v2 else 'step 6 (run)'} checked by a call: "
            note += f"{a.status} in {a.latency_ms:.0f} ms"
        else:
            note = "the call " + (f"answered {a.status}" if a is not None and a.status else "did not answer")
        self.strip.value = call_strip(exact, v2=v2, ok=ok, note=note)
        cards = findings_box(found, self.on_next, unrecognised=done.diagnosis.unrecognised)
        if a is not None and a.ok and not exact:  # a 200 and no failure matched exactly: step 6 works
            guesses = " Below, the family model's low-confidence guesses." if found else ""
            healthy = w.HTML(
                f"<p class='amlw-call-healthy'>✔ {html.escape(done.details.name)} answered {a.status} in "
                f"{a.latency_ms:.0f} ms: run() handled this request, and no failure matched in its answer, "
                f"logs or state. To see it under load (503s, 504s), run the <b>Load probe</b>.{guesses}</p>"
            )
            cards = [healthy, *(cards if found else [])]
        self.findings.children = tuple(cards)
        self._remember(done)

    def _remember(self, done: Any) -> None:
        s, a, found = self.wizard.session, done.answer, done.diagnosis.findings
        s.set_findings(found)
        s.state["service"] = asdict(done.details)
        said = f"{a.status} {a.reason} in {a.latency_ms:.0f} ms" if a and a.status else "no answer"
        top = found[0].id if found else "no known failure"
        s.results["triage"] = {**s.results.get("triage", {}), "title": "Triage", "service": done.details.name,
                               "call": said, "top finding": top}  # fmt: skip
        self.wizard.record(f"called service {done.details.name}", f"{said}; top: {top}")
        self.on_found(found, s.state["service"])

    def open_probe(self) -> None:
        self.wizard.record(f"opened the load probe of {self.service}")
        self.wizard.open_wizard("replicas", probe=True)


def _meaning_html(a: Any, details: Any) -> str:
    """A v2 endpoint's status in plain words, and the model's own answer behind a 424 (its headers)."""
    from ..calls import MODEL_ERROR_HEADERS, status_meaning

    meaning = status_meaning(a.status, details, a.headers)
    shown = [f"{h}: {a.headers[h]}" for h in MODEL_ERROR_HEADERS if h in a.headers]
    out = f"<p class='amlw-call-meaning'>{html.escape(meaning)}</p>" if meaning else ""
    if shown:
        lines = html.escape(mask_secrets("\n".join(shown)))
        out += f"<b>The model's own answer</b><pre class='amlw-call-model-error'>{lines}</pre>"
    if getattr(details, "sdk", "v1") == "v2" and getattr(details, "deployment", None):
        out += (
            f"<small>Sent with <code>azureml-model-deployment: {html.escape(details.deployment)}</code>: "
            "the call goes to this deployment, whatever the endpoint's traffic split.</small>"
        )
    return out


def _answer_html(a: Any, source: str, details: Any = None) -> str:
    if a is None:
        return "<p class='amlw-call-status'>Not called: the service has no scoring URI.</p>"
    if not a.status:
        head = (
            f"<b class='amlw-call-status'>no answer</b> after {a.latency_ms:.0f} ms: {html.escape(a.error)}"
        )
    else:
        colour = "#070" if a.ok else "#c00"
        head = (
            f"<b class='amlw-call-status' style='color:{colour}'>{a.status} {html.escape(a.reason)}</b> "
            f"in <span class='amlw-call-latency'>{a.latency_ms:.0f} ms</span>"
        )
    rows = "".join(
        f"<tr><td><code>{html.escape(k)}</code></td><td>{html.escape(mask_secrets(v))}</td></tr>"
        for k, v in a.headers.items()
    )
    body = html.escape(mask_secrets(a.body[:8000]))
    return (
        f"<div>{head} · POST <code>{html.escape(a.uri)}</code> ({html.escape(source)})</div>"
        f"{_meaning_html(a, details)}"
        f"<table class='amlw-call-headers'>{rows}</table>"
        f"<pre class='amlw-call-body' style='max-height:16em;overflow:auto'>{body}</pre>"
    )
