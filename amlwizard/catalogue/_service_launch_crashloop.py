# ruff: noqa: E501 - example log lines are kept whole, as real logs print them
"""Family ``service-launch-crashloop``: The container starts and stops again: init() of the scoring script (or the server around it) fails.

One module a family (the module is named after it); the guide's own entry, when the family has one, comes
first. Ids, steps and remedies follow "Troubleshooting remote model deployment"; explanations are our own.
"""

from __future__ import annotations

from . import _facts
from ._entry import (
    DOC_ACI,
    DOC_LOCAL,
    DOC_REMOTE,
    DOC_V2,
    EXAMPLE_GUNICORN,
    EXAMPLE_TS,
    V2_LOCAL,
    V2_LOGS,
    V2_MORE_MEMORY,
    Entry,
)

__all__ = [
    "SERVICE_LAUNCH_CRASHLOOP",
    "INIT_IMPORT_ERROR",
    "SERVING_STACK_MISSING",
    "ACI_CONTAINER_CRASHED",
    "CONTAINER_EXIT_CODE",
    "RESOURCE_NOT_READY",
    "USER_SCRIPT_FAILED",
    "INIT_RAISED",
    "WORKER_RESTART_LOOP",
]


SERVICE_LAUNCH_CRASHLOOP = Entry(
    id="service-launch-crashloop",
    family="service-launch-crashloop",
    title="The container starts, init() of the scoring script raises, and it keeps restarting",
    step=5,
    anchors=(
        "CrashLoopBackOff",
        "User's init function failed",
        "Worker failed to boot",
        "Back-off restarting",
    ),
    pattern=r"CrashLoopBackOff|User's init function failed|Reason: Worker failed to boot"
    r"|Back-off restarting failed container",
    explanation=(
        "The image was built and pulled and the container started, but the web server stopped while "
        "calling init() of the scoring script: an exception escaped init(). Kubernetes restarts the "
        "container, it fails again, and the pod ends in CrashLoopBackOff. The exception in the "
        "container log names the cause."
    ),
    remedies=(
        "Read the container log: Webservice(ws, '<name>').get_logs() or "
        "`az ml service get-logs --verbose -w <ws> -n <name>`; the traceback after \"User's init "
        'function failed" is the cause.',
        "Reproduce locally: deploy the same model with LocalWebservice.deploy_configuration(port=...) or "
        "run `amlwizard serve` (the Azure ML inference server) on score.py, and fix init().",
        "Check what init() reads: environment variables, files under AZUREML_MODEL_DIR, secrets; each "
        "missing one raises here.",
    ),
    remedies_v2=(
        V2_LOGS + "; the traceback after init() names the cause.",
        V2_LOCAL + ", and fix init().",
        "A slow init() (a big model) needs time: liveness_probe=ProbeSettings(initial_delay=..., failure_threshold=...) and the same for the readiness probe.",
    ),
    doc_url=f"{DOC_REMOTE}#service-launch-fails",
    examples=(
        f"{EXAMPLE_TS} E [12] azmlinfsrv - User's init function failed\n"
        f"{EXAMPLE_TS} E [12] azmlinfsrv - Encountered Exception Traceback (most recent call last):\n"
        '  File "/var/azureml-app/score.py", line 11, in init\n'
        '    threshold = float(os.environ["CHURN_THRESHOLD"])\n'
        "KeyError: 'CHURN_THRESHOLD'",
        '  "details": [\n    {\n      "code": "CrashLoopBackOff",\n      "message": "Your container '
        "application crashed. This may be caused by errors in your scoring file's init() function.\"",
        "Worker exiting (pid: 42)\nShutting down: Master\nReason: Worker failed to boot.",
    ),
    near_misses=(
        f"{EXAMPLE_TS} I [12] azmlinfsrv - Users's init has completed successfully",
        "churn-svc-5d8f9c7b6d-x2k4q   1/1     Running   0          3m",
    ),
    confidence=0.7,
    facts=_facts.restarts,
    lines_after=60,
    applies_to=("AKS", "Kubernetes", "Managed", "Local"),  # CrashLoopBackOff is a Kubernetes state
)


