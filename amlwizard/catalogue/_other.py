# ruff: noqa: E501 - example log lines are kept whole, as real logs print them
"""Family ``other``: Failures that belong to none of the guide's families (image pull, entry script, deployment timeout).

One module a family (the module is named after it); the guide's own entry, when the family has one, comes
first. Ids, steps and remedies follow "Troubleshooting remote model deployment"; explanations are our own.
"""

from __future__ import annotations

from . import _facts
from ._entry import DOC_LOCAL, DOC_REMOTE, DOC_V2, EXAMPLE_TS, V2_LOGS, Entry

__all__ = [
    "IMAGE_PULL_FAILURE",
    "DEPLOYMENT_TIMED_OUT",
    "ENTRY_SCRIPT_NOT_FOUND",
    "SERVICE_SIDE_ERROR",
    "CONFLICT_OR_IN_PROGRESS",
    "INVALID_DEPLOYMENT_SPEC",
    "CONNECTION_FAILED",
    "COMPUTE_NOT_SUCCEEDED",
    "LOCAL_TOOLING_MISSING",
    "KUBERNETES_EXTENSION_FAILED",
]


IMAGE_PULL_FAILURE = Entry(
    id="image-pull-failure",
    family="other",
    title="The compute target cannot pull the service's image",
    step=3,
    anchors=(
        "ImagePullBackOff",
        "ErrImagePull",
        "Failed to pull image",
        "ImagePullFailed",
        "Image pull failed",
    ),
    pattern=r"ImagePullBackOff|ErrImagePull|Failed to pull image|ImagePullFailed|Image pull failed",
    explanation=(
        "The node or container group could not download the image from the workspace's container "
        "registry: the image was deleted, the tag is wrong, or the cluster lost its pull permission "
        "(the AKS identity needs AcrPull on the registry)."
    ),
    remedies=(
        "Check that the image still exists in the workspace's registry (az acr repository show-tags).",
        "Give the cluster pull rights: `az aks update -n <aks> -g <rg> --attach-acr <registry>`.",
        "Redeploy so Azure ML rebuilds and pushes the image.",
    ),
    doc_url=f"{DOC_REMOTE}#steps-for-docker-deployment-of-machine-learning-models",
    examples=(
        '  Warning  Failed  1m  kubelet  Failed to pull image "9b987bd5.azurecr.io/azureml/'
        'azureml_54be50da6f33:latest": rpc error: code = Unknown desc = unauthorized',
        "churn-svc-5d8f9c7b6d-x2k4q   0/1     ImagePullBackOff   0          6m",
        # github.com/Azure/azureml-examples (a managed online deployment's container events)
        "Kind: Pod, Name: ImagePullFailed, Type: Warning, Time: 2022-09-15T07:57:01.05333Z, Message: Image pull "
        "failed, retrying. Please check image-fetcher log for detail.",
    ),
    near_misses=(
        '  Normal  Pulled  12s  kubelet  Successfully pulled image "9b987bd5.azurecr.io/azureml/azureml_54be"',
        '  Normal  Pulling  40s  kubelet  Pulling image "mcr.microsoft.com/azureml/minimal-ubuntu20.04"',
    ),
    confidence=0.85,  # below registry-access-denied: a refused pull token is the cause of the pull failure
    facts=_facts.image,
)


DEPLOYMENT_TIMED_OUT = Entry(
    id="deployment-timed-out",
    family="other",
    title="The deployment timed out and the service is Unhealthy",
    step=None,
    anchors=(
        "DeploymentTimedOut",
        "state: Unhealthy",
        "The Managed Inference service creation is taking longer",
    ),
    pattern=r"DeploymentTimedOut|current service state: Unhealthy"
    r"|The Managed Inference service creation is taking longer than",
    explanation=(
        "Azure ML stopped waiting for the service to become healthy. The service never answered its "
        "readiness probe in time: init() is slow (a large model), crashing, or the cluster is short "
        "of resources. This is a symptom; the container log says which."
    ),
    remedies=(
        "Read service.get_logs(): a traceback means init() fails (see service-launch-crashloop).",
        "If init() is only slow, give it time: AksWebservice.deploy_configuration("
        "initial_delay_seconds=..., period_seconds=..., timeout_seconds=...).",
        "Check the cluster's health and free resources (Azure Monitor container insights).",
    ),
    remedies_v2=(
        V2_LOGS + ": a traceback means init() fails (see service-launch-crashloop).",
        "If init() is only slow, give it time: liveness_probe=ProbeSettings(initial_delay=..., period=..., failure_threshold=...) and the same for the readiness probe.",
        "Check the compute's health and free capacity (Kubernetes: the cluster's nodes; managed: the instance type's quota and the region's status).",
    ),
    doc_url=f"{DOC_REMOTE}#get-deployment-logs",
    examples=(
        '"code": "DeploymentTimedOut", "statusCode": 504, "message": "The deployment operation polling '
        'has TimedOut. The service creation is taking longer than our normal time."',
        "Message: Service deployment polling reached non-successful terminal state, current service "
        "state: Unhealthy",
    ),
    near_misses=(
        "Service deployment polling reached terminal state, current service state: Healthy",
        "Running......... state: Transitioning",
    ),
    confidence=0.5,
)


