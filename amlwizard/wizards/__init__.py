"""The notebook wizards (ipywidgets views over the engine): triage, logs, local, model path, replicas.

``show(session)`` displays them for a session (where the user left off); ``open_wizards(session)`` builds
them without displaying (scripts, tests); ``host_of(session)`` is the host shown last for a session.
Loaded lazily: importing this package does not import ipywidgets.
"""

from __future__ import annotations

import importlib
import weakref
from typing import TYPE_CHECKING, Any

from ._registry import WIZARD_NAMES, WIZARDS

if TYPE_CHECKING:
    from ..session import TroubleshootSession
    from ._host import WizardHost

__all__ = ["WIZARDS", "WIZARD_NAMES", "Task", "Wizard", "WizardHost", "show", "open_wizards", "host_of"]

_LAZY = {"Task": "._frame", "Wizard": "._frame", "WizardHost": "._host"}
# The view keeps the map from a session to the wizards showing it: the session (a model) never knows them.
_HOSTS: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'amlwizard.wizards' has no attribute {name!r}")


def open_wizards(
    session: TroubleshootSession, wizard: str | None = None, *, threaded: bool = True
) -> WizardHost:
    """Build the wizards for ``session`` (not displayed), opened at ``wizard`` or where the user left off."""
    from ._host import WizardHost

    host = WizardHost(session, threaded=threaded)
    _HOSTS[session] = host
    host.open(wizard or session.wizard or "triage")
    return host


def show(session: TroubleshootSession, wizard: str | None = None, *, threaded: bool = True) -> WizardHost:
    """Display the wizards for ``session`` in the notebook (``amlwizard.show(s)`` after ``load``)."""
    from IPython.display import display

    host = open_wizards(session, wizard, threaded=threaded)
    display(host.widget)
    return host


def host_of(session: TroubleshootSession) -> WizardHost | None:
    """The wizards last shown for ``session`` (None if never shown in this kernel)."""
    return _HOSTS.get(session)
