"""TroubleshootSession: what one troubleshooting session found and tried, saved as JSON.

The wizards write into it (target, logs, findings, steps taken, results, notes); it survives a
kernel restart (``save`` / ``load``) and becomes the support-ticket report (``report``). It is a
model: it never imports a view; the magic or ``amlwizard.wizards.show(session)`` shows it.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._errors import UsageProblem
from ._files import write_atomic
from ._finding import Finding
from ._secrets import mask_json, mask_secrets
from ._session_file import FORMAT, legacy_id, locked, merge_records, read_session_file, revision_at

if TYPE_CHECKING:
    from .backends import Backend

__all__ = ["TroubleshootSession", "MAX_LOG_BYTES"]

MAX_LOG_BYTES = 2 << 20  # what one kept log may weigh: 5000 lines of 400 bytes, never a 500 MB line
_MASK_MARGIN = 4096  # text cut off a log before masking, so a secret cut at the edge is never half-kept


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _tail(text: str, lines: int) -> str:
    parts = text.splitlines()
    return "\n".join(parts[-lines:]) if len(parts) > lines else text


def _last_bytes(text: str, limit: int) -> str:
    """The end of ``text`` that fits in ``limit`` UTF-8 bytes (a cut line starts with an ellipsis)."""
    raw = text.encode("utf-8", "surrogatepass")
    if len(raw) <= limit:
        return text
    kept = raw[-(limit - 3) :].decode("utf-8", "ignore")  # 3: the ellipsis
    return kept if kept.startswith("\n") else "\u2026" + kept


class TroubleshootSession:
    """The target, fetched logs, findings, steps taken (with times) and notes of one session.

    ``target`` is a plain dict: ``kind`` ("workshop", "azure", "log" or "text"), ``workspace``
    (description), ``config`` (config.json path), ``service``, ``scenario``, ``log`` (file path); once a
    service was read (``set_service``), ``sdk`` ("v1" / "v2"), ``compute_type`` and, for an SDK v2 online
    deployment (``service`` = ``endpoint/deployment``), ``endpoint`` and ``deployment``.
    ``wizard`` is where the user is; ``state`` keeps each wizard's inputs so it reopens as left.
    A kept log is bounded by ``max_log_lines`` lines and ``max_log_bytes`` bytes, whichever is less.

    Once saved, each step autosaves; a failed autosave is kept in ``autosave_error`` (None when the last
    one worked) and told to ``autosave_listeners`` (the session bar shows it). Two processes saving the
    same file never lose each other's notes or steps: see ``save``.
    """

    def __init__(
        self,
        target: dict[str, Any] | None = None,
        *,
        max_log_lines: int = 5000,
        max_log_bytes: int = MAX_LOG_BYTES,
        backend: Backend | None = None,
        timeout: float = 120.0,
    ) -> None:
        self.target: dict[str, Any] = dict(target or {})
        self.max_log_lines = max_log_lines
        self.max_log_bytes = max_log_bytes
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
        self.id = uuid.uuid4().hex  # tells this session's file from another session's at the same path
        self.revision = 0  # of the file at ``path`` as this session last loaded or saved it
        self._synced: Path | None = None  # the file this session last loaded or saved
        self.autosave_error: str | None = None
        self.autosave_listeners: list[Callable[[str | None], None]] = []
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
        """Keep the end of a log, masked: its last ``max_log_lines`` lines, at most ``max_log_bytes``."""
        text = text or ""
        if len(text) > self.max_log_bytes + _MASK_MARGIN:
            text = text[-(self.max_log_bytes + _MASK_MARGIN) :]
        kept = _last_bytes(_tail(mask_secrets(text), self.max_log_lines), self.max_log_bytes)
        self.logs[kind] = kept
        return kept

    def set_logs_from_file(self, kind: str, path: str | os.PathLike[str]) -> str:
        """Keep the end of a log file (as ``set_logs``), read as a stream: memory stays bounded by
        ``max_log_bytes`` however big the file or its lines (gzip, UTF-16, pipes read as diagnose reads)."""
        from ._scanning.sources import open_source

        window = self.max_log_bytes + _MASK_MARGIN
        tail = bytearray()
        stream = open_source(Path(path))
        try:
            while block := stream.read(1 << 20):
                tail += block
                if len(tail) > 2 * window:
                    del tail[:-window]
        except OSError as e:
            raise UsageProblem(f"cannot read {str(path)!r}: {e.strerror or e}; check the path") from None
        finally:
            stream.close()
        return self.set_logs(kind, bytes(tail[-window:]).decode("utf-8", "replace"))

    def set_service(self, details: Any) -> None:
        """Record which service the session is about, as the workspace described it (a ``ServiceDetails``):
        its name, the SDK that deployed it, its compute type, and for v2 its endpoint and deployment."""
        self.target["service"] = details.name
        self.target["sdk"] = getattr(details, "sdk", None) or "v1"
        if details.compute_type:
            self.target["compute_type"] = details.compute_type
        for key in ("endpoint", "deployment"):
            value = getattr(details, key, None)
            if value:
                self.target[key] = value
            else:
                self.target.pop(key, None)

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
                "format": FORMAT,
                "id": self.id,
                "revision": self.revision,
                "created": self.created,
                "saved": _now(),
                "target": self.target,
                "max_log_lines": self.max_log_lines,
                "max_log_bytes": self.max_log_bytes,
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
        Writers of one file take turns (a lock file beside it). When another process saved this session's
        file since this one loaded or saved it, both sides' notes and steps are merged (the rest is this
        session's, the newer); when the file now holds another session, nothing is written and a
        ``UsageProblem`` says to save elsewhere.
        """
        if path is not None:
            self.path = Path(path).expanduser()
        elif self.path is None:
            self.path = Path.cwd() / f"amlwizard-{self.service or 'session'}.json"
        target = self.path
        if not target.parent.is_dir():
            raise UsageProblem(f"cannot save the session: folder {str(target.parent)!r} does not exist")
        with locked(target):
            on_disk = self._changed_on_disk(target)
            with self._lock:
                if on_disk is not None:
                    self.notes = merge_records(self.notes, on_disk.get("notes") or [])
                    self.steps = merge_records(self.steps, on_disk.get("steps") or [])
                # above any revision the file had, so whoever synced with it sees it changed
                self.revision = max(self.revision, revision_at(target)) + 1
            write_atomic(target, json.dumps(self.to_dict(), indent=1))
            self._synced = target
        return target

    def _changed_on_disk(self, target: Path) -> dict[str, Any] | None:
        """The file at ``target`` when another process saved this session there since we last synced."""
        if self._synced != target or not target.exists():
            return None  # a new file, or "save as" over one: the user chose to write it
        try:
            data = read_session_file(target)
        except UsageProblem:
            raise UsageProblem(
                f"not saved: {str(target)!r} was changed by something else and is no session file now; save "
                "this one elsewhere, e.g. session.save('other.json')"
            ) from None
        if data.get("revision", 0) == self.revision:
            return None
        if data.get("id", legacy_id(data)) != self.id:
            raise UsageProblem(
                f"not saved: another session was saved to {str(target)!r} since this one was; save this "
                "one elsewhere, e.g. session.save('other.json')"
            )
        return data

    def _autosave(self) -> None:
        if self.path is None:
            return
        try:
            self.save()
            self.autosave_error = None
        except (OSError, UsageProblem) as e:  # the wizard goes on; the session bar says what failed
            reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
            self.autosave_error = f"autosave to {self.path} failed: {reason}"
        for listener in list(self.autosave_listeners):
            listener(self.autosave_error)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> TroubleshootSession:
        """Resume a saved session (then ``show()`` opens the wizard where the user left off).

        The file is checked against its format (``_session_file.SCHEMA``): a wrong field is one line."""
        p = Path(path).expanduser()
        data = read_session_file(p)
        s = cls(
            data.get("target") or {},
            max_log_lines=data.get("max_log_lines") or 5000,
            max_log_bytes=data.get("max_log_bytes") or MAX_LOG_BYTES,
        )
        s.id = data.get("id", legacy_id(data))
        s.revision = data.get("revision", 0)
        s.created = data.get("created") or s.created
        s.wizard = data.get("wizard") or "triage"
        s.logs = dict(data.get("logs") or {})
        s.findings = [Finding.from_dict(f) for f in data.get("findings") or []]
        s.steps = list(data.get("steps") or [])
        s.notes = list(data.get("notes") or [])
        s.state = dict(data.get("state") or {})
        s.results = dict(data.get("results") or {})
        s.path = s._synced = p
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
