"""Temporary folders that name their owner process, so a killed kernel's folders are swept later.

A kernel that is killed runs no ``atexit``: the next ``owned_tempdir`` with the same prefix removes the
folders whose owner process is gone.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

__all__ = ["owned_tempdir"]

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
