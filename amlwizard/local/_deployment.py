"""Local deployment: the user's score.py and model in the real Azure ML inference server, on 127.0.0.1.

The model is laid out as the service mounts it, the service's timeout and workers are mirrored,
so init(), the model path, run() errors and timeouts fail here as they fail remotely.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .._errors import UsageProblem
from .._layout import describe_layout, lay_out_app_root, model_spec
from .._secrets import mask_json, mask_secrets
from .._tracebacks import root_error
from ..backends import ServiceDetails
from ._server import LOOPBACK, ServerProcess, free_port, server_interpreter
from ._support import (
    Health,
    ScoreResult,
    load_sample_request,
    remote_equivalent,
    run_traceback,
    scenario_app,
    vscode_launch_config,
)

__all__ = ["LocalDeployment"]

AKS_DEFAULT_TIMEOUT_MS = 60_000  # what AKS services use when scoring_timeout_ms is not set


class LocalDeployment:
    """Run ``score_path`` in ``azmlinfsrv`` on a free loopback port, laid out as the service runs it.

    ``model=(name, version, files)`` (or "name:version" plus ``model_dir`` = the files) lays the
    files out as ``azureml-models/<name>/<version>/`` so ``Model.get_model_path`` resolves as in the
    service; ``model_dir`` alone is handed over as ``azmlinfsrv --model_dir`` does. ``service``
    supplies the remote scoring timeout (AKS default 60 s) and the model when not given. The server
    does not inherit the notebook's environment variables (the service does not have them either):
    give the deployment's own with ``env``. ``python`` is the interpreter that runs the server (the
    scoring script's environment: it needs azureml-inference-server-http); default: this one.
    """

    def __init__(
        self,
        score_path: str | Path,
        model_dir: str | Path | None = None,
        model: Any = None,
        *,
        port: int | None = None,
        timeout_ms: int | None = None,
        workers: int = 1,
        debug_port: int | None = None,
        service: ServiceDetails | None = None,
        env: dict[str, str] | None = None,
        on_log: Callable[[str], None] | None = None,
        python: str | Path | None = None,
        compute_type: str | None = None,
    ) -> None:
        # where it is deployed: what a run() failure becomes there (502/504 behind AKS, 424/408 managed)
        self.compute_type = compute_type or (service.compute_type if service is not None else None)
        self.score_path = Path(score_path).expanduser().resolve()
        if not self.score_path.is_file():
            raise UsageProblem(f"no scoring script at {self.score_path}; give the path of your score.py")
        model_dir = Path(model_dir).expanduser().resolve() if model_dir is not None else None
        if model_dir is not None and not model_dir.exists():
            raise UsageProblem(
                f"model folder {model_dir} does not exist; give the folder of the model's files"
            )
        if model is None and service is not None and service.models and model_dir is not None:
            model = service.models[0]
        if timeout_ms is None and service is not None:
            is_aks = (service.compute_type or "").upper() == "AKS"
            timeout_ms = service.scoring_timeout_ms or (AKS_DEFAULT_TIMEOUT_MS if is_aks else None)
        if workers < 1 or (timeout_ms is not None and timeout_ms < 1):
            raise UsageProblem("workers and timeout_ms must be positive")
        self.model = model_spec(model, model_dir)
        self.model_dir = model_dir if self.model is None else None
        self.port = port or free_port()
        self._own_port = port is not None  # the user's port is kept even when taken (the log says so)
        self.timeout_ms, self.workers, self.debug_port = timeout_ms, workers, debug_port
        self.extra_env, self.on_log = dict(env or {}), on_log
        self.python = server_interpreter(python)
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._server: ServerProcess | None = None
        self._read_upto = 0
        self._watcher: threading.Thread | None = None
        self._stop_watching = threading.Event()

    @classmethod
    def for_scenario(cls, name: str, app_dir: str | Path | None = None, **kwargs: Any) -> LocalDeployment:
        """Deploy a workshop scenario's app (its score.py, model and scoring timeout); ``app_dir``: a copy
        of the app to deploy instead (the learner's, in the folder ``amlwizard workshop`` made)."""
        app = scenario_app(name, app_dir)
        kwargs.setdefault("timeout_ms", app.timeout_ms)
        kwargs.setdefault("compute_type", app.compute_type)
        return cls(app.score_path, model=(app.model_name, app.model_version, app.model_files), **kwargs)

    # -- lifecycle ---------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/score"

    @property
    def app_root(self) -> Path | None:
        return Path(self._tmp.name) if self._tmp else None

    @property
    def model_layout(self) -> str:
        """One line: where the model is, as the script sees it (which layout was used)."""
        if self.model is not None:
            return describe_layout(self.model)
        if self.model_dir is not None:
            return (
                f"model: AZUREML_MODEL_DIR is {self.model_dir} as with azmlinfsrv --model_dir (linked as "
                f"azureml-models/{self.model_dir.stem or 'model'}/1, the one-model shape the server expects; "
                "no registered name: give --model NAME:VERSION for Model.get_model_path)"
            )
        return (
            "model: none (AZUREML_MODEL_DIR is an empty azureml-models folder, as for a service without one)"
        )

    def _model_dir_env(self, app_root: Path) -> str:
        models = app_root / "azureml-models"
        if self.model is not None:
            return str(lay_out_app_root(app_root, self.model))
        models.mkdir(exist_ok=True)
        if self.model_dir is None:
            return str(models)  # the server expects the variable: an empty multi-model folder is quiet
        # azmlinfsrv reads model ids off AZUREML_MODEL_DIR (.../<name>/<version>): a bare folder makes it log
        # a traceback. A link of that shape points at the user's folder itself, as --model_dir would.
        link = models / (self.model_dir.stem or "model") / "1"
        if not link.exists():
            link.parent.mkdir(exist_ok=True)
            try:
                link.symlink_to(self.model_dir, target_is_directory=self.model_dir.is_dir())
            except OSError:  # no symlinks here (Windows without the privilege): the folder itself
                return str(self.model_dir)
        return str(link)

    def _environment(self, app_root: Path) -> dict[str, str]:
        env = {"AML_APP_ROOT": str(app_root), "AZUREML_ENTRY_SCRIPT": str(self.score_path), **self.extra_env}
        env["AZUREML_MODEL_DIR"] = self._model_dir_env(app_root)
        if self.timeout_ms is not None:
            env["SCORING_TIMEOUT_MS"] = str(self.timeout_ms)
            # gunicorn would kill a worker stuck past its own timeout (300 s) before the scoring timeout
            env["WORKER_TIMEOUT"] = str(max(300, self.timeout_ms // 1000 + 30))
        if self.debug_port is not None:
            env["AZUREML_DEBUG_PORT"] = str(self.debug_port)
        return env

    def start(self, wait: bool = True, timeout: float = 60.0) -> Health:
        """Start the server; with ``wait``, return once healthy, exited, or after ``timeout`` s."""
        if self._server is not None and self._server.running():
            raise UsageProblem(f"already running at {self.url}; stop() or restart() it")
        if self._server is not None:
            self._server.stop()  # reap an earlier run that exited on its own
        if self._tmp is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="amlwizard-app-")
        env = self._environment(Path(self._tmp.name))
        started = time.monotonic()
        for attempt in range(3):
            self._read_upto = 0
            self._server = ServerProcess(
                self.score_path,
                Path(self._tmp.name),
                self.port,
                env,
                self.workers,
                on_line=self.on_log,
                python=self.python,
            )
            self._server.start()
            if not wait:
                return Health(ok=False, seconds=0.0, url=self.url, reason="starting")
            ok = self._server.wait_healthy(timeout - (time.monotonic() - started))
            if ok or not self._server.port_taken() or self._own_port or attempt == 2:
                break
            self._server.stop(quick=True)  # another process took the free port first: take another
            self.port = free_port()
        return self._health(ok, time.monotonic() - started, timeout)

    def _health(self, ok: bool, seconds: float, timeout: float) -> Health:
        assert self._server is not None
        if ok:
            return Health(True, round(seconds, 3), self.url)
        code = self._server.exit_code()
        self._server.drain()
        tail = self.log_lines()[-40:]
        if code is None:
            reason = f"not healthy after {timeout:g} s (the server is still starting or init() hangs)"
            if self.debug_port is not None:
                reason += (
                    f"; with debugging on, it waits for a debugger listening on 127.0.0.1:{self.debug_port}"
                )
        else:
            reason = f"the server exited with code {code} during start: {root_error(self.log_lines())}"
            if self.debug_port is not None and "ConnectionRefusedError" in reason:  # not the script's fault
                reason = (
                    f"no debugger listens on 127.0.0.1:{self.debug_port}: start the VS Code configuration "
                    "(vscode_launch_config()) first, then start the server"
                )
                return Health(False, round(seconds, 3), self.url, reason, code, tail, [])
        return Health(False, round(seconds, 3), self.url, reason, code, tail, self.diagnose())

    def is_healthy(self) -> bool:
        return self._server is not None and self._server.running() and self._server.probe(timeout=2.0)

    def stop(self) -> None:
        """Stop the server and everything it started; remove the app folder. Safe to call twice."""
        self._stop_watching.set()
        if self._watcher is not None and self._watcher is not threading.current_thread():
            self._watcher.join(timeout=5)
        self._watcher = None
        if self._server is not None:
            self._server.stop()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def restart(self, timeout: float = 60.0) -> Health:
        """Stop and start again on the same port and folder (picks up an edited score.py)."""
        if self._server is not None:
            self._server.stop(quick=True)
        return self.start(wait=True, timeout=timeout)

    def __enter__(self) -> LocalDeployment:
        health = self.start()
        if not health.ok:
            self.stop()
            raise UsageProblem(f"local deployment failed: {health.reason}")
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def pid(self) -> int | None:
        return self._server.pid if self._server else None

    # -- requests, logs, diagnosis ------------------------------------------------------------
    def score(self, payload: Any, timeout: float | None = None) -> ScoreResult:
        """POST ``payload`` (a value, or a JSON string) to /score; status, latency, body, remote status."""
        data = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
        data = data.encode() if isinstance(data, str) else data
        request = urllib.request.Request(self.url, data=data, headers={"Content-Type": "application/json"})
        wait = timeout if timeout is not None else (self.timeout_ms or 60_000) / 1000 + 30
        seen = self._server.requests_logged() if self._server else 0
        logged_before = len(self._server.log_snapshot()) if self._server else 0
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=wait) as resp:  # noqa: S310 - loopback only
                status, headers, raw = resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as err:
            status, headers, raw = err.code, dict(err.headers), err.read()
        except OSError as err:
            raise UsageProblem(
                f"no answer from {self.url} ({err}); is the local server running? start() it"
            ) from err
        latency = (time.perf_counter() - started) * 1000
        if status >= 400 and self._server is not None:
            self._server.wait_logged(seen)  # our reader thread lags the answer: log_lines() gets the error
        try:
            body: Any = mask_json(json.loads(raw))
        except ValueError:
            body = mask_secrets(raw.decode("utf-8", "replace"))
        headers = {k.lower(): v for k, v in headers.items()}
        remote, meaning = remote_equivalent(status, headers, body, self.compute_type)
        trace = run_traceback(self.log_lines()[logged_before:]) if remote in (502, 424) else []
        return ScoreResult(status, round(latency, 1), body, remote, meaning, headers, trace)

    def score_sample(self, source: Any) -> ScoreResult:
        """Score a request from a JSON file, a pasted JSON string or a swagger document."""
        return self.score(load_sample_request(source))

    def swagger_example(self) -> Any:
        """The request example of the running script's swagger (scripts using inference-schema)."""
        try:
            with urllib.request.urlopen(f"http://{LOOPBACK}:{self.port}/swagger.json", timeout=10) as resp:  # noqa: S310
                return load_sample_request(json.loads(resp.read()))
        except (OSError, ValueError) as err:
            raise UsageProblem(
                f"no swagger from {self.url} ({err}); start() it, or give a JSON request"
            ) from err

    def log_lines(self) -> list[str]:
        """Everything the server logged so far (secrets masked)."""
        lines = self._server.log_snapshot() if self._server else []
        return mask_secrets("\n".join(lines)).split("\n") if lines else []  # whole: a key block spans lines

    def new_log_lines(self) -> list[str]:
        """Lines logged since the previous call (for incremental display)."""
        lines = self.log_lines()
        fresh, self._read_upto = lines[self._read_upto :], len(lines)
        return fresh

    def follow_log(self, interval: float = 0.2) -> Iterator[str]:
        """Yield log lines as they come, until the server stops."""
        while True:
            yield from self.new_log_lines()
            if self._server is None or not self._server.running():
                if self._server is not None:
                    self._server.drain()
                yield from self.new_log_lines()
                return
            time.sleep(interval)

    def diagnose(self) -> list[Any]:
        """Findings of the diagnosis engine on the server's log ([] until the engine is installed)."""
        try:
            from ..diagnosis import diagnose
        except ImportError:
            return []
        result = diagnose("\n".join(self.log_lines()).encode())  # bytes: never read as a file name
        return list(getattr(result, "findings", result))

    # -- debugging and file watching -----------------------------------------------------------
    def vscode_launch_config(self) -> dict[str, Any]:
        if self.debug_port is None:
            raise UsageProblem("start the deployment with debug_port=PORT to attach a debugger")
        return vscode_launch_config(self.debug_port, self.score_path)

    def watch(self, callback: Callable[[Health], None] | None = None, interval: float = 0.1) -> None:
        """Restart whenever score.py changes (mtime polling); ``callback`` gets each new Health."""
        report = callback or (
            lambda h: print(f"score.py changed: {'healthy' if h.ok else h.reason} in {h.seconds:.2f} s")
        )
        self._stop_watching.clear()

        def loop() -> None:
            seen = _mtime(self.score_path)
            while not self._stop_watching.wait(interval):
                now = _mtime(self.score_path)
                if now != seen:
                    seen = now
                    started = time.monotonic()
                    try:
                        health = self.restart()
                    except Exception as err:  # noqa: BLE001 - the watcher must outlive one bad restart
                        health = Health(False, round(time.monotonic() - started, 3), self.url, str(err))
                    report(health)

        self._watcher = threading.Thread(target=loop, name="amlwizard-score-watch", daemon=True)
        self._watcher.start()


def _mtime(path: Path) -> float:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1.0
