# ruff: noqa: E501 - example log lines are kept whole, as real logs print them
"""Generator of realistic Azure ML scoring-container logs, with known failures buried in them.

Used by benchmarks/bench_diagnose.py (200 MB / 20 MB; the worst case: a worker restart loop, where most
lines hold an anchor) and by the large-input test of tests/test_diagnose.py (peak memory of diagnose).
"""

from __future__ import annotations

import random
from pathlib import Path

__all__ = ["BURIED", "write_log", "write_restart_loop_log", "startup_banner"]

_SERVER_START = """\
2026-11-25T09:00:00,112233445+00:00 - gunicorn/run
2026-11-25T09:00:00,112233445+00:00 - rsyslog/run
2026-11-25T09:00:00,112233445+00:00 - nginx/run
Azure ML Inferencing HTTP server v1.5.1


Server Settings
---------------
Entry Script Name: /var/azureml-app/score.py
Model Directory: /var/azureml-app/azureml-models/sklearn-diabetes/2
Config File: None
Worker Count: 1
Worker Timeout (seconds): 300
Server Port: 31311
Health Port: 31311
Application Insights Enabled: false
Application Insights Key: None
Inferencing HTTP server version: azmlinfsrv/1.5.1
CORS for the specified origins: None

Server Routes
---------------
Liveness Probe: GET   127.0.0.1:31311/
Score:          POST  127.0.0.1:31311/score

[2026-11-25 09:00:01 +0000] [1] [INFO] Starting gunicorn 22.0.0
[2026-11-25 09:00:01 +0000] [1] [INFO] Listening at: http://0.0.0.0:31311 (1)
[2026-11-25 09:00:01 +0000] [1] [INFO] Using worker: sync
[2026-11-25 09:00:01 +0000] [{pid}] [INFO] Booting worker with pid: {pid}
2026-11-25 09:00:02,101 I [{pid}] azmlinfsrv - Found user script at /var/azureml-app/score.py
2026-11-25 09:00:02,101 I [{pid}] azmlinfsrv - run() is not decorated. Server will invoke it with the input in JSON string.
2026-11-25 09:00:02,101 I [{pid}] azmlinfsrv - Invoking user's init function
2026-11-25 09:00:02,498 I [{pid}] azmlinfsrv - Users's init has completed successfully
2026-11-25 09:00:02,503 I [{pid}] azmlinfsrv.swagger - Swaggers are prepared for the following versions: [2, 3, 3.1].
2026-11-25 09:00:02,503 I [{pid}] azmlinfsrv - Scoring timeout is set to 60000
2026-11-25 09:00:02,503 I [{pid}] azmlinfsrv - Worker with pid {pid} ready for serving traffic
"""

# id the engine must report -> the lines buried in the log for it
BURIED: dict[str, str] = {
    "model-path-not-found": """\
2026-11-25 10:41:17,007 I [57] azmlinfsrv - Invoking user's init function
2026-11-25 10:41:17,211 E [57] azureml.core.model - Model sklearn_diabetes not found in cache at /var/azureml-app/azureml-models or in current working directory /var/azureml-app. For more info, set logging level to DEBUG.
2026-11-25 10:41:17,212 E [57] azmlinfsrv - User's init function failed
2026-11-25 10:41:17,212 E [57] azmlinfsrv - Encountered Exception Traceback (most recent call last):
  File "/azureml-envs/azureml_5f3c/lib/python3.8/site-packages/azureml_inference_server_http/server/user_script.py", line 117, in invoke_init
    self._user_init()
  File "/var/azureml-app/score.py", line 12, in init
    path = Model.get_model_path("sklearn_diabetes")
  File "/azureml-envs/azureml_5f3c/lib/python3.8/site-packages/azureml/core/model.py", line 872, in _get_model_path_local_from_root
    raise ModelNotFoundException("Model {} not found in cache at {} or in current working directory {}. "
azureml.exceptions._azureml_exception.ModelNotFoundException: ModelNotFoundException:
\tMessage: Model sklearn_diabetes not found in cache at /var/azureml-app/azureml-models or in current working directory /var/azureml-app. For more info, set logging level to DEBUG.
\tInnerException None
[2026-11-25 10:41:17 +0000] [57] [INFO] Worker exiting (pid: 57)
[2026-11-25 10:41:18 +0000] [1] [INFO] Shutting down: Master
[2026-11-25 10:41:18 +0000] [1] [INFO] Reason: Worker failed to boot.
""",
    "container-oom-killed": """\
[2026-11-25 12:03:44 +0000] [1] [ERROR] Worker (pid:8) was sent SIGKILL! Perhaps out of memory?
[2026-11-25 12:03:44 +0000] [93] [INFO] Booting worker with pid: 93
""",
    "gunicorn-worker-timeout": """\
[2026-11-25 13:27:09 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:93)
[2026-11-25 13:27:09 +0000] [93] [INFO] Worker exiting (pid: 93)
[2026-11-25 13:27:10 +0000] [118] [INFO] Booting worker with pid: 118
""",
    "run-failure": """\
2026-11-25 14:02:51,330 E [118] azmlinfsrv - Encountered Exception: Traceback (most recent call last):
  File "/azureml-envs/azureml_5f3c/lib/python3.8/site-packages/azureml_inference_server_http/server/routes.py", line 222, in handle_score
    timed_result = main_blueprint.user_script.invoke_run(request, timeout_ms=config.scoring_timeout)
  File "/var/azureml-app/score.py", line 24, in run
    rows = np.array(json.loads(raw)["data"], dtype=float)
ValueError: setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions.
2026-11-25 14:02:51,331 I [118] azmlinfsrv - POST /score 500 3.114ms 86
""",
    "scoring-timeout": """\
2026-11-25 15:15:00,004 E [118] azmlinfsrv - Encountered Exception: Scoring timeout after 60000 ms
""",
    "service-overloaded": """\
2026-11-25 16:30:12,500 W [118] azmlinfsrv.print - upstream client reported: Response Code: 503 Content: b'Too many requests for service diabetes-svc (overloaded)'
""",
}


