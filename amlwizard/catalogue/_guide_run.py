# ruff: noqa: E501 - example log lines are kept whole, as real logs print them
"""The guide's failures while the service answers requests: run() raising, HTTP 502, 503, 504.

Ids, steps and remedies follow the guide; the 503 remedies carry its autoscaling advice.
"""

from __future__ import annotations

from . import _facts
from ._entry import DOC_REMOTE, Entry

__all__ = [
    "RUN_FAILURE",
    "HTTP_502",
    "HTTP_503",
    "HTTP_504",
]

_TS = "2026-11-25 09:14:07,412"

RUN_FAILURE = Entry(
    id="run-failure",
    family="run-failure",
    title="The service is up, but run() raises when a request comes in",
    step=6,
    anchors=("Encountered Exception: Traceback", "Run-Function-Failed", "Run function failed"),
    pattern=r"Encountered Exception: Traceback|X-Ms-Run-Function-Failed.{1,6}True|Run function failed",
    explanation=(
        "Deployment succeeded and init() ran, but run(input_data) raised while handling a request. "
        "The server logs the traceback and answers with an error (502 through the AKS/ACI front end). "
        "Most often the request body has another shape than the code expects, or a type differs."
    ),
    remedies=(
        "Read the traceback in the container log (get_logs()) and reproduce with the same request body "
        "locally: `amlwizard serve` then POST it to /score.",
        "While debugging only, wrap run() in try/except and return json.dumps({'error': str(e)}) so the "
        "client sees the message; never ship that to production, it leaks internals.",
        "Validate the input at the top of run() (keys, shape, dtypes) and answer a clear 400-style message.",
    ),
    doc_url=f"{DOC_REMOTE}#function-fails-runinput_data",
    examples=(
        f"{_TS} E [14] azmlinfsrv - Encountered Exception: Traceback (most recent call last):\n"
        '  File "/var/azureml-app/score.py", line 22, in run\n'
        "    rows = np.array(data['data'])\n"
        "ValueError: setting an array element with a sequence.",
        "Headers: {'Connection': 'keep-alive', 'Content-Length': '49', 'Content-Type': 'text/html; "
        "charset=utf-8', 'X-Ms-Request-Id': '0ebd06ec-7bda-47b3-882c-97c73148a5de', "
        "'X-Ms-Run-Function-Failed': 'True'}",
    ),
    near_misses=(
        "Headers: {'Content-Type': 'application/json', 'X-Ms-Run-Function-Failed': 'False'}",
        f"{_TS} E [12] azmlinfsrv - Encountered Exception Traceback (most recent call last):",
    ),
    confidence=0.85,
    lines_after=40,
)


HTTP_502 = Entry(
    id="http-502",
    family="http-502",
    title="HTTP 502: the scoring script crashed or raised in run()",
    step=6,
    anchors=("Code: 502", "502 Bad Gateway", "502 Server Error"),
    pattern=r"Response Code: 502|502 Bad Gateway|502 Server Error",
    explanation=(
        "A 502 from an Azure ML web service means the request reached the container but run() in "
        "score.py raised an exception or the worker died while answering."
    ),
    remedies=(
        "Debug run() as for run-failure: read the traceback in get_logs(), reproduce the request locally.",
        "If the log shows no traceback, look for a worker killed during the request (OOMKilled, "
        "SIGKILL): the request may need more memory_gb.",
    ),
    doc_url=f"{DOC_REMOTE}#http-status-code-502",
    examples=(
        "Received bad response from service. More information can be found by calling `.get_logs()` "
        "on the webservice object.\nResponse Code: 502\nContent: b\"'str' object has no attribute 'tolist'\"",
        "requests.exceptions.HTTPError: 502 Server Error: Bad Gateway for url: "
        "http://20.50.1.7:80/api/v1/service/churn-svc/score",
        "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1>"
        "</center><hr><center>nginx/1.10.3 (Ubuntu)</center></body></html>",
    ),
    near_misses=(
        '127.0.0.1 - - [25/Nov/2026:09:14:07 +0000] "POST /score HTTP/1.0" 200 502 "-" "curl/8.5.0"',
        "Response Code: 200, elapsed 502 ms",
    ),
    confidence=0.6,
    facts=_facts.http_status,
)


HTTP_503 = Entry(
    id="http-503",
    family="http-503",
    title="HTTP 503: the service had no free replica for the request (traffic spike)",
    step=6,
    anchors=("Code: 503", "503 Service Unavailable", "503 Server Error"),
    pattern=r"Response Code: 503|503 Service Unavailable|503 Server Error",
    explanation=(
        "AKS answers 503 when every replica is busy. The autoscaler decides to add replicas within about "
        "a second, but creating containers takes much longer, so a sudden spike is refused until they "
        "are ready; it removes replicas only after about a minute. With the default target of 70 % "
        "utilization a service absorbs spikes of about 30 % more requests per second."
    ),
    remedies=(
        "Raise the standing pool: AksWebservice.deploy_configuration(autoscale_min_replicas=N); "
        "`amlwizard size` computes N for your requests per second and request time.",
        "Lower autoscale_target_utilization (e.g. 0.3): replicas are then added at lower load - not "
        "faster, but earlier.",
        "If the service already runs autoscale_max_replicas replicas, raise autoscale_max_replicas.",
        "Check replica_max_concurrent_requests and whether clients retry with backoff.",
    ),
    doc_url=f"{DOC_REMOTE}#http-status-code-503",
    examples=(
        "Received bad response from service. More information can be found by calling `.get_logs()` "
        "on the webservice object.\nResponse Code: 503\nHeaders: {'Content-Length': '46', 'Server': 'nginx'}",
        "requests.exceptions.HTTPError: 503 Server Error: Service Unavailable for url: "
        "http://20.50.1.7:80/api/v1/service/diabetes-svc/score",
    ),
    near_misses=(
        '127.0.0.1 - - [25/Nov/2026:09:14:07 +0000] "POST /score HTTP/1.0" 200 503 "-" "python-requests/2.31.0"',
        f"{_TS} I [15] azmlinfsrv.print - scored 503 rows in 0.12 s",
    ),
    confidence=0.6,
    facts=_facts.http_status,
)


HTTP_504 = Entry(
    id="http-504",
    family="http-504",
    title="HTTP 504: the request took longer than the scoring timeout",
    step=6,
    anchors=("Code: 504", "504 Server Error"),
    pattern=r"Response Code: 504|504 Server Error",
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
    doc_url=f"{DOC_REMOTE}#http-status-code-504",
    examples=(
        "Received bad response from service. More information can be found by calling `.get_logs()` "
        "on the webservice object.\nResponse Code: 504\nContent: b'upstream request timeout'",
        "requests.exceptions.HTTPError: 504 Server Error: Gateway Timeout for url: "
        "http://20.50.1.7:80/api/v1/service/churn-svc/score",
    ),
    near_misses=(
        '127.0.0.1 - - [25/Nov/2026:09:14:07 +0000] "POST /score HTTP/1.0" 200 504 "-" "python-requests/2.31.0"',
        "Response Code: 200\nContent: b'[0.504]'",
    ),
    confidence=0.6,
    facts=_facts.http_status,
)
