# ruff: noqa: E501 - example log lines are kept whole, as real logs print them
"""Family ``service-launch-crashloop``: The container starts and stops again: init() of the scoring script (or the server around it) fails.

One module a family (the module is named after it); the guide's own entry, when the family has one, comes
first. Ids, steps and remedies follow "Troubleshooting remote model deployment"; explanations are our own.
"""

from __future__ import annotations

from . import _facts
from ._entry import DOC_ACI, DOC_LOCAL, DOC_REMOTE, EXAMPLE_TS, Entry

__all__ = [
    "SERVICE_LAUNCH_CRASHLOOP",
    "INIT_IMPORT_ERROR",
    "SERVING_STACK_MISSING",
    "ACI_CONTAINER_CRASHED",
    "CONTAINER_EXIT_CODE",
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
    anchors=("AzureML serving stack", "No module named"),
    pattern=r"does not have AzureML serving stack|No module named .azureml_inference_server_http",
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
    anchors=("AciDeploymentFailed", "Your container application crashed"),
    pattern=r"AciDeploymentFailed|Your container application crashed",
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
)


CONTAINER_EXIT_CODE = Entry(
    id="container-exit-code",
    family="service-launch-crashloop",
    title="The container exited with a non-zero exit code",
    step=5,
    anchors=("Exit code", "Exit Code", "exitCode"),
    pattern=r"Exit [Cc]ode:? *[1-9][0-9]*|exitCode.{1,4}[1-9][0-9]*",
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
