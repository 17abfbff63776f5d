"""Which SDK a session's service was deployed with, as the wizards that behave differently for SDK v2 ask it.

A v2 service is an online deployment named ``endpoint/deployment``; its details say ``sdk: "v2"``.
"""

from __future__ import annotations

from typing import Any

from .._errors import UsageProblem

__all__ = ["is_v2", "session_scenario"]


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


def is_v2(session: Any) -> bool:
    """True when the session's service is an SDK v2 online deployment (azure-ai-ml)."""
    details = session.state.get("service") or {}
    if details.get("sdk") and details.get("name") in (None, session.service):
        return details["sdk"] == "v2"
    scenario = session_scenario(session)
    if scenario is not None:
        return scenario.sdk == "v2"
    return "/" in (session.service or "")
