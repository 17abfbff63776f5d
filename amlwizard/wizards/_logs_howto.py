"""Fetch logs' helpers: the CLI and Python calls that fetch the same logs (SDK v1, or CLI v2 / SDK v2 for an
online deployment, with the real names), and what a container that is not running answers."""

from __future__ import annotations

import re

from ._advanced import aks_note_html
from ._widgets import code_html

__all__ = ["howto_html", "howto_v2_html", "not_running"]

# what Azure (or the emulator) answers for a container that is not running: no logs to give
_NOT_RUNNING = re.compile(
    r"try again later|retry later|no running instance|not running|never started|container is not ready",
    re.IGNORECASE,
)


def not_running(text: str) -> bool:
    """Whether a container's log (or the error asking for it) says the container is not running."""
    return bool(_NOT_RUNNING.search(text[:2000])) and len(text.splitlines()) <= 3


def howto_html(workspace: str, service: str, compute_type: str | None) -> str:
    """The CLI and Python ways to fetch the logs (and, for AKS, the cluster's diagnostics)."""
    cli = f"az ml service get-logs --verbose --workspace-name {workspace} --name {service}"
    py = (
        "from azureml.core import Workspace\nfrom azureml.core.webservice import Webservice\n\n"
        "ws = Workspace.from_config()\nprint([s.name for s in ws.webservices])  # the services\n"
        f"service = Webservice(ws, {service!r})\nprint(service.get_logs())            # main container\n"
        "print(service.get_logs(init=True))   # init container"
    )
    parts = [code_html(cli, "Azure CLI (ml extension)"), code_html(py, "Python (azureml-core)")]
    if (compute_type or "").upper() == "AKS":
        parts.append(aks_note_html())
    return "<div class='amlw-howto'>" + "".join(parts) + "</div>"


def howto_v2_html(workspace: str, endpoint: str, deployment: str, lines: int) -> str:
    """The CLI v2 and SDK v2 ways to fetch both containers' logs of an online deployment."""
    cli = (
        f"az ml online-deployment get-logs -e {endpoint} -n {deployment} -l {lines}\n"
        f"az ml online-deployment get-logs -e {endpoint} -n {deployment} -l {lines} "
        "--container storage-initializer\n"
        f"# add -g RESOURCE_GROUP -w {workspace} unless az configure --defaults set them"
    )
    call = f'name="{deployment}", endpoint_name="{endpoint}", lines={lines}'
    py = (
        "from azure.ai.ml import MLClient\nfrom azure.identity import DefaultAzureCredential\n\n"
        "ml_client = MLClient.from_config(DefaultAzureCredential())\n"
        f"print(ml_client.online_deployments.get_logs({call}))  # inference-server\n"
        f'print(ml_client.online_deployments.get_logs({call}, container_type="storage-initializer"))'
    )
    return (
        "<div class='amlw-howto amlw-howto-v2'>"
        + code_html(cli, "Azure CLI v2 (ml extension)")
        + code_html(py, "Python (SDK v2, azure-ai-ml)")
        + "<p>Studio's Logs tab shows only the inference-server container.</p></div>"
    )
