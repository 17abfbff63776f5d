# ruff: noqa: E501 - example log lines are kept whole, as real logs print them
"""Family ``http-504``: Callers get 504 Gateway Timeout: a request takes longer than the scoring timeout.

One module a family (the module is named after it); the guide's own entry, when the family has one, comes
first. Ids, steps and remedies follow "Troubleshooting remote model deployment"; explanations are our own.
"""

from __future__ import annotations

from . import _facts
from ._entry import DOC_REMOTE, DOC_V2, EXAMPLE_GUNICORN, EXAMPLE_TS, Entry

__all__ = ["HTTP_504", "GUNICORN_WORKER_TIMEOUT", "SCORING_TIMEOUT", "CLIENT_TIMEOUT", "REQUEST_TIMEOUT_408"]


HTTP_504 = Entry(
    id="http-504",
    family="http-504",
    title="HTTP 504: the request took longer than the scoring timeout",
    step=6,
    anchors=("Code: 504", "504 Server Error", "504 Gateway Time", "HTTP"),
    pattern=r"Response Code: 504|504 Server Error|504 Gateway Time"
    r"|HTTP(/1\.[01]\")? (status code |[Ee]rror |code )?504\b",
    explanation=(
        "The front end gave up waiting for run() to answer. The default scoring timeout is 60 seconds "
        "(scoring_timeout_ms=60000 on AKS). Either run() is slow on some inputs, or it hangs."
    ),
    remedies=(
        "Raise the timeout if the work is legitimately long: AksWebservice.deploy_configuration("
        "scoring_timeout_ms=120000) (or service.update(scoring_timeout_ms=...)).",
        "Make run() faster: load the model once in init(), remove needless calls, batch work.",
        "Look for a hang or an infinite loop: reproduce locally with SCORING_TIMEOUT_MS set to the "
        "service's value (`amlwizard serve`).",
    ),
    remedies_v2=(
        "On a managed endpoint this is a 408: run() took longer than request_timeout_ms (default 5000, at most 180000).",
        "Raise request_settings=OnlineRequestSettings(request_timeout_ms=...) above run()'s slowest time, or make run() faster.",
    ),
    doc_url=f"{DOC_REMOTE}#http-status-code-504",
    examples=(
        "Received bad response from service. More information can be found by calling `.get_logs()` "
        "on the webservice object.\nResponse Code: 504\nContent: b'upstream request timeout'",
        "requests.exceptions.HTTPError: 504 Server Error: Gateway Timeout for url: "
        "http://20.50.1.7:80/api/v1/service/churn-svc/score",
        # github.com/... classic web service behind nginx
        "<html>\r\n<head><title>504 Gateway Time-out</title></head>",
    ),
    near_misses=(
        '127.0.0.1 - - [25/Nov/2026:09:14:07 +0000] "POST /score HTTP/1.0" 200 504 "-" "python-requests/2.31.0"',
        "Response Code: 200\nContent: b'[0.504]'",
    ),
    confidence=0.6,
    facts=_facts.http_status,
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
    remedies_v2=(
        "Make run() faster or find the hang: time it locally on the slow inputs.",
        "If the work is legitimately long, raise request_settings=OnlineRequestSettings(request_timeout_ms=...) (at most 180000).",
    ),
    doc_url=f"{DOC_REMOTE}#http-status-code-504",
    examples=(
        f"{EXAMPLE_GUNICORN} [CRITICAL] WORKER TIMEOUT (pid:42)",
        "[2026-11-25 09:14:07 +0000] [9] [CRITICAL] WORKER TIMEOUT (pid:15)\n"
        "[2026-11-25 09:14:08 +0000] [15] [INFO] Worker exiting (pid: 15)",
    ),
    near_misses=(
        f"{EXAMPLE_GUNICORN} [INFO] worker timeout is set to 300",
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
    pattern=r"Scoring timeout after [0-9]{1,9} ms|UserScriptTimeout",
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
    remedies_v2=(
        "Raise request_settings=OnlineRequestSettings(request_timeout_ms=...) (default 5000, at most 180000) and update the deployment.",
        "Speed run() up on the slow inputs (profile locally with `amlwizard serve`).",
    ),
    doc_url=f"{DOC_REMOTE}#http-status-code-504",
    examples=(
        f"{EXAMPLE_TS} E [14] azmlinfsrv - Encountered Exception: Scoring timeout after 5000 ms",
        "azureml_inference_server_http.server.user_script.UserScriptTimeout: Script failed to finish "
        "execution within the allocated time: 5000ms",
    ),
    near_misses=(
        f"{EXAMPLE_TS} I [14] azmlinfsrv - Scoring timeout is set to 5000",
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
    remedies_v2=(
        "Give the client a timeout above the deployment's request_timeout_ms (requests.post(..., timeout=...)).",
        "Make run() faster, or raise request_timeout_ms (at most 180000) if the work is legitimately long.",
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
        f"{EXAMPLE_TS} I [14] azmlinfsrv - request completed, no timeout",
    ),
    confidence=0.6,
    facts=_facts.timeout,
)


REQUEST_TIMEOUT_408 = Entry(
    id="request-timeout-408",
    family="http-504",
    title="HTTP 408 from an online endpoint: run() took longer than request_timeout_ms",
    step=6,
    anchors=("HTTP 408", "Error 408", "408 Client Error", "Code: 408", "Request Timeout", "Request timeout"),
    pattern=r"HTTP 408|Error 408|408 Client Error|Code: 408|Request Timeout|Request timeout",
    explanation=(
        "SDK v2's 504. A managed online endpoint stops waiting for run() after request_settings."
        "request_timeout_ms (5000 ms by default, at most 180000) and answers 408 (upstream request "
        "timeout). The script may still finish the request afterwards, which is why its log looks fine."
    ),
    remedies=(
        "Raise request_settings=OnlineRequestSettings(request_timeout_ms=...) (max 180000) to cover "
        "run()'s slowest requests.",
        "Make run() faster: load the model in init(), not per request; batch the work; use a bigger "
        "instance type or a GPU.",
        "For work longer than 3 minutes, use a batch endpoint instead of an online one.",
    ),
    doc_url=f"{DOC_V2}#http-status-codes",
    examples=(
        # github.com/Azure/azureml-examples
        "HTTP 408 upstream request timeout ERROR when making online endpoint request",
        "requests.exceptions.HTTPError: 408 Client Error: Request Timeout for url: "
        "https://churn.westeurope.inference.ml.azure.com/score",
    ),
    near_misses=(
        "request_timeout_ms: 90000",
        "processed 408 rows",
    ),
    confidence=0.82,
)
