"""``start_workshop()``: the emulator started in this process, attached, with a ready Workspace and backend.

One per process (the only one: sessions, the CLI and the notebooks all share it): a second call returns
the running one (restarting only when it lacks a requested scenario). Made for ``%aml_troubleshoot
--workshop`` in a kernel where azureml may already be imported.
"""

from __future__ import annotations

import atexit
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._errors import UsageProblem
from ..scenarios import scenario_names

if TYPE_CHECKING:
    from ..backends.azure import AzureBackend

# The emulator, the scoring servers, the attachment and the v1 backend are imported when a workshop starts:
# the magic draws its wizard while a worker thread starts one, and they are not needed to draw it.

__all__ = [
    "Workshop",
    "start_workshop",
    "current_workshop",
    "stop_workshop",
    "WORKSHOP_SPEED",
    "workshop_speed",
]

# How much faster than AKS the workshop's replicas start and scale down: a new replica is ready in 10 s
# instead of about a minute, so a 30-second probe shows 503s fading as replicas come up (docs/emulator.md).
WORKSHOP_SPEED = 6.0
SPEED_VARIABLE = "AMLWIZARD_EMULATOR_SPEED"


def workshop_speed(speed: float | None = None) -> float:
    """``speed``, else ``$AMLWIZARD_EMULATOR_SPEED``, else ``WORKSHOP_SPEED`` (1 is real time)."""
    raw: Any = speed if speed is not None else os.environ.get(SPEED_VARIABLE, WORKSHOP_SPEED)
    try:
        value = float(raw)
    except (TypeError, ValueError):
        value = float("nan")
    if not 0.01 <= value <= 1000:
        raise UsageProblem(
            f"emulator speed {raw!r} ({SPEED_VARIABLE}) must be a number in 0.01..1000; 1 is real time"
        )
    return value


_LOCK = threading.Lock()
_START_LOCK = threading.Lock()
_CURRENT: Workshop | None = None


class Workshop:
    """A running emulator attached to this process.

    ``workspace`` is an ``azureml.core.Workspace``, ``backend`` an ``AzureBackend`` over it, ``ml_client``
    an ``azure.ai.ml.MLClient`` of the same workspace (SDK v2, its online endpoints), ``v2_backend`` a
    ``V2Backend`` over it, ``url`` the emulator's address, ``scenarios`` the service names it serves,
    ``config_path`` a ``config.json`` for ``Workspace.from_config`` / ``amlwizard --workspace``, ``env`` the
    variables for another process.
    """

    def __init__(
        self,
        scenarios: list[str] | None = None,
        *,
        port: int = 0,
        owner: str | None = None,
        speed: float | None = None,
    ) -> None:
        from ..backends.azure import quiet_sdk_logs
        from ..emulator import Emulator
        from ..scenarios import load_scenarios
        from ._attach import Attachment, write_config
        from ._scoring import start_scoring_server

        quiet_sdk_logs()  # the SDK's own error logs would print raw next to amlwizard's messages
        self.owner = owner  # who started it ("session", "cli"...): only they stop it (stop_workshop)
        self.emulator = Emulator(
            load_scenarios(scenarios), port=port, scoring=start_scoring_server, speed=workshop_speed(speed)
        ).start()
        e = self.emulator
        self._attachment = Attachment(e.url, e.ca.bundle_path, e.state_dir, token=e.issue_token())
        self._workspace: Any = None
        self._backend: AzureBackend | None = None
        self._ml_client: Any = None
        self._v2_backend: Any = None
        try:
            self._attachment.attach()
            self.config_path: Path = write_config(
                e.state_dir / "config.json", e.url, e.ca.bundle_path, e.msi_secret
            )
        except BaseException:
            self.stop()
            raise

    @property
    def url(self) -> str:
        return self.emulator.url

    @property
    def scenarios(self) -> list[str]:
        return [s.name for s in self.emulator.scenarios]

    @property
    def running(self) -> bool:
        return self.emulator.running

    @property
    def env(self) -> dict[str, str]:
        from ._attach import client_env

        e = self.emulator
        return client_env(e.url, e.ca.bundle_path, e.state_dir, e.msi_secret)

    def scoring_state(self, service: str) -> dict[str, Any]:
        """The emulated front end of ``service``: replicas ready and starting, requests in flight and queued,
        answers by status, the last minutes second by second, and its settings (``speed`` applied)."""
        return self.emulator.scoring_state(service)

    @property
    def workspace(self) -> Any:
        """The emulated workspace as a real ``azureml.core.Workspace`` (made on first use)."""
        if self._workspace is None:
            self._workspace = self._attachment.workspace()
        return self._workspace

    @property
    def backend(self) -> AzureBackend:
        if self._backend is None:
            from ..backends.azure import AzureBackend

            self._backend = AzureBackend(self.workspace)
        return self._backend

    @property
    def ml_client(self) -> Any:
        """The emulated workspace as a real ``azure.ai.ml.MLClient`` (SDK v2; made on first use, no call)."""
        if self._ml_client is None:
            from ._v2_client import emulator_ml_client

            e = self.emulator
            self._ml_client = emulator_ml_client(e.url, e.ca.bundle_path, str(self._attachment.token))
        return self._ml_client

    @property
    def v2_backend(self) -> Any:
        """``amlwizard.backends.v2.V2Backend`` over ``ml_client``: the online endpoints."""
        if self._v2_backend is None:
            from ..backends.v2 import V2Backend

            self._v2_backend = V2Backend(self.ml_client)
        return self._v2_backend

    def stop(self) -> None:
        """Stop the server, undo the process changes, remove the temporary folder."""
        global _CURRENT
        self._attachment.detach()
        self.emulator.stop()
        with _LOCK:
            if _CURRENT is self:
                _CURRENT = None

    def __enter__(self) -> Workshop:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<Workshop {state} at {self.url}, {len(self.scenarios)} services>"


def start_workshop(
    scenarios: list[str] | None = None,
    *,
    port: int = 0,
    owner: str | None = None,
    speed: float | None = None,
) -> Workshop:
    """Start (or reuse) this process's workshop emulator serving ``scenarios`` (all when None).

    ``owner`` names who starts it, so that ``stop_workshop(owner)`` stops it only for them (a notebook's
    own ``start_workshop()`` is not stopped when the extension unloads). ``speed`` (see ``workshop_speed``)
    applies to a new emulator; a running one keeps its own. Raises ``UsageProblem`` for an unknown scenario
    name (naming the ones that exist).
    """
    global _CURRENT
    with _START_LOCK:  # two cells (or threads) starting at once get the same workshop
        current = _CURRENT
        if current is not None and current.running:
            wanted = set(scenarios or [])
            serves_all = len(current.scenarios) == len(scenario_names())
            if (not wanted and serves_all) or (wanted and wanted <= set(current.scenarios)):
                return current
        if current is not None:
            current.stop()
        workshop = Workshop(scenarios, port=port, owner=owner, speed=speed)
        with _LOCK:
            _CURRENT = workshop
        return workshop


def current_workshop() -> Workshop | None:
    """The running workshop of this process, if any."""
    return _CURRENT if _CURRENT is not None and _CURRENT.running else None


def stop_workshop(owner: str | None = None) -> None:
    """Stop this process's workshop if ``owner`` started it (any owner's when None)."""
    current = _CURRENT
    if current is not None and (owner is None or current.owner == owner):
        current.stop()


@atexit.register
def _stop_at_exit() -> None:
    if _CURRENT is not None:
        _CURRENT.stop()
