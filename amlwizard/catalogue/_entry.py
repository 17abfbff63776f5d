"""The shape of one catalogue entry: a named failure, how to recognise it, what to do about it.

Entries are data; an entry that must pull facts out of its lines names a small function in
``_facts``. The diagnosis engine (``amlwizard.diagnosis``) is what runs them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .._finding import DEPLOYMENT_STEPS, FAMILIES

__all__ = [
    "Entry",
    "FactExtractor",
    "DOC_REMOTE",
    "DOC_LOCAL",
    "DOC_AKS",
    "DOC_ACI",
    "DOC_V2",
    "DOC_ROLES",
    "DOC_AUTH",
    "DOC_CONSUME",
    "DOC_WORKSPACE",
    "EXAMPLE_TS",
    "EXAMPLE_ACR_TS",
    "EXAMPLE_GUNICORN",
]

# A fact extractor reads the matched line (and, for entries with ``lines_after``, the lines
# after it) and returns what it understood: {"resource": "nvidia.com/gpu", "nodes_total": 3}.
FactExtractor = Callable[[list[str]], dict[str, Any]]

_V1 = "https://learn.microsoft.com/en-us/azure/machine-learning/v1"
DOC_REMOTE = f"{_V1}/how-to-troubleshoot-deployment?view=azureml-api-1"
DOC_LOCAL = f"{_V1}/how-to-troubleshoot-deployment-local?view=azureml-api-1"
DOC_AKS = f"{_V1}/how-to-deploy-azure-kubernetes-service?view=azureml-api-1"
DOC_ACI = f"{_V1}/how-to-deploy-azure-container-instance?view=azureml-api-1"
# SDK v2 / CLI v2: managed and Kubernetes online endpoints
DOC_V2 = "https://learn.microsoft.com/en-us/azure/machine-learning/how-to-troubleshoot-online-endpoints?view=azureml-api-2"
DOC_ROLES = "https://learn.microsoft.com/en-us/azure/machine-learning/how-to-assign-roles"
DOC_AUTH = "https://learn.microsoft.com/en-us/azure/machine-learning/v1/how-to-setup-authentication?view=azureml-api-1"
DOC_CONSUME = "https://learn.microsoft.com/en-us/azure/machine-learning/v1/how-to-consume-web-service?view=azureml-api-1"
DOC_WORKSPACE = (
    "https://learn.microsoft.com/en-us/azure/machine-learning/v1/how-to-manage-workspace?view=azureml-api-1"
)
# Timestamps and prefixes the example lines carry, in the formats the real logs print
# Phrases several entries' SDK v2 remedies share (``remedies_v2``)
V2_LOGS = (
    "Read the container's log: ml_client.online_deployments.get_logs(name=<deployment>, "
    "endpoint_name=<endpoint>, lines=200) or `az ml online-deployment get-logs -e <endpoint> -n <deployment> "
    "-l 200`"
)
V2_LOCAL = (
    "Reproduce locally: run score.py in the Azure ML inference server with the model laid out as the "
    "container has it (`amlwizard serve score.py --model-dir <folder>`, or the Deploy locally wizard)"
)
V2_MORE_MEMORY = (
    "a bigger instance_type (managed), or an instance type with a higher memory limit (Kubernetes)"
)

EXAMPLE_TS = "2026-11-25 09:14:07,412"
EXAMPLE_ACR_TS = "2026/11/25 09:14:07"
EXAMPLE_GUNICORN = "[2026-11-25 09:14:07 +0000] [1]"


@dataclass(frozen=True)
class Entry:
    """One failure the engine can name.

    ``anchors`` are literal, case-sensitive strings: a line is only tested against ``pattern``
    when it contains one of them (that is what makes scanning a 1 GB log fast). ``pattern`` is
    written in the subset shared by Python ``re`` and ``grep -E`` (no ``(?...)``, no ``\\d``), so
    the benchmark can hand grep exactly the same patterns. ``confidence`` ranks findings: root
    causes score higher than the symptoms they produce. ``min_hits`` is how many matching lines
    it takes (a single ``Booting worker`` is normal; ten are not). ``examples`` must be found,
    ``near_misses`` must not: one parametrized test checks every entry against them.
    """

    id: str
    family: str
    title: str
    step: int | None
    anchors: tuple[str, ...]
    pattern: str
    explanation: str
    remedies: tuple[str, ...]
    doc_url: str
    examples: tuple[str, ...]
    near_misses: tuple[str, ...]
    confidence: float
    facts: FactExtractor | None = None
    lines_after: int = 0
    min_hits: int = 1
    # Where it can happen: compute types ("ACI", "AKS", "Managed", "Kubernetes", "Local") and/or SDKs
    # ("v1", "v2"); none of a kind: any of that kind. A diagnosis told the context (compute type, SDK)
    # ranks an entry that cannot happen there below the others.
    applies_to: tuple[str, ...] = ()
    # What to do on an SDK v2 online deployment where ``remedies`` name SDK v1 APIs (Webservice,
    # deploy_configuration, get_model_path, ...); empty when ``remedies`` fit both SDKs.
    remedies_v2: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.family not in FAMILIES:
            raise ValueError(f"{self.id}: unknown family {self.family!r}")
        if self.step is not None and not 1 <= self.step <= len(DEPLOYMENT_STEPS):
            raise ValueError(f"{self.id}: step must be 1..{len(DEPLOYMENT_STEPS)} or None")

    @cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.pattern)
