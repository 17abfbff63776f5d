"""Names the script uses but never defines: NameError at start or on every request.

Undefined names come from pyflakes (a well-kept static checker, no code is run). pyflakes counts a
``global model`` statement as a definition, so the case it cannot see is added here: init() declares a
global, never assigns it, and run() reads it.
"""

from __future__ import annotations

import ast

from pyflakes import messages
from pyflakes.checker import Checker

from ._issues import LintReport
from ._script import Script, stored_names

__all__ = ["check_names"]


def _module_bindings(script: Script) -> set[str]:
    names: set[str] = set()
    for stmt in script.tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(stmt.name)
        else:
            names |= stored_names(stmt)
    for func in script.functions.values():  # `global x` + an assignment in any function defines x
        declared = {n for g in ast.walk(func) if isinstance(g, ast.Global) for n in g.names}
        names |= declared & stored_names(func)
    return names


def _locals_of_other_functions(script: Script, name: str, user: str | None) -> list[str]:
    return [f.name for f in script.functions.values() if f.name != user and name in stored_names(f)]


def _function_at(script: Script, line: int) -> str | None:
    for func in script.functions.values():
        if func.lineno <= line <= (func.end_lineno or func.lineno):
            return func.name
    return None


def _check_pyflakes(script: Script, report: LintReport) -> None:
    checker = Checker(script.tree, filename=str(script.path))
    for msg in sorted(checker.messages, key=lambda m: m.lineno):
        if not isinstance(msg, (messages.UndefinedName, messages.UndefinedLocal)):
            continue
        if msg.lineno in script.main_block_lines:
            continue  # `if __name__ == "__main__":` test code never runs in the server
        name = msg.message_args[0]
        where = _function_at(script, msg.lineno)
        owners = _locals_of_other_functions(script, name, where)
        # the classic: a variable of init() used in run() (or the reverse), not a global
        owners = owners if {where, *owners[:1]} <= {"init", "run"} else []
        in_where = f"{where}() uses" if where else "the module uses"
        if isinstance(msg, messages.UndefinedLocal):
            text, fix = f"{in_where} `{name}` before assigning it", f"assign `{name}` first"
        elif owners:
            text = f"{in_where} `{name}`, which is a local variable of {owners[0]}()"
            fix = f"declare `global {name}` in {owners[0]}() (and set it there), or compute it in {where}()"
        else:
            text, fix = (
                f"{in_where} `{name}`, which is not defined there nor at module level",
                (f"import or define `{name}`"),
            )
        when = "on every request" if where and where != "init" else "at start"
        report.add("undefined-name", "error", msg.lineno, f"{text}: NameError {when}", fix)


def _check_unassigned_globals(script: Script, report: LintReport) -> None:
    init, run = script.functions.get("init"), script.functions.get("run")
    if init is None or run is None:
        return
    declared = {(n, g.lineno) for g in ast.walk(init) if isinstance(g, ast.Global) for n in g.names}
    assigned_in_init = stored_names(init)
    module = _module_bindings(script)
    run_locals = stored_names(run)
    for name, line in sorted(declared, key=lambda d: d[1]):
        if name in assigned_in_init or name in run_locals:
            continue
        uses = [
            n
            for n in ast.walk(run)
            if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)
        ]
        if not uses:
            continue
        if name not in module:
            report.add(
                "undefined-name",
                "error",
                uses[0].lineno,
                f"run() uses `{name}`, which init() declares global but never assigns: "
                "NameError on every request",
                f"assign `{name}` in init() (e.g. the loaded model)",
            )
        else:
            report.add(
                "global-never-assigned",
                "warning",
                line,
                f"init() declares `global {name}` but never assigns it: "
                "run() always sees its module-level value",
                f"assign `{name}` in init()",
            )


def check_names(script: Script, report: LintReport) -> None:
    _check_pyflakes(script, report)
    _check_unassigned_globals(script, report)
