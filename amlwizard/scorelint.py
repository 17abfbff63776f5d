"""Static checks of a scoring script (score.py) for the mistakes that break Azure ML deployments.

Reads the script with ``ast`` (never runs it): init()/run() and their signatures, where the model is
loaded and how its path is built, leaked exception text, blocking calls in run(), missing packages.
"""

from __future__ import annotations

import ast
import difflib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ._errors import UsageProblem
from ._score_ast import ModelRef, dotted, find_model_refs, functions, reads_model_dir
from ._scorelint_env import is_satisfied, packages_for_import, read_environment_packages

__all__ = ["LintIssue", "LintReport", "ModelRef", "lint_script", "find_model_refs"]

_LOADERS = {"load", "load_model", "get_model_path", "InferenceSession", "from_pretrained", "load_state_dict"}
_LOADER_MODULES = {
    "joblib",
    "pickle",
    "torch",
    "np",
    "numpy",
    "json",
    "dill",
    "cloudpickle",
    "keras",
    "models",
}
_BLOCKING = {
    ("time", "sleep"): "time.sleep()",
    ("requests", "get"): "requests.get()",
    ("requests", "post"): "requests.post()",
    ("urllib.request", "urlopen"): "urlopen()",
    ("request", "urlopen"): "urlopen()",
    ("subprocess", "run"): "subprocess.run()",
    ("subprocess", "call"): "subprocess.call()",
    ("subprocess", "check_output"): "subprocess.check_output()",
}


@dataclass
class LintIssue:
    """One finding: ``severity`` is "error" (breaks the deployment), "warning" or "info"."""

    id: str
    severity: str
    line: int
    message: str
    fix: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class LintReport:
    path: str
    issues: list[LintIssue] = field(default_factory=list)
    model_refs: list[ModelRef] = field(default_factory=list)

    @property
    def errors(self) -> list[LintIssue]:
        return [i for i in self.issues if i.severity == "error"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "ok": not self.errors,
            "issues": [i.to_dict() for i in self.issues],
            "model_refs": [r.to_dict() for r in self.model_refs],
        }


def _is_loader(call: ast.Call) -> bool:
    name = dotted(call.func)
    head, _, last = name.rpartition(".")
    return last in _LOADERS and (last != "load" or head.split(".")[-1] in _LOADER_MODULES)


def _checkfunctions(tree: ast.Module, issues: list[LintIssue]) -> None:
    funcs = functions(tree)
    for name, fix in (
        ("init", "add `def init():` that loads the model once into a global"),
        ("run", "add `def run(raw_data):` that scores one request and returns a JSON-serializable value"),
    ):
        if name not in funcs:
            issues.append(
                LintIssue(f"missing-{name}", "error", 1, f"score.py has no top-level {name}() function", fix)
            )
    init, run = funcs.get("init"), funcs.get("run")
    if init is not None:
        required = len(init.args.args) - len(init.args.defaults)
        if required:
            issues.append(
                LintIssue(
                    "init-signature",
                    "error",
                    init.lineno,
                    "init() takes arguments: the server calls init() with none",
                    "use `def init():`",
                )
            )
    if run is not None:
        required = len(run.args.args) - len(run.args.defaults)
        if not run.args.args and not run.args.vararg:
            issues.append(
                LintIssue(
                    "run-signature",
                    "error",
                    run.lineno,
                    "run() takes no argument: the server passes the request body",
                    "use `def run(raw_data):`",
                )
            )
        elif required > 1:
            issues.append(
                LintIssue(
                    "run-signature",
                    "error",
                    run.lineno,
                    f"run() requires {required} arguments: the server passes one (the request body)",
                    "give the extra parameters defaults, or use one parameter",
                )
            )
        for node in ast.walk(run):
            if isinstance(node, ast.Call) and _is_loader(node):
                issues.append(
                    LintIssue(
                        "model-loaded-in-run",
                        "warning",
                        node.lineno,
                        f"{dotted(node.func)}() in run() loads the model on every request",
                        "load it once in init() into a global and use that global in run()",
                    )
                )
            if isinstance(node, ast.Call):
                head, _, last = dotted(node.func).rpartition(".")
                what = _BLOCKING.get((head, last))
                if what:
                    issues.append(
                        LintIssue(
                            "blocking-call-in-run",
                            "warning",
                            node.lineno,
                            f"{what} in run() holds the worker: slow requests end in 504 "
                            "(scoring timeout, 60 s on AKS by default)",
                            "remove it, move it to init(), or raise the service's scoring_timeout_ms",
                        )
                    )
            if isinstance(node, ast.ExceptHandler):
                _check_leak(node, issues)
    if init is not None and not any(isinstance(n, ast.Call) and _is_loader(n) for n in ast.walk(init)):
        if not any(reads_model_dir(n) for n in ast.walk(init)):
            issues.append(
                LintIssue(
                    "model-not-loaded-in-init",
                    "info",
                    init.lineno,
                    "init() does not load a model",
                    "load the model in init() so a missing model fails at start, not on the first request",
                )
            )


