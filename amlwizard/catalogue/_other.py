# ruff: noqa: E501 - example log lines are kept whole, as real logs print them
"""Family ``other``: Failures that belong to none of the guide's families (image pull, entry script, deployment timeout).

One module a family (the module is named after it); the guide's own entry, when the family has one, comes
first. Ids, steps and remedies follow "Troubleshooting remote model deployment"; explanations are our own.
"""

from __future__ import annotations

from . import _facts
from ._entry import DOC_REMOTE, EXAMPLE_TS, Entry

__all__ = ["IMAGE_PULL_FAILURE", "DEPLOYMENT_TIMED_OUT", "ENTRY_SCRIPT_NOT_FOUND", "REGIONAL_QUOTA_EXCEEDED"]


IMAGE_PULL_FAILURE = Entry(
    id="image-pull-failure",
    family="other",
    title="The compute target cannot pull the service's image",
    step=3,
    anchors=("ImagePullBackOff", "ErrImagePull", "Failed to pull image"),
    pattern=r"ImagePullBackOff|ErrImagePull|Failed to pull image",
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
    ),
    near_misses=(
        '  Normal  Pulled  12s  kubelet  Successfully pulled image "9b987bd5.azurecr.io/azureml/azureml_54be"',
        '  Normal  Pulling  40s  kubelet  Pulling image "mcr.microsoft.com/azureml/minimal-ubuntu20.04"',
    ),
    confidence=0.86,
    facts=_facts.image,
)


DEPLOYMENT_TIMED_OUT = Entry(
    id="deployment-timed-out",
    family="other",
    title="The deployment timed out and the service is Unhealthy",
    step=None,
    anchors=("DeploymentTimedOut", "state: Unhealthy"),
    pattern=r"DeploymentTimedOut|current service state: Unhealthy",
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


REGIONAL_QUOTA_EXCEEDED = Entry(
    id="regional-quota-exceeded",
    family="other",
    title="The subscription's quota of cores (or container groups) in the region is used up",
    step=3,
    anchors=("QuotaExceeded", "Cores quota", "QuotaReached"),
    pattern=r"QuotaExceeded|exceeding approved .*Cores quota|ContainerGroupQuotaReached",
    explanation=(
        "Creating the nodes or container group would take the subscription over its approved quota "
        "for that VM family or region. Azure refuses until quota is raised or capacity freed."
    ),
    remedies=(
        "Request more quota for that VM family in that region (Azure portal: Subscriptions > Usage + "
        "quotas), or free cores by deleting unused clusters and services.",
        "Deploy with a VM family or region that has free quota.",
    ),
    doc_url="https://learn.microsoft.com/en-us/azure/machine-learning/how-to-manage-quotas",
    examples=(
        "Operation could not be completed as it results in exceeding approved Total Regional Cores "
        "quota. Additional details - Deployment Model: Resource Manager, Location: westeurope, Current "
        "Limit: 10, Current Usage: 8, Additional Required: 4, (Minimum) New Limit Required: 12.",
        "ContainerGroupQuotaReached: Resource type 'Microsoft.ContainerInstance/containerGroups' container "
        "group quota 'StandardCores' exceeded in region 'westeurope'. Limit: '10', Usage: '10' Requested: '1'.",
    ),
    near_misses=(
        "Quota usage for standardDSv2Family in westeurope: 8 of 10 cores",
        "Checking quota before creating aks-cpu ... ok",
    ),
    confidence=0.85,
    facts=_facts.quota,
)