INIT_IMPORT_ERROR = Entry(
    id="init-import-error",
    family="service-launch-crashloop",
    title="The scoring script imports a module that is not in the image",
    step=5,
    anchors=("ModuleNotFoundError", "ImportError"),
    pattern=r"ModuleNotFoundError: No module named|ImportError: (cannot import name|No module named)",
    explanation=(
        "Loading score.py (or its init()) imported a package the image does not have, or a name that "
        "the installed version does not provide. The server cannot start, so the container crash-loops."
    ),
    remedies=(
        "Add the package to the environment's conda file (pip section), pinned to the version you "
        "trained with, e.g. CondaDependencies.add_pip_package('scikit-learn==1.3.2'); redeploy.",
        "For 'cannot import name': pin the version that has that name (the API moved between versions).",
        "Check locally with the same environment: `amlwizard serve` imports score.py exactly as the "
        "container does.",
    ),
    remedies_v2=(
        "Add the package to the environment's conda file (pip section), pinned to the version you trained with: Environment(conda_file=..., image=...) makes a new environment version; update the deployment with it.",
        "For 'cannot import name': pin the version that has that name (the API moved between versions).",
        "Check locally with the same environment: `amlwizard serve` imports score.py exactly as the container does.",
    ),
    doc_url=f"{DOC_REMOTE}#service-launch-fails",
    examples=(
        '  File "/var/azureml-app/score.py", line 4, in <module>\n    import joblib\n'
        "ModuleNotFoundError: No module named 'joblib'",
        "ImportError: cannot import name 'joblib' from 'sklearn.externals' "
        "(/azureml-envs/azureml_5f3c/lib/python3.8/site-packages/sklearn/externals/__init__.py)",
    ),
    near_misses=(
        f"{EXAMPLE_TS} W [12] azmlinfsrv - No module named 'debugpy': remote debugging disabled",
        "INFO: falling back to the pure-Python implementation (optional C extension unavailable)",
    ),
    confidence=0.92,
    facts=_facts.module,
)


SERVING_STACK_MISSING = Entry(
    id="serving-stack-missing",
    family="service-launch-crashloop",
    title="The image has no Azure ML serving stack (azureml-defaults missing)",
    step=5,
    anchors=("AzureML serving stack", "No module named", "A required package"),
    pattern=r"does not have AzureML serving stack|No module named .azureml_inference_server_http"
    r"|A required package [^ ]{0,4}azureml-inference-server-http[^ ]{0,4} is missing",
    explanation=(
        "The container has no web server to run score.py: the environment lacks azureml-defaults "
        "(which brings azureml-inference-server-http), so the container exits at once."
    ),
    remedies=(
        "Add azureml-defaults (>=1.0.45) to the pip dependencies of the environment's conda file.",
        "If you use a custom base image, make sure it installs azureml-inference-server-http.",
    ),
    doc_url=f"{DOC_REMOTE}#service-launch-fails",
    examples=(
        '"message": "Your container application crashed as it does not have AzureML serving stack. Make '
        "sure you have 'azureml-defaults>=1.0.45' package in your pip dependencies, it contains "
        'requirements for the AzureML serving stack."',
        "ModuleNotFoundError: No module named 'azureml_inference_server_http'",
        # github.com/Azure/azureml-examples (a custom image without the inference server)
        "the error occurs: A required package **azureml-inference-server-http** is missing.",
    ),
    near_misses=(
        "Successfully installed azureml-defaults-1.61.0 azureml-inference-server-http-1.5.1",
        "  - azureml-defaults==1.61.0",
    ),
    confidence=0.9,
)


