# ruff: noqa: E501 - example log lines are kept whole, as real logs print them
"""Family ``out-of-memory``: A process is killed for memory: the image build, the container, or its workers.

One module a family (the module is named after it); the guide's own entry, when the family has one, comes
first. Ids, steps and remedies follow "Troubleshooting remote model deployment"; explanations are our own.
"""

from __future__ import annotations

from . import _facts
from ._entry import DOC_REMOTE, DOC_V2, EXAMPLE_GUNICORN, EXAMPLE_TS, Entry

__all__ = ["OUT_OF_MEMORY", "CONTAINER_OOM_KILLED", "MEMORY_ERROR"]


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
    remedies_v2=(
        "Choose an instance_type with more memory (managed), or raise the instance type's memory limit (Kubernetes: PodOutOfMemory).",
        "Load the model once in init(), not per request; lower max_concurrent_requests_per_instance when each request holds a lot of memory.",
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


CONTAINER_OOM_KILLED = Entry(
    id="container-oom-killed",
    family="out-of-memory",
    title="The scoring container was killed for using more memory than its limit (OOMKilled, 137)",
    step=5,
    anchors=("OOMKilled", "SIGKILL", "Exit code", "Exit Code", "exitCode"),
    pattern=r"OOMKilled|Exit [Cc]ode:? {0,8}137\b|exitCode.{1,4}137\b|SIGKILL! Perhaps out of memory",
    explanation=(
        "The container (or a gunicorn worker in it) went over its memory limit and the kernel killed it "
        "with SIGKILL; Kubernetes reports OOMKilled / exit code 137. Loading the model in init(), or a "
        "large request in run(), needs more memory than memory_gb allows, so the pod restarts and may "
        "crash-loop."
    ),
    remedies=(
        "Raise the memory per replica: AksWebservice.deploy_configuration(memory_gb=...) (or "
        "AciWebservice.deploy_configuration(memory_gb=...)); node SKU must have that much free.",
        "Load the model once in init() and avoid copies; cap request batch sizes in run().",
        "Measure the real footprint locally (`amlwizard serve`, then watch the process RSS).",
    ),
    remedies_v2=(
        "Choose an instance_type with more memory (managed), or an instance type with a higher memory limit (Kubernetes).",
        "Load the model once in init() and avoid copies; cap request batch sizes in run(); lower max_concurrent_requests_per_instance when each request holds a lot of memory.",
        "Measure the real footprint locally (`amlwizard serve`, then watch the process RSS).",
    ),
    doc_url=f"{DOC_REMOTE}#other-error-messages",
    examples=(
        "    Last State:     Terminated\n      Reason:       OOMKilled\n      Exit Code:    137",
        f"{EXAMPLE_GUNICORN} [ERROR] Worker (pid:42) was sent SIGKILL! Perhaps out of memory?",
        '{"restartCount":2,"currentState":{"state":"Terminated","exitCode":137,"detailStatus":"Killed"}}',
    ),
    near_misses=(
        f"{EXAMPLE_TS} I [42] azmlinfsrv - scored request 137 in 12 ms",
        "      Exit Code:    1370",
    ),
    confidence=0.9,
    facts=_facts.oom,
)


MEMORY_ERROR = Entry(
    id="memory-error",
    family="out-of-memory",
    title="The process ran out of memory (MemoryError, PodOutOfMemory, CUDA out of memory)",
    step=5,
    anchors=("PodOutOfMemory", "MemoryError", "OutOfMemory", "Not enough memory", "CUDA out of memory"),
    pattern=r"PodOutOfMemory|\bMemoryError\b|OutOfMemoryError|Not enough memory|CUDA out of memory",
    explanation=(
        "A process asked for more memory than it has: loading the model (or a batch of requests) in the "
        "container, or the CLI/SDK itself packaging a large model. On Kubernetes the pod is killed "
        "(PodOutOfMemory); in Python it is a MemoryError; on a GPU, CUDA out of memory."
    ),
    remedies=(
        "Give the service more memory: a bigger instance type (SDK v2), or "
        "deploy_configuration(memory_gb=...) (SDK v1); on a GPU, a GPU with more memory.",
        "Load less: a smaller or quantized model, fewer workers (each worker loads its own copy), "
        "smaller batches per request.",
        "Measure locally: `amlwizard serve score.py` and watch the process's memory while init() runs.",
    ),
    remedies_v2=(
        "Give the deployment more memory: a bigger instance_type; on a GPU, a GPU with more memory.",
        "Load less: a smaller or quantized model, fewer workers (each worker loads its own copy), smaller batches per request.",
        "Measure locally: `amlwizard serve score.py` and watch the process's memory while init() runs.",
    ),
    doc_url=f"{DOC_V2}#error-outofquota",
    examples=(
        # github.com/Azure/MachineLearningNotebooks (az ml model deploy on a big model)
        "{'Azure-cli-ml Version': '1.28.0', 'Error': MemoryError()}",
        # github.com/huggingface/text-generation-inference users on Azure ML endpoints
        '{"timestamp":"2023-10-25T01:50:42.173120Z","level":"ERROR","message":"Server error: Not enough '
        'memory to handle 100 prefill tokens. You need to decrease `--max-batch-prefill-tokens`"}',
    ),
    near_misses=(
        "Memory usage: 1.2 GB of 4 GB",
        "MemoryErrorHandler registered",
    ),
    confidence=0.88,
)
