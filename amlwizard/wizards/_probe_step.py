"""The Size replicas wizard's *Load probe* step: open-loop load on the service, a live plot of answers per
second by status and latency (updated in place from the kernel's thread), then the observed 503 / 504 rates
beside the simulator's for the same traffic, the failures the answers name, and the recommended settings.

The probe is ``amlwizard.calls``'s; on a real workspace it runs only once the user ticked the confirmation.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from .._errors import UsageProblem
from ._call_step import workshop_scenario
from ._widgets import findings_box, labelled

if TYPE_CHECKING:
    from ._frame import Task, Wizard

__all__ = ["ProbeStep"]


class ProbeStep:
    """Widgets and work of the step. ``on_next(wizard, finding)`` is a finding card's next-step button;
    ``on_probed(result)`` is called (kernel's thread) once a probe ended, e.g. to recommend settings."""

    def __init__(
        self, wizard: Wizard, on_next: Callable[[str, Any], None], on_probed: Callable[[Any], None]
    ) -> None:
        from ..calls import DEFAULT_RPS, DEFAULT_SECONDS, MAX_RPS, MAX_SECONDS

        self.wizard, self.on_next, self.on_probed = wizard, on_next, on_probed
        self.rps = w.BoundedFloatText(value=DEFAULT_RPS, min=0.1, max=MAX_RPS, step=1).add_class(
            "amlw-probe-rps"
        )
        self.seconds = w.BoundedIntText(value=DEFAULT_SECONDS, min=1, max=MAX_SECONDS).add_class(
            "amlw-probe-seconds"
        )
        for control in (self.rps, self.seconds):
            control.layout.width = "9em"
        self.confirm = w.Checkbox(
            value=False,
            indent=False,
            description="I understand: this sends real requests to the service (it costs money, and it may "
            "slow a service that serves production)",
            layout=w.Layout(width="auto"),
        ).add_class("amlw-probe-confirm")
        self.start_button = w.Button(description="Start probe", button_style="primary", icon="play")
        self.start_button.add_class("amlw-probe-start")
        self.stop_button = w.Button(description="Stop", icon="stop").add_class("amlw-probe-stop")
        wizard.on_click(self.start_button, lambda: self.start())
        wizard.on_click(self.stop_button, lambda: self.stop())
        self.summary = w.HTML().add_class("amlw-probe-summary")
        self.plot_box = w.Box().add_class("amlw-probe-plot")
        self.comparison_note = w.HTML().add_class("amlw-probe-note")
        self.comparison_box = w.Box().add_class("amlw-probe-comparison")
        self.findings = w.VBox().add_class("amlw-probe-findings")
        self.advice = w.HTML().add_class("amlw-probe-advice")
        if wizard.session.target.get("kind") == "workshop":  # the offline emulator: nothing to confirm
            self.confirm.layout.display = "none"
        self.figure: Any = None
        self.result: Any = None
        self._stop = threading.Event()
        intro = w.HTML(
            "<b>Load probe</b>: requests at random (Poisson) times at the rate below, whatever the answers, "
            "as real clients send them; answers are counted each second by status."
        )
        self.widget = w.VBox(
            [
                intro,
                w.HBox([labelled("Requests/s", self.rps, "7em"), labelled("Seconds", self.seconds, "6em")]),
                self.confirm,
                w.HBox([self.start_button, self.stop_button]),
                self.summary,
                self.plot_box,
                self.comparison_note,
                self.comparison_box,
                self.findings,
                self.advice,
            ]
        )

    # -- running -------------------------------------------------------------------------------------
    def service(self) -> str | None:
        s = self.wizard.session
        return s.service or (s.state.get("service") or {}).get("name")

    def start(self) -> Task | None:
        from ..calls import check_probe

        name, session = self.service(), self.wizard.session
        if not name or not session.has_workspace:
            self.wizard.show_error("no service to probe: open the wizard on a service of a workspace")
            return None
        rps, seconds = check_probe(self.rps.value, self.seconds.value)
        confirmed, scenario = self.confirm.value, workshop_scenario(session, name)
        frontend = _workshop_frontend(session, name)
        self._stop = stop = threading.Event()
        offset: list[int] = []  # the front end's second when the probe's clock started

        def timeline() -> list[dict[str, Any]] | None:
            if frontend is None:
                return None
            samples = frontend()["timeline"]
            if not offset:
                offset.append(samples[-1]["second"] if samples else 0)
            return [{**s, "second": s["second"] - offset[0]} for s in samples if s["second"] >= offset[0]]

        def work(task: Task) -> tuple[Any, ...]:
            from ..calls import (
                compare_with_simulation,
                default_request,
                endpoint_of,
                probe_endpoint,
                probe_settings,
            )

            task.progress(f"reading service {name} and its key")
            details = session.backend.get_service(name)
            endpoint = endpoint_of(session.backend, name, details)
            if not endpoint.is_local and not confirmed:
                raise UsageProblem(
                    f"{name} is a real service: tick the box to confirm ({rps * seconds:.0f} requests)"
                )
            request, _ = default_request(endpoint, details, scenario=scenario)

            def second(snapshot: Any) -> None:  # the probe's thread
                if task.cancelled.is_set():
                    stop.set()
                self.wizard.kernel_call(self.show_live, snapshot, timeline())

            task.progress(f"probing {name}: {rps:g} requests/s for {seconds} s")
            result = probe_endpoint(
                endpoint, request, rps=rps, seconds=seconds, cancel=stop, on_second=second
            )
            state = frontend() if frontend is not None else None
            comparison = compare_with_simulation(result, probe_settings(details, state))
            return result, comparison, timeline(), _diagnose_answers(result), _meanings(result, details)

        self.summary.value = ""
        self.comparison_note.value, self.comparison_box.children, self.findings.children = "", (), ()
        return self.wizard.run_task(f"Load probe of {name}", work, self.show_result, timeout=seconds + 180)

    def stop(self) -> None:
        """Stop sending; what was seen so far is shown (unlike Cancel, which drops the result)."""
        self._stop.set()

    # -- showing (the kernel's thread) -----------------------------------------------------------------
    def show_live(self, snapshot: Any, timeline: list[dict[str, Any]] | None) -> None:
        from ..plots import probe_figure, update_probe_figure

        if self.figure is None or (timeline is not None) != (len(self.figure.data) > 8):
            self.figure = probe_figure(replicas=timeline is not None, widget=True)
            self.plot_box.children = (self.figure,)
        update_probe_figure(self.figure, snapshot, timeline)
        self.summary.value = _summary_html(snapshot, live=True)

    def show_result(self, found: tuple[Any, ...]) -> None:
        import plotly.graph_objects as go

        from ..plots import probe_comparison_figure

        result, comparison, timeline, findings, meanings = found
        self.result = result
        self.show_live(result, timeline)
        self.summary.value = _summary_html(result, live=False) + "".join(
            f"<p class='amlw-probe-meaning'>{html.escape(m)}</p>" for m in meanings
        )
        self.comparison_note.value = f"<b>Observed against the simulator</b>: {html.escape(comparison.note)}"
        # nothing to draw beside the probe's own plot where nothing scales (ACI, a managed deployment)
        drawn = comparison.predicted is not None or bool(timeline)
        self.comparison_box.children = (
            (go.FigureWidget(probe_comparison_figure(comparison, timeline)),) if drawn else ()
        )
        self.findings.children = (
            tuple(findings_box(findings, self.on_next, here="replicas")) if findings else ()
        )
        self._remember(result, comparison, findings)
        self.on_probed(result)

    def _remember(self, result: Any, comparison: Any, findings: list[Any]) -> None:
        from ..diagnosis import rank_key

        s = self.wizard.session
        if findings:  # what the answers named joins what the logs named
            merged = {f.id: f for f in s.findings}
            merged.update({f.id: f for f in findings if f.id not in merged})
            s.set_findings(sorted(merged.values(), key=rank_key))
        counts = ", ".join(f"{k}: {v}" for k, v in result.by_status.items())
        if any(k.startswith("2") for k in result.by_status):  # run() answered: its time sizes a deployment
            # from the answers run() gave (a refusal's few milliseconds are the front end's): a request's
            # own time, unqueued (what holds an instance), and the slowest (what request_timeout_ms covers)
            s.state["probe"] = {"run_ms": result.ok_fast_ms, "slowest_ms": result.ok_slowest_ms}
        s.results["probe"] = {
            "title": "Load probe",
            "service": result.service,
            "load": f"{result.sent} requests, {result.achieved_rps:.1f} rps for {result.elapsed_s:g} s",
            "answers": counts,
            "latency": f"p50 {result.latency_ms.get('p50')} ms, p95 {result.latency_ms.get('p95')} ms",
            "against the simulator": comparison.note,
        }
        self.wizard.record(f"probed {result.service} at {result.target_rps:g} rps", counts)


def _workshop_frontend(session: Any, name: str) -> Callable[[], dict[str, Any]] | None:
    """The emulated front end's state of ``name`` when the session's workspace is this process's workshop."""
    if session.target.get("kind") != "workshop":
        return None
    from ..workshop import current_workshop

    workshop = current_workshop()
    if workshop is None or name not in workshop.scenarios:
        return None
    return lambda: workshop.scoring_state(name)


def _meanings(result: Any, details: Any) -> list[str]:
    """What each error status of a v2 endpoint's answers means, with the deployment's numbers."""
    from ..calls import status_meaning

    codes = sorted(int(k) for k in result.by_status if k.isdigit() and not k.startswith("2"))
    return [m for m in (status_meaning(code, details) for code in codes) if m]


def _diagnose_answers(result: Any) -> list[Any]:
    """The failures the probe's error answers name (one sample body per status, as the SDK prints them)."""
    from ..diagnosis import diagnose_many

    text = "\n".join(
        f"Response Code: {status}\nContent: {body}"
        for status, body in result.samples.items()
        if status[:1] != "2" and status != "error"
    )
    return diagnose_many({"probe answers": text}).findings if text else []


def _summary_html(result: Any, *, live: bool) -> str:
    counts = " · ".join(
        f"<b>{html.escape(k)}</b>: {v} ({v / max(1, result.answered):.1%})"
        for k, v in result.by_status.items()
    )
    lat = result.latency_ms
    latency = f" · p50 {lat['p50']:.0f} ms, p95 {lat['p95']:.0f} ms" if lat.get("p50") is not None else ""
    state = "running" if live else ("stopped" if result.cancelled else "done")
    return (
        f"<span class='amlw-probe-state'>{state}</span>: {result.sent} sent in {result.elapsed_s:.0f} s "
        f"({result.achieved_rps:.1f} rps, target {result.target_rps:g}) · "
        f"{counts or 'no answer yet'}{latency}"
    )
