# ruff: noqa: E501 - one title a line reads better than split strings
"""What the catalogue says of a whole family: the title, step, explanation and remedies of a tier-2 finding.

A tier-2 finding names a family, not one failure. The guide's ten families take the explanation and
remedies of the guide's own entry; the two families beyond the guide have theirs here.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._entry import DOC_AUTH, DOC_REMOTE, Entry

__all__ = ["FamilyInfo", "family_info"]

# A plain title a family finding shows (it says "looks like": nothing exact matched)
_TITLES = {
    "schedule-insufficient-resources": "Looks like the service cannot be placed: not enough quota, nodes or capacity",
    "service-launch-crashloop": "Looks like the container crashes while starting (init() or the server around it)",
    "model-path-not-found": "Looks like the model files are not where the scoring script looks",
    "run-failure": "Looks like run() of the scoring script fails on a request",
    "http-502": "Looks like run() fails behind the endpoint: HTTP 502 (424 on managed endpoints)",
    "http-503": "Looks like more requests than ready replicas can take: HTTP 503 (429 on managed endpoints)",
    "http-504": "Looks like requests take longer than the scoring timeout: HTTP 504 (408 on managed endpoints)",
    "image-build-failure": "Looks like the environment's Docker image does not build",
    "out-of-memory": "Looks like a process is killed for memory",
    "fpga-quota": "Looks like an FPGA deployment without FPGA quota",
    "auth-or-workspace": "Looks like an identity, key or permission problem, or something that does not exist",
    "other": "Looks like a deployment failure outside the guide's families",
}


@dataclass(frozen=True)
class FamilyInfo:
    family: str
    title: str
    step: int | None
    explanation: str
    remedies: tuple[str, ...]
    doc_url: str
    remedies_v2: tuple[str, ...] = ()  # on an SDK v2 deployment, when ``remedies`` name SDK v1 APIs


_BEYOND = {
    "auth-or-workspace": FamilyInfo(
        "auth-or-workspace",
        _TITLES["auth-or-workspace"],
        None,
        "Nothing is wrong with the model or its code: a key, token or identity was refused (401/403), an "
        "identity lacks a role (on the workspace, its storage, its registry or key vault), or the "
        "workspace, endpoint, deployment, model or compute named does not exist where it was looked for.",
        (
            "Scoring call: send the key (`Authorization: Bearer <key>`) from service.get_keys() / "
            "ml_client.online_endpoints.get_keys(...).",
            "Workspace call: check the subscription, resource group and names in config.json; ask the "
            "owner for the AzureML Data Scientist role, then sign in again.",
            "Managed identity (endpoint, cluster): give it AcrPull on the registry and Storage Blob Data "
            "Reader on the workspace storage.",
        ),
        DOC_AUTH,
        (
            "Call the endpoint with its key or token: ml_client.online_endpoints.get_keys(<endpoint>) (auth_mode key) or get a token (aml_token); send it as 'Authorization: Bearer <key>'.",
            "Check the names: ml_client.online_endpoints.list() and ml_client.online_deployments.list(<endpoint>); and your role on the workspace (AzureML Data Scientist).",
        ),
    ),
    "other": FamilyInfo(
        "other",
        _TITLES["other"],
        None,
        "The failure is real but belongs to none of the guide's families: the service side failed (500), "
        "a name is taken or an operation is already running (409), the deployment specification is "
        "invalid, or the connection could not be made at all.",
        (
            "Read the deployment's logs and the whole error payload (service.get_logs(), "
            "ml_client.online_deployments.get_logs(...)): the first error in them usually names it.",
            "Retry once for a 500 or an operation in progress; if it persists, open a support ticket "
            "with the request id and `amlwizard` report.",
            "Check the deployment configuration against the schema (names unique in the region, "
            "instance type available, valid settings).",
        ),
        f"{DOC_REMOTE}#get-deployment-logs",
        (
            "Read the deployment's logs and the whole error (ml_client.online_deployments.get_logs(...), and "
            "the create/update error amlwizard.capture kept): the first error in them usually names it.",
            "Retry once for a 500 or an operation in progress; if it persists, open a support ticket "
            "with the request id and `amlwizard` report.",
            "Check the deployment's YAML or ManagedOnlineDeployment(...) against its schema (names unique "
            "in the region, instance type available, valid settings).",
        ),
    ),
}


def family_info(family: str, lead: Entry | None) -> FamilyInfo:
    """The family's title, step, explanation and remedies; ``lead`` is its guide entry (same id), if any."""
    if family in _BEYOND or lead is None:
        return _BEYOND.get(family, _BEYOND["other"])
    return FamilyInfo(
        family, _TITLES[family], lead.step, lead.explanation, lead.remedies, lead.doc_url, lead.remedies_v2
    )
