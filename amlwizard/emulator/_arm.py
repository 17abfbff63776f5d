"""The Azure Resource Manager side of the emulator: cloud metadata, subscriptions, the workspace, discovery,
and a managed-identity token endpoint (it gives tokens only to whoever sends the emulator's MSI secret).
"""

from __future__ import annotations

import time
from typing import Any

from ..scenarios import WORKSPACE
from ._data import WorkspaceData
from ._http import Reply, Request, json_reply

__all__ = ["cloud_metadata", "same_workspace", "workspace_missing", "ARM_HANDLERS"]


def cloud_metadata(base_url: str, name: str = "AzureCloud") -> list[dict[str, Any]]:
    """The ARM cloud metadata document, pointing every endpoint the SDK uses at the emulator."""
    return [
        {
            "name": name,
            "portal": base_url + "/portal",
            "resourceManager": base_url + "/",
            "authentication": {
                "loginEndpoint": base_url + "/login",
                "audiences": [base_url + "/", base_url + "/arm"],
                "tenant": "common",
                "identityProvider": "AAD",
            },
            "gallery": base_url + "/gallery",
            "graphAudience": base_url + "/graph",
            "suffixes": {
                "storage": "core.windows.net",
                "keyVaultDns": "vault.azure.net",
                "acrLoginServer": "azurecr.io",
            },
        }
    ]


def same_workspace(g: dict[str, str]) -> bool:
    return (g["sub"], g["rg"].lower(), g["ws"].lower()) == (
        WORKSPACE["subscription_id"],
        WORKSPACE["resource_group"].lower(),
        WORKSPACE["workspace_name"].lower(),
    )


def workspace_missing(g: dict[str, str], route: str) -> Reply:
    if g["sub"] != WORKSPACE["subscription_id"]:
        code, msg = "SubscriptionNotFound", f"The subscription '{g['sub']}' could not be found."
    elif g["rg"].lower() != WORKSPACE["resource_group"].lower():
        code, msg = "ResourceGroupNotFound", f"Resource group '{g['rg']}' could not be found."
    else:
        code = "ResourceNotFound"
        msg = (
            f"The Resource 'Microsoft.MachineLearningServices/workspaces/{g['ws']}' under resource group "
            f"'{g['rg']}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"
        )
    return json_reply(404, {"error": {"code": code, "message": msg}}, route)


def _arm_id() -> str:
    w = WORKSPACE
    return (
        f"/subscriptions/{w['subscription_id']}/resourceGroups/{w['resource_group']}"
        f"/providers/Microsoft.MachineLearningServices/workspaces/{w['workspace_name']}"
    )


def _workspace_body(req: Request, data: WorkspaceData) -> dict[str, Any]:
    w, rg_id = WORKSPACE, _arm_id().rsplit("/providers/", 1)[0]
    return {
        "id": _arm_id(),
        "name": w["workspace_name"],
        "type": "Microsoft.MachineLearningServices/workspaces",
        "location": w["location"],
        "tags": {"purpose": "amlwizard workshop (emulated)"},
        "sku": {"name": "Basic", "tier": "Basic"},
        "identity": {"type": "SystemAssigned", "principalId": data.workspace_id, "tenantId": w["tenant_id"]},
        "properties": {
            "workspaceId": data.workspace_id,
            "friendlyName": w["workspace_name"],
            "description": "Emulated Azure ML workspace holding the amlwizard workshop scenarios",
            "discoveryUrl": f"{req.base_url}/discovery/workspaces/{data.workspace_id}",
            "provisioningState": "Succeeded",
            "storageAccount": f"{rg_id}/providers/Microsoft.Storage/storageAccounts/mlwworkshopstorage",
            "keyVault": f"{rg_id}/providers/Microsoft.KeyVault/vaults/mlw-workshop-kv",
            "applicationInsights": f"{rg_id}/providers/Microsoft.Insights/components/mlw-workshop-ai",
            "containerRegistry": f"{rg_id}/providers/Microsoft.ContainerRegistry/registries/mlwworkshopacr",
            "hbiWorkspace": False,
            "creationTime": "2024-04-15T08:00:00.0000000Z",
        },
    }


def _metadata(g, q, req, data):
    return json_reply(200, cloud_metadata(req.base_url), "metadata")


def _subscriptions(g, q, req, data):
    w = WORKSPACE
    sub = {
        "id": f"/subscriptions/{w['subscription_id']}",
        "subscriptionId": w["subscription_id"],
        "displayName": "ML workshop (emulated)",
        "state": "Enabled",
        "tenantId": w["tenant_id"],
    }
    return json_reply(200, {"value": [sub]}, "subscriptions")


def _workspaces(g, q, req, data):
    w = WORKSPACE
    if (
        g["sub"] != w["subscription_id"]
        or g.get("rg", w["resource_group"]).lower() != w["resource_group"].lower()
    ):
        return json_reply(200, {"value": []}, "workspaces")
    return json_reply(200, {"value": [_workspace_body(req, data)]}, "workspaces")


def _workspace(g, q, req, data):
    return json_reply(200, _workspace_body(req, data), "workspace")


def _discovery(g, q, req, data):
    keys = ("api", "catalog", "experimentation", "gallery", "history", "hyperdrive", "labeling")
    keys += ("modelmanagement", "pipelines", "studio")
    return json_reply(200, {k: req.base_url for k in keys}, "discovery")


def _msi(g, q, req, data):
    """A managed-identity endpoint (MSI_ENDPOINT): ``Workspace.from_config()`` works with no auth given, for
    whoever holds the emulator's MSI secret. azure-identity (and msrestazure on App Service) send it as the
    ``secret`` header; azureml-core's own client (msrestazure, as on a compute instance) POSTs to MSI_ENDPOINT
    with only ``Metadata: true``, so the secret is also taken from its path: ``/msi/<secret>/token``."""
    given = req.headers.get("secret") or g.get("secret")
    if not data.credentials.check_msi_secret(given):
        message = "The MSI secret is missing or wrong (the 'secret' header, or MSI_ENDPOINT's path)."
        return json_reply(401, {"error": {"code": "Unauthorized", "message": message}}, "msi")
    token = {"access_token": data.credentials.issue_token(), "expires_on": str(int(time.time()) + 3600),
             "resource": q.get("resource", ""), "token_type": "Bearer"}  # fmt: skip
    return json_reply(200, token, "msi")


ARM_HANDLERS = {
    "metadata": _metadata,
    "subscriptions": _subscriptions,
    "workspaces": _workspaces,
    "workspace": _workspace,
    "discovery": _discovery,
    "msi": _msi,
}
