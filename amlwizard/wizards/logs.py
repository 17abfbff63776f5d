"""The Fetch logs wizard: the main and init logs of a service, searchable, with jumps to evidence.

It also shows the Azure CLI and Python calls that fetch the same logs, so the user learns them,
and, for AKS, where the cluster's own diagnostics live.
"""

from __future__ import annotations

import html
from dataclasses import asdict
from pathlib import Path
from typing import Any

import ipywidgets as w

from .._finding import Finding
from .._secrets import mask_secrets
from ._advanced import aks_note_html
from ._frame import Task, Wizard
from ._widgets import code_html, log_html

__all__ = ["LogsWizard", "howto_html"]

# The "no jump" choice: a Dropdown whose selected value is None shows an empty box, so () stands for it.
_NO_JUMP: tuple[str, Any] = ("(jump to an evidence line)", ())

# finding facts["source"] -> session.logs key
_SOURCE_KIND = {"main log": "main", "init log": "init", "pasted text": "pasted", "log file": "file"}
_KIND_LABEL = {
    "main": "Main (scoring)",
    "init": "Init container",
    "pasted": "Pasted text",
    "file": "Log file",
}
_TAIL = 400  # lines shown without a search: a notebook output of 5000 lines helps nobody
_WINDOW = 15  # lines shown each side of an evidence line


def howto_html(workspace: str, service: str, compute_type: str | None) -> str:
    """The CLI and Python ways to fetch the logs (and, for AKS, the cluster's diagnostics)."""
    cli = f"az ml service get-logs --verbose --workspace-name {workspace} --name {service}"
    py = (
        "from azureml.core import Workspace\nfrom azureml.core.webservice import Webservice\n\n"
        "ws = Workspace.from_config()\nprint([s.name for s in ws.webservices])  # the services\n"
        f"service = Webservice(ws, {service!r})\nprint(service.get_logs())            # main container\n"
        "print(service.get_logs(init=True))   # init container"
    )
    parts = [code_html(cli, "Azure CLI (ml extension)"), code_html(py, "Python (azureml-core)")]
    if (compute_type or "").upper() == "AKS":
        parts.append(aks_note_html())
    return "<div class='amlw-howto'>" + "".join(parts) + "</div>"


