"""A killed kernel's temporary folders are swept by the next start; live owners' folders are kept."""

import os
import subprocess
import sys

from amlwizard._files import owned_tempdir


def test_orphaned_folders_are_swept_and_live_ones_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    orphan = tmp_path / "amlwizard-x-orphan"
    orphan.mkdir()
    (orphan / ".amlwizard-owner-pid").write_text(dead.stdout.strip())
    live = tmp_path / "amlwizard-x-live"
    live.mkdir()
    (live / ".amlwizard-owner-pid").write_text(str(os.getppid()))
    unmarked = tmp_path / "amlwizard-x-unmarked"
    unmarked.mkdir()

    mine = owned_tempdir("amlwizard-x-")

    assert mine.parent == tmp_path and mine.is_dir()
    assert not orphan.exists()
    assert live.is_dir() and unmarked.is_dir()
