# ruff: noqa: E501 - example log lines are kept whole, as real logs print them
"""Family ``http-503``: Callers get 503 Service Unavailable: more requests than ready replicas can take.

One module a family (the module is named after it); the guide's own entry, when the family has one, comes
first. Ids, steps and remedies follow "Troubleshooting remote model deployment"; explanations are our own.
"""

from __future__ import annotations

from . import _facts
from ._entry import DOC_AKS, DOC_REMOTE, DOC_V2, EXAMPLE_TS, Entry

__all__ = ["HTTP_503", "SERVICE_OVERLOADED", "NO_READY_REPLICAS", "TOO_MANY_REQUESTS_429"]


HTTP_503 = Entry(
    id="http-503",
    family="http-503",
    title="HTTP 503: the service had no free replica for the request (traffic spike)",
    step=6,
    anchors=(
        "Code: 503",
        "503 Service Unavailable",
        "503 Server Error",
        "Service Temporarily Unavailable",
        "HTTP",
    ),
    pattern=r"Response Code: 503|503 Service Unavailable|503 Server Error|503 Service Temporarily Unavailable"
    r"|HTTP(/1\.[01]\")? (status code |[Ee]rror |code )?503\b",
    explanation=(
        "AKS answers 503 when every replica is busy. The autoscaler decides to add replicas within about "
        "a second, but creating containers takes much longer, so a sudden spike is refused until they "
        "are ready; it removes replicas only after about a minute. At the default target of 70 % "
        "utilization, 30 % of the replicas' capacity is kept spare (the guide's 'about 30 %'): the load "
        "can grow by up to 1/0.7 - 1 = 43 % before every replica is busy, and a bigger or faster spike "
        "gets 503s until new replicas are ready."
    ),
    remedies=(
        "Raise the standing pool: AksWebservice.deploy_configuration(autoscale_min_replicas=N); "
        "`amlwizard size` computes N for your requests per second and request time.",
        "Lower autoscale_target_utilization (a whole percent: 30 for 30 %): replicas are then added at "
        "lower load - not faster, but earlier.",
        "If the service already runs autoscale_max_replicas replicas, raise autoscale_max_replicas.",
        "As traffic grows, raise autoscale_min_replicas with it: spikes above what the minimum absorbs "
        "bring the 503s back.",
        "Leave replica_max_concurrent_requests at 1, as the SDK advises unless Azure support says "
        "otherwise (a replica given more requests at once only queues them); let clients retry 503s "
        "with back-off.",
    ),
    remedies_v2=(
        "On a managed endpoint this is a 429: more than 2 x max_concurrent_requests_per_instance x instance_count requests in flight.",
        "Raise instance_count (or autoscale rules in Azure Monitor) or request_settings=OnlineRequestSettings(max_concurrent_requests_per_instance=...) when run() can take them; the Size replicas wizard computes both.",
        "Kubernetes: TargetUtilizationScaleSettings(min_instances=..., target_utilization_percentage=...) as for AKS.",
    ),
    doc_url=f"{DOC_REMOTE}#http-status-code-503",
    examples=(
        "Received bad response from service. More information can be found by calling `.get_logs()` "
        "on the webservice object.\nResponse Code: 503\nHeaders: {'Content-Length': '46', 'Server': 'nginx'}",
        "requests.exceptions.HTTPError: 503 Server Error: Service Unavailable for url: "
        "http://20.50.1.7:80/api/v1/service/diabetes-svc/score",
        # github.com/Azure/azureml-examples: a user's sentence
        "I get HTTP status code 503 when I stress test the endpoint",
    ),
    near_misses=(
        '127.0.0.1 - - [25/Nov/2026:09:14:07 +0000] "POST /score HTTP/1.0" 200 503 "-" "python-requests/2.31.0"',
        f"{EXAMPLE_TS} I [15] azmlinfsrv.print - scored 503 rows in 0.12 s",
    ),
    confidence=0.6,
    facts=_facts.http_status,
)


