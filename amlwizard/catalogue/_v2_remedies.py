# ruff: noqa: E501 - one remedy a line reads better than split strings
"""What to do, in SDK v2 / CLI v2 terms, when a v1-worded finding is found on an online deployment.

Most entries were written from the v1 guide: their remedies name ``Webservice``, ``AksWebservice`` and
``az ml service``. On an SDK v2 deployment (the diagnosis is told ``sdk: v2``) the same failure is fixed
with the v2 client, so the finding shows these instead (the reference's v1 -> v2 mapping). Entries written
for v2 (their doc is the online-endpoint troubleshooting page) keep their own remedies.
"""

from __future__ import annotations

__all__ = ["V2_REMEDIES"]

_LOGS = (
    "Read the container's log: ml_client.online_deployments.get_logs(name=<deployment>, endpoint_name=<endpoint>, "
    "lines=200) or `az ml online-deployment get-logs -e <endpoint> -n <deployment> -l 200`"
)
_LOCAL = (
    "Reproduce locally: run score.py in the Azure ML inference server with the model laid out as the container "
    "has it (`amlwizard serve score.py --model-dir <folder>`, or the Deploy locally wizard)"
)

V2_REMEDIES: dict[str, tuple[str, ...]] = {
    "schedule-insufficient-resources": (
        "Managed: request quota for the instance type's VM family in the region (Azure ML studio > Quota); quota must cover ceil(1.2 x instance_count) x cores, the 20 % kept for upgrades",
        "Or ask for less: a smaller instance_type, or a lower instance_count in ManagedOnlineDeployment(...)",
        "Kubernetes: the pod's requests (instance type's resources) must fit a node: PodUnschedulable names what is short; add nodes or lower the requests",
    ),
    "service-launch-crashloop": (
        _LOGS + "; the traceback after init() names the cause",
        _LOCAL + ", and fix init()",
        "A slow init() (a big model) needs time: liveness_probe=ProbeSettings(initial_delay=..., failure_threshold=...) and the same for the readiness probe",
    ),
    "model-path-not-found": (
        "Read the model files under os.environ['AZUREML_MODEL_DIR'] (/var/azureml-app/azureml-models/<name>/<version>): Model.get_model_path is SDK v1 only",
        "Keep the registered folder's nesting in the path: os.path.join(os.environ['AZUREML_MODEL_DIR'], '<folder>', 'model.pkl') (the Inspect model path wizard shows the layout)",
        "A model that does not download: read the storage-initializer log (get_logs(..., container_type='storage-initializer')) and check the deployment's identity can read the model's storage",
    ),
    "run-failure": (
        "A managed endpoint answers 424 when run() fails; the ms-azureml-model-error-statuscode and -reason headers carry the model's own answer",
        _LOGS + "; the traceback after the request names the line of run()",
        _LOCAL + " and send the failing request to it",
    ),
    "http-502": (
        "On a managed endpoint this is a 424: run() raised or answered non-200; read the ms-azureml-model-error-* headers and the inference-server log",
        _LOCAL + " and send the failing request to it",
    ),
    "http-503": (
        "On a managed endpoint this is a 429: more than 2 x max_concurrent_requests_per_instance x instance_count requests in flight",
        "Raise instance_count (or autoscale rules in Azure Monitor) or request_settings=OnlineRequestSettings(max_concurrent_requests_per_instance=...) when run() can take them; the Size replicas wizard computes both",
        "Kubernetes: TargetUtilizationScaleSettings(min_instances=..., target_utilization_percentage=...) as for AKS",
    ),
    "http-504": (
        "On a managed endpoint this is a 408: run() took longer than request_timeout_ms (default 5000, at most 180000)",
        "Raise request_settings=OnlineRequestSettings(request_timeout_ms=...) above run()'s slowest time, or make run() faster",
    ),
    "image-build-failure": (
        "Read the build log the ImageBuildFailure message links to (/azureml/ImageLogs/<id>/build.log in the workspace's storage)",
        "Check the environment: Environment(image=..., conda_file=...) must build; pin versions that exist, and give the build compute access to the registry in a private network",
    ),
    "out-of-memory": (
        "Choose an instance_type with more memory (managed), or raise the instance type's memory limit (Kubernetes: PodOutOfMemory)",
        "Load the model once in init(), not per request; lower max_concurrent_requests_per_instance when each request holds a lot of memory",
    ),
    "auth-or-workspace": (
        "Call the endpoint with its key or token: ml_client.online_endpoints.get_keys(<endpoint>) (auth_mode key) or get a token (aml_token); send it as 'Authorization: Bearer <key>'",
        "Check the names: ml_client.online_endpoints.list() and ml_client.online_deployments.list(<endpoint>); and your role on the workspace (AzureML Data Scientist)",
    ),
}
