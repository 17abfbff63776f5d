"""The session file's format and how it is written when more than one process saves it.

``read_session_file`` checks a file against ``SCHEMA`` (JSON Schema, checked by ``jsonschema``) and
names the first wrong field in one line. ``locked(path)`` serialises writers with a lock file beside
the session; ``merge_records`` joins the notes (or steps) two processes wrote, so none is dropped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ._errors import UsageProblem

__all__ = [
    "FORMAT",
    "SCHEMA",
    "read_session_file",
    "locked",
    "merge_records",
    "legacy_id",
    "revision_at",
    "LOCK_WAIT_S",
]

FORMAT = "amlwizard-session/1"
LOCK_WAIT_S = 10.0  # how long a save waits for another process's save to end
_MAX_DEPTH = 64  # deeper JSON than this is no session (and would exhaust the stack when masked)

_STR = {"type": "string"}
_STRS = {"type": "array", "items": _STR}


def _record(required: list[str], optional: list[str] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    return {
        "type": "object",
        "required": required,
        "properties": {k: _STR for k in [*required, *optional]},
        "additionalProperties": False,
    }


_FINDING = {
    "type": "object",
    "required": ["id", "family", "title", "step", "confidence"],
    "properties": {
        "id": _STR,
        "family": _STR,
        "title": _STR,
        "step": {"type": ["integer", "null"]},
        "confidence": {"type": "number"},
        "evidence": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["line", "text"],
                "properties": {"line": {"type": "integer"}, "text": _STR},
                "additionalProperties": False,
            },
        },
        "explanation": _STR,
        "remedies": _STRS,
        "doc_url": _STR,
        "facts": {"type": "object"},
    },
    "additionalProperties": False,
}

# What `TroubleshootSession.to_dict` writes. Unknown keys are refused, not dropped: saving would lose them.
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["format"],
    "properties": {
        "format": {"const": FORMAT},
        "id": _STR,
        "revision": {"type": "integer", "minimum": 0},
        "created": _STR,
        "saved": _STR,
        "target": {
            "type": "object",
            # sdk, compute_type, endpoint, deployment: what the service is, once known (older files lack
            # them: the report then reads the SDK off the service's name)
            "properties": {
                k: _STR
                for k in (
                    "kind",
                    "workspace",
                    "config",
                    "service",
                    "scenario",
                    "log",
                    "sdk",
                    "compute_type",
                    "endpoint",
                    "deployment",
                )
            },  # fmt: skip
        },
        "max_log_lines": {"type": "integer", "minimum": 1},
        "max_log_bytes": {"type": "integer", "minimum": 1},
        "wizard": _STR,
        "logs": {"type": "object", "additionalProperties": _STR},
        "findings": {"type": "array", "items": _FINDING},
        "steps": {"type": "array", "items": _record(["time", "wizard", "action"], ["outcome"])},
        "notes": {"type": "array", "items": _record(["time", "text"])},
        "state": {"type": "object", "additionalProperties": {"type": "object"}},
        "results": {"type": "object", "additionalProperties": {"type": "object"}},
    },
    "additionalProperties": False,
}


def _depth(value: Any) -> int:
    """How deeply ``value`` nests (iteratively: a 100k-deep file must not exhaust the stack here)."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, level = todo.pop()
        deepest = max(deepest, level)
        if deepest > _MAX_DEPTH:
            return deepest
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        todo.extend((child, level + 1) for child in children)
    return deepest


def _where(path: Any) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the file"


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "true/false", type(None): "null"}
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list, str)):
        return names[type(value)]
    return "an integer" if isinstance(value, int) else "a number"


def _problem(error: Any) -> str:
    """One short line for a jsonschema error (its own message may quote a megabyte of the file)."""
    where = _where(error.absolute_path)
    if error.validator == "type":
        wanted = error.validator_value
        wanted = " or ".join(wanted) if isinstance(wanted, list) else wanted
        return f"field {where} should be {wanted}, not {_json_type(error.instance)}"
    if error.validator == "required":
        missing = next((k for k in error.validator_value if k not in error.instance), "?")
        return f"field {where} lacks {missing!r}"
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        shown = ", ".join(repr(k[:40]) for k in extra[:3])
        return f"field {where} has unknown key(s) {shown}"
    if error.validator == "const":
        return f"field {where} should be {error.validator_value!r}"
    return f"field {where}: {error.message[:120]}"


def read_session_file(path: Path) -> dict[str, Any]:
    """The session saved at ``path``, checked against ``SCHEMA``; a one-line ``UsageProblem`` if not one."""
    shown = repr(str(path))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageProblem(f"no session file at {shown}: give the path `save()` printed") from None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as e:
        raise UsageProblem(
            f"cannot read session file {shown} ({type(e).__name__}): is it a saved session?"
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UsageProblem(f"{shown} is not an amlwizard session file (format {FORMAT!r} expected)")
    if _depth(data) > _MAX_DEPTH:
        raise UsageProblem(
            f"session file {shown} nests deeper than {_MAX_DEPTH} levels: it is not a saved session"
        )
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    error = best_match(Draft202012Validator(SCHEMA).iter_errors(data))
    if error is not None:
        raise UsageProblem(f"session file {shown} is damaged: {_problem(error)}; save the session again")
    return data


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the lock of the session at ``path`` (``.<name>.lock`` beside it; the OS frees it if we die)."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(path.with_name(f".{path.name}.lock")), timeout=LOCK_WAIT_S)
    try:
        lock.acquire()
    except Timeout:
        raise UsageProblem(
            f"another process has been saving {str(path)!r} for {LOCK_WAIT_S:g} s; try again, or save "
            "this session elsewhere"
        ) from None
    try:
        yield
    finally:
        lock.release()


def merge_records(ours: list[dict[str, Any]], theirs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every note (or step) of both lists once, in time order; at equal times (a second's resolution)
    ``theirs``, already saved, comes first."""
    seen: set[str] = set()
    merged = []
    for record in sorted([*theirs, *ours], key=lambda r: str(r.get("time", ""))):
        key = json.dumps(record, sort_keys=True)
        if key not in seen:
            seen.add(key)
            merged.append(record)
    return merged


def legacy_id(data: dict[str, Any]) -> str:
    """The id of a file saved before sessions had one: the same for every process that loads it."""
    return f"created {data.get('created', '?')}"


def revision_at(path: Path) -> int:
    """The revision of the session file at ``path``; 0 when there is none (or it is no session)."""
    try:
        revision = json.loads(path.read_text(encoding="utf-8")).get("revision", 0)
    except (OSError, ValueError, RecursionError, AttributeError):
        return 0
    return revision if isinstance(revision, int) else 0
