"""The shape of the package holds: data flows down through the layers of pyproject.toml, with no import loop.

Every import counts, lazy ones inside functions and ``TYPE_CHECKING`` ones too: a loop hidden in a function
is still two parts of the house that each need the other (docs/ARCHITECTURE.md).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _loops(graph) -> list[list[str]]:
    """Strongly connected components of more than one module (iterative Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_module_of_the_package_imports_one_that_imports_it_back():
    import grimp

    graph = grimp.build_graph("amlwizard", include_external_packages=False)
    for module in list(graph.modules):  # a package's __init__ re-exporting its children is not a loop
        for child in graph.find_children(module):
            if graph.direct_import_exists(importer=child, imported=module):
                graph.remove_import(importer=child, imported=module)
    assert _loops(graph) == []


def test_each_layer_imports_only_the_layers_below_it():
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0 and "Data flows down KEPT" in result.stdout, result.stdout[-3000:]