ENTRY_SCRIPT_NOT_FOUND = Entry(
    id="entry-script-not-found",
    family="other",
    title="The entry script (score.py) is not where the deployment says",
    step=1,
    anchors=("entry_script", "No score script found", "FileNotFoundError"),
    pattern=r"entry_script .{0,300} doesn.t exist|No score script found|FileNotFoundError: .{0,100}No such file or directory: ./var/azureml-app/[^ '\"]{1,200}\.py",
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
    remedies_v2=(
        "Point the deployment at the script: code_configuration=CodeConfiguration(code='./app', scoring_script='score.py'); scoring_script is relative to code.",
        "Check the file name and case; run `amlwizard lint app/score.py` before deploying.",
    ),
    doc_url=f"{DOC_REMOTE}#steps-for-docker-deployment-of-machine-learning-models",
    examples=(
        "WebserviceException: WebserviceException:\n\tMessage: entry_script /home/azureuser/app/scor.py "
        "doesn't exist. entry_script should be path relative to current working directory",
        f"{EXAMPLE_TS} E [12] azmlinfsrv - No score script found. Expected score script main.py.",
        "FileNotFoundError: [Errno 2] No such file or directory: '/var/azureml-app/score.py'",
    ),
    near_misses=(
        f"{EXAMPLE_TS} I [12] azmlinfsrv - Found user script at /var/azureml-app/score.py",
        "InferenceConfig(entry_script='score.py', source_directory='./app')",
    ),
    confidence=0.9,
    facts=_facts.entry_script,
)


SERVICE_SIDE_ERROR = Entry(
    id="service-side-error",
    family="other",
    title="Azure ML's own service failed (HTTP 500, an internal server error)",
    step=None,
    anchors=(
        "InternalServerError",
        "An internal server error occurred",
        "Response Code: 500",
        "Received 500 from a service request",
        "InferencingClientCreateDeploymentFailed",
    ),
    pattern=r"InternalServerError|An internal server error occurred|Response Code: 500"
    r"|Received 500 from a service request|InferencingClientCreateDeploymentFailed",
    explanation=(
        "The request reached Azure ML and its service failed on its side: a transient fault, a "
        "regional incident, or an input it did not validate and could not handle. The request id in "
        "the message is what Azure support needs."
    ),
    remedies=(
        "Retry once or twice a few minutes apart; check Azure status and the workspace's region.",
        "If it persists, open a support ticket with the request id, the time, and this report.",
        "Read the rest of the payload: an inner error (quota, a model, an image) may name the real cause.",
    ),
    doc_url=f"{DOC_V2}#error-internalservererror",
    examples=(
        # github.com/Azure/azure-cli-extensions and github.com/Azure/MachineLearningNotebooks
        ".(None) InternalServerError: Internal error. Please see troubleshooting guide, available here: "
        "https://aka.ms/oe-tsg#error-internalservererror",
        "WebserviceException: Received bad response from Model Management Service:\nResponse Code: 500",
    ),
    near_misses=(
        "Response Code: 200",
        "Internal Server settings loaded",
    ),
    confidence=0.6,
)


