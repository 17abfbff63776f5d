"""TroubleshootSession: what one troubleshooting session found and tried, saved as JSON.

The wizards write into it (target, logs, findings, steps taken, results, notes); it survives a
kernel restart (``save`` / ``load``) and becomes the support-ticket report (``report``). It is a
model: it never imports a view; the magic or ``amlwizard.wizards.show(session)`` shows it.
"""

from __future__ import annotations

import json
import os
import threading
from collections import deque
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._errors import UsageProblem
from ._files import write_atomic
from ._finding import Finding
from ._secrets import mask_secrets

if TYPE_CHECKING:
    from .backends import Backend

__all__ = ["TroubleshootSession"]

_FORMAT = "amlwizard-session/1"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _masked(value: Any) -> Any:
    """A deep copy of a JSON-ready value with every string masked (nothing secret is ever saved)."""
    if isinstance(value, str):
        return mask_secrets(value)
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_masked(v) for v in value]
    return value


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
        self.working: dict[int, str] = {}  # work under way (a wizard's task id -> label): the repr says so
        self._backend = backend
        self._lock = threading.Lock()

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
        from ._target import backend_in_use, open_backend

        if self._backend is not None:
            self._backend = backend_in_use(self._backend)  # its workshop may have been stopped
        if self._backend is None:
            self._backend = open_backend(self.target)
            description = getattr(self._backend, "description", "")
            if description:
                self.target["workspace"] = description
        return self._backend

    def set_target(self, target: dict[str, Any], backend: Backend | None = None) -> None:
        """Point the session at another workspace (the user chose one); ``backend``: already opened on it."""
        self.target = dict(target)
        self._backend = backend
        description = getattr(backend, "description", "")
        if description:
            self.target["workspace"] = description

    @property
    def has_workspace(self) -> bool:
        return self._backend is not None or self.target.get("kind") in ("workshop", "azure")

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
        return _masked(json.loads(json.dumps(data, default=str)))

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
        write_atomic(target, json.dumps(self.to_dict(), indent=1))
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

        return write_report(self.to_dict(), Path(path_stem).expanduser())

    def __repr__(self) -> str:
        what = self.service or self.target.get("log") or self.target.get("kind") or "nothing yet"
        working = list(dict(self.working).values())  # a copy: worker threads add and remove
        # Shown right after the magic returns, while the wizard may still be fetching: say so, not "0".
        busy = f"still working ({', '.join(working)}): " if working else ""
        so_far = " so far" if working else ""
        return (
            f"<TroubleshootSession {what!s}: {busy}{len(self.findings)} finding(s){so_far}, "
            f"{len(self.steps)} step(s), {len(self.notes)} note(s); at wizard {self.wizard!r}>"
        )
