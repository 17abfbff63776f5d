"""What the script's ``except`` blocks do: hand the exception text to the caller, or hide a failed load."""

from __future__ import annotations

import ast

from .._score_ast import dotted
from ._issues import LintReport
from ._models import is_loader
from ._script import Script

__all__ = ["check_handlers"]

_TRACEBACK_TEXT = {"traceback.format_exc", "traceback.format_exception", "format_exc", "format_exception"}
_BROAD = {"", "Exception", "BaseException"}


def _mentions(node: ast.AST, tainted: set[str]) -> bool:
    return any(
        (isinstance(n, ast.Name) and n.id in tainted)
        or (isinstance(n, ast.Call) and dotted(n.func) in _TRACEBACK_TEXT)
        for n in ast.walk(node)
    )


def _leaking_returns(handler: ast.ExceptHandler) -> list[ast.Return]:
    """Returns whose value carries the exception's text, directly or through a variable set in the handler
    (``error = str(e); return error``, ``return json.dumps({"error": str(e)})``)."""
    tainted = {handler.name} if handler.name else set()
    leaks = []
    for node in sorted(
        ast.walk(handler), key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0))
    ):
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and node.value is not None:
            if _mentions(node.value, tainted):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                tainted.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
        elif isinstance(node, ast.Return) and node.value is not None and _mentions(node.value, tainted):
            leaks.append(node)
    return leaks


def _check_leaks(run: ast.FunctionDef, report: LintReport) -> None:
    for handler in (n for n in ast.walk(run) if isinstance(n, ast.ExceptHandler)):
        for ret in _leaking_returns(handler):
            report.add(
                "exception-text-returned",
                "warning",
                ret.lineno,
                "run() returns the exception text to the caller: useful to debug, "
                "a leak of internals in production (and the caller gets HTTP 200 for a failure)",
                "in production log the exception and re-raise (the service answers 500/502), "
                "or return a generic message",
            )


def _raises(handler: ast.ExceptHandler) -> bool:
    return any(
        isinstance(n, ast.Raise)
        or (isinstance(n, ast.Call) and dotted(n.func) in ("sys.exit", "exit", "os._exit"))
        for n in ast.walk(handler)
    )


def _check_swallowed_load(script: Script, report: LintReport) -> None:
    """A try around the model load in init() whose except only logs: the service starts 'healthy' and
    every request then fails on a model that is not there."""
    for func in script.reachable("init"):
        for node in ast.walk(func):
            if not isinstance(node, ast.Try) or not any(
                isinstance(n, ast.Call) and is_loader(n) for stmt in node.body for n in ast.walk(stmt)
            ):
                continue
            quiet = [h for h in node.handlers if not _raises(h)]
            if not quiet:
                continue
            broad = [h for h in quiet if (dotted(h.type) if h.type is not None else "") in _BROAD]
            handler = (broad or quiet)[0]
            report.add(
                "init-swallows-errors",
                "warning",
                handler.lineno,
                f"{func.name}() catches a failed model load and carries on: the service reports healthy "
                "and every request fails",
                "let the exception propagate (or `raise` after logging): the deployment then fails at start "
                "with the real error in its log",
            )


def check_handlers(script: Script, report: LintReport) -> None:
    run = script.functions.get("run")
    if run is not None:
        _check_leaks(run, report)
    _check_swallowed_load(script, report)
