"""Which SDK a session's service was deployed with, as the wizards that behave differently for SDK v2 ask it.

A v2 service is an online deployment named ``endpoint/deployment``; its details say ``sdk: "v2"``.
"""

from __future__ import annotations

from typing import Any

from .._errors import UsageProblem

__all__ = ["is_v2", "session_scenario", "v2_kind"]


def session_scenario(session: Any) -> Any:
    """The workshop scenario the session targets (its ``Scenario``), None outside the workshop."""
    name = session.target.get("scenario")
    if not name or session.target.get("kind") != "workshop":
        return None
    from ..scenarios import load_scenario

    try:
        return load_scenario(name)
    except UsageProblem:
        return None


def is_v2(session: Any, details: dict[str, Any] | None = None) -> bool:
    """True when the service is an SDK v2 online deployment (azure-ai-ml): as ``details`` (a service's, when
    given) or the session's own details say, else its target, its workshop scenario, or a name
    ``endpoint/deployment``. The one place the wizards ask it."""
    known = details if details is not None else session.state.get("service") or {}
    if known.get("sdk") and (details is not None or known.get("name") in (None, session.service)):
        return known["sdk"] == "v2"
    if session.target.get("sdk"):
        return session.target["sdk"] == "v2"
    scenario = session_scenario(session)
    if scenario is not None:
        return scenario.sdk == "v2"
    return "/" in (session.service or "")


def v2_kind(session: Any) -> str | None:
    """ "Managed" or "Kubernetes" for an SDK v2 deployment the session knows the details of, else None."""
    details = session.state.get("service") or {}
    return details.get("compute_type") if details.get("sdk") and is_v2(session) else None
