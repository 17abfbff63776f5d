# ruff: noqa: E501 - example log lines are kept whole, as real logs print them
"""Failures beyond the guide while the container starts: imports, serving stack, exit codes, files.

Each refines service-launch-crashloop or model-path-not-found, or is its own (entry script).
"""

from __future__ import annotations

from . import _facts
from ._entry import DOC_ACI, DOC_LOCAL, DOC_REMOTE, Entry

__all__ = [
    "INIT_IMPORT_ERROR",
    "SERVING_STACK_MISSING",
    "ACI_CONTAINER_CRASHED",
    "CONTAINER_EXIT_CODE",
    "MODEL_FILE_MISSING",
    "ENTRY_SCRIPT_NOT_FOUND",
]

_TS = "2026-11-25 09:14:07,412"

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
        f"{_TS} W [12] azmlinfsrv - No module named 'debugpy': remote debugging disabled",
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


MODEL_FILE_MISSING = Entry(
    id="model-file-missing",
    family="model-path-not-found",
    title="A model file is missing under /var/azureml-app/azureml-models",
    step=5,
    anchors=("FileNotFoundError", "OSError"),
    pattern=r"(FileNotFoundError|OSError).*azureml-models/",
    explanation=(
        "The registered model was mounted, but the file score.py opens is not in it: the path inside "
        "the model folder differs from what was registered (a file registered alone lands directly "
        "under <name>/<version>/, a folder keeps its own name)."
    ),
    remedies=(
        "List what was registered: Model(ws, '<name>').get_model_path / `amlwizard model-path <name>` "
        "shows the exact layout under azureml-models/<name>/<version>/.",
        "Build the path from os.environ['AZUREML_MODEL_DIR'] plus the file name as registered.",
        "Re-register the model with the file layout the script expects (Model.register(model_path=...)).",
    ),
    doc_url=f"{DOC_REMOTE}#function-fails-get_model_path",
    examples=(
        "FileNotFoundError: [Errno 2] No such file or directory: "
        "'/var/azureml-app/azureml-models/credit-model/1/model.pkl'",
        "OSError: SavedModel file does not exist at: /var/azureml-app/azureml-models/resnet-classifier/2/"
        "saved_model/{saved_model.pbtxt|saved_model.pb}",
    ),
    near_misses=(
        f"{_TS} I [12] azmlinfsrv - Model Directory Contents: /var/azureml-app/azureml-models/credit-model/1",
        "Loaded /var/azureml-app/azureml-models/credit-model/1/model.json (12 coefficients)",
    ),
    confidence=0.93,
    facts=_facts.model_file,
)


ENTRY_SCRIPT_NOT_FOUND = Entry(
    id="entry-script-not-found",
    family="other",
    title="The entry script (score.py) is not where the deployment says",
    step=1,
    anchors=("entry_script", "No score script found", "FileNotFoundError"),
    pattern=r"entry_script .* doesn.t exist|No score script found|FileNotFoundError: .* No such file or directory: ./var/azureml-app/[^/]+\.py",
    explanation=(
        "InferenceConfig(entry_script=...) names a file that is not in the source directory, or the "
        "path is not relative to source_directory; so either the SDK refuses before upload, or the "
        "server in the container finds no script to load."
    ),
    remedies=(
        "Make entry_script relative to source_directory: InferenceConfig(source_directory='./app', "
        "entry_script='score.py', environment=env).",
        "Check the file name and case; run `amlwizard lint app/score.py` before deploying.",
    ),
    doc_url=f"{DOC_REMOTE}#steps-for-docker-deployment-of-machine-learning-models",
    examples=(
        "WebserviceException: WebserviceException:\n\tMessage: entry_script /home/azureuser/app/scor.py "
        "doesn't exist. entry_script should be path relative to current working directory",
        f"{_TS} E [12] azmlinfsrv - No score script found. Expected score script main.py.",
        "FileNotFoundError: [Errno 2] No such file or directory: '/var/azureml-app/score.py'",
    ),
    near_misses=(
        f"{_TS} I [12] azmlinfsrv - Found user script at /var/azureml-app/score.py",
        "InferenceConfig(entry_script='score.py', source_directory='./app')",
    ),
    confidence=0.9,
    facts=_facts.entry_script,
)
