"""The Inspect model path wizard: where ``Model.get_model_path`` looks, what is there, and the fix.

The inspector runs the real azureml-core resolver as the container would; this view shows its
report: the resolved path or the exception, the model folder tree, the mismatches and the fix. For an SDK v2
deployment: what ``AZUREML_MODEL_DIR`` holds, what the script opens there, and the fix (``_model_dir_view``).
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from .._finding import Finding
from .._secrets import mask_secrets
from ._frame import Task, Wizard
from ._model_dir_view import migration_html, show_model_dir
from ._v2 import is_v2
from ._widgets import code_html, findings_box, labelled, workshop_app

__all__ = ["ModelPathWizard"]

_LOCAL, _REGISTERED = "Files on this machine", "Registered model in the workspace"

_IN_CONTAINER = """import logging
logging.basicConfig(level=logging.DEBUG)
from azureml.core.model import Model
print(Model.get_model_path(model_name="{name}"))  # the path, relative to /var/azureml-app"""


class ModelPathWizard(Wizard):
    name = "model-path"
    title = "Inspect model path"
    resume_step = False

    def build(self) -> list[tuple[str, w.Widget]]:
        wide = w.Layout(width="36em")
        self.source = w.RadioButtons(options=[_LOCAL, _REGISTERED], value=_LOCAL).add_class(
            "amlw-model-source"
        )
        self.score_path = w.Text(placeholder="score.py (what it asks for is checked)", layout=wide)
        self.score_path.add_class("amlw-score-path")
        self.model_files = w.Text(placeholder="the registered file or folder", layout=wide)
        self.model_files.add_class("amlw-model-files")
        self.model_name = w.Text(placeholder="registered model name").add_class("amlw-model-name")
        self.model_version = w.BoundedIntText(value=0, min=0, max=100_000).add_class("amlw-model-version")
        self.inspect_button = w.Button(description="Inspect", button_style="primary", icon="search")
        self.inspect_button.add_class("amlw-inspect")
        self.on_click(self.inspect_button, lambda: self.inspect())
        self.source.observe(lambda _: self._source_changed(), names="value")
        self.files_row = labelled("Model files", self.model_files)
        inputs = w.VBox(
            [
                self.source,
                labelled("score.py", self.score_path),
                self.files_row,
                labelled("Model name", self.model_name),
                labelled("Version (0 = latest)", self.model_version),
                self.inspect_button,
            ]
        )
        self.result = w.HTML().add_class("amlw-model-result")
        self.tree = w.HTML().add_class("amlw-tree")
        self.problems = w.HTML().add_class("amlw-problems")
        self.fix = w.HTML().add_class("amlw-fix")
        self.resolver_log = w.HTML().add_class("amlw-resolver-log")
        self.findings = w.VBox().add_class("amlw-findings")
        self.migration = w.HTML().add_class("amlw-migration")  # a v1 script's get_model_path, for SDK v2
        report = w.VBox(
            [
                self.result,
                self.problems,
                self.fix,
                self.tree,
                self.findings,
                self.migration,
                self.resolver_log,
            ]
        )
        return [("What the script asks for", inputs), ("Where the model is", report)]

    def _source_changed(self) -> None:
        self.files_row.layout.display = "none" if self.source.value == _REGISTERED else None

    # -- opening -------------------------------------------------------------------------------
    def on_open(self, finding: Finding | None = None, **kwargs: Any) -> None:
        if not getattr(self, "_filled", False):
            self._filled = True
            self._prefill(finding)

    def _prefill(self, finding: Finding | None) -> None:
        s = self.session
        saved = s.state.get(self.name, {})
        if saved.get("model_name"):
            self.score_path.value = saved.get("score_path", "")
            self.model_files.value = saved.get("model_files", "")
            self.model_name.value = saved["model_name"]
            self.model_version.value = saved.get("model_version", 0)
            self.source.value = saved.get("source", _LOCAL)
            return
        app = workshop_app(s)
        if app is not None:
            self.score_path.value = str(app.score_path)
            self.model_files.value = str(app.model_files)
            self.model_name.value = app.model_name
            self.model_version.value = app.model_version
            return
        details = s.state.get("service") or {}
        if details.get("models"):
            name, _, version = details["models"][0].partition(":")
            self.model_name.value = name
            self.model_version.value = int(version) if version.isdigit() else 0
            self.source.value = _REGISTERED
        elif finding is not None and finding.facts.get("model_name"):
            self.model_name.value = str(finding.facts["model_name"])

    def on_next(self, step: int) -> bool:
        if step == 0:
            self.inspect()
            return False
        return True

    # -- inspecting ----------------------------------------------------------------------------
    def inspect(self) -> Task | None:
        name = self.model_name.value.strip()
        if not name:
            self.show_error("give the registered model's name (as in Model.register / the portal)")
            return None
        version = self.model_version.value or None
        script = self.score_path.value.strip() or None
        registered = self.source.value == _REGISTERED
        files = self.model_files.value.strip()
        if not registered and not files:
            self.show_error("give the folder (or file) of the model's files, or choose the registered model")
            return None
        self.session.state.setdefault(self.name, {}).update(
            score_path=script or "",
            model_files=files,
            model_name=name,
            model_version=self.model_version.value,
            source=self.source.value,
        )

        if is_v2(self.session):
            return self._inspect_v2(name, version, script, files if not registered else None)

        def work(task: Task) -> Any:
            from ..modelpath import inspect_model_dir, inspect_model_path, inspect_remote_model

            if registered:
                task.progress("downloading the registered model")
                return inspect_remote_model(self.session.backend, name, version, script=script)
            task.progress("running Model.get_model_path as the container does")
            report = inspect_model_path(
                name, version, model_files=files, script=script, timeout=self.session.timeout
            )
            if script and any(r.kind == "get_model_path" for r in report.script_refs):
                as_v2 = inspect_model_dir(
                    name, version or 1, model_files=files, script=script, deployed=False
                )
                report.migrations = as_v2.migrations  # the same calls, rewritten for SDK v2
            return report

        return self.run_task("Inspecting the model path", work, self.show_report)

    def _inspect_v2(self, name: str, version: int | None, script: str | None, files: str | None) -> Task:
        """AZUREML_MODEL_DIR of the deployment: the files laid out as its container has them."""
        details = self.session.state.get("service") or {}
        container_dir = details.get("model_dir") if details.get("sdk") == "v2" else None
        backend = self.session.backend if files is None else None

        def work(task: Task) -> Any:
            import tempfile
            from pathlib import Path

            from ..modelpath import inspect_model_dir

            if files is not None:
                return inspect_model_dir(
                    name, version or 1, model_files=files, script=script, container_model_dir=container_dir
                )
            task.progress("downloading the registered model")
            info = backend.get_model(name, version)
            with tempfile.TemporaryDirectory(prefix="amlwizard-v2-model-") as tmp:
                folder = backend.download_model(name, info.version, Path(tmp))
                return inspect_model_dir(
                    name, info.version, version_dir=folder, script=script, container_model_dir=container_dir
                )

        return self.run_task("Inspecting AZUREML_MODEL_DIR", work, lambda r: show_model_dir(self, r))

    def show_report(self, report: Any) -> None:
        asked = f"Model.get_model_path({report.asked_name!r}" + (
            f", version={report.asked_version!r})" if report.asked_version is not None else ")"
        )
        if report.ok:
            where = html.escape(str(report.resolved_path))
            self.result.value = f"✔ <code>{html.escape(asked)}</code> resolves to <code>{where}</code>"
        else:
            what = report.exception or f"resolves to {report.resolved_path}, but see the problems below"
            self.result.value = f"✖ <code>{html.escape(asked)}</code>: {html.escape(mask_secrets(what))}"
        items = "".join(f"<li>{html.escape(mask_secrets(p))}</li>" for p in report.problems)
        self.problems.value = f"<ul>{items}</ul>" if items else ""
        fix = report.fix or ""
        self.fix.value = (code_html(fix, "The fix") if fix else "") + code_html(
            _IN_CONTAINER.format(name=report.asked_name), "Check it in the container's shell"
        )
        self.tree.value = code_html("\n".join(report.tree), f"What is on disk (app root {report.app_root})")
        self.resolver_log.value = code_html("\n".join(report.resolver_log[-40:]), "The resolver's DEBUG log")
        self.migration.value = migration_html(getattr(report, "migrations", []))
        self.findings.children = (
            tuple(findings_box(report.findings, lambda wiz, f: self.open_wizard(wiz, finding=f), self.name))
            if report.findings
            else ()
        )
        self.session.results["model-path"] = {
            "title": "Model path",
            "asked": asked,
            "resolved": report.resolved_path or report.exception,
            "problems": "; ".join(report.problems) or "none",
            "fix": fix or "none needed",
            "tree": "\n".join(report.tree),
        }
        self.record(
            f"inspected the model path of {report.model_name}", "ok" if report.ok else (fix or "not found")
        )
        self.go(1)