def _check_leak(handler: ast.ExceptHandler, issues: list[LintIssue]) -> None:
    for ret in (n for n in ast.walk(handler) if isinstance(n, ast.Return) and n.value is not None):
        names = {n.id for n in ast.walk(ret.value) if isinstance(n, ast.Name)}
        calls = {dotted(n.func) for n in ast.walk(ret.value) if isinstance(n, ast.Call)}
        if (handler.name and handler.name in names) or "traceback.format_exc" in calls:
            issues.append(
                LintIssue(
                    "exception-text-returned",
                    "warning",
                    ret.lineno,
                    "run() returns the exception text to the caller: useful to debug, "
                    "a leak of internals in production",
                    "in production log the exception and re-raise (the service answers 502), "
                    "or return a generic message",
                )
            )


def _check_model_refs(refs: list[ModelRef], registered: Any, issues: list[LintIssue]) -> None:
    for ref in refs:
        if ref.kind == "get_model_path":
            if ref.version is not None and not isinstance(ref.version, int):
                issues.append(
                    LintIssue(
                        "model-version-not-int",
                        "error",
                        ref.line,
                        f"get_model_path(version={ref.version!r}): the version must be an int",
                        f"use version={_as_int(ref.version)}",
                    )
                )
            if registered is not None and isinstance(ref.name, str) and ref.name != registered.name:
                issues.append(
                    LintIssue(
                        "model-name-mismatch",
                        "error",
                        ref.line,
                        f"get_model_path({ref.name!r}) but the model is registered as {registered.name!r}",
                        f"use Model.get_model_path({registered.name!r})",
                    )
                )
        elif registered is not None and ref.relative_path and registered.files:
            files = {f.strip("/") for f in registered.files}
            wanted = ref.relative_path.strip("/")
            if wanted not in files and not any(f.startswith(wanted + "/") for f in files):
                close = difflib.get_close_matches(wanted, sorted(files), n=1)
                hint = f"use {close[0]!r}" if close else f"the model holds: {', '.join(sorted(files))}"
                issues.append(
                    LintIssue(
                        "model-file-not-in-model",
                        "error",
                        ref.line,
                        f"AZUREML_MODEL_DIR/{wanted} is not among the registered model's files",
                        hint,
                    )
                )


def _as_int(value: Any) -> str:
    return str(int(value)) if isinstance(value, str) and value.isdigit() else "an int, e.g. 1"


def _check_imports(
    tree: ast.Module, script_dir: Path | None, conda_file: str | Path, issues: list[LintIssue]
) -> None:
    packages = read_environment_packages(conda_file)
    local = (
        {p.stem for p in script_dir.glob("*.py")} | {p.name for p in script_dir.iterdir() if p.is_dir()}
        if script_dir
        else set()
    )
    seen: set[str] = set()
    for node in ast.walk(tree):
        modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        for module in modules:
            top = module.split(".")[0]
            if top in seen or is_satisfied(module, packages, local):
                continue
            seen.add(top)
            package = packages_for_import(module)[0]
            issues.append(
                LintIssue(
                    "import-not-in-environment",
                    "error",
                    node.lineno,
                    f"`import {module}` but {Path(conda_file).name} does not install {package}",
                    f"add `{package}` to the pip dependencies of {Path(conda_file).name}",
                )
            )


def lint_script(
    script: str | Path,
    *,
    conda_file: str | Path | None = None,
    registered_model: Any = None,
    source: str | None = None,
) -> LintReport:
    """Check a scoring script. ``registered_model`` (a ModelInfo) enables the model-path checks."""
    path = Path(script)
    if source is None:
        if not path.is_file():
            raise UsageProblem(f"no scoring script at {path}; give the path of your score.py")
        source = path.read_text(encoding="utf-8", errors="replace")
    report = LintReport(str(path))
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as err:
        report.issues.append(
            LintIssue(
                "syntax-error",
                "error",
                err.lineno or 1,
                f"syntax error: {err.msg}",
                "fix the line; the server cannot import score.py, so init() never runs",
            )
        )
        return report
    _checkfunctions(tree, report.issues)
    report.model_refs = find_model_refs(tree)
    _check_model_refs(report.model_refs, registered_model, report.issues)
    if conda_file is not None:
        _check_imports(tree, path.parent if path.is_file() else None, conda_file, report.issues)
    report.issues.sort(key=lambda i: (i.line, i.id))
    return report
