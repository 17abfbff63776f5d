# ruff: noqa: E501 - example log lines are kept whole, as real logs print them
"""The guide's failures before a request is served: scheduling, start-up, image build, quota.

Ids, steps and remedies follow "Troubleshooting remote model deployment"; explanations are our own
words. Examples are real formats (AKS scheduler, azureml-core, the inference server, conda).
"""

from __future__ import annotations

from . import _facts
from ._entry import DOC_REMOTE, Entry

__all__ = [
    "SCHEDULE_INSUFFICIENT_RESOURCES",
    "SERVICE_LAUNCH_CRASHLOOP",
    "MODEL_PATH_NOT_FOUND",
    "IMAGE_BUILD_FAILURE",
    "OUT_OF_MEMORY",
    "FPGA_QUOTA",
]

_TS = "2026-11-25 09:14:07,412"

SCHEDULE_INSUFFICIENT_RESOURCES = Entry(
    id="schedule-insufficient-resources",
    family="schedule-insufficient-resources",
    title="AKS could not schedule the service: no node has the resources it requests",
    step=3,
    anchors=("Couldn", "Insufficient"),
    pattern=r"Couldn.t Schedule because the kubernetes cluster didn.t have available resources"
    r"|[0-9]+/[0-9]+ nodes are available: [0-9]+ Insufficient [a-z]",
    explanation=(
        "Kubernetes looked for five minutes for a node with enough free CPU, memory or GPU for one "
        "replica of the service and found none. The message names the scarce resource and how many "
        "nodes lack it: '3 Insufficient nvidia.com/gpu' means the service asks for a GPU and none of "
        "the 3 nodes has one free."
    ),
    remedies=(
        "Add nodes to the cluster (scale the node pool) so a replica fits.",
        "Change the node SKU: a GPU SKU (e.g. Standard_NC6s_v3) when the service requests GPUs, or a "
        "bigger VM size when CPU or memory is short.",
        "Lower what one replica requests: AksWebservice.deploy_configuration(cpu_cores=..., "
        "memory_gb=..., gpu_cores=0) - stop requesting a GPU if the model does not need one.",
    ),
    doc_url=f"{DOC_REMOTE}#container-cannot-be-scheduled",
    examples=(
        "Couldn't Schedule because the kubernetes cluster didn't have available resources after "
        "trying for 00:05:00:\n0/3 nodes are available: 3 Insufficient nvidia.com/gpu.",
        '{"code": "KubernetesDeploymentFailed", "statusCode": 400, "message": "Kubernetes Deployment '
        'failed", "details": [{"code": "CouldNotScheduleError", "message": "Couldn\\u0027t '
        "Schedule because the kubernetes cluster didn\\u0027t have available resources after trying "
        'for 00:05:00:\\n0/2 nodes are available: 2 Insufficient cpu, 1 Insufficient memory."}]}',
        "  Warning  FailedScheduling  4m2s  default-scheduler  0/3 nodes are available: 3 "
        "Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found.",
    ),
    near_misses=(
        "0/3 nodes are available: 3 node(s) had untolerated taint {node.kubernetes.io/unreachable: }.",
        "Scheduled: Successfully assigned azureml-prod/churn-svc-7d9c to aks-nodepool1-12345678-vmss000001",
    ),
    confidence=0.9,
    facts=_facts.scheduling,
)


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
        f"{_TS} E [12] azmlinfsrv - User's init function failed\n"
        f"{_TS} E [12] azmlinfsrv - Encountered Exception Traceback (most recent call last):\n"
        '  File "/var/azureml-app/score.py", line 11, in init\n'
        '    threshold = float(os.environ["CHURN_THRESHOLD"])\n'
        "KeyError: 'CHURN_THRESHOLD'",
        '  "details": [\n    {\n      "code": "CrashLoopBackOff",\n      "message": "Your container '
        "application crashed. This may be caused by errors in your scoring file's init() function.\"",
        "Worker exiting (pid: 42)\nShutting down: Master\nReason: Worker failed to boot.",
    ),
    near_misses=(
        f"{_TS} I [12] azmlinfsrv - Users's init has completed successfully",
        "churn-svc-5d8f9c7b6d-x2k4q   1/1     Running   0          3m",
    ),
    confidence=0.7,
    facts=_facts.restarts,
    lines_after=60,
)


