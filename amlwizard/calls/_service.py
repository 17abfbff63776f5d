"""Calling a service of a workspace: its endpoint (scoring URI and key, through the backend seam), the request
to send when the user gives none, and one call diagnosed together with the service's logs.

What the CLI (``amlwizard call``) and the triage wizard's *Call the service* step both run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._errors import BackendError, UsageProblem
from ._http import CallAnswer, ScoringEndpoint, call_endpoint, trusted_context

if TYPE_CHECKING:
    from ..backends import Backend, ServiceDetails
    from ..diagnosis import Diagnosis

__all__ = ["endpoint_of", "default_request", "ServiceCall", "call_service", "CALL_SOURCE"]

CALL_SOURCE = "call answer"  # the name of the answer among the texts diagnosed (beside the logs)
_MARGIN_S = 30.0  # a call waits this much past the service's scoring timeout before giving up


def endpoint_of(backend: Backend, name: str, details: ServiceDetails | None = None) -> ScoringEndpoint:
    """Where ``name`` answers and the key it wants (asked of the workspace only when auth is on)."""
    details = details or backend.get_service(name)
    key = None
    if details.auth_enabled or details.auth_enabled is None:
        try:
            key = backend.get_keys(name).primary or None
        except BackendError:
            if details.auth_enabled:  # the key is needed: say why it is missing
                raise
    timeout = (details.scoring_timeout_ms or 60_000) / 1000.0 + _MARGIN_S
    deployment = details.deployment if details.sdk == "v2" else None  # this deployment, not the split
    return ScoringEndpoint(details.scoring_uri or "", key, name, timeout, deployment)


def default_request(
    endpoint: ScoringEndpoint, details: ServiceDetails, *, scenario: str | None = None
) -> tuple[Any, str]:
    """(request, where it came from): a workshop scenario's sample request, else the example of the
    service's swagger; a one-line ``UsageProblem`` asking for one when there is neither."""
    from ..local import load_sample_request

    if scenario:
        from ..scenarios import load_scenario

        sample = load_scenario(scenario).app_dir / "sample-request.json"
        if sample.is_file():
            return json.loads(sample.read_text(encoding="utf-8")), "the scenario's sample request"
    if details.swagger_uri:
        swagger = _get_json(details.swagger_uri, endpoint)
        if isinstance(swagger, dict):
            try:
                example = load_sample_request(swagger)
            except UsageProblem:
                example = None
            if example:  # a script without inference-schema gets a swagger whose example is {}
                return example, "the example of the service's swagger"
    raise UsageProblem(
        f"no sample request known for {endpoint.service}: give one, e.g. --request '{{\"data\": [[1, 2]]}}' "
        "or --request request.json"
    )


def _get_json(uri: str, endpoint: ScoringEndpoint) -> Any:
    import httpx

    try:
        with httpx.Client(verify=trusted_context(), trust_env=False, timeout=10.0) as client:
            resp = client.get(uri, headers=endpoint.headers())
        return resp.json() if resp.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return None


@dataclass
class ServiceCall:
    """One call of a service and its diagnosis: the service's details, what was sent (and from where),
    what came back (None when the service has no scoring URI), and the findings of answer + logs."""

    details: ServiceDetails
    request_source: str
    answer: CallAnswer | None
    diagnosis: Diagnosis
    texts: dict[str, str] = field(default_factory=dict)  # what was diagnosed, by name

    def to_dict(self) -> dict[str, Any]:
        answer = self.answer.to_dict() if self.answer else None
        return {
            "service": self.details.name,
            "state": self.details.state,
            "request": self.request_source,
            **(answer or {"status": None}),
            "findings": [f.to_dict() for f in self.diagnosis.findings],
        }


def call_service(
    backend: Backend,
    name: str,
    request: Any = None,
    *,
    scenario: str | None = None,
    lines: int = 5000,
) -> ServiceCall:
    """Call ``name`` once with ``request`` (None: ``default_request``), then fetch its logs (after the call,
    so they hold what the call caused) and diagnose the answer together with them."""
    from ..diagnosis import diagnose_many

    details = backend.get_service(name)
    answer, source = None, "nothing (the service has no scoring URI)"
    if details.scoring_uri:
        endpoint = endpoint_of(backend, name, details)
        if request is None:
            request, source = default_request(endpoint, details, scenario=scenario)
        else:
            source = "your request"
        answer = call_endpoint(endpoint, request)
    details, texts = backend.fetch_for_diagnosis(name, lines=lines)
    texts = {**texts, CALL_SOURCE: answer.as_text() if answer else ""}
    context = {"compute_type": details.compute_type, "sdk": details.sdk}  # ranks what cannot happen there
    return ServiceCall(details, source, answer, diagnose_many(texts, context=context), texts)
