"""Files amlwizard writes: temporary folders that name their owner process, and atomic writes.

A kernel that is killed runs no ``atexit``: the next ``owned_tempdir`` with the same prefix removes the
folders whose owner process is gone. ``write_atomic`` never leaves a torn file (session, report, log).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

__all__ = ["owned_tempdir", "write_atomic"]

_OWNER_FILE = ".amlwizard-owner-pid"


def owned_tempdir(prefix: str) -> Path:
    """A new temporary folder (``mkdtemp``) marked with this process's pid, after sweeping orphans."""
    _sweep_orphans(prefix)
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    (folder / _OWNER_FILE).write_text(str(os.getpid()), encoding="ascii")
    return folder


def _sweep_orphans(prefix: str) -> None:
    for folder in Path(tempfile.gettempdir()).glob(f"{prefix}*"):
        try:
            owner = int((folder / _OWNER_FILE).read_text(encoding="ascii"))
        except (OSError, ValueError):
            continue  # not marked (another tool's, or being made right now): not ours to judge
        if not _alive(owner):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and ``os.replace``.

    A reader (or a crash) sees the old file or the new one, never half of one.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
