"""The notebook wizards (ipywidgets views over the engine): triage, logs, local, model path, replicas."""

from __future__ import annotations

from ._frame import Task, Wizard
from ._host import WIZARDS, WizardHost

__all__ = ["WIZARDS", "Task", "Wizard", "WizardHost"]
