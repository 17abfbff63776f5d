"""The triage wizard (the entry point): pick a service or paste a log, see the findings, call the service.

Findings come with their evidence lines and where they were found, the six deployment steps with the
failed one marked (an SDK v2 online deployment: its six stages, image build to scoring), and a next-step
button per finding that opens the wizard that helps (Deploy locally, Inspect model path...). What is
diagnosed is what was fetched (state, error, logs; v2: the captured create/update error and both
containers' logs) and what a call returned (``_call_step``): a healthy service has steps 1-5 done, and a
call that answers 200 checks step 6.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import ipywidgets as w

from .._finding import Finding
from ._call_step import CallStep
from ._frame import Task, Wizard
from ._triage_parts import healthy, keep_logs, summary_html, v2_texts
from ._v2 import is_v2
from ._widgets import (
    exact_findings,
    findings_box,
    service_kind,
    state_badge,
    steps_strip,
    v2_stage,
    v2_stages_strip,
)

__all__ = ["TriageWizard"]

_HEALTHY = ("Healthy", "Succeeded")  # v1 service state / v2 provisioning state


class TriageWizard(Wizard):
    name = "triage"
    title = "Triage"

    def build(self) -> list[tuple[str, w.Widget]]:
        self.services = w.Select(options=[], rows=8, layout=w.Layout(width="36em")).add_class("amlw-services")
        self.refresh_button = w.Button(description="Refresh list", icon="refresh").add_class("amlw-refresh")
        self.diagnose_button = w.Button(description="Diagnose service", button_style="primary").add_class(
            "amlw-diagnose-service"
        )
        self.paste = w.Textarea(
            placeholder="Paste the error you saw, or a log (optional with a service)",
            layout=w.Layout(width="48em", height="8em"),
        ).add_class("amlw-paste")
        self.diagnose_text_button = w.Button(description="Diagnose text").add_class("amlw-diagnose-text")
        self.log_path = w.Text(placeholder="path/to/a.log", layout=w.Layout(width="30em")).add_class(
            "amlw-log-path"
        )
        self.open_file_button = w.Button(description="Open file").add_class("amlw-open-file")
        self.upload = w.FileUpload(accept=".log,.txt,.json", multiple=False, description="Upload log")
        self.upload.add_class("amlw-upload")
        self.on_click(self.refresh_button, lambda: self.refresh_services())
        self.on_click(self.diagnose_button, lambda: self.diagnose_service())
        self.on_click(self.diagnose_text_button, lambda: self.diagnose_text(self.paste.value, "pasted text"))
        self.on_click(self.open_file_button, lambda: self.open_file(self.log_path.value))
        self.upload.observe(self._uploaded, names="value")
        self.service_box = w.VBox(
            [
                w.HTML("<b>A service of the workspace</b>"),
                self.services,
                w.HBox([self.diagnose_button, self.refresh_button]),
            ]
        )
        choose = w.VBox(
            [
                self.service_box,
                w.HTML("<b>Or the error / log text</b>"),
                self.paste,
                self.diagnose_text_button,
                w.HTML("<b>Or a log file</b>"),
                w.HBox([self.log_path, self.open_file_button, self.upload]),
            ]
        )
        self.summary = w.HTML().add_class("amlw-service-summary")
        self.strip = w.HTML(steps_strip(None)).add_class("amlw-steps-strip")
        self.findings = w.VBox().add_class("amlw-findings")
        self.note = w.Text(placeholder="a note for the report", layout=w.Layout(width="36em")).add_class(
            "amlw-note"
        )
        self.note_button = w.Button(description="Add note").add_class("amlw-add-note")
        self.on_click(self.note_button, lambda: self._add_note())
        self.call = CallStep(self, self._next_step, self.show_findings)
        self.health = w.HTML().add_class("amlw-service-health")
        self.call_button = w.Button(description="Call the service", icon="paper-plane").add_class(
            "amlw-open-call"
        )
        self.on_click(self.call_button, lambda: self.go(2))
        self.probe_button = w.Button(description="Load probe", icon="line-chart").add_class("amlw-open-probe")
        self.on_click(self.probe_button, lambda: self.call.open_probe())
        self.service_actions = w.HBox([self.call_button, self.probe_button], layout=w.Layout(display="none"))
        results = w.VBox(
            [self.summary, self.strip, self.health, self.service_actions, self.findings,
             w.HBox([self.note, self.note_button])]
        )  # fmt: skip
        return [
            ("Choose what to diagnose", choose),
            ("Findings", results),
            ("Call the service", self.call.widget),
        ]

    # -- opening -------------------------------------------------------------------------------
    def on_open(self, **kwargs: Any) -> None:
        if getattr(self, "_opened", False):
            return
        self._opened = True
        s = self.session
        self.service_box.layout.display = None if s.has_workspace else "none"
        text_kind = next((k for k in ("pasted", "file") if k in s.logs), None)
        if s.state.get("service"):
            self.call.for_service(s.state["service"]["name"])
        if s.findings:  # resumed, or opened again: show what was found
            self.show_findings(s.findings, s.state.get("service"))
            self.go(s.state.get(self.name, {}).get("step", 1))
        elif text_kind == "file" and Path(s.target.get("log", "")).is_file():
            self.open_file(s.target["log"])  # the whole file, not only the tail the session keeps
        elif text_kind:
            self.diagnose_text(
                s.logs[text_kind], "pasted text" if text_kind == "pasted" else "log file", keep=False
            )
        if s.has_workspace:  # the list, and the service named by the magic diagnosed unless done already
            self.refresh_services(then_diagnose=None if (s.findings or text_kind) else s.service)

    def on_next(self, step: int) -> bool:
        if step == 0:
            if self.services.value:
                self.diagnose_service()
            elif self.paste.value.strip():
                self.diagnose_text(self.paste.value, "pasted text")
            else:
                self.show_error("choose a service, paste an error or a log, or open a log file first")
            return False
        if step == 1 and not self.call.service:
            self.show_error("diagnose a service first: the call goes to that service")
            return False
        return True

    def on_step(self, step: int) -> None:
        if step == 2:
            self.call.prepare()

    # -- services ------------------------------------------------------------------------------
    def refresh_services(self, then_diagnose: str | None = None) -> Task:
        def work(task: Task) -> tuple[list[Any], Any]:
            task.progress("connecting to the workspace")
            backend = self.session.backend
            task.progress("listing services and online deployments")
            services = backend.list_services()
            if not then_diagnose or then_diagnose in [s.name for s in services]:
                return services, (then_diagnose, "")
            from .._errors import NotFoundError
            from .._target import resolve_service

            try:  # an endpoint alone, or a name that is not there: said in one line
                return services, resolve_service(then_diagnose, services, backend.list_endpoints())
            except NotFoundError as e:
                return services, e

        def done(result: tuple[list[Any], Any]) -> None:
            services, chosen = result
            self.services.options = [
                (
                    f"{state_badge(s.state)} {s.name} · {service_kind(s.sdk, s.compute_type)} · "
                    f"{s.state or 'unknown'}",
                    s.name,
                )
                for s in services
            ]
            if self.host is not None:
                self.host.update_target()
            if isinstance(chosen, Exception):
                self.show_error(str(chosen))
                return
            name, note = chosen
            self.chosen = (name, note)
            if name:
                if note:
                    self.record(f"chose a deployment: {note}")
                self.services.value = name
                self.diagnose_service()

        return self.run_task("Listing services", work, done)

    def diagnose_service(self) -> Task | None:
        name = self.services.value
        if not name:
            self.show_error("choose a service in the list first (Refresh list if it is empty)")
            return None
        seen = self.paste.value
        lines = self.session.max_log_lines

        def work(task: Task) -> tuple[Any, dict[str, str], list[Finding]]:
            from ..diagnosis import diagnose_many

            backend = self.session.backend
            task.progress(f"reading service {name} and its logs")
            details, texts = backend.fetch_for_diagnosis(name, lines=lines)
            if details.sdk == "v2":
                texts = v2_texts(self.session, details, texts)
            task.progress("diagnosing")
            context = {"compute_type": details.compute_type, "sdk": details.sdk or "v1"}
            diagnosis = diagnose_many({**texts, "error you saw": seen}, context=context)
            self.unrecognised = diagnosis.unrecognised
            return details, texts, diagnosis.findings

        def done(result: tuple[Any, dict[str, str], list[Finding]]) -> None:
            details, texts, found = result
            self.call.for_service(name)
            s = self.session
            s.set_service(details)
            keep_logs(s, details, texts)
            s.state["service"] = asdict(details)
            s.set_findings(found)
            top = found[0].id if found else "no known failure"
            s.results["triage"] = {
                "title": "Triage",
                "service": name,
                "deployed as": service_kind(details.sdk, details.compute_type),
                "state": details.state,
                "top finding": top,
            }
            self.record(f"diagnosed service {name} ({details.state})", f"{len(found)} finding(s); top: {top}")
            self.show_findings(found, s.state["service"])
            self.go(1)

        def failed(e: Any) -> None:
            if getattr(e, "finding", None) is not None:
                self.session.set_findings([e.finding])
                self.record(f"diagnosed service {name}", f"the workspace refused: {e}")
                self.show_findings([e.finding], None)
                self.go(1)

        self.clear_findings()
        return self.run_task(f"Diagnosing {name}", work, done, failed=failed)

    # -- text and files -------------------------------------------------------------------------
    def diagnose_text(self, text: str | Path, source: str, *, keep: bool = True) -> Task | None:
        """Diagnose pasted text, or a log file given as a Path (streamed: a 1 GB log fits)."""
        if isinstance(text, str) and not text.strip():
            self.show_error("the text is empty: paste the error message or the log first")
            return None

        def done(found: list[Finding]) -> None:
            kind = "pasted" if source == "pasted text" else "file"
            if keep and isinstance(text, Path):
                self.session.set_logs_from_file(kind, text)
            elif keep:
                self.session.set_logs(kind, text)
            self.session.set_findings(found)
            top = found[0].id if found else "no known failure"
            self.session.results["triage"] = {"title": "Triage", "source": source, "top finding": top}
            what = text.name if isinstance(text, Path) else f"{len(text.splitlines())} lines"
            self.record(f"diagnosed {source} ({what})", f"{len(found)} finding(s); top: {top}")
            self.show_findings(found, None)
            self.go(1)

        def work(task: Task) -> list[Finding]:
            from ..diagnosis import diagnose_many

            diagnosis = diagnose_many({source: text})
            self.unrecognised = diagnosis.unrecognised
            return diagnosis.findings

        return self.run_task("Diagnosing", work, done)

    def open_file(self, path: str) -> Task | None:
        p = Path(path.strip()).expanduser()
        if not path.strip() or not p.is_file():
            self.show_error(f"no file at {path!r}: check the path (relative to the notebook's folder)")
            return None
        self.session.target["log"] = str(p)
        return self.diagnose_text(p, "log file")

    def _uploaded(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if files:
            f = files[0]
            self.session.target["log"] = f["name"]
            self.diagnose_text(bytes(f["content"]).decode("utf-8", errors="replace"), "log file")

    # -- showing -------------------------------------------------------------------------------
    def clear_findings(self) -> None:
        self.findings.children = ()
        self.strip.value = steps_strip(None)
        self.health.value = ""

    def _strip(self, found: list[Finding], details: dict[str, Any] | None) -> str:
        """The guide's six steps (v1), or a v2 deployment's six stages, the failed one marked."""
        if is_v2(self.session, details):
            return v2_stages_strip(next((v2_stage(f) for f in found if v2_stage(f)), None))
        return steps_strip(next((f.step for f in found if f.step), None))

    def show_findings(self, found: list[Finding], details: dict[str, Any] | None) -> None:
        self.strip.value = self._strip(found, details)
        unrecognised = getattr(self, "unrecognised", None)
        self.findings.children = tuple(findings_box(found, self._next_step, unrecognised=unrecognised))
        self.health.value = ""
        self.service_actions.layout.display = "none" if not details else None
        if details and not exact_findings(found) and details.get("state") in _HEALTHY:
            self._show_healthy(details, guesses=bool(found))
        said_of, note = getattr(self, "chosen", ("", ""))
        self.summary.value = (
            summary_html(
                details,
                v2=is_v2(self.session, details),
                chosen=note if said_of == details["name"] else "",
                captured="create error" in self.session.logs,
            )
            if details
            else ""
        )

    def _show_healthy(self, details: dict[str, Any], *, guesses: bool) -> None:
        """Nothing failed exactly in what was fetched, the service is Healthy: steps 1-5 done, 6 for a call
        (v2: image build to probes done, scoring for a call)."""
        call = self.session.results.get("triage", {}).get("call", "")
        self.strip.value, self.health.value = healthy(
            details["name"], call, v2=is_v2(self.session, details), guesses=guesses
        )
        if not guesses:
            self.findings.children = ()

    def _next_step(self, wizard: str, finding: Finding) -> None:
        self.record(f"opened {wizard} for finding {finding.id}")
        self.open_wizard(wizard, finding=finding)

    def _add_note(self) -> None:
        if self.note.value.strip():
            self.session.add_note(self.note.value.strip())
            self.set_status("note added")
            self.note.value = ""
