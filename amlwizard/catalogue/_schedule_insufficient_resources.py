# ruff: noqa: E501 - example log lines are kept whole, as real logs print them
"""Family ``schedule-insufficient-resources``: The service cannot be placed: no AKS node, or no capacity or quota in the region, has what it asks for.

One module a family (the module is named after it); the guide's own entry, when the family has one, comes
first. Ids, steps and remedies follow "Troubleshooting remote model deployment"; explanations are our own.
"""

from __future__ import annotations

from . import _facts
from ._entry import DOC_ACI, DOC_AKS, DOC_REMOTE, DOC_V2, Entry

__all__ = [
    "SCHEDULE_INSUFFICIENT_RESOURCES",
    "POD_UNSCHEDULABLE",
    "AKS_INSUFFICIENT_COMPUTE",
    "ACI_RESOURCES_UNAVAILABLE",
    "OUT_OF_QUOTA",
]


SCHEDULE_INSUFFICIENT_RESOURCES = Entry(
    id="schedule-insufficient-resources",
    family="schedule-insufficient-resources",
    title="AKS could not schedule the service: no node has the resources it requests",
    step=3,
    anchors=("Couldn", "Insufficient"),
    pattern=r"Couldn.t Schedule because the kubernetes cluster didn.t have available resources"
    r"|[0-9]{1,6}/[0-9]{1,6} nodes are available: [0-9]{1,6} Insufficient [a-z]",
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
    remedies_v2=(
        "Managed: request quota for the instance type's VM family in the region (Azure ML studio > Quota); quota must cover ceil(1.2 x instance_count) x cores, the 20 % kept for upgrades.",
        "Or ask for less: a smaller instance_type, or a lower instance_count in ManagedOnlineDeployment(...).",
        "Kubernetes: the pod's requests (the instance type's resources) must fit a node: PodUnschedulable names what is short; add nodes or lower the requests.",
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


POD_UNSCHEDULABLE = Entry(
    id="pod-unschedulable",
    family="schedule-insufficient-resources",
    title="Kubernetes marked the service's pod Unschedulable",
    step=3,
    anchors=(
        "Unschedulable",
        "FailedScheduling",
        "Too many pods",
        "Pod's node affinity",
        "Insufficient healthy node",
        "didn't match pod affinity",
        "that the pod didn't tolerate",
    ),
    pattern=r"Unschedulable|FailedScheduling|Too many pods|Pod's node affinity|Insufficient healthy node"
    r"|node\(s\) didn't match pod affinity|node\(s\) had taints that the pod didn't tolerate",
    explanation=(
        "The scheduler found no node that may run the pod. Besides missing CPU, memory or GPU, the "
        "reason can be node taints, a node selector no node matches, or a full node pool."
    ),
    remedies=(
        "Read the reason after 'nodes are available:' (kubectl describe pod, or the deployment error).",
        "Scale the node pool or change the node SKU; check taints and node selectors of the cluster.",
        "Lower the replica's requests: AksWebservice.deploy_configuration(cpu_cores=..., memory_gb=...).",
    ),
    remedies_v2=(
        "Read the reason after 'nodes are available:' (the deployment's error, or kubectl describe pod in the endpoint's namespace).",
        "Scale the cluster's node pool or use a bigger node SKU; check the instance type's node selector and the nodes' taints.",
        "Lower the pod's requests: a smaller instance type (its resources) in KubernetesOnlineDeployment(instance_type=...).",
    ),
    doc_url=f"{DOC_REMOTE}#container-cannot-be-scheduled",
    examples=(
        "  Warning  FailedScheduling  2m  default-scheduler  0/2 nodes are available: 2 node(s) had "
        "untolerated taint {sku: gpu}.",
        "  Type           Status\n  PodScheduled   False\n  Reason:        Unschedulable",
        # github.com/Azure/AML-Kubernetes (Kubernetes online endpoint on an attached cluster)
        "0/3 nodes are available: 1 Too many pods, 2 node(s) didn't match Pod's node affinity/selector.",
        "`Status: Failed Name: clusterresource ErrorCode: E40002 ErrorMessage: Insufficient healthy node`",
        # github.com/MicrosoftDocs/azure-docs (attaching an AKS cluster whose nodes the system pods cannot use)
        " 1 node(s) didn't match pod affinity/anti-affinity, 1 node(s) didn't satisfy existing pods anti-affinity "
        "rules, 2 node(s) had taints that the pod didn't tolerate.'\"",
    ),
    near_misses=(
        "  Normal  Scheduled  12s  default-scheduler  Successfully assigned azureml/churn-svc-5d8f to aks-np-1",
        "  PodScheduled   True",
    ),
    confidence=0.72,
    facts=_facts.scheduling,
    applies_to=("AKS", "Kubernetes"),
)


AKS_INSUFFICIENT_COMPUTE = Entry(
    id="aks-insufficient-compute",
    family="schedule-insufficient-resources",
    title="The AKS target cannot fit the requested replicas (insufficient compute resource)",
    step=3,
    anchors=(
        "Deployment request failed due to insufficient",
        "Insufficient compute resource",
        "Cluster should have at least",
        "At least ",
    ),
    pattern=r"Deployment request failed due to insufficient compute resources?|Insufficient compute resources?"
    r"|Cluster should have at least [0-9]{1,4} cores|At least [0-9]{1,3} machine\(s\) are required for cluster",
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
        # github.com/MicrosoftDocs/azure-docs (az ml computetarget attach aks on a small node pool)
        "Error  No.1 : Agent coresCluster should have at least 12 cores to operate.",
        "Eorr No2 : At least 3 machine(s) are required for cluster with purpose 'FastProd'. Available machine(s) : 2",
    ),
    near_misses=(
        '"message": "At least one resource deployment operation failed. Please list deployment operations for '
        'details."',
        "Checking compute resources for target aks-cpu: 3 nodes, 12 cores free",
        "Insufficient permissions to list compute resources",
    ),
    confidence=0.88,
    facts=_facts.insufficient_compute,
    applies_to=("AKS",),
)


ACI_RESOURCES_UNAVAILABLE = Entry(
    id="aci-resources-unavailable",
    family="schedule-insufficient-resources",
    title="ACI cannot provide the requested CPU/memory (over the limit or unavailable in the region)",
    step=3,
    anchors=(
        "ServiceUnavailable",
        "ResourceRequestsNotSupported",
        "ContainerGroupResourceRequest",
        "Resource requested: ",
    ),
    pattern=r"ServiceUnavailable: The requested resource|ResourceRequestsNotSupported"
    r"|InvalidContainerGroupResourceRequest|Resource requested: .{0,200}exceeded resource limitation",
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
        # github.com/MicrosoftDocs/azure-docs (an ACI deployment asking for more than a container gets)
        "Message: Resource requested: '2.2' CPU '3' GB memory (including additional CPU and memory overhead "
        "for necessary Azure Machine Learning services) exceeded resource limitation on container. Please "
        "specify lower CPU and memory settings for the container.",
    ),
    near_misses=(
        "The requested resource group 'ml-rg' was created in westeurope",
        "ACI container group credit-svc: 1 CPU, 1.5 GB memory, state Running",
    ),
    confidence=0.86,
    facts=_facts.insufficient_compute,
    applies_to=("ACI",),
)


