"""One run of the Azure ML inference server: the process, its log, its health.

``LocalDeployment`` (_deployment.py) drives it; this module knows ports, environment, process groups
and the health probe, nothing about wizards, models or Docker.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .._errors import UsageProblem
from .._secrets import LineMasker

__all__ = ["LOOPBACK", "ServerProcess", "free_port", "server_interpreter"]

LOOPBACK = "127.0.0.1"
# What the server inherits from the notebook: the machine's basics, not the user's settings. A variable
# set in the notebook but not in the deployment is a classic init() failure; it must fail here too.
_INHERITED = frozenset(
    [
        "PATH",
        "HOME",
        "USER",
        "LANG",
        "TZ",
        "TMPDIR",
        "LD_LIBRARY_PATH",
        "SYSTEMROOT",
        "VIRTUAL_ENV",
        "CONDA_PREFIX",
        "PYTHONPATH",  # where the user's own modules are: the service has them in its image or source dir
    ]
    + ["SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "CUDA_VISIBLE_DEVICES"]
)
_LIVE: weakref.WeakSet[ServerProcess] = weakref.WeakSet()


def free_port() -> int:
    """A port free on the loopback interface right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


_HAS_SERVER = (
    "import importlib.util, sys; sys.exit(importlib.util.find_spec('azureml_inference_server_http') is None)"
)


def server_interpreter(python: str | os.PathLike[str] | None) -> str:
    """The interpreter that will run the server (a path or a name on PATH), checked to have azmlinfsrv."""
    if python is None or str(python).strip() in ("", sys.executable):
        return sys.executable
    path = shutil.which(str(python)) or str(Path(python).expanduser())
    if not os.access(path, os.X_OK) or Path(path).is_dir():
        raise UsageProblem(f"no Python interpreter at {python}; give the path of the environment's python")
    try:
        found = subprocess.run([path, "-c", _HAS_SERVER], capture_output=True, timeout=60)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired) as err:
        raise UsageProblem(f"{python} does not run as a Python interpreter ({err})") from err
    if found.returncode == 1:
        raise UsageProblem(
            f"{python} has no azureml-inference-server-http (the server that runs score.py): "
            f"install it there with `{path} -m pip install azureml-inference-server-http`"
        )
    if found.returncode != 0:
        raise UsageProblem(f"{python} does not run as a Python interpreter (exit {found.returncode})")
    return path


