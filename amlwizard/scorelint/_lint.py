"""lint_script: read and compile the script as CPython would, then run every check on its syntax tree."""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path
from typing import Any

from .._errors import UsageProblem
from .._score_ast import find_model_refs
from ._entry import check_entry_points
from ._environment import Environment, import_key, is_standard_or_local
from ._handlers import check_handlers
from ._issues import LintReport
from ._models import check_models
from ._names import check_names
from ._removed import check_removed
from ._script import Script

__all__ = ["lint_script"]

_CANNOT_IMPORT = "fix the line; the server cannot import score.py, so init() never runs"


def _not_utf8_line(source: bytes) -> tuple[int, int] | None:
    """(line, byte) of the first byte that is not UTF-8 in a file that declares no other encoding (PEP 263).
    CPython refuses such a file (``SyntaxError: Non-UTF-8 code``); compile() lets some pass in comments."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
    except SyntaxError:
        return None  # a bad declaration: the parse below reports it
    if encoding not in ("utf-8", "utf-8-sig"):
        return None
    try:
        source.decode("utf-8")
    except UnicodeDecodeError as err:
        return source[: err.start].count(b"\n") + 1, source[err.start]
    return None


def _parse(source: str | bytes, path: Path, report: LintReport) -> ast.Module | None:
    """The tree, or None with the reason in ``report``. Bytes are decoded by CPython's own rules (a UTF-8
    BOM is fine; other encodings need a coding declaration), and the tree is compiled too, so what fails
    only in the compiler ('return' outside a function) is caught."""
    bad = _not_utf8_line(source) if isinstance(source, bytes) else None
    if bad:
        report.add(
            "syntax-error",
            "error",
            bad[0],
            f"line {bad[0]} is not UTF-8 (byte 0x{bad[1]:02x}) and the file declares no encoding: "
            "Python refuses such a file (SyntaxError: Non-UTF-8 code)",
            "save score.py as UTF-8, or declare its encoding on line 1: `# -*- coding: latin-1 -*-`",
        )
        return None
    try:
        tree = ast.parse(source, filename=str(path))
        compile(tree, str(path), "exec", dont_inherit=True)
        return tree
    except SyntaxError as err:
        report.add("syntax-error", "error", err.lineno or 1, f"syntax error: {err.msg}", _CANNOT_IMPORT)
    except (RecursionError, MemoryError):
        lines = (source.decode("latin-1") if isinstance(source, bytes) else source).splitlines() or [""]
        longest = max(range(len(lines)), key=lambda i: len(lines[i]))
        report.add(
            "syntax-error",
            "error",
            longest + 1,
            f"an expression too deeply nested for Python to compile (RecursionError), likely line "
            f"{longest + 1} ({len(lines[longest]):,} characters): the server cannot import score.py",
            "split the expression, or load such data from a file in init()",
        )
    except ValueError as err:  # a NUL byte
        report.add("syntax-error", "error", 1, f"score.py cannot be compiled: {err}", _CANNOT_IMPORT)
    return None


def _check_imports(script: Script, env: Environment, report: LintReport) -> None:
    local: set[str] = set()
    if script.script_dir is not None:
        local = {p.stem for p in script.script_dir.glob("*.py")}
        local |= {p.name for p in script.script_dir.iterdir() if p.is_dir()}
    seen: set[str] = set()
    for node in ast.walk(script.tree):
        if id(node) in script.guarded_imports:
            continue  # an optional import: the script copes without it
        modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        for module in modules:
            key = import_key(module)
            if key in seen or is_standard_or_local(module, local) or env.provides(module):
                continue
            seen.add(key)
            package = env.suggest(module)
            report.add(
                "import-not-in-environment",
                "error",
                node.lineno,
                f"`import {module}` but {env.path.name} does not install {package}",
                f"add `{package}` to the pip dependencies of {env.path.name}",
            )


def lint_script(
    script: str | Path,
    *,
    conda_file: str | Path | None = None,
    registered_model: Any = None,
    source: str | bytes | None = None,
) -> LintReport:
    """Check a scoring script. ``conda_file`` (a conda .yml or pip requirements file) enables the import
    and version checks; ``registered_model`` (a ModelInfo) the model-name and model-file checks."""
    path = Path(script)
    if source is None:
        if not path.is_file():
            raise UsageProblem(f"no scoring script at {path}; give the path of your score.py")
        source = path.read_bytes()
    env = Environment(conda_file) if conda_file is not None else None
    report = LintReport(str(path))
    tree = _parse(source, path, report)
    if tree is None:
        return report
    parsed = Script(path, tree, path.parent if path.is_file() else None)
    try:
        report.model_refs = find_model_refs(tree)
        check_entry_points(parsed, report)
        check_names(parsed, report)
        check_handlers(parsed, report)
        check_models(parsed, registered_model, report)
        check_removed(parsed, env, report)
        if env is not None:
            _check_imports(parsed, env, report)
    except RecursionError:  # a tree deep enough to compile but not to walk recursively
        report.add(
            "too-deeply-nested",
            "info",
            1,
            "score.py nests too deeply for every check to finish; the findings above are partial",
            "split the deepest expression",
        )
    report.issues.sort(key=lambda i: (i.line, i.id))
    return report
