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
    anchors=("FPGA", "PBSFamily", "Insufficient microsoft.com/fpga"),
    pattern=r"FPGA.{0,200}([Qq]uota|not approved|[Ff]ail)|[Qq]uota.{0,200}FPGA|standardPBSFamily.{0,200}quota"
    r"|Insufficient microsoft\.com/fpga|FPGADriverAPI",
    explanation=(
        "Models can only be deployed to FPGAs (Azure ML hardware-accelerated models) once FPGA quota has "
        "been requested for the subscription and approved; without it every FPGA deployment fails."
    ),
    remedies=(
        "Request FPGA quota with the form at https://aka.ms/aml-real-time-ai and wait for approval.",
        "Meanwhile deploy the model to CPU or GPU nodes (AksWebservice without FPGA).",
    ),
    remedies_v2=(
        "FPGA deployment is an SDK v1 (AKS) feature that online endpoints do not have: deploy the model to a CPU or GPU instance type.",
    ),
    doc_url=f"{DOC_REMOTE}#other-error-messages",
    examples=(
        # github.com/Azure/MachineLearningNotebooks/issues/832: the AKS cluster has no FPGA nodes (no quota)
        '{\n  "code": "KubernetesError",\n  "statusCode": 400,\n  "message": "Kubernetes Deployment Error",\n'
        '  "details": [\n    {\n      "code": "Unschedulable",\n      "message": "0/1 nodes are available: 1 '
        'Insufficient microsoft.com/fpga_catapult."\n    }\n  ]\n}',
        # github.com/MicrosoftDocs/azure-docs/issues/43113: an FPGA image on a VM without FPGA access
        "1574066908753305382,08:48:28:753,151,0,../src/linux/FPGADriverAPI_l.cpp,257,"
        "HW_get_fpga_device_interface_list: cannot find/sys/class/catapult directory - check that catapult "
        "LKM is loaded",
        # github.com/MicrosoftDocs/azure-docs/issues/57734 (a user's sentence)
        "In the first step, I submitted the questionnaire to request FPGA quotas on my subscription.",
    ),
    near_misses=(
        "Converting model resnet50 to FPGA-ready format (Brainwave) ... done",
        "Quota check passed for Standard_DS3_v2 in eastus",
    ),
    confidence=0.91,  # above the guide's scheduling entry: FPGA nodes are a quota question
    facts=_facts.quota,
)
