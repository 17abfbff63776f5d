"""Parts of triage kept apart so triage.py reads as the wizard: an SDK v2 deployment's texts named as the
user knows them (the create error, each container's log) and the create error a session kept, the logs the
session keeps, a healthy service's strip and message (v1 steps or v2 stages), the summary line."""

from __future__ import annotations

import html
from typing import Any

from .._secrets import mask_secrets
from ._widgets import service_kind, state_badge, steps_strip, v2_stages_strip

__all__ = ["V2_SOURCES", "NO_CAPTURE", "v2_texts", "keep_logs", "healthy", "summary_html"]

# what the backend names a v2 deployment's texts -> what the user knows them as (shown with each finding)
V2_SOURCES = {
    "service error": "create error",
    "main log": "inference-server log",
    "init log": "storage-initializer log",
}
NO_CAPTURE = (
    "Azure keeps why an online deployment failed only in the answer to its create/update (a later read says "
    "only Failed): run it again as amlwizard.capture(lambda: ml_client.online_deployments."
    "begin_create_or_update(deployment), ml_client=ml_client), then Diagnose service again."
)
# session.logs kind -> the diagnosed text it keeps (v1: main / init; v2: each container, the create error)
_KEPT = {
    "v1": {"main": "main log", "init": "init log"},
    "v2": {
        "inference-server": "inference-server log",
        "storage-initializer": "storage-initializer log",
        "create error": "create error",
        "image build": "image build log",
    },
}
_ALWAYS = (
    "main",
    "init",
    "inference-server",
    "storage-initializer",
)  # kept even empty: the logs wizard shows them


def v2_texts(session: Any, details: Any, texts: dict[str, str]) -> dict[str, str]:
    """A v2 deployment's texts named as the user knows them; the create/update error ``session`` captured
    (a saved one, from another kernel) when this process's record has none."""
    named = {V2_SOURCES.get(k, k): v for k, v in texts.items()}
    kept = session.results.get("capture") or {}
    if not named.get("create error") and (kept.get("endpoint"), kept.get("deployment")) == (
        details.endpoint,
        details.deployment,
    ):
        from ..backends._capture import describe_capture

        named["create error"] = describe_capture(kept)
    return named


def keep_logs(session: Any, details: Any, texts: dict[str, str]) -> None:
    """The texts diagnosed, kept in ``session`` as the logs wizard shows them; a previous service's go."""
    kinds = _KEPT["v2" if details.sdk == "v2" else "v1"]
    for kind in {k for group in _KEPT.values() for k in group}:
        session.logs.pop(kind, None)
    for kind, key in kinds.items():
        if texts.get(key) or kind in _ALWAYS:
            session.set_logs(kind, texts.get(key, ""))


def healthy(name: str, call: str, *, v2: bool, guesses: bool) -> tuple[str, str]:
    """(the strip, the message) of a service where nothing failed exactly: steps 1-5 done, 6 once ``call``
    (what the last call answered, e.g. "200 OK in 56 ms") was a 2xx (v2: image build to probes, scoring).
    ``guesses``: the family model's guesses stay below the message."""
    called = call.startswith("2")
    if v2:
        note = f"scoring checked by a call: {call}" if called else "scoring: call the deployment to check it"
        strip = v2_stages_strip(None, passed=6 if called else 5, note=note)
        done = (
            "it is deployed (provisioning state Succeeded) and its state and both containers' logs show no "
            "failure, so image build to probes are done. Scoring is checked by calling it"
        )
        counted = "408s and 429s"
    else:
        note = (
            f"step 6 (run) checked by a call: {call}"
            if called
            else "step 6 (run): call the service to check it"
        )
        strip = steps_strip(None, passed=6 if called else 5, note=note)
        done = (
            "it is deployed (state Healthy) and its logs and state show no failure, so steps 1 to 5 are "
            "done. Step 6 (run) is checked by calling it"
        )
        counted = "503s and 504s"
    message = (
        f"<p class='amlw-healthy'>✔ <b>{html.escape(name)}</b> is healthy: {done}: <b>Call the service</b> "
        f"sends a request, <b>Load probe</b> sends many and counts the {counted}."
        + (" Below, the family model's low-confidence guesses." if guesses else "")
        + "</p>"
    )
    return strip, message


def summary_html(details: dict[str, Any], *, v2: bool, chosen: str, captured: bool) -> str:
    """The service's line: state, what it is (v1 web service / v2 online deployment, compute), the
    deployment an endpoint alone meant (``chosen``), its error; a failed v2 deployment whose create error
    was not ``captured``: how to capture it."""
    error = details.get("error")
    err = str(error.get("message") or "") if isinstance(error, dict) else ""
    line = (
        f"{state_badge(details.get('state'))} <b>{html.escape(details['name'])}</b> · "
        f"{html.escape(service_kind(details.get('sdk'), details.get('compute_type')))} · "
        f"state <b>{html.escape(str(details.get('state')))}</b>"
    )
    if chosen:
        line += f"<br><small class='amlw-chosen'>{html.escape(chosen)}</small>"
    if err:
        line += f"<br><small>{html.escape(mask_secrets(err[:300]))}</small>"
    if v2 and details.get("state") == "Failed" and not err and not captured:
        line += f"<br><small class='amlw-no-capture'>{html.escape(NO_CAPTURE)}</small>"
    return line
