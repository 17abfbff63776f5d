"""Where and how the script finds and loads its model (get_model_path, AZUREML_MODEL_DIR, loaders)."""

from __future__ import annotations

import ast
import difflib
import re
from typing import Any

from .._score_ast import ModelRef, dotted, reads_model_dir
from ._issues import LintReport
from ._script import Script

__all__ = ["check_models", "is_loader"]

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
# loaders whose first argument is not a model file (from_pretrained also takes hub ids)
_NOT_FILE_LOADERS = {"from_pretrained", "get_model_path", "load_state_dict"}
_MODEL_FILE = re.compile(r"\.(pkl|pickle|joblib|pt|pth|h5|keras|onnx|sav|bin|model)$|(^|/)outputs?/", re.I)


def is_loader(call: ast.Call) -> bool:
    name = dotted(call.func)
    head, _, last = name.rpartition(".")
    return last in _LOADERS and (last != "load" or head.split(".")[-1] in _LOADER_MODULES)


def _loads_model(nodes: list[ast.FunctionDef] | list[ast.stmt]) -> bool:
    return any(
        (isinstance(n, ast.Call) and is_loader(n)) or reads_model_dir(n)
        for node in nodes
        for n in ast.walk(node)
        if isinstance(n, (ast.Call, ast.Constant))
    )


def _check_load_places(script: Script, report: LintReport) -> None:
    run = script.functions.get("run")
    if run is not None:
        for node in ast.walk(run):
            if isinstance(node, ast.Call) and is_loader(node):
                report.add(
                    "model-loaded-in-run",
                    "warning",
                    node.lineno,
                    f"{dotted(node.func)}() in run() loads the model on every request",
                    "load it once in init() into a global and use that global in run()",
                )
    init = script.functions.get("init")
    if init is None or _loads_model(script.reachable("init")):
        return
    # Only a script that does load a model, but later than init(): scripts with no model are fine.
    module_level = [s for s in script.tree.body if not isinstance(s, ast.FunctionDef)]
    if run is not None and _loads_model(script.reachable("run")) and not _loads_model(module_level):
        report.add(
            "model-not-loaded-in-init",
            "info",
            init.lineno,
            "init() does not load the model, run() does",
            "load the model in init() so a missing model fails at start, not on the first request",
        )


def _literal_path(node: ast.AST | None, func: ast.FunctionDef, before: int, depth: int = 0) -> str | None:
    """The path a loader's argument spells out with literals only (through local variables), or None."""
    if node is None or depth > 5:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call) and dotted(node.func) in ("open", "Path", "pathlib.Path") and node.args:
        return _literal_path(node.args[0], func, before, depth + 1)
    if isinstance(node, ast.Call) and dotted(node.func).endswith("path.join") and node.args:
        parts = [_literal_path(a, func, before, depth + 1) for a in node.args]
        return "/".join(parts) if all(p is not None for p in parts) else None  # type: ignore[arg-type]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        left, right = (_literal_path(s, func, before, depth + 1) for s in (node.left, node.right))
        return f"{left}/{right}" if left is not None and right is not None else None
    if isinstance(node, ast.Name):
        sets = [
            n
            for n in ast.walk(func)
            if isinstance(n, ast.Assign)
            and n.lineno < before
            and any(isinstance(t, ast.Name) and t.id == node.id for t in n.targets)
        ]
        if sets:
            last = max(sets, key=lambda n: n.lineno)
            return _literal_path(last.value, func, last.lineno, depth + 1)
    return None


def _check_relative_loads(script: Script, report: LintReport) -> None:
    for func in script.reachable("init"):
        for node in ast.walk(func):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = dotted(node.func)
            head, _, last = name.rpartition(".")
            if not is_loader(node) or last in _NOT_FILE_LOADERS or head.split(".")[-1] == "json":
                continue  # json.load reads configs that may well ship with the code
            path = _literal_path(node.args[0], func, node.lineno)
            if path is None or path.startswith(("/", "~")) or not _MODEL_FILE.search(path.replace("\\", "/")):
                continue
            if script.script_dir is not None and (script.script_dir / path).exists():
                continue  # it ships with the code
            report.add(
                "model-path-not-under-model-dir",
                "warning",
                node.lineno,
                f"{name}({path!r}) reads the model relative to the server's working directory, "
                "not from the registered model",
                "build the path from os.getenv('AZUREML_MODEL_DIR') (v2) or Model.get_model_path(name) (v1)",
            )