ACI_CONTAINER_CRASHED = Entry(
    id="aci-container-crashed",
    family="service-launch-crashloop",
    title="ACI: the container application crashed during start-up",
    step=5,
    anchors=(
        "AciDeploymentFailed",
        "Your container application crashed",
        "Container has crashed. Did your init method fail",
        "Error, container failed to initialize",
    ),
    pattern=r"AciDeploymentFailed|Your container application crashed|Container has crashed\. Did your init "
    r"method fail|Error, container failed to initialize",
    explanation=(
        "Azure Container Instances started the image and the container stopped during start-up, which "
        "for an Azure ML service almost always means init() of the scoring script raised. ACI reports "
        "the same failure as AKS's CrashLoopBackOff under this name."
    ),
    remedies=(
        "Fetch the container log: service.get_logs(); the traceback after \"User's init function "
        'failed" is the cause.',
        "Debug locally first (LocalWebservice or `amlwizard serve`), then redeploy to ACI.",
        "Check the diagnostic events in the error (restartCount, currentState.exitCode).",
    ),
    doc_url=f"{DOC_ACI}",
    examples=(
        # github.com/Azure/MachineLearningNotebooks: what Model.deploy() raised when init() failed
        "{'Azure-cli-ml Version': '1.28.0', 'Error': WebserviceException:\n\tMessage: Error: Container has "
        'crashed. Did your init method fail?\n\tInnerException None\n\tErrorResponse \n{\n    "error": '
        '{\n        "message": "Error: Container has crashed. Did your init method fail?"\n    }\n}}',
        '  "code": "AciDeploymentFailed",\n  "statusCode": 400,\n  "message": "Aci Deployment failed '
        "with exception: Your container application crashed. This may be caused by errors in your "
        "scoring file's init() function.\"",
        "Aci Deployment failed with exception: Your container application crashed. Please follow the "
        'steps to debug: {"restartCount":3,"currentState":{"state":"Waiting"}}',
    ),
    near_misses=(
        'ACI service creation operation finished, operation "Succeeded"',
        "AciDeploymentSucceeded: container group credit-svc is running",
    ),
    confidence=0.66,
    facts=_facts.restarts,
    applies_to=("ACI",),
)


CONTAINER_EXIT_CODE = Entry(
    id="container-exit-code",
    family="service-launch-crashloop",
    title="The container exited with a non-zero exit code",
    step=5,
    anchors=("Exit code", "Exit Code", "exitCode"),
    pattern=r"Exit [Cc]ode:? {0,8}[1-9][0-9]{0,5}|exitCode.{1,4}[1-9][0-9]{0,5}",
    explanation=(
        "The container's main process ended with a non-zero code. The code tells why: 3 means the Azure "
        "ML inference server gave up because the scoring script failed to load or init() raised; 137 "
        "means it was killed (usually for memory); 1 is an uncaught error."
    ),
    remedies=(
        "Look at the log lines just before the exit: the traceback or kill message is the cause.",
        "Exit code 137: see out-of-memory (raise memory_gb); exit code 3: fix init() (see "
        "service-launch-crashloop).",
    ),
    remedies_v2=(
        "Look at the log lines just before the exit (ml_client.online_deployments.get_logs(...)): the traceback or kill message is the cause.",
        "Exit code 137: see out-of-memory ("
        + V2_MORE_MEMORY
        + "); exit code 3: fix init() (see service-launch-crashloop).",
    ),
    doc_url=f"{DOC_LOCAL}",
    examples=(
        "2026-11-25T09:14:09,866 - gunicorn/finish 3 0\n2026-11-25T09:14:09,867 - Exit code 3 is not "
        "normal. Killing image.",
        "    Last State:     Terminated\n      Reason:       Error\n      Exit Code:    1",
        '{"restartCount":4,"currentState":{"state":"Terminated","exitCode":3,"detailStatus":"Error"}}',
    ),
    near_misses=(
        "      Exit Code:    0",
        "Process finished with exit code 0",
    ),
    confidence=0.55,
    facts=_facts.exit_code,
)