OUT_OF_QUOTA = Entry(
    id="out-of-quota",
    family="schedule-insufficient-resources",
    title="Not enough quota: the subscription's cores, VM size, endpoints or container groups are used up",
    step=3,
    anchors=(
        "OutOfQuota",
        "Not enough quota",
        "You do not have enough quota",
        "QuotaExceeded",
        "Quota reached",
        "CoreQuota",
        "Cores quota",
        "QuotaReached",
    ),
    pattern=r"OutOfQuota|Not enough quota|You do not have enough quota|QuotaExceeded|Quota reached"
    r"|ExceedsCoreQuota|exceeding approved [A-Za-z ]{0,40}Cores quota|ContainerGroupQuotaReached",
    explanation=(
        "Creating the instances, nodes or container group would take the subscription over its approved "
        "quota for that VM family, that region, or the number of endpoints. Azure refuses until quota is "
        "raised or freed. Managed online endpoints also keep 20 % of an instance type's cores in reserve "
        "for upgrades: quota must cover ceil(1.2 x instances) x cores, so 3 instances of a 4-core VM need 16, "
        "not 12."
    ),
    remedies=(
        "Request more quota for that VM family in that region (Azure portal: Subscriptions > Usage + quotas; "
        "for online endpoints, Azure ML studio > Quota), counting the 20 % reserve of managed endpoints.",
        "Free quota: delete unused endpoints, deployments, clusters and compute instances.",
        "Deploy with a VM size or a region that has free quota, or fewer instances.",
    ),
    doc_url=f"{DOC_V2}#error-outofquota",
    examples=(
        # github.com/Azure/azureml-examples (v2 deployment) and github.com/MicrosoftDocs/azure-docs (v1 AKS)
        "Code: InferencingClientCreateDeploymentFailed Message: InferencingClient HttpRequest error, error "
        'detail: {"errors":{"VmSize":["Not enough quota available for Standard_DS3_v2 in SubscriptionId '
        "fe0c79f9-9d6e-43fc-8d3f-d9e79d40ea49. Current usage/limit: 0/6. Additional needed: 8 Please "
        'reduce the sku count or request a quota increase."]}}',
        "Operation could not be completed as it results in exceeding approved Total Regional Cores "
        "quota. Additional details - Deployment Model: Resource Manager, Location: westeurope, Current "
        "Limit: 10, Current Usage: 7, Additional Required: 12, (Minimum) New Limit Required: 19.",
        'HttpResponseError: (InferencingClientCallFailed) "Endpoint Quota reached for subscription ***.'
        'Current usage/limit: 300/300.Please clean up existing endpoints and try again"',
    ),
    near_misses=(
        "Quota usage for standardDSv2Family in westeurope: 8 of 10 cores",
        "Checking quota before creating aks-cpu ... ok",
    ),
    confidence=0.88,
    facts=_facts.quota,
)
