"""How a deployed container lays out registered models, so a script finds them locally as it does there.

``lay_out_app_root`` builds ``<app root>/azureml-models/<name>/<version>/...`` as the service mounts a
registered model; the local deployment and the model-path inspector both use it.

The rule, read from azureml-core (``Model._create_artifacts`` uploads under ``<origin>/<container>/
<basename of model_path>``, and the download strips ``<container>``) and the same for SDK v2 registration:
what was registered keeps its own name inside the version folder. ``model_path="model-1/model"`` ->
``azureml-models/<name>/<version>/model/...``; a single file ``model.pkl`` -> ``.../<version>/model.pkl``.
``Model.get_model_path`` returns that one entry; ``AZUREML_MODEL_DIR`` is the version folder.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._errors import UsageProblem

__all__ = ["ModelSpec", "lay_out_app_root", "model_spec", "describe_layout"]


@dataclass(frozen=True)
class ModelSpec:
    """A registered model as the container sees it: ``files`` is what was registered (file or folder)."""

    name: str
    version: int
    files: Path


def _copy(src: Path, dst: Path) -> None:
    # A copy, not a hard link: a script that writes into its model folder must not change the user's
    # files (the service's mount is read-only, so such a write fails there, and harms nothing here).
    shutil.copy2(src, dst)


def _laid_out(files: Path) -> bool:
    """A version folder already laid out as a container has it (a downloaded ``azureml-models/N/V``)."""
    return files.is_dir() and files.name.isdigit() and files.parent.parent.name == "azureml-models"


def describe_layout(model: ModelSpec) -> str:
    """One line: which layout the model gets, and what ``get_model_path`` returns on it."""
    where = f"azureml-models/{model.name}/{model.version}"
    if _laid_out(model.files):
        return f"model: {model.files} is already laid out as {where}/ (a downloaded model): used as it is"
    kind = "file" if model.files.is_file() else "folder"
    entry = model.files.resolve().name
    return (
        f"model: the registered {kind} {entry!r} is laid out as {where}/{entry}"
        f"{'' if kind == 'file' else '/...'}, as Model.register(model_path=...) and v2 registration "
        f"keep its name; Model.get_model_path({model.name!r}) returns that {kind}, "
        f"AZUREML_MODEL_DIR is {where}"
    )


def lay_out_app_root(app_root: Path, model: ModelSpec) -> Path:
    """Place the model at ``app_root/azureml-models/<name>/<version>/`` as the service mounts it.

    ``model.files`` is what was registered (``Model.register(model_path=...)``): it keeps its name in
    the version folder. A folder already laid out (``.../azureml-models/<name>/<version>``, as a download
    gives) is copied as it is. Returns the version folder (``AZUREML_MODEL_DIR`` for a single model).
    """
    version_dir = app_root / "azureml-models" / model.name / str(model.version)
    if version_dir.is_dir():  # laid out by an earlier start of the same deployment
        return version_dir
    version_dir.parent.mkdir(parents=True, exist_ok=True)
    if _laid_out(model.files):
        shutil.copytree(model.files, version_dir, copy_function=_copy)
    elif model.files.is_file():
        version_dir.mkdir()
        _copy(model.files, version_dir / model.files.name)
    else:
        target = version_dir / model.files.resolve().name
        shutil.copytree(model.files, target, copy_function=_copy)
    return version_dir


def model_spec(model: Any, model_dir: Path | None) -> ModelSpec | None:
    if model is None:
        return None
    if isinstance(model, ModelSpec):
        return model
    if isinstance(model, str):  # "name:version", files from model_dir
        name, _, version = model.partition(":")
        model = (name, version, model_dir)
    try:
        name, version, files = model
        version = int(version)
    except (TypeError, ValueError) as err:
        raise UsageProblem(
            f"model must be (name, version, files) or 'name:version' with an int version, not {model!r}"
        ) from err
    if files is None or not Path(files).exists():
        raise UsageProblem(
            f"model files for {name}:{version} not found at {files}; give the folder of the registered files"
        )
    return ModelSpec(str(name), version, Path(files))