RESOURCE_NOT_READY = Entry(
    id="resource-not-ready",
    family="service-launch-crashloop",
    title="The online deployment's container never became ready (ResourceNotReady, probe failures)",
    step=5,
    anchors=(
        "ResourceNotReady",
        "User container has crashed or terminated",
        "LivenessProbeFailed",
        "ReadinessProbeFailed",
        "Liveness probe failed",
        "Readiness probe failed",
    ),
    pattern=r"ResourceNotReady|User container has crashed or terminated|LivenessProbeFailed|ReadinessProbeFailed"
    r"|Liveness probe failed|Readiness probe failed",
    explanation=(
        "SDK v2's name for the guide's crash loop. The container of the online deployment started, but "
        "it never answered its liveness or readiness probe: init() of the scoring script raised (a "
        "missing package, a model path, a secret), the inference server could not start, or init() is "
        "slower than the probes allow (by default 10 s before the first probe, then 30 failures 10 s "
        "apart). A liveness probe answered with 502 means the server is up but the script did not load."
    ),
    remedies=(
        "Read the container's log: ml_client.online_deployments.get_logs(name, endpoint_name, lines=200) "
        "or `az ml online-deployment get-logs -e <endpoint> -n <deployment> -l 200`; the traceback names "
        "the cause.",
        "Reproduce locally: run the scoring script in azmlinfsrv (`amlwizard serve score.py --model-dir "
        "<model folder>`) and fix what init() raises.",
        "If init() is only slow (a big model), give it time: liveness_probe=ProbeSettings(initial_delay=..., "
        "failure_threshold=...) and the same for the readiness probe.",
    ),
    doc_url=f"{DOC_V2}#error-resourcenotready",
    examples=(
        # github.com/Azure/azureml-examples and github.com/Azure/azure-sdk-for-python (managed endpoints)
        "HttpResponseError: (None) ResourceNotReady: User container has crashed or terminated: Liveness "
        "probe failed: HTTP probe failed with statuscode: 502.",
        "Container events:\nKind: Pod, Name: LivenessProbeFailed, Type: Warning, Time: 2024-09-18T04:37:30."
        "13373Z, Message: Liveness probe failed: HTTP probe failed with statuscode: 502",
    ),
    near_misses=(
        "Kind: Pod, Name: Started, Type: Normal, Time: 2024-09-18T04:35:01Z, Message: Started container "
        "inference-server",
        "readinessProbe: initialDelay PT10S, period PT10S, failureThreshold 30",
    ),
    confidence=0.82,
    applies_to=("v2",),
)


USER_SCRIPT_FAILED = Entry(
    id="user-script-failed",
    family="service-launch-crashloop",
    title="The scoring script failed to load or run init() (UserScript errors, error in entry script)",
    step=5,
    anchors=(
        "UserScriptInitFailed",
        "UserScriptImportError",
        "UserScriptFunctionNotFound",
        "Error in entry script",
        "Local deployment (",
        "entered FATAL state",
        "AttributeError: module 'service_driver'",
    ),
    pattern=r"UserScriptInitFailed|UserScriptImportError|UserScriptFunctionNotFound|Error in entry script"
    r"|Local deployment \([^)]{1,200}\) is in failed state|gunicorn entered FATAL state"
    r"|AttributeError: module 'service_driver' has no attribute",
    explanation=(
        "The inference server found the scoring script but could not use it: importing it raised, it has "
        "no init() or run(), or init() raised. The service (a Kubernetes or local online deployment, an "
        "ACI service) then fails to start or keeps restarting."
    ),
    remedies=(
        "Read the container's log for the traceback: the last exception before the server gives up is "
        "the cause (a package missing from the environment, a file path, a secret).",
        "Check that the script defines init() and run() at module level, and that every package it "
        "imports is in the environment (conda file / requirements).",
        "Reproduce locally with `amlwizard serve score.py`: the same server, the traceback in seconds.",
    ),
    doc_url=f"{DOC_V2}#error-userscriptinitfailed",
    examples=(
        # github.com/Azure/MachineLearningNotebooks (ACI) and github.com/Azure/azureml-examples (v2 local)
        "Aci Deployment failed with exception: Error in entry script",
        "ERROR: cli.azure.cli.core.azclierror: Local deployment (tag840-test2 / deployment14) is in failed "
        "state. Try getting logs to debug scoring script.",
        "2018-05-25 21:42:15,965 INFO gave up: gunicorn entered FATAL state, too many start retries too "
        "quickly",
    ),
    near_misses=(
        "Local deployment (my-endpoint / blue) is in Succeeded state.",
        "Checking the entry script score.py ... found",
    ),
    confidence=0.86,
)


