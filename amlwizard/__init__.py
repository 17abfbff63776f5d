"""amlwizard: guided wizards that troubleshoot Azure Machine Learning model deployments.

In a notebook: ``%load_ext amlwizard`` then ``%aml_troubleshoot``. In a terminal: ``amlwizard --help``.
The package import stays light: everything below is loaded when first used.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it (loaded on first access, so `%load_ext` stays fast)
_LAZY = {
    "Finding": "._finding",
    "Evidence": "._finding",
    "AmlWizardError": "._errors",
    "UsageProblem": "._errors",
    "BackendError": "._errors",
    "mask_secrets": "._secrets",
    "diagnose": ".diagnosis",
    "Diagnosis": ".diagnosis",
    "TroubleshootSession": ".session",
    "show": ".wizards",
    "capture": ".backends._capture",
    "Capture": ".backends._capture",
}

__all__ = sorted([*_LAZY, "load_ipython_extension", "unload_ipython_extension", "__version__"])


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'amlwizard' has no attribute {name!r}")


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext amlwizard``: register ``%aml_troubleshoot`` and ``%%aml_troubleshoot``."""
    from ._magic import load_ipython_extension as _load

    _load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    from ._magic import unload_ipython_extension as _unload

    _unload(ipython)


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """The built JupyterLab extension in a clone, for `jupyter labextension develop`.

    The wheel installs the same build as share/jupyter/labextensions/amlwizard-labextension.
    """
    return [{"src": "labextension", "dest": "amlwizard-labextension"}]
