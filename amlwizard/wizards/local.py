"""The Deploy locally wizard: run score.py and the model in the real inference server on 127.0.0.1.

Start it, see its health, send a request, watch its log, stop it; a failure is diagnosed with the
same engine as the remote logs. The last step explains attaching VS Code (debugpy).
"""

from __future__ import annotations

import html
import json
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import ipywidgets as w

from .._errors import UsageProblem
from .._finding import Finding
from .._secrets import mask_secrets
from ._advanced import debug_html, engine_html
from ._frame import Task, Wizard
from ._local_v2 import check_probes_html, compute_type, v2_details
from ._widgets import findings_box, labelled, server_log_html, workshop_app

__all__ = ["LocalWizard"]


class LocalWizard(Wizard):
    name = "local"
    title = "Deploy locally"
    resume_step = False

    def build(self) -> list[tuple[str, w.Widget]]:
        wide = w.Layout(width="36em")
        self.score_path = w.Text(placeholder="score.py", layout=wide).add_class("amlw-score-path")
        self.model_dir = w.Text(placeholder="folder of the registered model's files", layout=wide)
        self.model_dir.add_class("amlw-model-dir")
        self.model_ref = w.Text(
            placeholder="name:version (lays the files out as the service does)", layout=wide
        )
        self.model_ref.add_class("amlw-model-ref")
        self.timeout_ms = w.BoundedIntText(value=0, min=0, max=3_600_000).add_class("amlw-timeout-ms")
        self.debug_port = w.BoundedIntText(value=0, min=0, max=65535).add_class("amlw-debug-port")
        self.request = w.Textarea(
            placeholder='{"data": [[...]]}', layout=w.Layout(width="36em", height="6em")
        )
        self.request.add_class("amlw-request")
        # the scoring script's environment (it needs azureml-inference-server-http); default: this kernel's
        self.python = w.Text(value=sys.executable, layout=wide).add_class("amlw-python")
        self.download_button = w.Button(description="Download model", icon="download")
        self.download_button.add_class("amlw-download-model")
        self.on_click(self.download_button, self.download_model)
        self.start_button = w.Button(description="Start local server", button_style="primary", icon="play")
        self.start_button.add_class("amlw-start")
        self.send_button = w.Button(description="Send request", icon="paper-plane").add_class("amlw-send")
        self.stop_button = w.Button(description="Stop", button_style="danger", icon="stop").add_class(
            "amlw-stop"
        )
        self.log_button = w.Button(description="Refresh log", icon="refresh").add_class("amlw-refresh-log")
        self.on_click(self.start_button, lambda: self.start())
        self.on_click(self.send_button, lambda: self.send())
        self.on_click(self.stop_button, lambda: self.stop())
        self.on_click(self.log_button, lambda: self.render_log())
        self.engine = w.HTML().add_class("amlw-engine")
        self.health = w.HTML("Not started.").add_class("amlw-health")
        self.probes = w.HTML().add_class("amlw-probe-check")  # SDK v2: the probes against init()'s time
        self.response = w.HTML().add_class("amlw-response")
        self.log = w.HTML().add_class("amlw-local-log")
        self.findings = w.VBox().add_class("amlw-findings")
        self.debug = w.HTML().add_class("amlw-debug-box")
        choose = w.VBox(
            [
                labelled("score.py", self.score_path),
                labelled("Model files", self.model_dir),
                w.HBox([labelled("Model name:version", self.model_ref), self.download_button]),
                labelled("Scoring timeout (ms)", self.timeout_ms, hint="0 = the service's default"),
                labelled("Debug port", self.debug_port, hint="0 = off"),
                labelled("Request body", self.request),
            ]
        )
        choose.children = (*choose.children[:1], labelled("Python", self.python), *choose.children[1:])
        run = w.VBox(
            [
                w.HBox([self.start_button, self.send_button, self.stop_button, self.log_button]),
                self.engine,
                self.health,
                self.probes,
                self.response,
                self.findings,
                w.HTML("<b>Server log</b>"),
                self.log,
            ]
        )
        self.deployment: Any = None
        self._start_task: Task | None = None  # Cancel stops the server only while it is starting
        self._models: tempfile.TemporaryDirectory[str] | None = None  # downloaded models, removed on close
        self._poller: threading.Thread | None = None
        return [
            ("Choose score.py and model", choose),
            ("Run and test", run),
            ("Debug in VS Code", self.debug),
        ]

    # -- opening -------------------------------------------------------------------------------
    def on_open(self, finding: Finding | None = None, **kwargs: Any) -> None:
        if not getattr(self, "_filled", False):
            self._filled = True
            self._prefill()
        if finding is not None:
            self.set_status(
                f"Reproduce {finding.id} locally: check the paths, then Next and Start local server."
            )

    def _prefill(self) -> None:
        s = self.session
        saved = s.state.get(self.name, {})
        if saved.get("score_path"):
            self.score_path.value = saved["score_path"]
            self.model_dir.value = saved.get("model_dir", "")
            self.model_ref.value = saved.get("model_ref", "")
            self.timeout_ms.value = saved.get("timeout_ms", 0)
            self.request.value = saved.get("request", "")
            self.python.value = saved.get("python") or sys.executable
            return
        app = workshop_app(s)
        if app is not None:
            self.score_path.value = str(app.score_path)
            self.model_dir.value = str(app.model_files)
            self.model_ref.value = f"{app.model_name}:{app.model_version}"
            self.timeout_ms.value = app.timeout_ms or 0
            self.request.value = app.sample_request.read_text(encoding="utf-8").strip()
            return
        details = s.state.get("service") or {}
        if details.get("models"):
            self.model_ref.value = details["models"][0]
        if details.get("scoring_timeout_ms"):
            self.timeout_ms.value = int(details["scoring_timeout_ms"])

    def on_step(self, step: int) -> None:
        if step == 2:
            self.debug.value = debug_html(self.score_path.value, self.debug_port.value or 5678)

    def _remember(self) -> None:
        self.session.state.setdefault(self.name, {}).update(
            score_path=self.score_path.value,
            model_dir=self.model_dir.value,
            model_ref=self.model_ref.value,
            timeout_ms=self.timeout_ms.value,
            request=self.request.value,
            python=self.python.value,
        )

    # -- running -------------------------------------------------------------------------------
    def start(self) -> Task | None:
        from ..local import LocalDeployment

        self._remember()
        self.stop(quiet=True)
        self.go(1)
        try:
            model_dir = self.model_dir.value.strip() or None
            ref = self.model_ref.value.strip() or None
            self.deployment = LocalDeployment(
                self.score_path.value.strip() or "score.py",
                model_dir=model_dir,
                model=ref if (ref and model_dir) else None,
                timeout_ms=self.timeout_ms.value or None,
                debug_port=self.debug_port.value or None,
                python=self.python.value.strip() or None,
                compute_type=compute_type(self.session),  # a run() failure's status there (424/408 managed)
            )
        except UsageProblem as e:
            self.show_error(str(e))
            return None
        deployment = self.deployment
        self.health.value, self.probes.value = "… starting…", ""
        self.findings.children = ()

        def done(result: tuple[Any, Any, Any]) -> str | None:
            engine, health, details = result
            self.engine.value = engine_html(  # says plainly whether Docker's LocalWebservice could run
                engine,
                service=self.session.service or "local-debug",
                model=self.model_ref.value or "my-model:1",
                score=self.score_path.value,
                conda_file=str(Path(self.score_path.value).with_name("conda.yml")),
                model_files=self.model_dir.value,
            )
            self.render_log()
            if health.ok:
                self.health.value = (
                    f"✔ healthy in {health.seconds:.1f} s at <code>{html.escape(health.url)}</code>"
                )
                outcome = f"healthy in {health.seconds:.1f} s"
                self._start_polling()
                if details is not None:  # SDK v2: would its probes wait that long?
                    outcome += check_probes_html(self.probes, health.seconds, details)
            else:
                self.health.value = f"✖ {html.escape(mask_secrets(health.reason))}"
                outcome = health.reason
                self._show_diagnosis(health.findings, health.log_tail)
                if details is not None and health.exit_code is None:  # init() still running: too slow?
                    outcome += check_probes_html(self.probes, health.seconds, details, finished=False)
            self.session.results["local"] = {
                "title": "Local deployment",
                "score.py": self.score_path.value,
                "model": self.model_ref.value,
                "start": outcome,
            }
            self.record("started the local server", outcome)
            return None if health.ok else mask_secrets(health.reason)

        limit = self.session.timeout

        # the server's own start timeout answers first, with the log; the frame's is a backstop
        def work(task: Task) -> tuple[Any, Any, Any]:
            from ..local import choose_local_engine

            details = v2_details(self.session)
            # the deployment's environment variables, as its container has them (a setting init() reads)
            settings = (details or {}).get("environment_variables") or {}
            deployment.extra_env = {**settings, **deployment.extra_env}
            health = deployment.start(wait=True, timeout=limit)
            return choose_local_engine(), health, details

        self._start_task = self.run_task("Starting the local server", work, done, timeout=limit + 15)
        return self._start_task

    def send(self) -> Task | None:
        deployment = self.deployment
        if deployment is None:
            self.show_error("start the local server first (Start local server)")
            return None
        self._remember()
        body = self.request.value.strip() or "{}"

        def work(task: Task) -> Any:
            from ..local import load_sample_request

            return deployment.score(load_sample_request(body))

        def done(r: Any) -> None:
            icon = "✔" if r.ok else "✖"
            remote = (
                f" &middot; as deployed: <b>HTTP {r.remote_status}</b>" if r.remote_status != r.status else ""
            )
            shown = json.dumps(r.body)[:2000] if not isinstance(r.body, str) else r.body[:2000]
            self.response.value = (
                f"{icon} HTTP {r.status} in {r.latency_ms:.0f} ms{remote}<br>{html.escape(r.meaning)}"
                f"<pre>{html.escape(mask_secrets(shown))}</pre>"
            )
            if r.traceback:  # run()'s own traceback, already masked, from the server log
                trace = html.escape("\n".join(r.traceback))
                self.response.value += f"<b>run() raised:</b><pre class='amlw-traceback'>{trace}</pre>"
            self.render_log()
            if not r.ok:
                self._show_diagnosis([], deployment.log_lines())
            self.session.results.setdefault("local", {"title": "Local deployment"})["last request"] = (
                f"HTTP {r.status} locally, {r.remote_status} as deployed: {r.meaning}"
            )
            if r.ok:  # run()'s time, for sizing (Size replicas reads it)
                self.session.state.setdefault(self.name, {})["run_ms"] = r.latency_ms
            self.record("sent a request to the local server", f"HTTP {r.status} (remote {r.remote_status})")

        return self.run_task("Sending the request", work, done)

    def stop(self, quiet: bool = False) -> None:
        deployment, self.deployment = self.deployment, None
        if deployment is None:
            return
        deployment.stop()
        if not quiet:
            self.health.value = "■ stopped"
            self.record("stopped the local server")

    def cancel(self) -> None:
        """Stop waiting. A server still starting is stopped (not left behind); a running server stays up
        when the work cancelled is a request or a download."""
        start = self._start_task
        starting = start is not None and not start.finished.is_set()
        super().cancel()
        if starting:
            self.stop()

    def close(self) -> None:
        self.stop(quiet=True)
        if self._models is not None:
            self._models.cleanup()
            self._models = None

    def download_model(self) -> Task | None:
        """Fetch the registered model's files from the workspace into a temporary folder."""
        name, _, version = self.model_ref.value.strip().partition(":")
        if not name or not self.session.has_workspace:
            self.show_error("give the model as name:version, in a session with a workspace")
            return None
        if self._models is None:
            self._models = tempfile.TemporaryDirectory(prefix="amlwizard-models-")
        target = Path(self._models.name)

        def work(task: Task) -> tuple[str, Path]:
            backend = self.session.backend
            info = backend.get_model(name, int(version) if version.isdigit() else None)
            task.progress(f"downloading {name}:{info.version}")
            return f"{name}:{info.version}", backend.download_model(name, info.version, target)

        def done(result: tuple[str, Path]) -> None:
            self.model_ref.value, folder = result[0], result[1]
            self.model_dir.value = str(folder)
            self.record(f"downloaded model {result[0]}", str(folder))

        return self.run_task(f"Downloading model {name}", work, done)

    # -- showing -------------------------------------------------------------------------------
    def _show_diagnosis(self, findings: list[Any], log_lines: list[str]) -> None:
        found = [f for f in findings if isinstance(f, Finding)]
        if not found:
            from ..diagnosis import diagnose_many

            found = diagnose_many({"local server log": "\n".join(log_lines)}).findings
        cards = findings_box(found, lambda wiz, f: self.open_wizard(wiz, finding=f), here=self.name)
        self.findings.children = tuple(cards)
        if found:
            self.session.results.setdefault("local", {"title": "Local deployment"})["diagnosis"] = ", ".join(
                f.id for f in found
            )

    def render_log(self) -> None:
        """The server log, opened at its last traceback (the reason it failed) or at its newest line."""
        lines = self.deployment.log_lines() if self.deployment is not None else []
        self.log.value = server_log_html(lines)

    def _start_polling(self) -> None:
        """Follow the server log while it runs (only when threaded: unthreaded callers refresh themselves)."""
        if not self.threaded:
            return
        deployment = self.deployment

        def poll() -> None:
            seen = -1
            while self.deployment is deployment and deployment is not None:
                count = len(deployment.log_lines())
                if count != seen:
                    seen = count
                    self.kernel_call(self.render_log)
                threading.Event().wait(0.5)

        self._poller = threading.Thread(target=poll, name="amlwizard-local-log", daemon=True)
        self._poller.start()
