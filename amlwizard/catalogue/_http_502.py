# ruff: noqa: E501 - example log lines are kept whole, as real logs print them
"""Family ``http-502``: Callers get 502 Bad Gateway: run() raised or the replica dropped the connection.

One module a family (the module is named after it); the guide's own entry, when the family has one, comes
first. Ids, steps and remedies follow "Troubleshooting remote model deployment"; explanations are our own.
"""

from __future__ import annotations

from . import _facts
from ._entry import DOC_REMOTE, Entry

__all__ = ["HTTP_502", "REPLICA_CLOSED_CONNECTION"]


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
