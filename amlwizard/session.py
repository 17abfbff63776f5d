"""TroubleshootSession: what one troubleshooting session found and tried, saved as JSON.

The wizards write into it (target, logs, findings, steps taken, results, notes); it survives a
kernel restart (``save`` / ``load``) and becomes the support-ticket report (``report``).
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections import deque
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._errors import UsageProblem
from ._finding import Finding
from ._secrets import mask_json, mask_secrets

if TYPE_CHECKING:
    from .backends import Backend

__all__ = ["TroubleshootSession"]

_FORMAT = "amlwizard-session/1"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _tail(text: str, lines: int) -> str:
    parts = text.splitlines()
    return "\n".join(parts[-lines:]) if len(parts) > lines else text


class TroubleshootSession:
    """The target, fetched logs, findings, steps taken (with times) and notes of one session.

    ``target`` is a plain dict: ``kind`` ("workshop", "azure", "log" or "text"), ``workspace``
    (description), ``config`` (config.json path), ``service``, ``scenario``, ``log`` (file path).
    ``wizard`` is where the user is; ``state`` keeps each wizard's inputs so it reopens as left.
    """

    def __init__(
        self,
        target: dict[str, Any] | None = None,
        *,
        max_log_lines: int = 5000,
        backend: Backend | None = None,
        timeout: float = 120.0,
    ) -> None:
        self.target: dict[str, Any] = dict(target or {})
        self.max_log_lines = max_log_lines
        self.timeout = timeout
        self.logs: dict[str, str] = {}  # "main" / "init" / "pasted" -> masked text, last N lines
        self.findings: list[Finding] = []
        self.steps: list[dict[str, str]] = []
        self.notes: list[dict[str, str]] = []
        self.wizard = "triage"
        self.state: dict[str, dict[str, Any]] = {}
        self.results: dict[str, Any] = {}  # per wizard, JSON-ready: what the report shows
        self.path: Path | None = None
        self.created = _now()
        self._backend = backend
        self._lock = threading.Lock()
        self._host: Any = None

    # -- what the wizards write -------------------------------------------------------------
    @property
    def service(self) -> str | None:
        return self.target.get("service")

    def record(self, wizard: str, action: str, outcome: str = "", *, update_last: bool = False) -> None:
        """Note a step the user took (and what came of it), with the time; autosaves if saved once.

        ``update_last``: replace the previous step when it was the same action (a slider moved again).
        """
        with self._lock:
            last = self.steps[-1] if self.steps else None
            if update_last and last and last["wizard"] == wizard and last["action"] == action:
                self.steps.pop()
            self.steps.append(
                {
                    "time": _now(),
                    "wizard": wizard,
                    "action": mask_secrets(action),
                    "outcome": mask_secrets(outcome),
                }
            )
        self._autosave()

    def add_note(self, text: str) -> None:
        """Keep a note of the user's own (shown in the report)."""
        with self._lock:
            self.notes.append({"time": _now(), "text": mask_secrets(str(text))})
        self._autosave()

    def set_logs(self, kind: str, text: str) -> str:
        """Keep the last ``max_log_lines`` lines of a log, masked; returns what was kept."""
        kept = _tail(mask_secrets(text or ""), self.max_log_lines)
        self.logs[kind] = kept
        return kept

    def set_logs_from_file(self, kind: str, path: str | os.PathLike[str]) -> str:
        """Keep the last ``max_log_lines`` lines of a log file, read as a stream (any size fits)."""
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                tail = deque(f, maxlen=self.max_log_lines)
        except OSError as e:
            raise UsageProblem(f"cannot read {str(path)!r}: {e.strerror}; check the path") from None
        return self.set_logs(kind, "".join(tail))

    def set_findings(self, findings: list[Finding]) -> None:
        self.findings = list(findings)

    # -- the backend (connected when first needed, never saved) ----------------------------
    @property
    def backend(self) -> Backend:
        """The workspace: the workshop emulator or Azure, opened on first use (may take seconds)."""
        if self._backend is None:
            self._backend = _open_backend(self.target)
            description = getattr(self._backend, "description", "")
            if description:
                self.target["workspace"] = description
        return self._backend

    @property
    def has_workspace(self) -> bool:
        return self._backend is not None or self.target.get("kind") in ("workshop", "azure")

    # -- showing ----------------------------------------------------------------------------
    def open(self, wizard: str | None = None, *, threaded: bool = True) -> Any:
        """Build the wizards (without displaying them) opened at ``wizard`` or where the user left off."""
        from .wizards import WizardHost

        self._host = WizardHost(self, threaded=threaded)
        self._host.open(wizard or self.wizard or "triage")
        return self._host

    def show(self, wizard: str | None = None) -> None:
        """Display the wizards in the notebook, where the user left off."""
        from IPython.display import display

        display(self.open(wizard).widget)

    @property
    def host(self) -> Any:
        """The wizards shown for this session (None until ``open``/``show``)."""
        return self._host

    # -- saving -----------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        with self._lock:
            data = {
                "format": _FORMAT,
                "created": self.created,
                "saved": _now(),
                "target": self.target,
                "max_log_lines": self.max_log_lines,
                "wizard": self.wizard,
                "logs": self.logs,
                "findings": [f.to_dict() for f in self.findings],
                "steps": self.steps,
                "notes": self.notes,
                "state": self.state,
                "results": self.results,
            }
        return mask_json(data)  # nothing secret is ever saved: values beside their keys masked too

    def save(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Write the session as JSON, atomically (a temp file then ``os.replace``); returns the path.

        Without ``path``: where it was saved or loaded last, else ``amlwizard-<service>.json`` here.
        """
        if path is not None:
            self.path = Path(path).expanduser()
        elif self.path is None:
            self.path = Path.cwd() / f"amlwizard-{self.service or 'session'}.json"
        target = self.path
        if not target.parent.is_dir():
            raise UsageProblem(f"cannot save the session: folder {str(target.parent)!r} does not exist")
        text = json.dumps(self.to_dict(), indent=1)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return target

    def _autosave(self) -> None:
        if self.path is not None:
            try:
                self.save()
            except (OSError, UsageProblem):
                pass  # autosave is a convenience: a full disk must not break the wizard

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> TroubleshootSession:
        """Resume a saved session (then ``show()`` opens the wizard where the user left off)."""
        p = Path(path).expanduser()
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UsageProblem(f"no session file at {str(p)!r}: give the path `save()` printed") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise UsageProblem(
                f"cannot read session file {str(p)!r} ({type(e).__name__}): is it a saved session?"
            ) from None
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            raise UsageProblem(f"{str(p)!r} is not an amlwizard session file (format {_FORMAT!r} expected)")
        s = cls(data.get("target") or {}, max_log_lines=int(data.get("max_log_lines") or 5000))
        s.created = data.get("created") or s.created
        s.wizard = data.get("wizard") or "triage"
        s.logs = dict(data.get("logs") or {})
        s.findings = [Finding.from_dict(f) for f in data.get("findings") or []]
        s.steps = list(data.get("steps") or [])
        s.notes = list(data.get("notes") or [])
        s.state = dict(data.get("state") or {})
        s.results = dict(data.get("results") or {})
        s.path = p
        return s

    def report(self, path_stem: str | os.PathLike[str]) -> tuple[Path, Path]:
        """Write ``<stem>.md`` and ``<stem>.html`` for a support ticket (secrets masked); returns both."""
        from ._report import write_report

        return write_report(self, Path(path_stem).expanduser())

    def __repr__(self) -> str:
        what = self.service or self.target.get("log") or self.target.get("kind") or "nothing yet"
        return (
            f"<TroubleshootSession {what!s}: {len(self.findings)} finding(s), {len(self.steps)} step(s), "
            f"{len(self.notes)} note(s); at wizard {self.wizard!r}>"
        )


# -- opening a workspace ------------------------------------------------------------------------
_WORKSHOP: Any = None
_WORKSHOP_LOCK = threading.Lock()
_OWNED = False  # True when shared_workshop() started it (then stop_shared_workshop stops it)


def shared_workshop() -> Any:
    """The workshop emulator for this process (started once, reused by every session)."""
    global _WORKSHOP, _OWNED
    with _WORKSHOP_LOCK:
        if _WORKSHOP is None or not getattr(_WORKSHOP, "running", True):
            from .emulator import current_workshop, start_workshop

            existing = current_workshop()
            if existing is not None and existing.running:  # started by someone else: theirs to stop
                _WORKSHOP, _OWNED = existing, False
            else:
                _WORKSHOP, _OWNED = start_workshop(), True
        return _WORKSHOP


def use_workshop(workshop: Any) -> None:
    """Make sessions use an emulator someone else started (the test suite's); None forgets it."""
    global _WORKSHOP, _OWNED
    with _WORKSHOP_LOCK:
        _WORKSHOP, _OWNED = workshop, False


def stop_shared_workshop() -> None:
    global _WORKSHOP, _OWNED
    with _WORKSHOP_LOCK:
        if _WORKSHOP is not None and _OWNED:
            _WORKSHOP.stop()
        _WORKSHOP, _OWNED = None, False


def _open_backend(target: dict[str, Any]) -> Backend:
    kind = target.get("kind")
    if kind == "workshop":
        return shared_workshop().backend
    if kind == "azure":
        from .backends.azure import AzureBackend

        return AzureBackend.from_config(target.get("config"))
    raise UsageProblem(
        "this session has no workspace (it diagnoses a log): run %aml_troubleshoot --workspace config.json "
        "or --workshop"
    )
