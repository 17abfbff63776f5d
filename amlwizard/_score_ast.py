"""Where a scoring script asks for its model, read from its syntax tree (shared by scorelint and modelpath).

``find_model_refs`` returns each ``Model.get_model_path`` call and each ``AZUREML_MODEL_DIR`` read.
"""

from __future__ import annotations

import ast
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["ModelRef", "find_model_refs", "dotted", "functions", "reads_model_dir", "parse_model_refs"]


@dataclass
class ModelRef:
    """Where the script looks for its model: a ``get_model_path`` call or ``AZUREML_MODEL_DIR``."""

    kind: str  # "get_model_path" or "AZUREML_MODEL_DIR"
    line: int
    function: str | None  # the enclosing function (init, run, ...) or None at module level
    name: str | None = None  # the model name given to get_model_path (a literal), if any
    version: Any = None  # the literal version, if any (an int, or a wrong type)
    relative_path: str | None = None  # joined onto AZUREML_MODEL_DIR, e.g. "model.pkl"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    return ""


def _literal(node: ast.AST | None) -> Any:
    try:
        return ast.literal_eval(node) if node is not None else None
    except ValueError:
        return None


def reads_model_dir(node: ast.AST) -> bool:
    """``os.getenv("AZUREML_MODEL_DIR")`` / ``os.environ["AZUREML_MODEL_DIR"]`` / ``.get(...)``."""
    return any(isinstance(n, ast.Constant) and n.value == "AZUREML_MODEL_DIR" for n in ast.walk(node))


def functions(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    return {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}


def _enclosing(tree: ast.Module) -> dict[ast.AST, str]:
    owner: dict[ast.AST, str] = {}
    for func in functions(tree).values():
        for node in ast.walk(func):
            owner[node] = func.name
    return owner


def find_model_refs(tree: ast.Module) -> list[ModelRef]:
    """Every place the script asks for its model, with the literal names and paths it uses."""
    owner = _enclosing(tree)
    refs: list[ModelRef] = []
    inside_join: set[int] = set()  # os.getenv(...) calls already counted as part of their path.join
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = dotted(node.func)
        if name.endswith("get_model_path"):
            kw = {k.arg: k.value for k in node.keywords}
            model = _literal(node.args[0] if node.args else kw.get("model_name"))
            version = _literal(node.args[1] if len(node.args) > 1 else kw.get("version"))
            refs.append(ModelRef("get_model_path", node.lineno, owner.get(node), model, version))
        elif name.endswith("path.join") and node.args and reads_model_dir(node.args[0]):
            inside_join.update(id(n) for n in ast.walk(node.args[0]))
            rest = [_literal(a) for a in node.args[1:]]
            rel = "/".join(r for r in rest if isinstance(r, str)) or None
            refs.append(ModelRef("AZUREML_MODEL_DIR", node.lineno, owner.get(node), relative_path=rel))
        elif name in ("os.getenv", "getenv", "os.environ.get") and reads_model_dir(node):
            if id(node) not in inside_join and not any(r.line == node.lineno for r in refs):
                refs.append(ModelRef("AZUREML_MODEL_DIR", node.lineno, owner.get(node)))
    refs.sort(key=lambda r: r.line)
    # an os.getenv line also inside a path.join on the same line is the same reference
    return [
        r for i, r in enumerate(refs) if not (i and refs[i - 1].line == r.line and r.relative_path is None)
    ]


def parse_model_refs(source: str) -> list[ModelRef]:
    """Model references of a script's source; [] when it does not parse (scorelint reports that)."""
    try:
        return find_model_refs(ast.parse(source))
    except SyntaxError:
        return []
