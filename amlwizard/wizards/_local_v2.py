"""Deploy locally, for an SDK v2 deployment: its settings (probes, where it runs) and the verdict of its
liveness and readiness probes against init()'s time measured on the local server.
"""

from __future__ import annotations

import html
from dataclasses import asdict
from typing import Any

from .._errors import AmlWizardError
from ._v2 import is_v2, session_scenario
from ._widgets import code_html

__all__ = ["v2_details", "compute_type", "probes_html", "check_probes_html"]


def v2_details(session: Any) -> dict[str, Any] | None:
    """The v2 deployment's details: the session's, else asked of the workspace (a worker thread: it may take
    seconds); None for a v1 service, or when the workspace cannot say (the probe defaults then apply)."""
    if not is_v2(session):
        return None
    known = session.state.get("service") or {}
    if known.get("sdk") == "v2":
        return known
    if not (session.has_workspace and session.service):
        return None
    try:
        details = asdict(session.backend.get_service(session.service))
    except AmlWizardError:
        return None
    session.state["service"] = details
    return details


def compute_type(session: Any) -> str | None:
    """Where the service runs ("Managed", "Kubernetes", "AKS"...): what a run() failure becomes there."""
    known = (session.state.get("service") or {}).get("compute_type")
    scenario = session_scenario(session)
    return known or (scenario.target if scenario is not None else None)


def probes_html(checks: list[Any], entity: str = "ManagedOnlineDeployment") -> str:
    """The verdict of each probe, with the numbers, and the ProbeSettings to set when one gives up first."""
    marks = {"ok": "✔", "close": "⚠", "fails": "✖"}
    rows = "".join(
        f"<li class='amlw-probe-{c.verdict}'>{marks[c.verdict]} <b>{c.probe}</b>: "
        f"{html.escape(c.message)}</li>"
        for c in checks
    )
    fixes = [c for c in checks if c.fix]
    code = ""
    if fixes:
        yaml = "".join(f"{c.probe}_probe:\n  initial_delay: {c.suggested_initial_delay}\n" for c in fixes)
        code = code_html(
            "from azure.ai.ml.entities import ProbeSettings\n\n"
            f"deployment = {entity}(..., {', '.join(c.fix for c in fixes)})\n"
            f"# or in the deployment's YAML:\n{yaml}",
            "Give init() the time it needs",
        )
    return f"<b>Probes against init()'s time</b><ul>{rows}</ul>{code}"


def check_probes_html(shown: Any, seconds: float, details: dict[str, Any], *, finished: bool = True) -> str:
    """Show the deployment's probes against ``seconds`` to healthy in ``shown`` (an HTML widget); returns the
    verdict for the report's line ("; probes: ...")."""
    from ..local import check_probes

    probes = details.get("liveness_probe"), details.get("readiness_probe")
    checks = check_probes(seconds, *probes, finished=finished)
    kubernetes = details.get("compute_type") == "Kubernetes"
    shown.value = probes_html(
        checks, "KubernetesOnlineDeployment" if kubernetes else "ManagedOnlineDeployment"
    )
    verdict = "; ".join(c.message for c in checks if c.verdict != "ok") or "the probes wait long enough"
    return f"; probes: {verdict}"
