# ruff: noqa: E501 - example log lines are kept whole, as real logs print them
"""Failures beyond the guide while the service runs: memory kills, timeouts, overload, bad replies.

Each refines one of the guide's run-time families (out-of-memory, http-502/503/504).
"""

from __future__ import annotations

from . import _facts
from ._entry import DOC_AKS, DOC_REMOTE, Entry

__all__ = [
    "CONTAINER_OOM_KILLED",
    "WORKER_RESTART_LOOP",
    "GUNICORN_WORKER_TIMEOUT",
    "SCORING_TIMEOUT",
    "CLIENT_TIMEOUT",
    "SERVICE_OVERLOADED",
    "NO_READY_REPLICAS",
    "REPLICA_CLOSED_CONNECTION",
]

_GUNICORN = "[2026-11-25 09:14:07 +0000] [1]"
_TS = "2026-11-25 09:14:07,412"

CONTAINER_OOM_KILLED = Entry(
    id="container-oom-killed",
    family="out-of-memory",
    title="The scoring container was killed for using more memory than its limit (OOMKilled, 137)",
    step=5,
    anchors=("OOMKilled", "SIGKILL", "Exit code", "Exit Code", "exitCode"),
    pattern=r"OOMKilled|Exit [Cc]ode:? *137\b|exitCode.{1,4}137\b|SIGKILL! Perhaps out of memory",
    explanation=(
        "The container (or a gunicorn worker in it) went over its memory limit and the kernel killed it "
        "with SIGKILL; Kubernetes reports OOMKilled / exit code 137. Loading the model in init(), or a "
        "large request in run(), needs more memory than memory_gb allows, so the pod restarts and may "
        "crash-loop."
    ),
    remedies=(
        "Raise the memory per replica: AksWebservice.deploy_configuration(memory_gb=...) (or "
        "AciWebservice.deploy_configuration(memory_gb=...)); node SKU must have that much free.",
        "Load the model once in init() and avoid copies; cap request batch sizes in run().",
        "Measure the real footprint locally (`amlwizard serve`, then watch the process RSS).",
    ),
    doc_url=f"{DOC_REMOTE}#other-error-messages",
    examples=(
        "    Last State:     Terminated\n      Reason:       OOMKilled\n      Exit Code:    137",
        f"{_GUNICORN} [ERROR] Worker (pid:42) was sent SIGKILL! Perhaps out of memory?",
        '{"restartCount":2,"currentState":{"state":"Terminated","exitCode":137,"detailStatus":"Killed"}}',
    ),
    near_misses=(
        f"{_TS} I [42] azmlinfsrv - scored request 137 in 12 ms",
        "      Exit Code:    1370",
    ),
    confidence=0.9,
    facts=_facts.oom,
)

WORKER_RESTART_LOOP = Entry(
    id="worker-restart-loop",
    family="out-of-memory",
    title="gunicorn keeps booting new workers: workers die again and again",
    step=6,
    anchors=("Booting worker with pid",),
    pattern=r"Booting worker with pid",
    explanation=(
        "Each worker boot is normal once per worker at start-up; many boots in one log mean workers "
        "keep dying and being replaced. The usual cause is the memory limit (the kernel kills the "
        "worker without a traceback), otherwise a worker timeout or a crash in native code."
    ),
    remedies=(
        "Look for SIGKILL / OOMKilled / WORKER TIMEOUT near the boots; raise memory_gb if memory is the cause.",
        "Count workers: WORKER_COUNT times replicas is how many boots a healthy start shows.",
    ),
    doc_url=f"{DOC_REMOTE}#other-error-messages",
    examples=(
        "\n".join(
            f"[2026-11-25 09:1{i}:07 +0000] [1] [INFO] Booting worker with pid: {40 + i}" for i in range(5)
        ),
        "\n".join(f"Booting worker with pid: {100 + 7 * i}" for i in range(6)),
    ),
    near_misses=(
        f"{_GUNICORN} [INFO] Booting worker with pid: 42",
        f"{_GUNICORN} [INFO] Booting worker with pid: 42\n{_GUNICORN} [INFO] Booting worker with pid: 43",
    ),
    confidence=0.5,
    min_hits=4,
)

