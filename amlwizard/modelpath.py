"""Model-path inspector: where ``Model.get_model_path`` looks for a model, and why it does not find it;
for SDK v2, what ``AZUREML_MODEL_DIR`` holds and what the script opens there (``inspect_model_dir``).

Runs the real azureml-core resolver in a child process with the container's environment and DEBUG
logging, then compares what the script asks for with what is really on disk (or registered).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ._errors import UsageProblem
from ._finding import Evidence, Finding
from ._modelpath_explain import explain
from ._modelpath_v2 import ModelDirReport, inspect_model_dir, migrations_of
from ._score_ast import ModelRef, parse_model_refs

__all__ = [
    "ModelDirReport",
    "ModelPathReport",
    "inspect_model_dir",
    "inspect_model_path",
    "inspect_remote_model",
    "migrations_of",
    "model_tree",
]

TREE_LIMIT = 200
_SHELL_REMEDY = (
    "In the container's shell, run Model.get_model_path(model_name=...) with logging at DEBUG "
    "and check that the file or folder is really there."
)


@dataclass
class ModelPathReport:
    """What the resolver did for ``asked_name``/``asked_version`` under ``app_root``, and what is there."""

    model_name: str  # the registered name
    version: Any
    asked_name: str  # what the script (or the caller) asked get_model_path for
    asked_version: Any
    app_root: str
    model_dir: str | None  # AZUREML_MODEL_DIR as the service sets it
    resolved_path: str | None
    exception: str | None  # "ModelNotFoundException: ..." when it failed
    resolver_log: list[str] = field(default_factory=list)
    tree: list[str] = field(default_factory=list)
    script_refs: list[ModelRef] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # plain words, one a mismatch
    notes: list[str] = field(default_factory=list)  # worth knowing, not a failure (relative root)
    fix: str | None = None  # the corrected call
    findings: list[Finding] = field(default_factory=list)
    migrations: list[Any] = field(default_factory=list)  # its get_model_path calls rewritten for SDK v2

    @property
    def ok(self) -> bool:
        return self.resolved_path is not None and not self.problems

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["findings"] = [f.to_dict() for f in self.findings]
        data["ok"] = self.ok
        return data


def model_tree(root: Path, limit: int = TREE_LIMIT) -> list[str]:
    """``azureml-models/...`` under ``root`` as indented lines (folders end with /)."""
    base = root / "azureml-models"
    if not base.is_dir():
        return [f"(no azureml-models folder under {root})"]
    lines: list[str] = []
    for folder, dirs, files in os.walk(base):
        dirs.sort()
        depth = len(Path(folder).relative_to(root).parts) - 1
        lines.append("  " * depth + Path(folder).name + "/")
        lines += ["  " * (depth + 1) + f for f in sorted(files)]
        if len(lines) >= limit:
            return [*lines[:limit], f"... (first {limit} lines)"]
    return lines


def _run_resolver(
    name: str, version: Any, app_root: str, model_dir: str | None, cwd: Path, timeout: float
) -> dict[str, Any]:
    env = {**os.environ, "AML_APP_ROOT": app_root}
    env.pop("AZUREML_MODEL_DIR", None)
    if model_dir:
        env["AZUREML_MODEL_DIR"] = model_dir
    try:
        out = subprocess.run(  # noqa: S603 - our interpreter, our module
            [sys.executable, "-m", "amlwizard._modelpath_probe", name, json.dumps(version)],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        return json.loads(out.stdout)
    except subprocess.TimeoutExpired as err:
        raise UsageProblem(f"Model.get_model_path did not return within {timeout:g} s") from err
    except json.JSONDecodeError as err:
        last = (out.stderr.strip().splitlines() or ["no output"])[-1]
        raise UsageProblem(f"could not run Model.get_model_path: {last}") from err


def inspect_model_path(
    name: str,
    version: Any = None,
    *,
    app_root: str | Path | None = None,
    model_files: str | Path | None = None,
    script: str | Path | None = None,
    registered_files: list[str] | None = None,
    timeout: float = 60.0,
) -> ModelPathReport:
    """Resolve ``name`` (registered model) as the service would, and explain any mismatch.

    Give ``app_root`` (a folder holding ``azureml-models/``, relative or absolute, as the container's
    ``AML_APP_ROOT``) or ``model_files`` (the registered files, laid out in a temporary app root).
    With ``script``, the names and paths the script asks for are the ones resolved and checked.
    """
    from ._layout import ModelSpec, lay_out_app_root

    if (app_root is None) == (model_files is None):
        raise UsageProblem("give either an app root (folder with azureml-models/) or the model's files")
    refs: list[ModelRef] = []
    if script is not None:
        script = Path(script)
        if not script.is_file():
            raise UsageProblem(f"no scoring script at {script}; give the path of your score.py")
        refs = parse_model_refs(script.read_text(encoding="utf-8", errors="replace"))
    call = next((r for r in refs if r.kind == "get_model_path" and isinstance(r.name, str)), None)
    asked_name = call.name if call else name
    asked_version = call.version if call else version  # the script's own call, version or not
    with tempfile.TemporaryDirectory(prefix="amlwizard-modelpath-") as tmp:
        if model_files is not None:
            files = Path(model_files)
            if not files.exists():
                raise UsageProblem(f"no model files at {files}; give the folder or file that was registered")
            root_text, cwd = tmp, Path(tmp)
            reg_version = int(version) if str(version or "").isdigit() else 1
            model_dir = str(lay_out_app_root(Path(tmp), ModelSpec(name, reg_version, files)))
        else:
            root_text = str(app_root)
            cwd = Path.cwd()
            if not Path(root_text).is_dir():
                raise UsageProblem(
                    f"no app root folder at {root_text}; give the folder that holds azureml-models/"
                )
            candidate = (
                Path(root_text) / "azureml-models" / name / str(version if version is not None else "")
            )
            model_dir = str(candidate.resolve()) if version is not None and candidate.is_dir() else None
        result = _run_resolver(asked_name, asked_version, root_text, model_dir, cwd, timeout)
        root = (cwd / root_text).resolve() if not Path(root_text).is_absolute() else Path(root_text)
        report = ModelPathReport(
            model_name=name,
            version=version,
            asked_name=asked_name,
            asked_version=asked_version,
            app_root=root_text,
            model_dir=model_dir,
            resolved_path=result.get("path"),
            exception=f"{result['exception']}: {result['message']}" if "exception" in result else None,
            resolver_log=result.get("log", []),
            tree=model_tree(root),
            script_refs=refs,
        )
        explain(report, root, registered_files)
    report.findings = _findings(report)
    return report


def inspect_remote_model(
    backend: Any, name: str, version: int | None = None, *, script: str | Path | None = None
) -> ModelPathReport:
    """A registered model's files (fetched through ``backend``) against what the script asks for."""
    info = backend.get_model(name, version)
    with tempfile.TemporaryDirectory(prefix="amlwizard-remote-model-") as tmp:
        backend.download_model(name, info.version, Path(tmp))
        report = inspect_model_path(
            name, info.version, app_root=tmp, script=script, registered_files=info.files
        )
    report.app_root = f"(downloaded {name}:{info.version})"
    return report


def _findings(report: ModelPathReport) -> list[Finding]:
    if report.ok:
        return []
    evidence = [
        Evidence(i + 1, line)
        for i, line in enumerate(report.resolver_log)
        if line.startswith(("DEBUG Checking", "ERROR"))
    ]
    if report.exception:
        evidence.append(Evidence(len(report.resolver_log) + 1, report.exception))
    return [
        Finding(
            id="model-path-not-found",
            family="model-path-not-found",
            title=f"Model.get_model_path('{report.asked_name}') does not find the model",
            step=5,
            confidence=0.95 if report.exception else 0.8,
            evidence=evidence,
            explanation=" ".join(report.problems) or (report.exception or ""),
            remedies=[r for r in [report.fix, _SHELL_REMEDY] if r],
            doc_url="https://learn.microsoft.com/azure/machine-learning/v1/how-to-troubleshoot-deployment",
            facts={
                "model_name": report.model_name,
                "asked_name": report.asked_name,
                "resolved_path": report.resolved_path,
                "app_root": report.app_root,
            },
        )
    ]