MODEL_PATH_NOT_FOUND = Entry(
    id="model-path-not-found",
    family="model-path-not-found",
    title="Model.get_model_path() cannot find the model in the container",
    step=5,
    anchors=(
        "ModelNotFoundException",
        "For more info, set logging level to DEBUG",
        "Expected model path does not exist",
    ),
    # azureml-core prints the "not found in cache" message and the DEBUG hint on one line; the pattern
    # asks for both so that it cannot match a line that lacks every anchor (the engine would skip it)
    pattern=r"ModelNotFoundException:|Model [^ {]+ not found in cache at .*For more info, set logging level "
    r"to DEBUG|Expected model path does not exist: [^{]",
    explanation=(
        "init() asked Model.get_model_path() for a model, and no file or folder by that name is where "
        "it looks: azureml-models/<name>/<version>/ under AML_APP_ROOT (/var/azureml-app in the "
        "container), then the working directory. Usually the name in score.py differs from the "
        "registered name (credit_model vs credit-model), or the model was not passed to Model.deploy()."
    ),
    remedies=(
        "Compare the name in score.py with the registered name: Model.list(ws) - names are exact "
        "(dash vs underscore, case).",
        "In the container (or locally with `amlwizard model-path`), run logging.basicConfig("
        "level=logging.DEBUG); print(Model.get_model_path(model_name='<name>')): the DEBUG lines show "
        "the folder it searched (relative to /var/azureml-app) and what is there.",
        "Pass the model to the deployment: Model.deploy(ws, name, models=[model], ...); or read files "
        "from os.environ['AZUREML_MODEL_DIR'] instead of calling get_model_path.",
    ),
    doc_url=f"{DOC_REMOTE}#function-fails-get_model_path",
    examples=(
        "azureml.exceptions._azureml_exception.ModelNotFoundException: ModelNotFoundException:\n"
        "\tMessage: Model credit_model not found in cache at /var/azureml-app/azureml-models or in "
        "current working directory /var/azureml-app. For more info, set logging level to DEBUG.",
        f"{_TS} E [9] azureml.core.model - Model churn_model not found in cache at azureml-models or "
        "in current working directory /app. For more info, set logging level to DEBUG.",
    ),
    near_misses=(
        f"{_TS} D [9] azureml.core.model - Found model path at "
        "/var/azureml-app/azureml-models/credit-model/1/model.json",
        "Model credit-model:1 registered with tags {'stage': 'prod'}",
    ),
    confidence=0.95,
    facts=_facts.model_not_found,
)


