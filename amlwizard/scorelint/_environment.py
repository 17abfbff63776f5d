"""What an environment file installs (with its pins), and which distribution an import needs.

Reads conda YAML files (dependencies and their pip list) and pip requirements files with a small line
parser, so the check works on files too broken for a YAML parser. An import is matched to distributions:
1. a small curated table (below) for names that differ from their distribution and for Azure's
   namespace packages, which the machine running the linter often does not have installed;
2. the Azure SDK convention for namespace packages: ``azure.keyvault.secrets`` -> ``azure-keyvault-secrets``
   or ``azure-keyvault`` (never the deprecated ``azure`` meta-package);
3. only when those find nothing in the environment (so only on the way to an error): what is installed
   here, from ``importlib.metadata`` (which distribution provides the import, and what the environment's
   packages require in turn).
"""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path

from .._errors import UsageProblem

__all__ = ["Environment", "normalize", "import_key", "is_standard_or_local"]

# import name (or dotted prefix) -> distributions that provide it, the one to suggest first. The names
# that differ from their distribution, and namespace packages whose distribution the convention misses.
IMPORT_TO_PACKAGES: dict[str, tuple[str, ...]] = {
    "sklearn": ("scikit-learn",),
    "cv2": ("opencv-python-headless", "opencv-python", "opencv-contrib-python", "opencv", "py-opencv"),
    "PIL": ("pillow",),
    "yaml": ("pyyaml",),
    "skimage": ("scikit-image",),
    "bs4": ("beautifulsoup4",),
    "dateutil": ("python-dateutil",),
    "attr": ("attrs",),
    "Crypto": ("pycryptodome",),
    "OpenSSL": ("pyopenssl",),
    "jwt": ("pyjwt",),
    "dotenv": ("python-dotenv",),
    "docx": ("python-docx",),
    "fitz": ("pymupdf",),
    "torch": ("torch", "pytorch"),
    "tensorflow": ("tensorflow", "tensorflow-cpu", "tensorflow-gpu"),
    "xgboost": ("xgboost", "py-xgboost"),
    "inference_schema": ("inference-schema",),
    "google.protobuf": ("protobuf",),
    "tritonhttpclient": ("tritonclient",),  # the Triton client's old module names
    "tritongrpcclient": ("tritonclient",),
    "tritonclientutils": ("tritonclient",),
    "azure.core": ("azure-core",),
    "azure.identity": ("azure-identity",),
    "azureml.core": ("azureml-core", "azureml-sdk", "azureml-defaults"),
    # azmlinfsrv installs these modules itself at start (a shim over its own api package)
    "azureml.contrib.services": (
        "azureml-inference-server-http",
        "azureml-contrib-services",
        "azureml-defaults",
    ),
    "azureml.train.automl": ("azureml-train-automl-client", "azureml-train-automl"),
    "azureml.automl.core": ("azureml-automl-core",),
    "azureml.automl.runtime": ("azureml-automl-runtime",),
    "azureml.telemetry": ("azureml-telemetry",),
}

# Distributions that bring others along, for machines where they are not installed (where they are,
# their own metadata is read too). Only what Azure ML scoring environments commonly rely on.
IMPLIED: dict[str, tuple[str, ...]] = {
    "azureml-defaults": ("azureml-core", "azureml-inference-server-http", "flask", "inference-schema"),
    "azureml-sdk": ("azureml-core", "azureml-train-core", "azureml-pipeline", "azureml-dataset-runtime"),
    "azureml-core": (
        "requests",
        "urllib3",
        "python-dateutil",
        "packaging",
        "pyjwt",
        "azure-core",
        "msal",
        "pytz",
    ),
    "azureml-inference-server-http": ("flask", "inference-schema", "werkzeug", "azureml-contrib-services"),
    "azureml-mlflow": ("mlflow-skinny", "azure-storage-blob", "azure-identity"),
    "azureml-automl-runtime": ("azureml-automl-core", "scikit-learn", "pandas", "numpy", "joblib"),
    "azure-identity": ("azure-core", "msal", "cryptography"),
    "azure-core": ("requests", "typing-extensions", "six"),
    "azure-keyvault": ("azure-keyvault-secrets", "azure-keyvault-keys", "azure-keyvault-certificates"),
    "azure-keyvault-secrets": ("azure-core",),
    "azure-storage-blob": ("azure-core", "cryptography"),
    "inference-schema": ("python-dateutil", "pytz", "wrapt"),
    "pandas": ("numpy", "python-dateutil", "pytz"),
    "scikit-learn": ("numpy", "scipy", "joblib", "threadpoolctl"),
    "mlflow": ("mlflow-skinny", "pandas", "numpy", "scikit-learn", "scipy", "flask", "pyyaml", "requests"),
    "mlflow-skinny": ("pyyaml", "requests", "packaging", "protobuf"),
    "torchvision": ("torch", "pillow", "numpy"),
    "tensorflow": ("numpy", "keras", "protobuf", "h5py"),
    "transformers": ("numpy", "tokenizers", "huggingface-hub", "pyyaml", "requests", "safetensors"),
    "xgboost": ("numpy", "scipy"),
    "lightgbm": ("numpy", "scipy"),
}

