# ruff: noqa: E501 - example log lines are kept whole, as real logs print them
"""Family ``http-502``: Callers get 502 Bad Gateway: run() raised or the replica dropped the connection.

One module a family (the module is named after it); the guide's own entry, when the family has one, comes
first. Ids, steps and remedies follow "Troubleshooting remote model deployment"; explanations are our own.
"""

from __future__ import annotations

from . import _facts
from ._entry import DOC_REMOTE, DOC_V2, V2_LOCAL, V2_MORE_MEMORY, Entry

__all__ = ["HTTP_502", "REPLICA_CLOSED_CONNECTION", "MODEL_ERROR_424"]


HTTP_502 = Entry(
    id="http-502",
    family="http-502",
    title="HTTP 502: the scoring script crashed or raised in run()",
    step=6,
    anchors=("Code: 502", "502 Bad Gateway", "502 Server Error", "HTTP"),
    pattern=r"Response Code: 502|502 Bad Gateway|502 Server Error"
    r"|HTTP(/1\.[01]\")? (status code |[Ee]rror |code )?502\b",
    explanation=(
        "A 502 from an Azure ML web service means the request reached the container but run() in "
        "score.py raised an exception or the worker died while answering."
    ),
    remedies=(
        "Debug run() as for run-failure: read the traceback in get_logs(), reproduce the request locally.",
        "If the log shows no traceback, look for a worker killed during the request (OOMKilled, "
        "SIGKILL): the request may need more memory_gb.",
    ),
    remedies_v2=(
        "On a managed endpoint this is a 424: run() raised or answered non-200; read the ms-azureml-model-error-* headers and the inference-server log.",
        V2_LOCAL + " and send the failing request to it.",
        "If the log shows no traceback, look for a worker killed during the request (OOMKilled, SIGKILL): "
        + V2_MORE_MEMORY
        + ".",
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
    confidence=0.84,  # below run-failure: a run() traceback is the cause of the 502
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
    remedies_v2=(
        "Look for OOMKilled / SIGKILL / exit code 137 in the inference-server log; if so, "
        + V2_MORE_MEMORY
        + ".",
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


MODEL_ERROR_424 = Entry(
    id="model-error-424",
    family="http-502",
    title="HTTP 424 from a managed online endpoint: the model container answered an error (run() failed)",
    step=6,
    anchors=("Failed Dependency", "Error 424", "424 Client Error", "Code: 424"),
    pattern=r"Failed Dependency|Error 424|424 Client Error|Code: 424",
    explanation=(
        "SDK v2's 502. A managed online endpoint answers 424 when the model container returned a "
        "non-200 answer: run() raised, or the container was not ready (a liveness or readiness probe "
        "failing). The endpoint's headers ms-azureml-model-error-statuscode and "
        "ms-azureml-model-error-reason say what the container answered."
    ),
    remedies=(
        "Call the scoring URI directly (not ml_client.online_endpoints.invoke, which drops the headers) "
        "and read ms-azureml-model-error-statuscode / -reason.",
        "Read the deployment's log for the traceback of run(): ml_client.online_deployments.get_logs(...).",
        "If probes fail at the same time, give init() more time in the probe settings.",
    ),
    doc_url=f"{DOC_V2}#http-status-codes",
    examples=(
        # github.com/langchain-ai/langchain and github.com/microsoft/promptflow (managed endpoints)
        "AzureMLChatOnlineEndpoint for BLOOM with CustomOpenAIChatContentFormatter HTTPError: HTTP Error 424: "
        "Failed Dependency",
        "Error: HttpResponseError: Operation returned an invalid status 'Failed Dependency'\nContent: "
        '{"detail":"Not Found"}',
    ),
    near_misses=(
        "Dependency resolution failed for package foo",
        "HTTP 200 OK in 424 ms",
    ),
    confidence=0.86,
    applies_to=("v2",),
)
