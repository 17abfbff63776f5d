"""Imports and attributes that the common ML libraries removed, checked against the environment's pin.

No environment file, or an unpinned library, means pip installs the newest release, which no longer has
them. A pin that allows only older releases keeps them working, so it is not flagged.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ._environment import Environment
from ._issues import LintReport
from ._script import Script

__all__ = ["check_removed", "REMOVED"]


@dataclass(frozen=True)
class Removed:
    name: str  # the dotted module or attribute, as imported or used (after resolving aliases)
    dist: str  # the distribution that removed it
    version: str  # the first release without it
    instead: str  # what to use now


# From each library's release notes. Modules are matched by import, attributes by use (tf.Session).
REMOVED: tuple[Removed, ...] = (
    Removed("sklearn.externals.joblib", "scikit-learn", "0.23", "`import joblib`"),
    Removed("sklearn.externals.six", "scikit-learn", "0.23", "`import six`"),
    Removed("sklearn.cross_validation", "scikit-learn", "0.20", "sklearn.model_selection"),
    Removed("sklearn.grid_search", "scikit-learn", "0.20", "sklearn.model_selection"),
    Removed("sklearn.learning_curve", "scikit-learn", "0.20", "sklearn.model_selection"),
    Removed("sklearn.preprocessing.Imputer", "scikit-learn", "0.22", "sklearn.impute.SimpleImputer"),
    Removed("sklearn.utils.testing", "scikit-learn", "0.24", "sklearn.utils._testing"),
    Removed("sklearn.metrics.plot_confusion_matrix", "scikit-learn", "1.2", "ConfusionMatrixDisplay"),
    Removed("pandas.util.testing", "pandas", "2.0", "pandas.testing"),
    Removed("tensorflow.contrib", "tensorflow", "2.0", "TF 2 APIs, or tensorflow.compat.v1"),
    Removed("tensorflow.Session", "tensorflow", "2.0", "tf.compat.v1.Session, or TF 2 eager code"),
    Removed("tensorflow.reset_default_graph", "tensorflow", "2.0", "tf.compat.v1.reset_default_graph"),
    Removed("tensorflow.get_default_graph", "tensorflow", "2.0", "tf.compat.v1.get_default_graph"),
    Removed("tensorflow.placeholder", "tensorflow", "2.0", "tf.compat.v1.placeholder"),
    Removed("tensorflow.global_variables_initializer", "tensorflow", "2.0", "tf.compat.v1"),
    Removed("tensorflow.ConfigProto", "tensorflow", "2.0", "tf.compat.v1.ConfigProto"),
    Removed("tensorflow.GraphDef", "tensorflow", "2.0", "tf.compat.v1.GraphDef"),
    Removed("tensorflow.gfile", "tensorflow", "2.0", "tf.io.gfile"),
    Removed(
        "tensorflow.train.import_meta_graph", "tensorflow", "2.0", "tf.compat.v1.train.import_meta_graph"
    ),
    Removed("numpy.float", "numpy", "1.24", "float"),
    Removed("numpy.int", "numpy", "1.24", "int"),
    Removed("numpy.bool", "numpy", "1.24", "bool"),
    Removed("numpy.object", "numpy", "1.24", "object"),
    Removed("numpy.str", "numpy", "1.24", "str"),
    Removed("numpy.asscalar", "numpy", "1.23", "a.item()"),
)
_BY_NAME = {r.name: r for r in REMOVED}


def _installs_removed(entry: Removed, env: Environment | None) -> str | None:
    """Why the environment gets a release without ``entry`` ("unpinned", "pinned ==1.2.*"), or None."""
    if env is None:
        return "with no environment file pip installs the newest release"
    spec = env.pin(entry.dist)
    if spec is None:
        return None  # not listed: the import check reports the missing package
    from packaging.specifiers import InvalidSpecifier, SpecifierSet  # only for a pin (~20 ms to import)
    from packaging.version import Version

    if not spec:
        return f"{env.path.name} does not pin {entry.dist}, so pip installs the newest release"
    try:
        allowed = SpecifierSet(spec)
    except InvalidSpecifier:
        return None
    # pip installs the highest release allowed: probe the first release without it, and every version named
    removed = Version(entry.version)
    probes = {removed, Version("9999")} | {
        Version(s.version.rstrip(".*")) for s in allowed if s.version[0].isdigit()
    }
    if any(v >= removed and allowed.contains(v, prereleases=True) for v in probes):
        return f"{env.path.name} pins {entry.dist}{spec}"
    return None


def _uses(script: Script) -> list[tuple[int, str]]:
    """(line, dotted name) of each import and each attribute use, resolved through the script's imports."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(script.tree):
        if id(node) in script.guarded_imports:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [(node.lineno, node.module)] + [
                (node.lineno, f"{node.module}.{a.name}") for a in node.names
            ]
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            found.append((node.lineno, script.qualified(node)))
    return sorted(found)


def check_removed(script: Script, env: Environment | None, report: LintReport) -> None:
    first: dict[str, list[tuple[int, Removed]]] = {}  # one finding a library, naming every line
    for line, name in _uses(script):
        entry = _BY_NAME.get(name)
        if entry is not None and not any(e is entry for _, e in first.get(entry.dist, [])):
            first.setdefault(entry.dist, []).append((line, entry))
    for dist, hits in first.items():
        why = _installs_removed(hits[0][1], env)
        if why is None:
            continue
        line, entry = hits[0]
        is_import = any(
            isinstance(n, (ast.Import, ast.ImportFrom)) and n.lineno == line for n in ast.walk(script.tree)
        )
        names = ", ".join(f"{e.name} (line {ln})" for ln, e in hits)
        effect = (
            "ImportError: the server cannot import score.py" if is_import else "AttributeError where it runs"
        )
        report.add(
            "removed-import" if is_import else "removed-api",
            "error",
            line,
            f"{names}: removed in {dist} {entry.version}, and {why}: {effect}",
            f"use {entry.instead}"
            + ("" if len(hits) == 1 else " (and the like for the others)")
            + f", or pin {dist}<{entry.version}",
        )
