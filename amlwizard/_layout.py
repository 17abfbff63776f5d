"""How a deployed container lays out registered models, so a script finds them locally as it does there.

``lay_out_app_root`` builds ``<app root>/azureml-models/<name>/<version>/...`` as the service mounts a
registered model; the local deployment and the model-path inspector both use it.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._errors import UsageProblem

__all__ = ["ModelSpec", "lay_out_app_root", "model_spec"]


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


def lay_out_app_root(app_root: Path, model: ModelSpec) -> Path:
    """Place the model at ``app_root/azureml-models/<name>/<version>/`` as the service mounts it.

    A folder registered as a model keeps its own name inside the version folder when it holds
    a sub-folder (``resnet/``); a folder of loose files is copied as those files. Returns the
    version folder (the service's ``AZUREML_MODEL_DIR`` for a single model).
    """
    version_dir = app_root / "azureml-models" / model.name / str(model.version)
    if version_dir.is_dir():  # laid out by an earlier start of the same deployment
        return version_dir
    version_dir.mkdir(parents=True)
    if model.files.is_file():
        _copy(model.files, version_dir / model.files.name)
    else:
        for entry in model.files.iterdir():
            target = version_dir / entry.name
            if entry.is_dir():
                shutil.copytree(entry, target, copy_function=_copy, dirs_exist_ok=True)
            else:
                _copy(entry, target)
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
