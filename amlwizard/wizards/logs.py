"""The Fetch logs wizard: the main and init logs of a service (an SDK v2 online deployment: its
inference-server and storage-initializer containers), searchable, with jumps to evidence.

It also shows the Azure CLI and Python calls that fetch the same logs (CLI v2 and SDK v2 for a deployment),
so the user learns them, and, for AKS, where the cluster's own diagnostics live. A container that is not
running has no logs ("try again later"): that is said in one line, with the way to reproduce it locally.
"""

from __future__ import annotations

import html
from dataclasses import asdict
from pathlib import Path
from typing import Any

import ipywidgets as w

from .._finding import Finding
from .._secrets import mask_secrets
from ._frame import Task, Wizard
from ._logs_howto import howto_html, howto_v2_html, not_running
from ._v2 import is_v2
from ._widgets import log_html

__all__ = ["LogsWizard", "howto_html", "howto_v2_html", "not_running"]

# The "no jump" choice: a Dropdown whose selected value is None shows an empty box, so () stands for it.
_NO_JUMP: tuple[str, Any] = ("(jump to an evidence line)", ())

# finding facts["source"] -> session.logs key (v2: triage names the texts by container, as capture does)
_SOURCE_KIND = {
    "main log": "main",
    "init log": "init",
    "pasted text": "pasted",
    "log file": "file",
    "inference-server log": "inference-server",
    "storage-initializer log": "storage-initializer",
    "create error": "create error",
    "image build log": "image build",
}
# a v2 session's logs are kept by container: what the call step names "main log" is the inference-server's
_V2_KIND = {"main": "inference-server", "init": "storage-initializer"}
_KIND_LABEL = {
    "main": "Main (scoring)",
    "init": "Init container",
    "inference-server": "inference-server",
    "storage-initializer": "storage-initializer",
    "create error": "Create/update error",
    "image build": "Image build log",
    "pasted": "Pasted text",
    "file": "Log file",
}
_KINDS = tuple(_KIND_LABEL)
_CONTAINERS = ("inference-server", "storage-initializer")
_TAIL = 400  # lines shown without a search: a notebook output of 5000 lines helps nobody
_WINDOW = 15  # lines shown each side of an evidence line


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
        self.not_running_note = w.HTML().add_class("amlw-not-running")
        self.local_button = w.Button(description="Reproduce locally", icon="play").add_class(
            "amlw-open-local"
        )
        self.on_click(self.local_button, lambda: self.reproduce_locally())
        self.not_running_box = w.HBox(
            [self.not_running_note, self.local_button], layout=w.Layout(display="none")
        )
        self.on_click(self.fetch_button, lambda: self.fetch())
        self.on_click(self.save_button, lambda: self.save(self.save_path.value))
        for control in (self.kind, self.search, self.only_matching):
            control.observe(lambda _: self.render(), names="value")
        self.jump.observe(lambda _: self.render(), names="value")
        self.lines.observe(lambda _: self._refresh_howto(), names="value")  # the snippets ask as many
        self.fetch_box = w.HBox([self.fetch_button, self.lines])
        logs = w.VBox(
            [
                self.fetch_box,
                self.kind,
                self.not_running_box,
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
            kind = self._kind_of(finding)
            if kind in s.logs:
                self.kind.value = kind
                self.jump.value = (kind, finding.evidence[0].line)
        if not s.logs and s.has_workspace and s.service:
            self.fetch()
        else:
            self.render()

    def _kind_of(self, finding: Finding) -> str | None:
        """The kept log a finding was seen in (its ``facts["source"]``)."""
        kind = _SOURCE_KIND.get(str(finding.facts.get("source")))
        if kind in _V2_KIND and kind not in self.session.logs:
            return _V2_KIND[kind]
        return kind

    def _refresh_kinds(self) -> None:
        kinds = [k for k in _KINDS if k in self.session.logs]
        current = self.kind.value
        self.kind.options = [(_KIND_LABEL[k], k) for k in kinds]
        self.kind.value = current if current in kinds else (kinds[0] if kinds else None)

    def _refresh_jumps(self) -> None:
        options: list[tuple[str, Any]] = [_NO_JUMP]
        for f in self.session.findings:
            kind = self._kind_of(f)
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
        if is_v2(s):
            endpoint = s.target.get("endpoint") or details.get("endpoint") or "<endpoint>"
            deployment = s.target.get("deployment") or details.get("deployment") or "<deployment>"
            self.howto.value = howto_v2_html(workspace, endpoint, deployment, self.lines.value)
            return
        self.howto.value = howto_html(workspace, s.service or "<service>", details.get("compute_type"))

    # -- fetching ------------------------------------------------------------------------------
    def fetch(self) -> Task | None:
        s = self.session
        if not (s.has_workspace and s.service):
            self.show_error("no service to fetch logs from: choose one in Triage first")
            return None
        name, lines = s.service, self.lines.value

        known = (s.state.get("service") or {}).get("name") == name

        def work(task: Task) -> tuple[dict[str, str], Any, dict[str, str]]:
            from .._errors import BackendError, NotFoundError

            task.progress("the service, its main and init logs (v2: both containers)")
            if "/" in name or s.target.get("sdk") == "v2":
                details = s.backend.get_service(name)
            else:  # a v1 service (or an endpoint alone: its deployment with the most traffic)
                details, main = s.backend.fetch_for_diagnosis(name, lines=lines)
                if details.sdk != "v2":
                    return {"main": main["main log"], "init": main["init log"]}, details, {}
            texts, refused = {}, {}
            for container in _CONTAINERS:
                task.progress(f"the {container} container's logs")
                try:
                    texts[container] = s.backend.get_logs(
                        details.name, init=container == _CONTAINERS[1], lines=lines
                    ).text
                except BackendError as e:
                    if isinstance(e, NotFoundError) or not not_running(str(e)):
                        raise
                    # "try again later": the container is not running; the other one may tell
                    texts[container], refused[container] = "", str(e)
            return texts, details, refused

        def done(result: tuple[dict[str, str], Any, dict[str, str]]) -> None:
            texts, details, refused = result
            if not known:  # its compute type: AKS gets a note
                s.state["service"] = asdict(details)
            s.set_service(details)
            s.max_log_lines = lines
            for kind in ("main", "init", *_CONTAINERS):
                if kind not in texts:
                    s.logs.pop(kind, None)
            for kind, text in texts.items():
                s.set_logs(kind, text)
            s.state.setdefault(self.name, {})["refused"] = refused
            counts = ", ".join(f"{k} {len(t.splitlines())} lines" for k, t in texts.items())
            self.record(f"fetched logs of {details.name} (last {lines} lines)", counts)
            self._refresh_howto()
            self._refresh_kinds()
            self._refresh_jumps()
            self.render()

        return self.run_task(f"Fetching logs of {name}", work, done)

    # -- showing -------------------------------------------------------------------------------
    @property
    def text(self) -> str:
        return self.session.logs.get(self.kind.value or "", "")

    def _show_not_running(self, kind: str | None) -> None:
        """One line when the container shown is not running (so it has no logs), and the way out."""
        refused = (self.session.state.get(self.name) or {}).get("refused") or {}
        said = refused.get(kind or "") or (
            self.text if kind in _CONTAINERS and not_running(self.text) else ""
        )
        if kind not in _CONTAINERS or not said:
            self.not_running_box.layout.display = "none"
            return
        self.not_running_note.value = (
            f"<span class='amlw-not-running-why'>The {html.escape(kind)} container is not running, so Azure "
            f"has no logs of it (it said: “{html.escape(mask_secrets(said.strip())[:200])}”); trying again "
            "later helps only while the deployment is still starting: reproduce it locally instead.</span>"
        )
        self.not_running_box.layout.display = None

    def reproduce_locally(self) -> None:
        """Open Deploy locally: the deployment's score.py and model in azmlinfsrv, its logs all yours."""
        self.record(f"opened local reproduction: the {self.kind.value} container was not running")
        self.open_wizard("local")

    def render(self) -> None:
        kind = self.kind.value
        self._show_not_running(kind)
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
        fetched = ("main", "init", *_CONTAINERS)
        asked = f" (last {self.session.max_log_lines} asked)" if kind in fetched else ""
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
