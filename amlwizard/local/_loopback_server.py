"""Launcher for the real Azure ML inference server (azmlinfsrv), bound to 127.0.0.1 only.

Run as ``python path/to/_loopback_server.py <azmlinfsrv arguments>``, by path: it imports nothing of
amlwizard, so it also runs in an interpreter where amlwizard is not installed. It is azmlinfsrv's
own entry point (``amlserver.run``: same arguments, settings, gunicorn and Flask app, same score.py
loading) with one change: the address handed to gunicorn. azmlinfsrv has no bind flag and passes
``-b 0.0.0.0:PORT`` on gunicorn's command line, which outranks GUNICORN_CMD_ARGS and config files,
so the only clean lever is the ``DEFAULT_HOST`` constant its ``run()`` reads at call time.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
import time

__all__ = ["main"]

LOOPBACK = "127.0.0.1"


def _die_with_parent(parent_pid: int) -> None:
    """Stop the whole server (master + workers) when the process that started it is gone.

    A watchdog thread rather than prctl(PR_SET_PDEATHSIG): the death signal fires when the parent
    *thread* ends, and the file watcher restarts servers from a thread that may end first.
    """

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(0.25)
        # The dead parent cannot clean up its temporary app root (the model copy): do it for it.
        shutil.rmtree(os.environ.get("AMLWIZARD_OWNED_APP_ROOT") or "/nonexistent", ignore_errors=True)
        try:
            os.killpg(os.getpgrp(), signal.SIGTERM)  # gunicorn stops its workers on SIGTERM
            time.sleep(5)
            os.killpg(os.getpgrp(), signal.SIGKILL)
        except ProcessLookupError:
            pass

    if parent_pid and os.getppid() != parent_pid:  # the parent died before we got here
        sys.exit(1)
    threading.Thread(target=watch, name="amlwizard-parent-watchdog", daemon=True).start()


def main() -> None:
    _die_with_parent(int(os.environ.get("AMLWIZARD_PARENT_PID", "0") or 0))
    from azureml_inference_server_http import amlserver

    amlserver.DEFAULT_HOST = LOOPBACK  # read by amlserver.run() when it calls gunicorn
    sys.argv[0] = "azmlinfsrv"
    amlserver.run()


if __name__ == "__main__":
    main()
