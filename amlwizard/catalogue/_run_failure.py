# ruff: noqa: E501 - example log lines are kept whole, as real logs print them
"""Family ``run-failure``: The service is up, and run() of the scoring script raises on a request.

One module a family (the module is named after it); the guide's own entry, when the family has one, comes
first. Ids, steps and remedies follow "Troubleshooting remote model deployment"; explanations are our own.
"""

from __future__ import annotations

from ._entry import DOC_REMOTE, EXAMPLE_TS, V2_LOCAL, V2_LOGS, Entry

__all__ = ["RUN_FAILURE", "RUN_INPUT_REJECTED", "RUN_RAISED"]


RUN_FAILURE = Entry(
    id="run-failure",
    family="run-failure",
    title="The service is up, but run() raises when a request comes in",
    step=6,
    anchors=(
        "Encountered Exception: Traceback",
        "Run-Function-Failed",
        "Run function failed",
        "An unexpected error occurred in scoring script",
    ),
    pattern=r"Encountered Exception: Traceback|X-Ms-Run-Function-Failed.{1,6}True|Run function failed"
    r"|An unexpected error occurred in scoring script",
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
    remedies_v2=(
        "A managed endpoint answers 424 when run() fails; the ms-azureml-model-error-statuscode and -reason headers carry the model's own answer.",
        V2_LOGS + "; the traceback after the request names the line of run().",
        V2_LOCAL + " and send the failing request to it.",
    ),
    doc_url=f"{DOC_REMOTE}#function-fails-runinput_data",
    examples=(
        f"{EXAMPLE_TS} E [14] azmlinfsrv - Encountered Exception: Traceback (most recent call last):\n"
        '  File "/var/azureml-app/score.py", line 22, in run\n'
        "    rows = np.array(data['data'])\n"
        "ValueError: setting an array element with a sequence.",
        "Headers: {'Connection': 'keep-alive', 'Content-Length': '49', 'Content-Type': 'text/html; "
        "charset=utf-8', 'X-Ms-Request-Id': '0ebd06ec-7bda-47b3-882c-97c73148a5de', "
        "'X-Ms-Run-Function-Failed': 'True'}",
        # github.com/Azure/azure-sdk-for-python (ml_client.online_endpoints.invoke on a managed endpoint)
        "HttpResponseError: An unexpected error occurred in scoring script.",
    ),
    near_misses=(
        "Headers: {'Content-Type': 'application/json', 'X-Ms-Run-Function-Failed': 'False'}",
        f"{EXAMPLE_TS} E [12] azmlinfsrv - Encountered Exception Traceback (most recent call last):",
    ),
    confidence=0.85,
    lines_after=40,
)


RUN_INPUT_REJECTED = Entry(
    id="run-input-rejected",
    family="run-failure",
    title="run() refused the request's data: its shape or type is not what the script or schema expects",
    step=6,
    anchors=(
        "Input Data Error",
        "Invalid input format",
        "A value is not provided for the",
        "The input must be a JSON dictionary",
        "Object of type ",
        "TypeError: Object of type",
    ),
    pattern=r"Input Data Error|Invalid input format|A value is not provided for the '[^']{1,80}' parameter"
    r"|The input must be a JSON dictionary|Object of type [A-Za-z_.]{1,60} is not JSON serializable",
    explanation=(
        "The service is up and run() was called, but the request did not fit: the JSON is not the shape "
        "the script (or its inference-schema / MLflow signature) expects, or what run() returns cannot "
        "be turned into JSON (a numpy array, a pandas object)."
    ),
    remedies=(
        "Send the request shape the deployment documents: its swagger example (service.swagger_uri) or "
        "the sample request the scoring script was written for.",
        "Return plain JSON types from run(): `return result.tolist()` for a numpy array, "
        "`df.to_dict(orient='records')` for a DataFrame.",
        "Debug run() locally with the same request: `amlwizard serve score.py --request sample.json --once`.",
    ),
    remedies_v2=(
        "Send the request shape the deployment documents: its swagger (the endpoint's openapi_uri) or the sample request the scoring script was written for.",
        "Return plain JSON types from run(): `return result.tolist()` for a numpy array, `df.to_dict(orient='records')` for a DataFrame.",
        "Debug run() locally with the same request: `amlwizard serve score.py --request sample.json --once`.",
    ),
    doc_url=f"{DOC_REMOTE}#function-fails-runinput_data",
    examples=(
        # github.com/Azure/azure-cli-extensions and github.com/Azure/azureml-examples (managed endpoints)
        "cli.azure.cli.core.azclierror: Met error <class 'Exception'>:Invalid input format: expected an array "
        "of items. Please check log by running the command with '--debug' for more details.",
        "ONNX model deployment on Azure Managed Endpoint failing with TypeError: Object of type ndarray is "
        "not JSON serializable",
        "HttpResponseError: (None) A value is not provided for the 'input_data' parameter.",
    ),
    near_misses=(
        "Input data: 3 rows, 8 columns",
        "Object of type ndarray converted with tolist()",
    ),
    confidence=0.84,
)


RUN_RAISED = Entry(
    id="run-raised",
    family="run-failure",
    title="run() of the scoring script raised an exception on a request",
    step=6,
    anchors=('File "',),
    # the scoring script's own frame: in the container's app folder, or a file named score*.py
    pattern=r'File "[^"]{0,300}(azureml-app/[^"]{1,200}|score[^"/]{0,60}\.py)", line [0-9]{1,6}, in run$',
    explanation=(
        "A traceback ends in run() of the scoring script: the service is up, and a request made run() "
        "raise (the request's shape or types, a bug). Callers get 502 (424 on managed endpoints)."
    ),
    remedies=(
        "Fix what the exception says at the line of run() it names; validate the request at its top.",
        "Reproduce with the same request: `amlwizard serve score.py --request request.json --once`.",
    ),
    doc_url=f"{DOC_REMOTE}#function-fails-runinput_data",
    examples=(
        'Traceback (most recent call last):\n  File "/var/azureml-app/score.py", line 27, in run\n'
        "    data = np.array(json.loads(raw)['data'])\nKeyError: 'data'",
        'File "/structure/azureml-app/score.py", line 41, in run',
    ),
    near_misses=(
        'File "/var/azureml-app/score.py", line 12, in init',
        'File "/usr/lib/python3.8/site-packages/gunicorn/arbiter.py", line 589, in run_worker',
    ),
    confidence=0.76,
    lines_after=4,
)