CONFLICT_OR_IN_PROGRESS = Entry(
    id="conflict-or-in-progress",
    family="other",
    title="A conflict: the name is taken, or another operation on the same resource is still running",
    step=None,
    anchors=(
        "ServiceModelConflict",
        "Conflict of operation",
        "Response Code: 409",
        "AlreadyExists",
        "Endpoint name needs to be unique",
        "Cannot create a deployment in endpoint",
    ),
    pattern=r"ServiceModelConflict|Conflict of operation|Response Code: 409|AlreadyExists"
    r"|Endpoint name needs to be unique|Cannot create a deployment in endpoint [^ ]{1,80} because it is in"
    r" [A-Za-z]{1,20} provisioning state",
    explanation=(
        "Azure ML refused because of what already exists or is already happening: an endpoint or service "
        "name is taken in the region, the deployment asks for models in two ways, or the endpoint is "
        "still being created, updated or deleted by another operation."
    ),
    remedies=(
        "Choose another name (endpoint names are unique per region), or delete the old resource first.",
        "Wait until the running operation ends (the endpoint's provisioning state is Succeeded or Failed), "
        "then retry.",
    ),
    doc_url=f"{DOC_V2}#error-endpointalreadyexists",
    examples=(
        # github.com/Azure/azure-sdk-for-net and github.com/Azure/MachineLearningNotebooks
        "Azure.RequestFailedException: Cannot create a deployment in endpoint e10a7d7c808ae42c0bad9-ept "
        "because it is in Updating provisioning state.",
        '"code":"ServiceModelConflict", "message":"Exactly one of the ModelIds or Models must be specified '
        'for a service."',
    ),
    near_misses=(
        "Endpoint churn-ept provisioning state: Succeeded",
        "No conflicts found",
    ),
    confidence=0.8,
)


INVALID_DEPLOYMENT_SPEC = Entry(
    id="invalid-deployment-spec",
    family="other",
    title="The deployment's specification is invalid (schema validation, unknown fields, bad values)",
    step=1,
    anchors=(
        "Validation for ",
        "InvalidDeploymentSpec",
        "Unknown field",
        "InvalidTemplateDeployment",
        "Invalid value provided for",
        "(NotSupported)",
        "No usable environment found",
        "Specified kubernetes version",
    ),
    pattern=r"Validation for [A-Za-z]{1,60}Schema failed|InvalidDeploymentSpec|Unknown field"
    r"|InvalidTemplateDeployment|Invalid value provided for|\(NotSupported\)"
    r"|Specified kubernetes version [0-9.]{1,12} is not supported|No usable environment found",
    explanation=(
        "The SDK or the service rejected the deployment's YAML or objects before anything was deployed: a "
        "field in the wrong file (endpoint vs deployment), a wrong type, an unsupported value, or a "
        "template that does not validate."
    ),
    remedies=(
        "Compare the YAML with the schema of its kind (the $schema line: managedOnlineEndpoint, "
        "managedOnlineDeployment); endpoint fields and deployment fields go in separate files.",
        "Read the field the message names and its allowed values; validate with `az ml online-deployment "
        "create --file d.yml --dry-run`-style local runs or the SDK objects before submitting.",
    ),
    doc_url=f"{DOC_V2}#error-badargument",
    examples=(
        # github.com/Azure/azureml-examples (CLI v2 YAML)
        'Validation for ManagedOnlineEndpointSchema failed:\n{\n  "instance_type": [\n    "Unknown field."\n  ],',
        "Validation for ManagedOnlineDeploymentSchema failed:",
        # github.com/Azure/azure-sdk-for-python (SDK v2 on a Kubernetes online deployment)
        'Passing OnlineRequestSettings to KubernetesOnlineDeployment gives "Invalid value provided for Timeout '
        'Seconds for Probe"',
        # github.com/Azure/MachineLearningNotebooks (attaching an AKS cluster of a newer Kubernetes version)
        "'details': [{'code': 'BadRequestFormat', 'message': 'Specified kubernetes version 1.12.4 is not supported. "
        "Supported versions are between 1.8 - 1.11 '}]}}]",
        # github.com/Azure/MachineLearningNotebooks (an AutoML model deployed without an environment)
        '"message": "No usable environment found that\'s linked to your model with RunId : AutoML_9088241f-575c-'
        '4226-b6a6-2d656a89c076_14 and ExperimentName : housing_experiment",',
    ),
    near_misses=(
        "Validation passed for ManagedOnlineDeploymentSchema",
        "unknown fields are ignored",
    ),
    confidence=0.78,
)