SERVICE_OVERLOADED = Entry(
    id="service-overloaded",
    family="http-503",
    title="AKS refused requests: too many requests for the service (overloaded)",
    step=6,
    anchors=("Too many requests for service",),
    pattern=r"Too many requests for service",
    explanation=(
        "The AKS front end (azureml-fe) had no replica free for the request and no room in the queue: "
        "traffic rose faster than the autoscaler could add containers."
    ),
    remedies=(
        "Raise autoscale_min_replicas so the standing pool absorbs spikes (`amlwizard size` gives N).",
        "Lower autoscale_target_utilization so replicas are added earlier; raise autoscale_max_replicas "
        "if already at the maximum.",
        "Make clients retry 503s with exponential backoff.",
    ),
    remedies_v2=(
        "Managed: raise instance_count (or add Azure Monitor autoscale rules) so the 2 x max_concurrent_requests_per_instance x instance_count ceiling covers the spikes.",
        "Kubernetes: raise TargetUtilizationScaleSettings(min_instances=...), lower target_utilization_percentage so instances come earlier, raise max_instances if already there.",
        "Make clients retry with exponential backoff.",
    ),
    doc_url=f"{DOC_REMOTE}#http-status-code-503",
    examples=(
        "Response Code: 503\nContent: b'Too many requests for service diabetes-svc (overloaded)'",
        '{"error": "Too many requests for service aks-deployment (overloaded)"}',
    ),
    near_misses=(
        "Too many requests in the batch: 5000 rows, max 1000",
        "service diabetes-svc: 4 replicas, utilization 65 %",
    ),
    confidence=0.78,
    facts=_facts.http_status,
)


NO_READY_REPLICAS = Entry(
    id="no-ready-replicas",
    family="http-503",
    title="No ready replicas: every replica is starting, restarting or gone",
    step=6,
    anchors=("No ready replicas",),
    pattern=r"No ready replicas for service",
    explanation=(
        "The front end had no replica that passed its readiness probe. Right after a deployment or a "
        "scale-up this is temporary; if it persists, the replicas are crash-looping or unschedulable."
    ),
    remedies=(
        "Check service.state and get_logs(): crash-looping replicas show a traceback in init().",
        "If replicas are just slow to start, raise autoscale_min_replicas so some are always ready.",
    ),
    remedies_v2=(
        "Check the deployment's state and log: ml_client.online_deployments.get(<deployment>, <endpoint>).provisioning_state and get_logs(...); a crash-looping container shows a traceback in init().",
        "If instances are only slow to start, keep more ready: instance_count (managed) or TargetUtilizationScaleSettings(min_instances=...) (Kubernetes).",
    ),
    doc_url=f"{DOC_AKS}",
    examples=(
        "Response Code: 503\nContent: b'No ready replicas for service churn-svc'",
        "WebserviceException: Received bad response from service: No ready replicas for service diabetes-svc",
    ),
    near_misses=(
        "3/3 replicas ready for service churn-svc",
        "Replicas: 2 desired | 2 updated | 2 total | 2 available | 0 unavailable",
    ),
    confidence=0.62,
    facts=_facts.http_status,
)


TOO_MANY_REQUESTS_429 = Entry(
    id="too-many-requests-429",
    family="http-503",
    title="HTTP 429 Too Many Requests: more requests in flight than the deployment takes",
    step=6,
    anchors=("Too Many Requests", "429 Client Error", "Error 429", "Code: 429"),
    pattern=r"Too Many Requests|429 Client Error|Error 429|Code: 429",
    explanation=(
        "SDK v2's 503. A managed online endpoint answers 429 when more requests are in flight than "
        "2 x max_concurrent_requests_per_instance x instance_count, or when a rate limit is hit. As with "
        "the guide's 503, traffic arrived faster than the replicas (instances) could take it."
    ),
    remedies=(
        "Add instances (instance_count), or let autoscale add them (Azure Monitor autoscale rules for a "
        "managed deployment; scale_settings=TargetUtilizationScaleSettings for a Kubernetes one).",
        "Raise request_settings.max_concurrent_requests_per_instance only if the scoring script really "
        "serves several requests at once (more workers: WORKER_COUNT).",
        "Retry 429s on the client with back-off; smooth bursts.",
    ),
    doc_url=f"{DOC_V2}#http-status-codes",
    examples=(
        # github.com/Azure/azureml-examples (managed online endpoint under load)
        "requests.exceptions.HTTPError: 429 Client Error: Too Many Requests for url: "
        "https://my-endpoint.westeurope.inference.ml.azure.com/score",
        '{"error": {"code": "429", "message": "Too Many Requests"}}',
    ),
    near_misses=(
        "Too many open files in /var/azureml-app",
        "processed 429 requests in 60 s",
    ),
    confidence=0.8,
)
