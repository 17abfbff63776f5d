"""The learner's working folder: the workshop notebooks and each scenario's app, copied out of the package.

``amlwizard workshop DIR`` makes it and runs JupyterLab there, so what JupyterLab saves (outputs, new
notebooks) never lands in the package or a clone, and an edited score.py is the learner's own copy. The
notebooks (``apps/<scenario>/``) and the wizards (``learner_app_dir``) find a scenario's app there.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ._errors import UsageProblem
from ._files import write_atomic

__all__ = [
    "APPS",
    "MANIFEST",
    "START_NOTEBOOK",
    "Workfolder",
    "shipped_notebooks",
    "prepare_workfolder",
    "find_workfolder",
    "learner_app_dir",
]

APPS = "apps"  # <workfolder>/apps/<scenario>/: score.py, model/, sample-request.json, conda.yml
START_NOTEBOOK = "00-start-here.ipynb"
# What was copied, with the hash of each file as shipped: an edit of the learner's is never overwritten
# silently, and a folder holding it is a working folder (the wizards look for it from the notebook's folder).
MANIFEST = ".amlwizard-workshop.json"
_PACKAGE = Path(__file__).resolve().parent
_SKIP = ("__pycache__", ".ipynb_checkpoints")


def _notebooks_dir() -> Path:
    """Where the notebooks are: inside the installed package (the wheel maps the clone's ``notebooks/``
    there, see pyproject.toml), or beside the package in a clone (a source or editable install)."""
    for folder in (_PACKAGE / "notebooks", _PACKAGE.parent / "notebooks"):
        if (folder / START_NOTEBOOK).is_file():
            return folder
    raise UsageProblem(f"the workshop notebooks are not installed (no {START_NOTEBOOK}): reinstall amlwizard")


def shipped_notebooks() -> list[Path]:
    """The workshop notebooks amlwizard ships, sorted by name."""
    return sorted(_notebooks_dir().glob("*.ipynb"))


def _shipped_files() -> dict[str, Path]:
    """Relative path in the working folder -> the shipped file it is copied from."""
    from .scenarios import load_scenario, scenario_names

    files = {p.name: p for p in shipped_notebooks()}
    for name in scenario_names():
        app = load_scenario(name).app_dir
        for path in sorted(app.rglob("*")):
            if path.is_file() and not any(part in _SKIP for part in path.relative_to(app).parts):
                files[f"{APPS}/{name}/{path.relative_to(app).as_posix()}"] = path
    return files


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Workfolder:
    """What ``prepare_workfolder`` did: the folder, the files it copied, those it left as they were."""

    folder: Path
    copied: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # the learner's (possibly edited) copies, left alone
    replaced: list[str] = field(default_factory=list)  # the learner's edits replaced (--force only)

    @property
    def start_notebook(self) -> Path:
        return self.folder / START_NOTEBOOK


def _read_manifest(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in data["files"].items()}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UsageProblem(
            f"{folder / MANIFEST} is damaged ({type(exc).__name__}); delete it and run again with --force"
        ) from exc


def prepare_workfolder(folder: str | Path, *, force: bool = False) -> Workfolder:
    """Copy the notebooks and the scenarios' apps into ``folder`` (made if missing).

    A file the learner changed stays as it is, unless this version of amlwizard ships a different one: then
    nothing is copied and a ``UsageProblem`` names the files, unless ``force`` (the learner's copy is
    replaced). A file already there that amlwizard did not copy counts as the learner's.
    """
    root = Path(folder).expanduser().resolve()
    if root.exists() and not root.is_dir():
        raise UsageProblem(f"{root} is a file, not a folder: choose a folder for the workshop")
    before = _read_manifest(root) if root.is_dir() else {}
    result = Workfolder(root)
    plan: list[tuple[str, Path, str]] = []
    conflicts: list[str] = []
    shipped = _shipped_files()
    manifest: dict[str, str] = {}
    for rel, source in shipped.items():
        new = _digest(source)
        manifest[rel] = new
        dest = root / rel
        if not dest.is_file():
            plan.append((rel, source, "copied"))
            continue
        have = _digest(dest)
        if have == new or before.get(rel) == new:
            result.kept.append(rel)  # up to date, or the learner's edit of an unchanged file
        elif have == before.get(rel):
            plan.append((rel, source, "copied"))  # untouched copy of an older version: update it
        else:
            conflicts.append(rel)
    if conflicts and not force:
        shown = ", ".join(conflicts[:3]) + (f" and {len(conflicts) - 3} more" if len(conflicts) > 3 else "")
        raise UsageProblem(
            f"{root} holds your own versions of {shown}, which this amlwizard would replace: "
            "pass --force to replace them, or choose another folder"
        )
    plan += [(rel, shipped[rel], "replaced") for rel in conflicts]
    try:
        for rel, source, how in plan:
            dest = root / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)
            getattr(result, how).append(rel)
        write_atomic(root / MANIFEST, json.dumps({"files": {**before, **manifest}}, indent=1) + "\n")
    except OSError as exc:
        raise UsageProblem(
            f"cannot write the workshop into {root} ({exc.strerror}): choose another folder"
        ) from exc
    return result


def find_workfolder(start: str | Path | None = None) -> Path | None:
    """The working folder holding ``start`` (default: the current folder), or None."""
    folder = Path(start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / MANIFEST).is_file():
            return candidate
    return None


def learner_app_dir(scenario: str, start: str | Path | None = None) -> Path | None:
    """The learner's copy of ``scenario``'s app, when a working folder holds ``start``; else None."""
    root = find_workfolder(start)
    app = root / APPS / scenario if root is not None else None
    return app if app is not None and (app / "score.py").is_file() else None
