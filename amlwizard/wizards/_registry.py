"""The wizards there are: the one list the magic's ``--wizard`` choices, the menu and the host are made from.

A literal map, no discovery magic; importing it costs nothing (no ipywidgets), so the magic can use it.
"""

from __future__ import annotations

__all__ = ["WIZARDS", "WIZARD_NAMES"]

# --wizard name -> (module in amlwizard.wizards, class, menu label)
WIZARDS: dict[str, tuple[str, str, str]] = {
    "connect": ("connect", "ConnectWizard", "Workspace"),  # opened first when no workspace is found
    "triage": ("triage", "TriageWizard", "Triage"),
    "logs": ("logs", "LogsWizard", "Fetch logs"),
    "local": ("local", "LocalWizard", "Deploy locally"),
    "model-path": ("model_path", "ModelPathWizard", "Inspect model path"),
    "replicas": ("replicas", "ReplicasWizard", "Size replicas"),
}
WIZARD_NAMES: tuple[str, ...] = tuple(WIZARDS)