def startup_banner(pid: int = 8) -> str:
    return _SERVER_START.replace("{pid}", str(pid))


def _traffic(rng: random.Random, minute: int) -> str:
    """About 100 lines of healthy traffic: scoring requests, access log, probes, prints."""
    hour, mins = 9 + (minute // 60) % 14, minute % 60
    out = []
    for sec in range(0, 60, 2):
        ms = rng.randrange(1000)
        stamp = f"2026-11-25 {hour:02d}:{mins:02d}:{sec:02d},{ms:03d}"
        took = rng.uniform(3, 95)
        size = rng.randrange(20, 90)
        rid = f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"
        out.append(f"{stamp} I [8] azmlinfsrv - POST /score 200 {took:.3f}ms {size}\n")
        out.append(
            f"{stamp} I [8] gunicorn.access - 10.244.0.{rng.randrange(2, 250)} - - "
            f'[25/Nov/2026:{hour:02d}:{mins:02d}:{sec:02d} +0000] "POST /score HTTP/1.0" 200 {size} "-" '
            f'"python-requests/2.31.0" x-ms-request-id={rid}\n'
        )
        out.append(
            f"{stamp} I [8] azmlinfsrv.print - scored {rng.randrange(1, 64)} rows in {took / 1000:.4f} s\n"
        )
        if sec % 10 == 0:
            out.append(f"{stamp} I [8] azmlinfsrv - GET / 200 {rng.uniform(0.2, 1.5):.3f}ms 7\n")
            out.append(f"{stamp} I [8] azmlinfsrv - GET /swagger.json 200 {rng.uniform(0.5, 3):.3f}ms 1042\n")
    return "".join(out)


def write_log(path: Path, size_bytes: int, *, seed: int = 7, buried: bool = True) -> list[str]:
    """Write a log of about ``size_bytes`` to ``path``; return the ids of the failures buried in it.

    Healthy traffic is generated in blocks and repeated (generation stays a few seconds even for
    200 MB); the failures sit at fixed fractions of the file.
    """
    rng = random.Random(seed)
    blocks = [("".join(_traffic(rng, m) for m in range(k * 10, k * 10 + 10))).encode() for k in range(24)]
    failures = list(BURIED.items()) if buried else []
    marks = [int(size_bytes * (i + 1) / (len(failures) + 1)) for i in range(len(failures))]
    written = 0
    with open(path, "wb") as out:
        out.write(startup_banner().encode())
        i = 0
        while written < size_bytes:
            block = blocks[i % len(blocks)]
            out.write(block)
            written += len(block)
            i += 1
            while failures and marks and written >= marks[0]:
                marks.pop(0)
                _, text = failures.pop(0)
                out.write(text.encode())
    return list(BURIED) if buried else []


def _restart_loop(rng: random.Random, minute: int, first_pid: int) -> str:
    """About 100 lines of a gunicorn worker restart loop: each request times out, the worker is killed
    and booted again. Two lines in four hold a catalogue anchor (WORKER TIMEOUT, Booting worker)."""
    hour, mins = 9 + (minute // 60) % 14, minute % 60
    out = []
    pid = first_pid
    for sec in range(25):
        stamp = f"2026-11-25 {hour:02d}:{mins:02d}:{sec * 2:02d}"
        gunicorn = f"[{stamp} +0000]"
        out.append(f"{gunicorn} [1] [CRITICAL] WORKER TIMEOUT (pid:{pid})\n")
        out.append(f"{gunicorn} [{pid}] [INFO] Worker exiting (pid: {pid})\n")
        pid += 1
        out.append(f"{gunicorn} [{pid}] [INFO] Booting worker with pid: {pid}\n")
        out.append(
            f"{stamp},{rng.randrange(1000):03d} I [{pid}] azmlinfsrv - Worker with pid {pid} ready for serving traffic\n"
        )
    return "".join(out)


def write_restart_loop_log(path: Path, size_bytes: int, *, seed: int = 7) -> list[str]:
    """Like ``write_log``, but the log is a worker restart loop (the engine's worst case: most lines are
    candidates) with the same failures buried in it; returns the ids the engine must report."""
    rng = random.Random(seed)
    blocks = [
        "".join(_restart_loop(rng, m, 100 + 25 * m) for m in range(k * 10, k * 10 + 10)).encode()
        for k in range(24)
    ]
    failures = list(BURIED.items())
    marks = [int(size_bytes * (i + 1) / (len(failures) + 1)) for i in range(len(failures))]
    written = 0
    with open(path, "wb") as out:
        out.write(startup_banner().encode())
        i = 0
        while written < size_bytes:
            block = blocks[i % len(blocks)]
            out.write(block)
            written += len(block)
            i += 1
            while marks and written >= marks[0]:
                marks.pop(0)
                out.write(failures.pop(0)[1].encode())
    return [*BURIED, "worker-restart-loop"]