IMAGE_BUILD_FAILURE = Entry(
    id="image-build-failure",
    family="image-build-failure",
    title="The Docker image for the service failed to build",
    step=2,
    anchors=(
        "Docker build failed",
        "Docker image build failed",
        "EnvironmentBuildFailed",
        "ImageBuildFailure",
        "Failed building the Environment",
    ),
    pattern=r"Docker (image )?build failed|EnvironmentBuildFailed|ImageBuildFailure"
    r"|Failed building the Environment",
    explanation=(
        "Azure ML builds a Docker image from the environment (conda file, pip packages, base image) "
        "before the first deployment of that environment, and the build stopped. Nearly always a "
        "dependency problem: a package version that does not exist for that Python, or conflicting pins. "
        "The build log (linked in the error, in the workspace's blob store) has the exact line."
    ),
    remedies=(
        "Open the build log named in the error (azureml/ImageLogs/<id>/build.log) and find the first "
        "error line; run `amlwizard diagnose build.log` on it.",
        "Fix the conda file of the environment: pin versions that exist for the environment's Python; "
        "the guide's known fix for one build failure is adding pynacl==1.2.1 as a pip dependency.",
        "Build the same environment locally to iterate faster: env.build_local(ws) or "
        "`docker build` on env.save_to_directory(...).",
    ),
    doc_url=f"{DOC_REMOTE}#other-error-messages",
    examples=(
        'Image creation operation finished for image churn-img:3, operation "Failed"\nImage creation '
        "failed with\nStatusCode: 400\nMessage: Docker image build failed.",
        '  "code": "EnvironmentBuildFailed",\n  "statusCode": 400,\n  "message": "Failed building the '
        'Environment. You can try debugging locally first."',
    ),
    near_misses=(
        'Image creation operation finished for image churn-img:3, operation "Succeeded"',
        "2026/11/25 09:14:07 Successfully pushed image: 9b987bd5.azurecr.io/azureml/azureml_54be50da6f33",
    ),
    confidence=0.65,
)


OUT_OF_MEMORY = Entry(
    id="out-of-memory",
    family="out-of-memory",
    title="A build or setup process was killed for lack of memory (SIGKILL)",
    step=2,
    anchors=("SIGKILL: 9",),
    pattern=r"died with <Signals\.SIGKILL: 9>",
    explanation=(
        "A process of the image build or environment setup was killed with SIGKILL, which is what the "
        "kernel's out-of-memory killer sends: the machine doing the work ran out of memory."
    ),
    remedies=(
        "Use a VM SKU with more memory for the deployment (or the build compute).",
        "Reduce what the step loads into memory (smaller dependency set, no large files in the source "
        "directory).",
    ),
    doc_url=f"{DOC_REMOTE}#other-error-messages",
    examples=(
        "subprocess.CalledProcessError: Command '['DaskOnBatch:context_managers.DaskOnBatch', "
        "'setup.py']' died with <Signals.SIGKILL: 9>.",
        "Command '['/azureml-envs/azureml_5f3c/bin/python', 'setup.py', 'bdist_wheel']' died with "
        "<Signals.SIGKILL: 9>.",
    ),
    near_misses=(
        "[2026-11-25 09:14:07 +0000] [1] [INFO] Handling signal: term",
        "Command '['python', 'setup.py']' returned non-zero exit status 1.",
    ),
    confidence=0.9,
    facts=_facts.oom,
)


FPGA_QUOTA = Entry(
    id="fpga-quota",
    family="fpga-quota",
    title="FPGA deployment refused: the subscription has no approved FPGA quota",
    step=3,
    anchors=("FPGA", "PBSFamily"),
    pattern=r"FPGA.*([Qq]uota|not approved|[Ff]ail)|[Qq]uota.*FPGA|standardPBSFamily.*quota",
    explanation=(
        "Models can only be deployed to FPGAs (Azure ML hardware-accelerated models) once FPGA quota has "
        "been requested for the subscription and approved; without it every FPGA deployment fails."
    ),
    remedies=(
        "Request FPGA quota with the form at https://aka.ms/aml-real-time-ai and wait for approval.",
        "Meanwhile deploy the model to CPU or GPU nodes (AksWebservice without FPGA).",
    ),
    doc_url=f"{DOC_REMOTE}#other-error-messages",
    examples=(
        "WebserviceException: Message: FPGA deployment failed: the subscription does not have an "
        "approved FPGA quota in region eastus.",
        '{"code": "QuotaExceeded", "message": "Operation results in exceeding quota limits of FPGA: '
        'Standard_PB6s. Maximum allowed: 0, Current in use: 0, Additional requested: 6."}',
    ),
    near_misses=(
        "Converting model resnet50 to FPGA-ready format (Brainwave) ... done",
        "Quota check passed for Standard_DS3_v2 in eastus",
    ),
    confidence=0.88,
    facts=_facts.quota,
)
