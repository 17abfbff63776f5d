"""The guide's advanced advice as shown in the wizards: attaching VS Code (debugpy) to the local
server, Docker's LocalWebservice where an engine runs, and where an AKS cluster's diagnostics are."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from ._widgets import code_html

__all__ = ["AKS_NOTE", "aks_note_html", "debug_html", "engine_html"]

AKS_NOTE = (
    "For AKS, also look at the cluster itself: turn on Azure Monitor container insights for the "
    "cluster, and check the AKS resource health and AKS diagnostics in the portal. A broken or "
    "overloaded cluster causes deployment failures; AKS support handles cluster problems."
)

_DEBUG_STEPS = """1. pip install debugpy (in the environment that runs the server)
2. In VS Code, add the launch configuration below (Run and Debug > create a launch.json)
   and start it first: VS Code then *listens* on the debug port.
3. Set the debug port in step 1 and press Start local server: the server calls debugpy.connect()
   to that port, and breakpoints in score.py (init and run) stop in VS Code.
4. Send a request to reach run().
The same works in a container: give its environment debugpy and the variable AZUREML_DEBUG_PORT, and
make the debugger reachable from it (Docker's LocalWebservice: the host's address; a deployed ACI or
AKS service: only from inside its network). A local reproduction is almost always quicker."""


def aks_note_html() -> str:
    return f"<p class='amlw-aks-note'>{html.escape(AKS_NOTE)}</p>"


def debug_html(score_path: str, port: int) -> str:
    """VS Code / debugpy attach instructions for the local server."""
    from ..local import vscode_launch_config

    launch = json.dumps(vscode_launch_config(port, Path(score_path or "score.py")), indent=2)
    return (
        "<div class='amlw-debug'>"
        + code_html(_DEBUG_STEPS, "Attach Visual Studio Code (debugpy)")
        + code_html(launch, ".vscode/launch.json")
        + "</div>"
    )


def engine_html(
    choice: Any, *, service: str, model: str, score: str, conda_file: str, model_files: str | None = None
) -> str:
    """Which local engine runs the script and why; where Docker answers, the LocalWebservice code too (for
    an SDK v2 deployment ``endpoint/deployment``: azure-ai-ml's local endpoint, given ``model_files``)."""
    shown = f"<div class='amlw-engine-choice'>{html.escape(choice.message)}</div>"
    if choice.docker_available and "/" in service:
        from ..local import local_endpoint_code

        endpoint, _, deployment = service.partition("/")
        code = local_endpoint_code(endpoint, deployment, model_files or "model", score, conda_file)
        shown += code_html(code, "With Docker: azure-ai-ml's local endpoint (also tests the image build)")
    elif choice.docker_available:
        from ..local import local_webservice_code

        code = local_webservice_code(service, model, score, conda_file)
        shown += code_html(code, "With Docker: the SDK's LocalWebservice (also tests the image build)")
    return shown
