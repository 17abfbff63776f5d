"""What an environment file provides, and which package an import needs (scorelint's import check).

Reads conda YAML files (dependencies and their pip list) and pip requirements files with a small
line parser, so the check works without PyYAML and on files too broken for a YAML parser.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from ._errors import UsageProblem

__all__ = ["read_environment_packages", "packages_for_import", "is_satisfied", "normalize"]

# import name -> the package names that provide it (first one is what to add)
IMPORT_TO_PACKAGES: dict[str, tuple[str, ...]] = {
    "sklearn": ("scikit-learn",),
    "cv2": ("opencv-python", "opencv-python-headless", "opencv", "py-opencv"),
    "PIL": ("pillow",),
    "yaml": ("pyyaml",),
    "skimage": ("scikit-image",),
    "bs4": ("beautifulsoup4",),
    "dateutil": ("python-dateutil",),
    "attr": ("attrs",),
    "Crypto": ("pycryptodome",),
    "torch": ("torch", "pytorch"),
    "tensorflow": ("tensorflow", "tensorflow-cpu", "tensorflow-gpu"),
    "google": ("protobuf",),
    "inference_schema": ("inference-schema",),
    "azureml": ("azureml-defaults", "azureml-core", "azureml-inference-server-http"),
    "azureml_inference_server_http": ("azureml-inference-server-http", "azureml-defaults"),
    "dotenv": ("python-dotenv",),
    "jwt": ("pyjwt",),
    "lightgbm": ("lightgbm",),
    "xgboost": ("xgboost", "py-xgboost"),
}

# packages that bring others along (azureml-defaults installs azureml-core and the inference server)
IMPLIED: dict[str, tuple[str, ...]] = {
    "azureml-defaults": ("azureml-core", "azureml-inference-server-http", "flask", "inference-schema"),
    "azureml-core": ("requests", "pyyaml", "urllib3"),
    "pandas": ("numpy", "python-dateutil"),
    "scikit-learn": ("numpy", "scipy", "joblib"),
}


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _package_name(spec: str) -> str:
    spec = spec.split("#", 1)[0].strip().strip("'\"")
    spec = spec.split("::", 1)[-1]  # conda channel::package
    return normalize(re.split(r"[\s=<>!~;\[@]", spec, maxsplit=1)[0]) if spec else ""


def read_environment_packages(path: str | Path) -> set[str]:
    """Package names (normalized) a conda file or a pip requirements file installs."""
    path = Path(path)
    if not path.is_file():
        raise UsageProblem(f"no environment file at {path}; give the conda .yml or pip requirements file")
    text = path.read_text(encoding="utf-8", errors="replace")
    found: set[str] = set()
    if path.suffix in (".yml", ".yaml") or "dependencies:" in text:
        section = ""
        for line in text.splitlines():
            top = re.match(r"^([A-Za-z_]+):", line)
            section = top.group(1) if top else section
            item = re.match(r"^\s*-\s+(.+)$", line)
            if section == "dependencies" and item and not item.group(1).strip().endswith(":"):
                found.add(_package_name(item.group(1)))
    else:
        for line in text.splitlines():
            if line.strip() and not line.strip().startswith(("#", "-")):
                found.add(_package_name(line))
    for name in list(found):
        found.update(IMPLIED.get(name, ()))
    found.discard("")
    return found


def packages_for_import(module: str) -> tuple[str, ...]:
    top = module.split(".")[0]
    return IMPORT_TO_PACKAGES.get(top, (normalize(top),))


def is_satisfied(module: str, packages: set[str], local_modules: set[str]) -> bool:
    """True when ``module`` is standard library, a file beside score.py, or installed by ``packages``."""
    top = module.split(".")[0]
    if top in sys.stdlib_module_names or top in local_modules or top == "__future__":
        return True
    if top == "azureml" and any(p.startswith("azureml-") for p in packages):
        return True
    return any(normalize(p) in packages for p in packages_for_import(module))