GUNICORN_WORKER_TIMEOUT = Entry(
    id="gunicorn-worker-timeout",
    family="http-504",
    title="A gunicorn worker was killed for taking too long (WORKER TIMEOUT)",
    step=6,
    anchors=("WORKER TIMEOUT",),
    pattern=r"\[CRITICAL\] WORKER TIMEOUT|WORKER TIMEOUT \(pid",
    explanation=(
        "gunicorn's arbiter killed a worker that did not report back within its timeout: run() (or "
        "init()) was busy for too long. The request in flight fails, usually as a 502/504 to the client."
    ),
    remedies=(
        "Make run() faster or find the hang: time it locally on the slow inputs.",
        "If the work is legitimately long, raise the scoring timeout: AksWebservice.deploy_configuration("
        "scoring_timeout_ms=...) (the server derives the worker timeout from it).",
    ),
    doc_url=f"{DOC_REMOTE}#http-status-code-504",
    examples=(
        f"{_GUNICORN} [CRITICAL] WORKER TIMEOUT (pid:42)",
        "[2026-11-25 09:14:07 +0000] [9] [CRITICAL] WORKER TIMEOUT (pid:15)\n"
        "[2026-11-25 09:14:08 +0000] [15] [INFO] Worker exiting (pid: 15)",
    ),
    near_misses=(
        f"{_GUNICORN} [INFO] worker timeout is set to 300",
        "worker timeout is set to 300",
    ),
    confidence=0.8,
    facts=_facts.timeout,
)

SCORING_TIMEOUT = Entry(
    id="scoring-timeout",
    family="http-504",
    title="run() did not finish within scoring_timeout_ms",
    step=6,
    anchors=("Scoring timeout after", "UserScriptTimeout"),
    pattern=r"Scoring timeout after [0-9]+ ms|UserScriptTimeout",
    explanation=(
        "The Azure ML inference server stopped run() because it ran past the scoring timeout "
        "(scoring_timeout_ms on AKS, 60000 by default; SCORING_TIMEOUT_MS for the local server). The "
        "client sees a 504 (or a 500 locally)."
    ),
    remedies=(
        "Raise the timeout: AksWebservice.deploy_configuration(scoring_timeout_ms=...) or "
        "service.update(scoring_timeout_ms=...).",
        "Speed run() up on the slow inputs (profile locally with SCORING_TIMEOUT_MS set to the same value).",
    ),
    doc_url=f"{DOC_REMOTE}#http-status-code-504",
    examples=(
        f"{_TS} E [14] azmlinfsrv - Encountered Exception: Scoring timeout after 5000 ms",
        "azureml_inference_server_http.server.user_script.UserScriptTimeout: Script failed to finish "
        "execution within the allocated time: 5000ms",
    ),
    near_misses=(
        f"{_TS} I [14] azmlinfsrv - Scoring timeout is set to 5000",
        "Scoring finished after 4980 ms",
    ),
    confidence=0.86,
    facts=_facts.timeout,
)

CLIENT_TIMEOUT = Entry(
    id="client-timeout",
    family="http-504",
    title="The client gave up waiting for the service (read timeout)",
    step=6,
    anchors=("Read timed out", "ReadTimeout"),
    pattern=r"Read timed out|ReadTimeout(Error)?:",
    explanation=(
        "The caller's HTTP client stopped waiting before the service answered. Either the client's "
        "timeout is shorter than the service's scoring time, or run() is slow or hanging."
    ),
    remedies=(
        "Give the client a timeout above scoring_timeout_ms (requests.post(..., timeout=...)).",
        "Make run() faster, or raise scoring_timeout_ms if the work is legitimately long.",
    ),
    doc_url=f"{DOC_REMOTE}#http-status-code-504",
    examples=(
        "requests.exceptions.ReadTimeout: HTTPConnectionPool(host='20.50.1.7', port=80): Read timed "
        "out. (read timeout=60)",
        "urllib3.exceptions.ReadTimeoutError: HTTPSConnectionPool(host='churn-svc.westeurope."
        "inference.ml.azure.com', port=443): Read timed out. (read timeout=10)",
    ),
    near_misses=(
        "requests.post(scoring_uri, json=payload, timeout=90)",
        f"{_TS} I [14] azmlinfsrv - request completed, no timeout",
    ),
    confidence=0.6,
    facts=_facts.timeout,
)