CONNECTION_FAILED = Entry(
    id="connection-failed",
    family="other",
    title="The connection could not be made: the address does not answer, refuses, or is not reachable",
    step=None,
    anchors=(
        "ConnectTimeoutError",
        "NewConnectionError",
        "Max retries exceeded with url",
        "Connection refused",
        "Connection to",
        "A connection attempt failed",
        "Errno 110] Connection timed out",
        "Name or service not known",
        "Temporary failure in name resolution",
        "Errno 11001] getaddrinfo failed",
    ),
    pattern=r"ConnectTimeoutError|NewConnectionError|Max retries exceeded with url|Connection refused"
    r"|Connection to [^ ]{1,100} timed out|A connection attempt failed because the connected party"
    r"|Errno 110\] Connection timed out|Name or service not known|Temporary failure in name resolution"
    r"|Errno 11001\] getaddrinfo failed",
    explanation=(
        "No request reached the service (nothing was answered late, so it is not a 504): the scoring URI "
        "points at an address this machine cannot reach (a cluster-internal IP, a private network, a "
        "firewall or proxy), the service is not running, or the name does not resolve."
    ),
    remedies=(
        "Check the scoring URI (service.scoring_uri / the endpoint's scoring_uri) and call it from where the "
        "service is reachable (inside the virtual network for a private one).",
        "For a Kubernetes online endpoint, check the inference router (azureml-fe) service type: "
        "LoadBalancer (or an ingress) to be reachable from outside the cluster, ClusterIP only inside.",
        "Check the service's state first (Healthy / Succeeded); a crashed service has no one to answer.",
    ),
    doc_url=f"{DOC_V2}#online-endpoint-creation-fails",
    examples=(
        # github.com/Azure/MachineLearningNotebooks and github.com/Azure/AML-Kubernetes
        "urllib3.exceptions.NewConnectionError: <urllib3.connection.HTTPConnection object at 0x7f1c>: Failed "
        "to establish a new connection: [Errno 111] Connection refused",
        "requests.exceptions.ConnectTimeout: HTTPConnectionPool(host='10.0.227.236', port=80): Max retries "
        "exceeded with url: /api/v1/endpoint/churn/score (Caused by ConnectTimeoutError(...))",
        # github.com/Azure/AML-Kubernetes (a cluster-internal scoring address called from outside)
        "cli.azure.cli.core.azclierror: (<urllib3.connection.HTTPConnection object at 0x7fc1dfebbee0>, "
        "'Connection to 10.0.227.236 timed out. (connect timeout=300)')",
        "TimeoutError: [Errno 110] Connection timed out",
    ),
    near_misses=(
        "Connection established to 10.0.227.236:80",
        "requests.exceptions.ReadTimeout: HTTPConnectionPool(host='10.0.0.4', port=80): Read timed out. "
        "(read timeout=60)",
        "retries: 3, backoff 1 s",
    ),
    confidence=0.7,
)


COMPUTE_NOT_SUCCEEDED = Entry(
    id="compute-not-succeeded",
    family="other",
    title="The compute target exists but its provisioning failed",
    step=None,
    anchors=("ComputeResourceNotCreated", "not in Succeeded state", "Compute object has provisioning state"),
    pattern=r"ComputeResourceNotCreated|is not in Succeeded state\. Compute provisioning state: Failed"
    r"|Compute object has provisioning state .Failed",
    explanation=(
        "The deployment names a compute target (an AKS inference cluster, an attached Kubernetes cluster) "
        "whose creation or attachment ended Failed, so nothing can be deployed to it; the model and "
        "its code are not involved."
    ),
    remedies=(
        "Look at the compute's provisioning errors (studio > Compute > the cluster, or "
        "ComputeTarget(ws, name).provisioning_errors / az ml compute show).",
        "Delete or detach the failed compute and create it again with a VM size and region the "
        "subscription allows; then redeploy.",
    ),
    doc_url=f"{DOC_REMOTE}#steps-for-docker-deployment-of-machine-learning-models",
    examples=(
        # github.com/microsoft/MLOpsPython and github.com/microsoft/computervision-recipes
        'Content: b\'{"code":"BadRequest","statusCode":400,"message":"The request is invalid","details":'
        '[{"code":"ComputeResourceNotCreated","message":"Compute resource with Id: aks is not in Succeeded '
        "state. Compute provisioning state: Failed\"}]}'",
        # github.com/Azure/azure-cli-extensions
        'Compute object has provisioning state "Failed"',
    ),
    near_misses=(
        'Compute object has provisioning state "Succeeded"',
        'Provisioning operation finished, operation "Succeeded"',
    ),
    confidence=0.75,
)


