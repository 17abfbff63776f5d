"""The session and the report record which SDK deployed what was troubleshot, and which endpoint/deployment."""

from __future__ import annotations

import json

import pytest

from amlwizard import TroubleshootSession
from amlwizard.wizards import open_wizards


@pytest.fixture
def triaged(workshop_emulator, tmp_path):
    """triaged(service) -> the session after Triage diagnosed it in the workshop, saved and loaded again."""
    hosts = []

    def make(service: str) -> TroubleshootSession:
        session = TroubleshootSession({"kind": "workshop", "service": service}, timeout=60)
        host = open_wizards(session, "triage", threaded=False)
        hosts.append(host)
        host.wait(60)
        assert host.current.error_text == ""
        return TroubleshootSession.load(session.save(tmp_path / "session.json"))

    yield make
    for host in hosts:
        host.close()


def _report(session: TroubleshootSession, tmp_path) -> tuple[str, str]:
    md, page = session.report(tmp_path / "report")
    return md.read_text(encoding="utf-8"), page.read_text(encoding="utf-8")


def test_a_v2_deployment_is_recorded_and_reported_as_one(triaged, tmp_path):
    s = triaged("v2-k8s-oom")  # the endpoint alone: its deployment is chosen and recorded
    assert {k: s.target[k] for k in ("service", "sdk", "endpoint", "deployment", "compute_type")} == {
        "service": "v2-k8s-oom/blue",
        "sdk": "v2",
        "endpoint": "v2-k8s-oom",
        "deployment": "blue",
        "compute_type": "Kubernetes",
    }
    md, page = _report(s, tmp_path)
    assert "SDK v2 online endpoint 'v2-k8s-oom', deployment 'blue' (Kubernetes)" in md
    assert "SDK v2 online endpoint &#x27;v2-k8s-oom&#x27;, deployment &#x27;blue&#x27; (Kubernetes)" in page


def test_a_v1_service_is_reported_as_a_web_service(triaged, tmp_path):
    s = triaged("healthy-aks")
    assert (s.target["sdk"], s.target["compute_type"]) == ("v1", "AKS") and "endpoint" not in s.target
    md, _ = _report(s, tmp_path)
    assert "SDK v1 web service 'healthy-aks' (AKS)" in md


@pytest.mark.parametrize(
    "service, says",
    [
        ("churn/blue", "SDK v2 online endpoint 'churn', deployment 'blue'"),
        ("my-aks-service", "SDK v1 web service 'my-aks-service'"),
    ],
)
def test_a_session_saved_before_the_sdk_was_recorded_still_loads_and_reports(tmp_path, service, says):
    old = {"format": "amlwizard-session/1", "target": {"kind": "azure", "service": service}, "findings": []}
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    s = TroubleshootSession.load(path)
    assert s.service == service and "sdk" not in s.target
    md, _ = _report(s, tmp_path)
    assert says in md
    s.save()  # and it saves again in the format of now
    assert TroubleshootSession.load(path).service == service


def test_a_resumed_v2_session_shows_its_stages_again(triaged, workshop_emulator):
    s = triaged("v2-model-download-failure")
    host = open_wizards(s, "triage", threaded=False)
    try:
        host.wait(60)
        strip = host.current.strip.value
        assert "amlw-steps-v2" in strip and "failed at: model download" in strip
        assert "v2 online deployment (Managed)" in host.current.summary.value
    finally:
        host.close()