def _empty_env_lookup(node: ast.AST) -> bool:
    if isinstance(node, ast.Call) and dotted(node.func) in ("os.getenv", "getenv", "os.environ.get"):
        return len(node.args) == 1 and not node.keywords and _is_empty(node.args[0])
    return False


def _is_empty(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value == ""


def _check_init_crash(script: Script, report: LintReport) -> None:
    """``os.path.join(os.getenv(""), ...)``: no variable has an empty name, so init() always raises."""
    places = [*script.reachable("init"), *(s for s in script.tree.body if not isinstance(s, ast.FunctionDef))]
    for node in (n for place in places for n in ast.walk(place)):
        crash = None
        if isinstance(node, ast.Subscript) and dotted(node.value) == "os.environ" and _is_empty(node.slice):
            crash = "os.environ[''] raises KeyError"
        elif isinstance(node, ast.Call) and (
            dotted(node.func).endswith("path.join") or dotted(node.func) in ("Path", "pathlib.Path")
        ):
            if any(_empty_env_lookup(a) for a in node.args):
                crash = f"os.getenv('') is always None, so {dotted(node.func)}() raises TypeError"
        if crash:
            report.add(
                "init-crash",
                "error",
                node.lineno,
                f"{crash}: the container never starts",
                "name the variable: os.getenv('AZUREML_MODEL_DIR')",
            )


def _is_path(name: str) -> bool:
    # A registered model's name is letters, digits, '-', '_' and '.', starting with a letter or digit.
    return "/" in name or "\\" in name or name.startswith(".")


def _check_model_refs(refs: list[ModelRef], registered: Any, report: LintReport) -> None:
    names = {r.name for r in refs if r.kind == "get_model_path" and isinstance(r.name, str)}
    for ref in refs:
        if ref.kind == "get_model_path":
            if ref.version is not None and not isinstance(ref.version, int):
                report.add(
                    "model-version-not-int",
                    "error",
                    ref.line,
                    f"get_model_path(version={ref.version!r}): the version must be an int",
                    f"use version={_as_int(ref.version)}",
                )
            if isinstance(ref.name, str) and _is_path(ref.name):
                report.add(
                    "model-path-argument-is-a-path",
                    "warning",
                    ref.line,
                    f"get_model_path({ref.name!r}) is given a path: it takes the registered model's name",
                    f"use Model.get_model_path({registered.name!r})"
                    if registered is not None
                    else "use Model.get_model_path('<registered model name>') and join the file onto it",
                )
            elif (
                registered is not None
                and len(names) == 1
                and ref.name in names
                and ref.name != registered.name
            ):
                report.add(
                    "model-name-mismatch",
                    "error",
                    ref.line,
                    f"get_model_path({ref.name!r}) but the model is registered as {registered.name!r}",
                    f"use Model.get_model_path({registered.name!r})",
                )
        elif registered is not None and ref.relative_path and registered.files:
            files = {f.strip("/") for f in registered.files}
            wanted = ref.relative_path.strip("/")
            if wanted not in files and not any(f.startswith(wanted + "/") for f in files):
                close = difflib.get_close_matches(wanted, sorted(files), n=1)
                hint = f"use {close[0]!r}" if close else f"the model holds: {', '.join(sorted(files))}"
                report.add(
                    "model-file-not-in-model",
                    "error",
                    ref.line,
                    f"AZUREML_MODEL_DIR/{wanted} is not among the registered model's files",
                    hint,
                )


def _as_int(value: Any) -> str:
    return str(int(value)) if isinstance(value, str) and value.isdigit() else "an int, e.g. 1"


def check_models(script: Script, registered: Any, report: LintReport) -> None:
    _check_load_places(script, report)
    _check_relative_loads(script, report)
    _check_init_crash(script, report)
    _check_model_refs(report.model_refs, registered, report)
