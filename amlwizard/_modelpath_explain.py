"""Plain-word explanations for the model-path inspector: what does not match, and the corrected call.

Compares the name, version and paths a scoring script asks for with the folders really present.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

__all__ = ["explain"]


def _entries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def _closest(name: str, options: list[str]) -> str | None:
    canon = {o.replace("_", "-").lower(): o for o in options}
    if name.replace("_", "-").lower() in canon:
        return canon[name.replace("_", "-").lower()]
    close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    return close[0] if close else None


def _call(name: str, version: Any = None) -> str:
    return (
        f"Model.get_model_path({name!r})"
        if version is None
        else f"Model.get_model_path({name!r}, version={version})"
    )


def explain(report: Any, root: Path, registered_files: list[str] | None) -> None:
    """Fill ``report.problems`` (plain words) and ``report.fix`` (the corrected call)."""
    problems: list[str] = report.problems
    models = root / "azureml-models"
    names = [n for n in _entries(models) if (models / n).is_dir()]
    asked, version = report.asked_name, report.asked_version
    if not Path(report.app_root).is_absolute() and report.app_root.startswith(("(", "/")) is False:
        report.notes.append(
            f"AML_APP_ROOT is the relative path {report.app_root!r}: get_model_path then returns a relative "
            "path that only works from the folder the server started in (the service uses /var/azureml-app)."
        )
    exc = report.exception or ""
    if not exc and report.model_name != asked and report.model_name in names:
        problems.append(
            f"The script asks for {asked!r} but the model is registered as {report.model_name!r}."
        )
        report.fix = _call(report.model_name, version if isinstance(version, int) else None)
    if "version should be an int" in exc:
        as_int = int(version) if str(version).isdigit() else 1
        problems.append(
            f"The version {version!r} is a {type(version).__name__}: get_model_path takes an int."
        )
        report.fix = _call(asked, as_int)
    elif "can contain only 1 file or folder" in exc:
        folder = (
            models
            / asked
            / str(version if version is not None else max(_versions(models / asked), default=""))
        )
        problems.append(
            f"The version folder holds {len(_entries(folder))} entries ({', '.join(_entries(folder))}); "
            "get_model_path needs exactly one: register the model as one folder, "
            "or join AZUREML_MODEL_DIR with the file you want."
        )
        report.fix = "os.path.join(os.getenv('AZUREML_MODEL_DIR'), '<file>')"
    elif exc.startswith("ValueError"):
        problems.append(
            f"A folder under azureml-models/{asked}/ is not a number "
            f"({', '.join(_entries(models / asked))}): version folders must be integers."
        )
    elif "not found in cache" in exc or exc.startswith("ModelNotFoundException"):
        if not names:
            problems.append(
                f"There is no azureml-models folder with models under {root}: the model was not mounted here."
            )
        elif asked not in names:
            near = _closest(asked, names)
            hint = f" The closest existing name is {near!r}." if near else ""
            if near and near == report.model_name:
                hint += " It is the registered name: the script's name differs from the registration."
            problems.append(
                f"No model named {asked!r} under azureml-models/ (there: {', '.join(names)}).{hint}"
            )
            if near:
                report.fix = _call(near, version if isinstance(version, int) else None)
        else:
            have = _versions(models / asked)
            present = ", ".join(map(str, have)) or "none"
            problems.append(f"Model {asked!r} has no version {version} here (versions present: {present}).")
            report.fix = _call(asked, max(have)) if have else None
    _check_model_dir_refs(report, registered_files, problems)


def _versions(folder: Path) -> list[int]:
    return sorted(int(n) for n in _entries(folder) if n.isdigit())


def _check_model_dir_refs(report: Any, registered_files: list[str] | None, problems: list[str]) -> None:
    """A script joining AZUREML_MODEL_DIR with a file that is not where the model's files sit."""
    model_dir = Path(report.model_dir) if report.model_dir else None
    present = set(registered_files or [])
    if model_dir is not None and model_dir.is_dir():
        present |= {str(p.relative_to(model_dir)) for p in model_dir.rglob("*")}
    for ref in report.script_refs:
        if ref.kind != "AZUREML_MODEL_DIR" or not ref.relative_path or not present:
            continue
        if ref.relative_path.strip("/") not in present:
            near = difflib.get_close_matches(ref.relative_path, sorted(present), n=1, cutoff=0.3)
            problems.append(
                f"Line {ref.line} reads AZUREML_MODEL_DIR/{ref.relative_path}, but the model's files are: "
                f"{', '.join(sorted(present)[:10])}."
            )
            if near:
                report.fix = f"os.path.join(os.getenv('AZUREML_MODEL_DIR'), {near[0]!r})"