@dataclass(eq=False)
class ServerProcess:
    """The real ``azmlinfsrv`` serving ``score_path`` on ``127.0.0.1:port`` in its own session."""

    score_path: Path
    app_root: Path
    port: int
    env: dict[str, str]
    workers: int = 1
    on_line: Callable[[str], None] | None = None  # called from the reader thread, one line at a time
    python: str | None = None  # the interpreter that runs the server (default: this one, sys.executable)
    lines: list[str] = field(default_factory=list)
    _proc: subprocess.Popen[bytes] | None = None
    _reader: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        cmd = [
            self.python or sys.executable,
            str(Path(__file__).with_name("_loopback_server.py")),  # by path: see its docstring
            "--entry_script",
            str(self.score_path),
            "--port",
            str(self.port),
            "--worker_count",
            str(self.workers),
        ]
        if "AZUREML_MODEL_DIR" in self.env:
            cmd += ["--model_dir", self.env["AZUREML_MODEL_DIR"]]
        inherited = {k: v for k, v in os.environ.items() if k in _INHERITED or k.startswith("LC_")}
        env = {
            **inherited,
            **self.env,
            "AMLWIZARD_PARENT_PID": str(os.getpid()),
            "AMLWIZARD_OWNED_APP_ROOT": str(self.app_root),  # removed by the server if we die first
            "PYTHONUNBUFFERED": "1",
        }
        # gunicorn 27 opens a control socket at ~/.gunicorn/gunicorn.ctl, shared by every server the
        # user runs; local deployments run side by side, so they go without it.
        env.setdefault("GUNICORN_CMD_ARGS", "--no-control-socket")
        # Python trusts a cached .pyc whose source has the same size and mtime second: an edit of
        # score.py within a second of the last start would run the old code. No cache: none is stale,
        # and the user's folder gets no __pycache__.
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        Path(importlib.util.cache_from_source(str(self.score_path))).unlink(missing_ok=True)
        # The score.py folder is on sys.path as the service's source directory is.
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(self.score_path.parent), env.get("PYTHONPATH")])
        )
        self._proc = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            cmd,
            cwd=self.app_root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: one signal stops master and workers
        )
        _LIVE.add(self)
        self._reader = threading.Thread(target=self._read_log, name="amlwizard-server-log", daemon=True)
        self._reader.start()

    def _read_log(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        mask = LineMasker()  # a private key block printed over several lines is masked whole
        for raw in self._proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with self._lock:
                self.lines.append(line)
            if self.on_line is not None:
                try:
                    self.on_line(mask(line))
                except Exception:  # noqa: BLE001 - a broken display must not stop the log
                    self.on_line = None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def exit_code(self) -> int | None:
        return self._proc.poll() if self._proc else None

    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def drain(self, timeout: float = 2.0) -> None:
        """After the process exited: wait until its last output lines are read."""
        if self._reader is not None and not self.running():
            self._reader.join(timeout=timeout)

    def log_snapshot(self) -> list[str]:
        with self._lock:
            return list(self.lines)

    def requests_logged(self) -> int:
        """How many scoring requests the server has logged (its access lines, written after any error)."""
        with self._lock:
            return sum("POST /score " in line for line in self.lines)

    def wait_logged(self, seen: int, timeout: float = 3.0) -> None:
        """Wait until more than ``seen`` requests are logged, so the log holds the last one's traceback."""
        deadline = time.monotonic() + timeout
        while self.requests_logged() <= seen and self.running() and time.monotonic() < deadline:
            time.sleep(0.02)

    def probe(self, timeout: float = 2.0) -> bool:
        """True when ``GET /`` answers "Healthy" (the service's liveness probe)."""
        try:
            with urllib.request.urlopen(f"http://{LOOPBACK}:{self.port}/", timeout=timeout) as resp:  # noqa: S310
                return resp.status == 200
        except (OSError, urllib.error.URLError):
            return False

    def port_taken(self) -> bool:
        """gunicorn found the port taken (by another process, between ``free_port()`` and its bind)."""
        with self._lock:
            return any("Connection in use" in line for line in self.lines)

    def _listening(self) -> bool:
        # this process said it listens: until then a "Healthy" on the port is another server's answer
        mark = f"Listening at: http://{LOOPBACK}:{self.port} "
        with self._lock:
            return any(mark in line for line in self.lines)

    def wait_healthy(self, timeout: float) -> bool:
        """Poll until healthy, the process exits or finds its port taken, or ``timeout`` seconds pass."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running() or self.port_taken():
                return False
            if self._listening() and self.probe(timeout=min(2.0, max(0.05, deadline - time.monotonic()))):
                return True
            time.sleep(0.03)
        return False

    def stop(self, grace: float = 5.0, quick: bool = False) -> None:
        """Signal the process group, SIGKILL what is left after ``grace`` seconds; reap it.

        SIGTERM is gunicorn's graceful stop (requests in flight finish, ~0.3 s); ``quick`` skips it
        for a restart, where the old code is thrown away anyway (measured: gunicorn's own quick stop,
        SIGQUIT, took longer than SIGTERM).
        """
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            _signal_group(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=0 if quick else grace)
            except subprocess.TimeoutExpired:
                pass
        _signal_group(proc.pid, signal.SIGKILL)  # stray workers, even if the master already left
        proc.wait()
        if self._reader is not None:
            self._reader.join(timeout=2)
        _LIVE.discard(self)


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


@atexit.register
def _stop_all() -> None:
    for server in list(_LIVE):
        server.stop(grace=2.0)
