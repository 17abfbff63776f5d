# ruff: noqa: E501 - example log lines are kept whole, as real logs print them
"""Failures beyond the guide before the container runs: dependency resolution and quota.

Conda and pip resolution errors refine image-build-failure; regional core quota is its own entry.
"""

from __future__ import annotations

from . import _facts
from ._entry import DOC_REMOTE, Entry

__all__ = ["CONDA_RESOLVE_FAILURE", "PIP_NO_MATCHING_VERSION", "REGIONAL_QUOTA_EXCEEDED"]

_ACR = "2026/11/25 09:14:07"

CONDA_RESOLVE_FAILURE = Entry(
    id="conda-resolve-failure",
    family="image-build-failure",
    title="Conda could not resolve the environment's packages during the image build",
    step=2,
    anchors=("ResolvePackageNotFound", "UnsatisfiableError", "PackagesNotFoundError"),
    pattern=r"ResolvePackageNotFound|UnsatisfiableError|PackagesNotFoundError",
    explanation=(
        "While building the image, conda could not find some packages of the conda file, or found no "
        "set of versions that satisfies all the pins together. The lines after the error list the "
        "packages: usually a version that does not exist on the channel for this Python, or a "
        "platform-specific build string copied from `conda env export`."
    ),
    remedies=(
        "Fix the listed packages in the conda file: remove build strings (=py38h1234_0), pin only "
        "versions that exist on the channels you list (conda search <pkg>).",
        "Move pure-Python packages to the pip section; keep the conda section small.",
        "Rebuild locally to check: conda env create -f conda.yml (or env.build_local(ws)).",
    ),
    doc_url=f"{DOC_REMOTE}#other-error-messages",
    examples=(
        f"{_ACR} Collecting package metadata (repodata.json): ...working... done\n"
        "Solving environment: ...working... failed\n\nResolvePackageNotFound: \n"
        "  - scikit-learn==0.19.9\n  - python==3.6.2.1\n",
        "UnsatisfiableError: The following specifications were found to be incompatible with each other:",
    ),
    near_misses=(
        "Solving environment: ...working... done",
        "## Package Plan ##\n  environment location: /azureml-envs/azureml_5f3c",
    ),
    confidence=0.9,
    facts=_facts.conda_packages,
    lines_after=12,
)

PIP_NO_MATCHING_VERSION = Entry(
    id="pip-no-matching-version",
    family="image-build-failure",
    title="pip found no version of a package that satisfies the requirement",
    step=2,
    anchors=("Could not find a version that satisfies", "No matching distribution found for"),
    pattern=r"Could not find a version that satisfies the requirement|No matching distribution found for",
    explanation=(
        "pip, installing the pip section of the conda file during the image build, found no release of "
        "a package matching the pin for this Python version and platform (or the name is misspelt, or "
        "the package index is not reachable from the build)."
    ),
    remedies=(
        "Check the name and the pinned version on PyPI for the environment's Python version; pin one "
        "that exists (pip index versions <pkg>).",
        "If the package comes from a private feed, add its --extra-index-url to the pip section.",
    ),
    doc_url=f"{DOC_REMOTE}#other-error-messages",
    examples=(
        "ERROR: Could not find a version that satisfies the requirement sanic~=21.6.0 (from "
        "azureml-inference-server-http~=0.4.1->azureml-defaults) (from versions: 0.1.0, 20.12.3)",
        "ERROR: No matching distribution found for dotnetcore2>=2.1.9",
    ),
    near_misses=(
        "Requirement already satisfied: numpy>=1.23 in /azureml-envs/azureml_5f3c/lib/python3.8/site-packages",
        "Successfully installed azureml-defaults-1.61.0",
    ),
    confidence=0.9,
    facts=_facts.pip_requirement,
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