INIT_RAISED = Entry(
    id="init-raised",
    family="service-launch-crashloop",
    title="init() of the scoring script raised an exception",
    step=5,
    anchors=('File "',),
    # the scoring script's own frame: in the container's app folder, or a file named score*.py
    pattern=r'File "[^"]{0,300}(azureml-app/[^"]{1,200}|score[^"/]{0,60}\.py)", line [0-9]{1,6}, in init$',
    explanation=(
        "A traceback ends in init() of the scoring script: loading the model or reading a setting raised, "
        "so the server does not start and the service keeps restarting (or the deployment fails with "
        "ResourceNotReady / CrashLoopBackOff). The exception under the frame is the cause."
    ),
    remedies=(
        "Fix what the exception says at the line of init() it names (a path, a package, a setting).",
        "Reproduce locally in seconds: `amlwizard serve score.py --model-dir <model folder>`.",
    ),
    doc_url=f"{DOC_REMOTE}#container-cannot-be-scheduled",
    examples=(
        # the shape azmlinfsrv logs (github.com/Azure/azureml-examples issue threads)
        'Traceback (most recent call last):\n  File "/var/azureml-app/score.py", line 12, in init\n'
        "    threshold = os.environ['CHURN_THRESHOLD']\nKeyError: 'CHURN_THRESHOLD'",
        'File "/var/azureml-app/main.py", line 88, in init',
    ),
    near_misses=(
        'File "/var/azureml-app/score.py", line 30, in run',
        'File "/var/azureml-app/score.py", line 12, in initialize_weights',
    ),
    confidence=0.68,  # below the crash loop entry, which then carries the same exception
    lines_after=4,
)


WORKER_RESTART_LOOP = Entry(
    id="worker-restart-loop",
    family="service-launch-crashloop",
    title="gunicorn keeps booting new workers: workers die again and again",
    step=5,
    anchors=("Booting worker with pid",),
    pattern=r"Booting worker with pid",
    explanation=(
        "Each worker boot is normal once per worker at start-up; many boots in one log mean workers "
        "keep dying and being replaced, most often while init() runs. The log says why only when "
        "something else is in it: SIGKILL / OOMKilled (the memory limit, killed without a traceback), "
        "WORKER TIMEOUT (init() too slow), a traceback. With none of these, the worker left by itself: "
        "init() called os._exit() or sys.exit(), or native code crashed."
    ),
    remedies=(
        'Look at the lines between "Invoking user\'s init function" and the next boot: SIGKILL / '
        "OOMKilled means memory (raise memory_gb or the instance size); WORKER TIMEOUT means a slow init(); "
        "nothing at all means init() exits by itself (os._exit, sys.exit) or native code crashes.",
        "Reproduce locally (`amlwizard serve score.py`) and watch whether init() returns.",
        "Count workers: WORKER_COUNT times replicas is how many boots a healthy start shows.",
    ),
    remedies_v2=(
        'Look at the lines between "Invoking user\'s init function" and the next boot: SIGKILL / OOMKilled means memory (a bigger instance_type (managed), or an instance type with a higher memory limit (Kubernetes)); WORKER TIMEOUT means a slow init(); nothing at all means init() exits by itself (os._exit, sys.exit) or native code crashes.',
        "Reproduce locally (`amlwizard serve score.py`) and watch whether init() returns.",
        "Count workers: WORKER_COUNT times instance_count is how many boots a healthy start shows.",
    ),
    doc_url=f"{DOC_REMOTE}#other-error-messages",
    examples=(
        "\n".join(
            f"[2026-11-25 09:1{i}:07 +0000] [1] [INFO] Booting worker with pid: {40 + i}" for i in range(5)
        ),
        "\n".join(f"Booting worker with pid: {100 + 7 * i}" for i in range(6)),
    ),
    near_misses=(
        f"{EXAMPLE_GUNICORN} [INFO] Booting worker with pid: 42",
        f"{EXAMPLE_GUNICORN} [INFO] Booting worker with pid: 42\n{EXAMPLE_GUNICORN} [INFO] Booting worker with pid: 43",
    ),
    confidence=0.5,
    min_hits=4,
)