class LogsWizard(Wizard):
    name = "logs"
    title = "Fetch logs"

    def build(self) -> list[tuple[str, w.Widget]]:
        self.kind = w.ToggleButtons(options=[], value=None).add_class("amlw-log-kind")
        self.lines = w.BoundedIntText(
            value=self.session.max_log_lines, min=1, max=100_000, description="Lines"
        )
        self.lines.add_class("amlw-log-lines")
        self.fetch_button = w.Button(description="Fetch logs", button_style="primary", icon="download")
        self.fetch_button.add_class("amlw-fetch-logs")
        self.info = w.HTML().add_class("amlw-log-info")
        self.search = w.Text(placeholder="search (e.g. Error, Traceback)", continuous_update=False)
        self.search.add_class("amlw-log-search")
        self.only_matching = w.Checkbox(value=True, description="Only matching lines", indent=False)
        self.only_matching.add_class("amlw-log-filter")
        self.jump = w.Dropdown(options=[_NO_JUMP], value=_NO_JUMP[1], layout=w.Layout(width="36em"))
        self.jump.add_class("amlw-evidence-jump")
        self.view = w.HTML().add_class("amlw-log")
        self.save_path = w.Text(placeholder="service.log", layout=w.Layout(width="24em")).add_class(
            "amlw-save-path"
        )
        self.save_button = w.Button(description="Save log", icon="save").add_class("amlw-save-log")
        self.howto = w.HTML().add_class("amlw-howto-box")
        self.on_click(self.fetch_button, lambda: self.fetch())
        self.on_click(self.save_button, lambda: self.save(self.save_path.value))
        for control in (self.kind, self.search, self.only_matching):
            control.observe(lambda _: self.render(), names="value")
        self.jump.observe(lambda _: self.render(), names="value")
        self.fetch_box = w.HBox([self.fetch_button, self.lines])
        logs = w.VBox(
            [
                self.fetch_box,
                self.kind,
                self.info,
                w.HBox([self.search, self.only_matching]),
                self.jump,
                self.view,
                w.HBox([self.save_path, self.save_button]),
            ]
        )
        return [("Read the logs", logs), ("Fetch them yourself", self.howto)]

    # -- opening -------------------------------------------------------------------------------
    def on_open(self, finding: Finding | None = None, **kwargs: Any) -> None:
        s = self.session
        self.fetch_box.layout.display = None if s.has_workspace and s.service else "none"
        self._refresh_kinds()
        self._refresh_jumps()
        self._refresh_howto()
        if finding is not None and finding.evidence:
            kind = _SOURCE_KIND.get(str(finding.facts.get("source")))
            if kind in s.logs:
                self.kind.value = kind
                self.jump.value = (kind, finding.evidence[0].line)
        if not s.logs and s.has_workspace and s.service:
            self.fetch()
        else:
            self.render()

    def _refresh_kinds(self) -> None:
        kinds = [k for k in ("main", "init", "pasted", "file") if k in self.session.logs]
        current = self.kind.value
        self.kind.options = [(_KIND_LABEL[k], k) for k in kinds]
        self.kind.value = current if current in kinds else (kinds[0] if kinds else None)

    def _refresh_jumps(self) -> None:
        options: list[tuple[str, Any]] = [_NO_JUMP]
        for f in self.session.findings:
            kind = _SOURCE_KIND.get(str(f.facts.get("source")))
            if kind is None:
                continue
            for e in f.evidence[:5]:
                options.append(
                    (
                        f"{_KIND_LABEL[kind]} line {e.line} ({f.id}): {mask_secrets(e.text)[:70]}",
                        (kind, e.line),
                    )
                )
        self.jump.options = options

    def _refresh_howto(self) -> None:
        s = self.session
        details = s.state.get("service") or {}
        workspace = "<workspace>"
        if s.target.get("kind") == "workshop":
            workspace = "mlw-workshop"
        elif s._backend is not None:
            workspace = getattr(s._backend, "name", None) or workspace
        self.howto.value = howto_html(workspace, s.service or "<service>", details.get("compute_type"))

    # -- fetching ------------------------------------------------------------------------------
    def fetch(self) -> Task | None:
        s = self.session
        if not (s.has_workspace and s.service):
            self.show_error("no service to fetch logs from: choose one in Triage first")
            return None
        name, lines = s.service, self.lines.value

        known = (s.state.get("service") or {}).get("name") == name

        def work(task: Task) -> tuple[str, str, Any]:
            task.progress("the service, its main and init logs")
            details, texts = s.backend.fetch_for_diagnosis(name, lines=lines)
            return texts["main log"], texts["init log"], details

        def done(result: tuple[str, str, Any]) -> None:
            main, init, details = result
            if not known:  # its compute type: AKS gets a note
                s.state["service"] = asdict(details)
                self._refresh_howto()
            s.max_log_lines = lines
            s.set_logs("main", main)
            s.set_logs("init", init)
            self.record(
                f"fetched logs of {name} (last {lines} lines)",
                f"main {len(main.splitlines())} lines, init {len(init.splitlines())} lines",
            )
            self._refresh_kinds()
            self._refresh_jumps()
            self.render()

        return self.run_task(f"Fetching logs of {name}", work, done)

    # -- showing -------------------------------------------------------------------------------
    @property
    def text(self) -> str:
        return self.session.logs.get(self.kind.value or "", "")

    def render(self) -> None:
        kind = self.kind.value
        lines = self.text.splitlines()
        if kind is None:
            self.info.value = "No log yet: fetch the service's logs, or diagnose a log in Triage."
            self.view.value = ""
            return
        needle = self.search.value.strip()
        jump = self.jump.value
        highlight: list[int] = []
        if jump and jump[0] == kind:
            line = jump[1]
            first = max(1, line - _WINDOW)
            shown = [(n, lines[n - 1]) for n in range(first, min(len(lines), line + _WINDOW) + 1)]
            highlight = [line]
            where = f"lines {first}-{first + len(shown) - 1} around evidence line {line}"
        elif needle and self.only_matching.value:
            shown = [(n, t) for n, t in enumerate(lines, 1) if needle.lower() in t.lower()]
            where = f"{len(shown)} line(s) matching {needle!r}"
            shown = shown[:_TAIL]
        else:
            first = max(1, len(lines) - _TAIL + 1)
            shown = [(n, lines[n - 1]) for n in range(first, len(lines) + 1)]
            where = f"lines {first}-{len(lines)}" if lines else "empty"
        asked = f" (last {self.session.max_log_lines} asked)" if kind in ("main", "init") else ""
        self.info.value = html.escape(
            f"{_KIND_LABEL[kind]}: {len(lines)} lines{asked}; showing {where}", quote=False
        )
        self.view.value = log_html(shown, highlight=highlight, search=needle)

    def save(self, path: str) -> Path | None:
        """Write the log shown (masked) to ``path``."""
        if not self.text:
            self.show_error("no log to save yet: fetch the logs first")
            return None
        target = Path((path or "").strip() or f"{self.session.service or 'amlwizard'}-{self.kind.value}.log")
        target = target.expanduser()
        if not target.parent.is_dir():
            self.show_error(f"cannot save: folder {str(target.parent)!r} does not exist")
            return None
        try:
            target.write_text(mask_secrets(self.text) + "\n", encoding="utf-8")
        except OSError as e:
            self.show_error(f"cannot save to {str(target)!r}: {e.strerror}")
            return None
        self.clear_error()
        self.set_status(f"saved {len(self.text.splitlines())} lines to {target}")
        self.record(f"saved the {self.kind.value} log", str(target))
        return target
