"""A parsed scoring script and the facts every check asks of it (functions, imports, what run() reaches)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .._score_ast import dotted

__all__ = ["Script", "stored_names", "decorator_names"]


def stored_names(node: ast.AST) -> set[str]:
    """Names a piece of code binds: assignments, loop/with targets, imports, nested defs and classes."""
    names: set[str] = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
            names.add(n.id)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in n.names)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n is not node:
            names.add(n.name)
        elif isinstance(n, ast.ExceptHandler) and n.name:
            names.add(n.name)
    return names


def decorator_names(func: ast.FunctionDef) -> set[str]:
    """The last part of each decorator's name: ``@input_schema(...)`` -> "input_schema"."""
    return {dotted(d.func if isinstance(d, ast.Call) else d).rpartition(".")[2] for d in func.decorator_list}


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    caught = {dotted(n).rpartition(".")[2] for n in names}
    return bool(caught & {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})


@dataclass
class Script:
    path: Path
    tree: ast.Module
    script_dir: Path | None = None  # the folder of score.py on disk (None for a source given as text)
    functions: dict[str, ast.FunctionDef] = field(init=False)

    def __post_init__(self) -> None:
        self.functions = {n.name: n for n in self.tree.body if isinstance(n, ast.FunctionDef)}

    @cached_property
    def aliases(self) -> dict[str, str]:
        """Local name -> the module it stands for: ``import tensorflow as tf`` -> {"tf": "tensorflow"}."""
        found: dict[str, str] = {}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    found[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for a in node.names:
                    found[a.asname or a.name] = f"{node.module}.{a.name}"
        return found

    def qualified(self, node: ast.AST) -> str:
        """``tf.Session`` -> "tensorflow.Session" through the script's imports ("" when not a name)."""
        name = dotted(node)
        head, _, rest = name.partition(".")
        if head in self.aliases:
            return self.aliases[head] + (f".{rest}" if rest else "")
        return name

    def reachable(self, name: str) -> list[ast.FunctionDef]:
        """The function and the script's own top-level functions it calls, directly or not."""
        seen: dict[str, ast.FunctionDef] = {}
        todo = [name]
        while todo:
            current = todo.pop()
            func = self.functions.get(current)
            if func is None or current in seen:
                continue
            seen[current] = func
            todo.extend(
                n.func.id for n in ast.walk(func) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
            )
        return list(seen.values())

    @cached_property
    def guarded_imports(self) -> set[int]:
        """ids of imports inside ``try: ... except ImportError:`` (an optional or a compatibility import,
        e.g. ``try: from sklearn.externals import joblib`` / ``except ImportError: import joblib``)."""
        guarded: set[int] = set()
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Try) and any(_catches_import_error(h) for h in node.handlers):
                guarded |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
        return guarded

    @cached_property
    def main_block_lines(self) -> set[int]:
        """Lines of ``if __name__ == "__main__":`` blocks: test code the server never runs."""
        lines: set[int] = set()
        for node in self.tree.body:
            if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test):
                lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
        return lines
