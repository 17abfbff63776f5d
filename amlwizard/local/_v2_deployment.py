"""An SDK v2 deployment YAML (``az ml online-deployment create -f``) read as the local server needs it.

``read_deployment_yaml(path)`` gives the scoring script (``code_configuration.code`` + ``scoring_script``),
the model's local files (``model.path``, laid out as registered: ``azureml-models/<name>/<version>/<its
name>``, ``AZUREML_MODEL_DIR`` the version folder), the environment variables, the request timeout and where
it runs (``type``: managed or kubernetes), so ``amlwizard serve --deployment FILE`` runs it as the endpoint
would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._errors import UsageProblem

__all__ = ["V2DeploymentSpec", "read_deployment_yaml"]


@dataclass(frozen=True)
class V2DeploymentSpec:
    score_path: Path
    model: tuple[str, int, Path] | None  # (name, version, the registered file or folder)
    env: dict[str, str] = field(default_factory=dict)
    timeout_ms: int = 5000  # request_settings.request_timeout_ms (the managed default)
    compute_type: str = "Managed"


def _bad(path: Path, what: str) -> UsageProblem:
    return UsageProblem(
        f"{path}: {what} (an SDK v2 deployment YAML, as `az ml online-deployment create -f` takes)"
    )


def read_deployment_yaml(path: str | Path) -> V2DeploymentSpec:
    """Read a v2 deployment YAML; a ``UsageProblem`` (one line) says what is missing or wrong."""
    import yaml

    path = Path(path).expanduser()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageProblem(f"cannot read {path}: {exc.strerror or exc}; check the path") from None
    except yaml.YAMLError as exc:
        raise _bad(path, f"not YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise _bad(path, "not a mapping")
    base = path.resolve().parent
    code = data.get("code_configuration")
    if not isinstance(code, dict) or not code.get("scoring_script"):
        raise _bad(path, "no code_configuration.scoring_script")
    score = (base / str(code.get("code") or ".") / str(code["scoring_script"])).resolve()
    if not score.is_file():
        raise _bad(path, f"the scoring script {score} does not exist")
    return V2DeploymentSpec(
        score_path=score,
        model=_model(path, base, data.get("model")),
        env={str(k): str(v) for k, v in (data.get("environment_variables") or {}).items()},
        timeout_ms=int((data.get("request_settings") or {}).get("request_timeout_ms") or 5000),
        compute_type="Kubernetes" if str(data.get("type", "")).lower() == "kubernetes" else "Managed",
    )


def _model(path: Path, base: Path, model: Any) -> tuple[str, int, Path] | None:
    if model is None:
        return None
    if isinstance(model, str):  # azureml:name:version lives in the workspace, not here
        raise _bad(path, f"model {model!r} is a registered model: give its files with --model-dir")
    if not isinstance(model, dict) or not model.get("path"):
        raise _bad(path, "model has no local path")
    files = (base / str(model["path"])).resolve()
    if not files.exists():
        raise _bad(path, f"the model's files {files} do not exist")
    try:
        version = int(model.get("version") or 1)
    except (TypeError, ValueError):
        raise _bad(path, f"model version {model.get('version')!r} is not a number") from None
    return str(model.get("name") or "model"), version, files