SERVICE_OVERLOADED = Entry(
    id="service-overloaded",
    family="http-503",
    title="AKS refused requests: too many requests for the service (overloaded)",
    step=6,
    anchors=("Too many requests for service",),
    pattern=r"Too many requests for service",
    explanation=(
        "The AKS front end (azureml-fe) had no replica free for the request and no room in the queue: "
        "traffic rose faster than the autoscaler could add containers."
    ),
    remedies=(
        "Raise autoscale_min_replicas so the standing pool absorbs spikes (`amlwizard size` gives N).",
        "Lower autoscale_target_utilization so replicas are added earlier; raise autoscale_max_replicas "
        "if already at the maximum.",
        "Make clients retry 503s with exponential backoff.",
    ),
    doc_url=f"{DOC_REMOTE}#http-status-code-503",
    examples=(
        "Response Code: 503\nContent: b'Too many requests for service diabetes-svc (overloaded)'",
        '{"error": "Too many requests for service aks-deployment (overloaded)"}',
    ),
    near_misses=(
        "Too many requests in the batch: 5000 rows, max 1000",
        "service diabetes-svc: 4 replicas, utilization 65 %",
    ),
    confidence=0.78,
    facts=_facts.http_status,
)

NO_READY_REPLICAS = Entry(
    id="no-ready-replicas",
    family="http-503",
    title="No ready replicas: every replica is starting, restarting or gone",
    step=6,
    anchors=("No ready replicas",),
    pattern=r"No ready replicas for service",
    explanation=(
        "The front end had no replica that passed its readiness probe. Right after a deployment or a "
        "scale-up this is temporary; if it persists, the replicas are crash-looping or unschedulable."
    ),
    remedies=(
        "Check service.state and get_logs(): crash-looping replicas show a traceback in init().",
        "If replicas are just slow to start, raise autoscale_min_replicas so some are always ready.",
    ),
    doc_url=f"{DOC_AKS}",
    examples=(
        "Response Code: 503\nContent: b'No ready replicas for service churn-svc'",
        "WebserviceException: Received bad response from service: No ready replicas for service diabetes-svc",
    ),
    near_misses=(
        "3/3 replicas ready for service churn-svc",
        "Replicas: 2 desired | 2 updated | 2 total | 2 available | 0 unavailable",
    ),
    confidence=0.62,
    facts=_facts.http_status,
)

REPLICA_CLOSED_CONNECTION = Entry(
    id="replica-closed-connection",
    family="http-502",
    title="A replica closed the connection before replying (worker crashed mid-request)",
    step=6,
    anchors=("Replica closed connection",),
    pattern=r"Replica closed connection before replying",
    explanation=(
        "The worker handling the request died before answering: typically killed for memory on a large "
        "request, or a crash in native code. AKS turns it into a 502."
    ),
    remedies=(
        "Look for OOMKilled / SIGKILL / exit code 137 in the log; raise memory_gb if so.",
        "Reproduce the same request locally and watch memory; cap the batch size accepted by run().",
    ),
    doc_url=f"{DOC_REMOTE}#http-status-code-502",
    examples=(
        "Response Code: 502\nContent: b'Replica closed connection before replying'",
        '{"message": "Replica closed connection before replying", "code": 502}',
    ),
    near_misses=(
        "Replica churn-svc-5d8f closed connection after replying (keep-alive timeout)",
        "connection closed by client before reply was sent",
    ),
    confidence=0.7,
    facts=_facts.http_status,
)