_NAMESPACES = {"azure", "azureml", "google", "opentelemetry"}


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _split_spec(line: str) -> tuple[str, str]:
    """``scikit-learn=0.24.2=py39_0`` -> ("scikit-learn", "==0.24.2.*"); ``numpy`` -> ("numpy", "")."""
    spec = line.split("#", 1)[0].strip().strip("'\"")
    spec = spec.split("::", 1)[-1]  # conda channel::package
    match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$", spec)
    if not match:
        return "", ""
    name, version = normalize(match.group(1)), match.group(3).split(";", 1)[0].strip()
    conda = re.match(r"^=?\s*([0-9][^=\s]*)(=\S*)?$", version)  # conda "=1.2" / "1.2" / "=1.2=build"
    if conda and not version.startswith("=="):
        version = f"=={conda.group(1).rstrip('.*')}.*"
    return name, version.replace(" ", "")


def read_packages(path: Path) -> dict[str, str]:
    """Distribution name (normalized) -> its version specifier ("" when unpinned)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    lines: list[str] = []
    if path.suffix in (".yml", ".yaml") or "dependencies:" in text:
        section = ""
        for line in text.splitlines():
            top = re.match(r"^([A-Za-z_]+):", line)
            section = top.group(1) if top else section
            item = re.match(r"^\s*-\s+(.+)$", line)
            if section == "dependencies" and item and not item.group(1).strip().endswith(":"):
                lines.append(item.group(1))
    else:
        lines = [ln for ln in text.splitlines() if ln.strip() and not ln.strip().startswith(("#", "-"))]
    found = dict(_split_spec(ln) for ln in lines)
    found.pop("", None)
    return found


# importlib.metadata is imported where used: it costs ~20 ms, and only the slow path needs it.
@cache
def _installed_requires(dist: str) -> tuple[str, ...]:
    from importlib import metadata

    try:
        requires = metadata.requires(dist) or []
    except metadata.PackageNotFoundError:
        return ()
    return tuple(_split_spec(r)[0] for r in requires if "extra ==" not in r.replace("'", '"'))


@cache
def _installed_providers(module: str) -> tuple[str, ...]:
    """Distributions installed here that hold ``module`` (a file-level look for namespace packages)."""
    from importlib import metadata

    top = module.split(".")[0]
    dists = metadata.packages_distributions().get(top, [])
    if len(dists) <= 1 or "." not in module:
        return tuple(normalize(d) for d in dists)
    folder = module.replace(".", "/")
    return tuple(
        normalize(d)
        for d in dists
        if any(str(f).startswith((folder + "/", folder + ".py")) for f in metadata.files(d) or [])
    )


def _curated(module: str) -> list[str]:
    parts = module.split(".")
    found = [p for n in range(len(parts), 0, -1) for p in IMPORT_TO_PACKAGES.get(".".join(parts[:n]), ())]
    return list(dict.fromkeys(normalize(f) for f in found))


def _candidates(module: str) -> list[str]:
    """Distributions that could provide ``module``, the likeliest first (never the ``azure`` meta-package)."""
    parts = module.split(".")
    found = _curated(module)
    if parts[0] in _NAMESPACES:
        found += ["-".join(parts[:n]).lower() for n in range(min(len(parts), 3), 1, -1)]
    elif not found:
        found.append(normalize(parts[0]))
    return list(dict.fromkeys(found))


class Environment:
    """An environment file: what it installs, and whether an import is among it."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise UsageProblem(
                f"no environment file at {self.path}; give the conda .yml or pip requirements file"
            )
        self.packages = read_packages(self.path)
        self._closure = self._implied(set(self.packages), lambda name: IMPLIED.get(name, ()))

    @staticmethod
    def _implied(names: set[str], requires) -> set[str]:
        todo, seen = list(names), set(names)
        while todo:
            for dep in requires(todo.pop()):
                if dep not in seen:
                    seen.add(dep)
                    todo.append(dep)
        return seen

    def provides(self, module: str) -> bool:
        if self._closure & set(_candidates(module)):
            return True
        # The slow, exact way, only on the way to an error: what is installed here says more.
        full = self._implied(self._closure, lambda n: IMPLIED.get(n, ()) + _installed_requires(n))
        return bool(full & set(_installed_providers(module)) or full & set(_candidates(module)))

    @staticmethod
    def suggest(module: str) -> str:
        """The distribution to add for ``module``."""
        return (_curated(module) or list(_installed_providers(module)) or _candidates(module))[0]

    def pin(self, dist: str) -> str | None:
        """The environment's specifier for ``dist`` ("" unpinned), or None when it does not list it."""
        return self.packages.get(normalize(dist))


def import_key(module: str) -> str:
    """What one finding covers: a top-level module (sklearn.*), or a whole name in a namespace (azure.*)."""
    top = module.split(".")[0]
    return module if top in _NAMESPACES else top


def is_standard_or_local(module: str, local_modules: set[str]) -> bool:
    top = module.split(".")[0]
    return top in sys.stdlib_module_names or top in local_modules or top == "__future__"
