# ruff: noqa: E501 - example log lines are kept whole, as real logs print them
"""Family ``fpga-quota``: An FPGA deployment without approved FPGA quota.

One module a family (the module is named after it); the guide's own entry, when the family has one, comes
first. Ids, steps and remedies follow "Troubleshooting remote model deployment"; explanations are our own.
"""

from __future__ import annotations

from . import _facts
from ._entry import DOC_REMOTE, Entry

__all__ = ["FPGA_QUOTA"]


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