LOCAL_TOOLING_MISSING = Entry(
    id="local-tooling-missing",
    family="other",
    title="A tool the command needs is missing here: the az ml extension, or a running Docker engine",
    step=None,
    anchors=(
        "'ml' is not in the 'az' command group",
        "'ml' is misspelled or not recognized",
        "Docker Engine is installed and running",
        "Cannot connect to the Docker daemon",
        "Error while fetching server API version",
        "Failed to get Docker container",
    ),
    pattern=r"'ml' is not in the 'az' command group|'ml' is misspelled or not recognized"
    r"|Docker Engine is installed and running|Cannot connect to the Docker daemon"
    r"|Error while fetching server API version|Failed to get Docker container",
    explanation=(
        "The failure is on the machine that runs the command, not in Azure: `az ml` needs the ml "
        "extension of the Azure CLI (azure-cli-ml for v1, ml for v2; the two cannot be installed "
        "together), and a local deployment or a local online endpoint needs a running Docker engine."
    ),
    remedies=(
        "Install the CLI extension: `az extension add -n ml` (v2; remove azure-cli-ml first) or the "
        "azure-cli-ml extension for v1 commands, on the build agent too.",
        "Start Docker (Docker Desktop, or the docker service) and check `docker ps` works for this user "
        "before a local deployment.",
    ),
    doc_url=DOC_LOCAL,
    examples=(
        # github.com/microsoft/MLOpsPython (an Azure DevOps agent without the extension)
        "ERROR: az: 'ml' is not in the 'az' command group. See 'az --help'.",
        # github.com/Azure/azure-cli (az ml online-endpoint create --local)
        "Please make sure Docker Engine is installed and running. https://docs.docker.com/engine/install/",
        # github.com/MicrosoftDocs/azure-docs (LocalWebservice on a beta Docker engine)
        "ERROR:azureml._model_management._util:Failed to get Docker container:",
    ),
    near_misses=(
        "az ml online-endpoint create --local -n my-endpoint -f endpoint.yml",
        "Docker Engine version 24.0.6 is running",
        "Failed to get Docker image digest, building locally",
    ),
    confidence=0.8,
)


KUBERNETES_EXTENSION_FAILED = Entry(
    id="kubernetes-extension-failed",
    family="other",
    title="The Azure ML extension of the Kubernetes cluster did not install or upgrade",
    step=None,
    anchors=(
        "Helm Upgrade Failed",
        "Helm Install Failed",
        "ExtensionOperationFailed",
        "Agent installation failed",
    ),
    pattern=r"Helm Upgrade Failed|Helm Install Failed|ExtensionOperationFailed|Agent installation failed",
    explanation=(
        "Before anything can be deployed to an Arc or AKS cluster attached as a Kubernetes compute, the "
        "Azure ML extension (a Helm release named azureml) must install; its Helm hooks failed, often "
        "because of leftovers of an earlier install (an old azureml-fe), or pods that cannot start or "
        "be scheduled."
    ),
    remedies=(
        "Look at the extension's pods and events: `kubectl get pods -n azureml`, `kubectl describe pod ...`.",
        "Remove leftovers of an earlier install (namespaces, the old inference router) and install the "
        "extension again; on a small cluster set inferenceRouterHA=False.",
    ),
    doc_url="https://learn.microsoft.com/en-us/azure/machine-learning/how-to-troubleshoot-kubernetes-extension",
    examples=(
        # github.com/Azure/AML-Kubernetes
        "Helm Upgrade Failed : : InnerError [release azureml failed, and has been rolled back due to atomic "
        "being set: pre-upgrade hooks failed: pod healthcheck failed].",
        # github.com/Azure/azure-cli-extensions (az k8s-extension create --extension-type Microsoft.AzureML.Kubernetes)
        "(ExtensionOperationFailed) The extension operation failed with the following error:  Error: {Helm "
        "installation from path [] for release [azuremlsecure] failed with the following error: err [release "
        "azuremlsecure failed, and has been uninstalled due to atomic being set: failed pre-install: pod "
        "healthcheck failed]} occurred while doing the operation : {Installing the extension} on the config.",
        # github.com/Azure/AML-Kubernetes (attaching an AKS cluster, 2020 preview)
        "Agent installation failed due to exceptions: One or more errors occurred. (Kubernetes 'azureml: "
        "cmaks-init-job'. Failed to run job.);. Init job pod logs:",
    ),
    near_misses=(
        "Helm release azureml upgraded, revision 3",
        "pre-upgrade hooks completed",
    ),
    confidence=0.8,
    applies_to=("Kubernetes", "AKS"),
)
