# ruff: noqa: E501 - example log lines are kept whole, as real logs print them
"""Failures beyond the guide before the container runs: placing it on a node and pulling its image.

Scheduling refinements belong to schedule-insufficient-resources; image pull and timeouts are ``other``.
"""

from __future__ import annotations

from . import _facts
from ._entry import DOC_ACI, DOC_AKS, DOC_REMOTE, Entry

__all__ = [
    "POD_UNSCHEDULABLE",
    "AKS_INSUFFICIENT_COMPUTE",
    "ACI_RESOURCES_UNAVAILABLE",
    "IMAGE_PULL_FAILURE",
    "DEPLOYMENT_TIMED_OUT",
]

POD_UNSCHEDULABLE = Entry(
    id="pod-unschedulable",
    family="schedule-insufficient-resources",
    title="Kubernetes marked the service's pod Unschedulable",
    step=3,
    anchors=("Unschedulable", "FailedScheduling"),
    pattern=r"Unschedulable|FailedScheduling",
    explanation=(
        "The scheduler found no node that may run the pod. Besides missing CPU, memory or GPU, the "
        "reason can be node taints, a node selector no node matches, or a full node pool."
    ),
    remedies=(
        "Read the reason after 'nodes are available:' (kubectl describe pod, or the deployment error).",
        "Scale the node pool or change the node SKU; check taints and node selectors of the cluster.",
        "Lower the replica's requests: AksWebservice.deploy_configuration(cpu_cores=..., memory_gb=...).",
    ),
    doc_url=f"{DOC_REMOTE}#container-cannot-be-scheduled",
    examples=(
        "  Warning  FailedScheduling  2m  default-scheduler  0/2 nodes are available: 2 node(s) had "
        "untolerated taint {sku: gpu}.",
        "  Type           Status\n  PodScheduled   False\n  Reason:        Unschedulable",
    ),
    near_misses=(
        "  Normal  Scheduled  12s  default-scheduler  Successfully assigned azureml/churn-svc-5d8f to aks-np-1",
        "  PodScheduled   True",
    ),
    confidence=0.72,
    facts=_facts.scheduling,
)


AKS_INSUFFICIENT_COMPUTE = Entry(
    id="aks-insufficient-compute",
    family="schedule-insufficient-resources",
    title="The AKS target cannot fit the requested replicas (insufficient compute resource)",
    step=3,
    anchors=("Deployment request failed due to insufficient", "Insufficient compute resource"),
    pattern=r"Deployment request failed due to insufficient compute resources?|Insufficient compute resources?",
    explanation=(
        "Before deploying, Azure ML checked the cluster's free capacity: the replicas with the CPU and "
        "memory you asked for do not fit. Redeploying an existing service needs room for the new "
        "replicas while the old ones still run."
    ),
    remedies=(
        "Ask for less per replica: AksWebservice.deploy_configuration(cpu_cores=..., memory_gb=...), "
        "or fewer replicas (num_replicas / autoscale_min_replicas).",
        "Add nodes or use a larger node SKU; delete unused services on the cluster.",
    ),
    doc_url=f"{DOC_AKS}",
    examples=(
        "Message: Deployment request failed due to insufficient compute resource. For the specified "
        "compute target, 1 replica cannot be created per specified CPU/Memory configuration(1 CPU "
        "Cores, 2GB Memory). You can address this problem by adjusting number of replicas",
        '"message": "Insufficient compute resources on target aks-gpu to create 2 replicas"',
    ),
    near_misses=(
        "Checking compute resources for target aks-cpu: 3 nodes, 12 cores free",
        "Insufficient permissions to list compute resources",
    ),
    confidence=0.88,
    facts=_facts.insufficient_compute,
)


ACI_RESOURCES_UNAVAILABLE = Entry(
    id="aci-resources-unavailable",
    family="schedule-insufficient-resources",
    title="ACI cannot provide the requested CPU/memory (over the limit or unavailable in the region)",
    step=3,
    anchors=("ServiceUnavailable", "ResourceRequestsNotSupported", "ContainerGroupResourceRequest"),
    pattern=r"ServiceUnavailable: The requested resource|ResourceRequestsNotSupported|InvalidContainerGroupResourceRequest",
    explanation=(
        "Azure Container Instances has a per-container-group ceiling on CPU and memory that depends on "
        "the region, and capacity varies. The service asked for more cores or GB than ACI can give there."
    ),
    remedies=(
        "Ask for less: AciWebservice.deploy_configuration(cpu_cores=..., memory_gb=...) within the "
        "region's ACI limits (commonly 4 cores / 16 GB).",
        "Deploy to another region, or to AKS for bigger replicas.",
    ),
    doc_url=f"{DOC_ACI}",
    examples=(
        "ServiceUnavailable: The requested resource is not available in the location 'westeurope' at "
        "this moment. Please retry with a different resource request or in another location. Resource "
        "requested: '8' CPU '32' GB memory 'Linux' OS",
        '"code": "InvalidContainerGroupResourceRequest", "message": "The container group requests 6 '
        'CPU and 24 GB memory, which exceeds the allowed limit."',
    ),
    near_misses=(
        "The requested resource group 'ml-rg' was created in westeurope",
        "ACI container group credit-svc: 1 CPU, 1.5 GB memory, state Running",
    ),
    confidence=0.86,
    facts=_facts.insufficient_compute,
)


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
