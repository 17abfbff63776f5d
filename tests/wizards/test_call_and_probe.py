"""Triage's *Call the service* step and Size replicas' *Load probe* and *Deploy configuration* steps, driven
as a user drives them, against the workshop emulator's real scoring servers."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

from amlwizard.scenarios import load_scenario
from amlwizard.wizards import host_of


@pytest.fixture
def fast_clock(workshop):
    """Fresh front ends whose replicas start in 2 s (speed 30); the workshop's own speed afterwards."""
    before = workshop.emulator.speed
    workshop.emulator.reset_scoring(speed=30)
    yield workshop
    workshop.emulator.reset_scoring(speed=before)


def test_a_healthy_service_is_checked_by_a_call(open_wizard):
    triage = open_wizard("healthy-aks")
    assert "steps 1 to 5 are done" in triage.health.value
    assert "step 6 (run): call the service" in triage.strip.value
    triage.call_button.click()
    assert triage.step == 2
    sample = json.loads((load_scenario("healthy-aks").app_dir / "sample-request.json").read_text())
    assert json.loads(triage.call.request.value) == sample and "sample request" in triage.call.source.value
    triage.call.send_button.click()
    assert triage.error_text == ""
    assert "200 OK" in triage.call.answer.value and "amlw-call-latency" in triage.call.answer.value
    assert (
        triage.call.strip.value.count("amlw-step-ok") == 6
        and "checked by a call: 200" in triage.call.strip.value
    )
    message = triage.call.findings.children[0].value
    assert "answered 200" in message and "Load probe" in message
    s = triage.session
    assert s.results["triage"]["call"].startswith("200 OK")
    assert not [f for f in s.findings if f.facts.get("tier") != 2]  # no failure matched exactly
    assert "called service healthy-aks" in [step["action"] for step in s.steps]


def test_a_call_of_the_502_service_shows_the_answer_and_diagnoses_it_with_the_logs(open_wizard):
    triage = open_wizard("run-failure-502")
    assert triage.session.findings[0].id == "run-failure"  # from the logs, before any call
    triage.go(2)
    triage.call.send_button.click()
    answer = triage.call.answer.value
    assert "502 Bad Gateway" in answer and "x-ms-run-function-failed" in answer
    assert "An unexpected error occurred in scoring script" in answer
    found = {f.id: f.facts.get("source") for f in triage.session.findings}
    assert found["http-502"] == "call answer" and found["run-failure"] == "main log"
    assert "amlw-step-failed' title='Each request" in triage.call.strip.value  # step 6, run
    cards = [c.children[0].value for c in triage.call.findings.children]
    assert any("Evidence (call answer)" in card and "Response Code: 502" in card for card in cards)
    key = triage.session.backend.get_keys("run-failure-502").primary
    assert key not in answer and key not in json.dumps(triage.session.to_dict())


def test_a_malformed_request_is_one_line_and_nothing_is_sent(open_wizard):
    triage = open_wizard("healthy-aks")
    triage.go(2)
    triage.call.request.value = "{not json"
    triage.call.send_button.click()
    assert "not valid JSON" in triage.error_text and triage.call.answer.value == ""


def test_the_load_probe_of_the_spike_shows_503s_live_and_beside_the_simulator(open_wizard, fast_clock):
    triage = open_wizard("aks-503-spike")
    triage.probe_button.click()
    replicas = host_of(triage.session).current
    assert replicas.name == "replicas" and replicas.step == 1
    probe = replicas.probe
    assert probe.confirm.layout.display == "none"  # the workshop: nothing to confirm
    shown, figures = [], set()
    live = probe.show_live

    def watch(snapshot, timeline):
        live(snapshot, timeline)
        shown.append(len(snapshot.per_second))
        figures.add(id(probe.figure))

    probe.show_live = watch
    probe.rps.value, probe.seconds.value = 40, 5
    probe.start_button.click()
    assert replicas.error_text == ""
    assert len(shown) >= 5 and shown[:5] == [1, 2, 3, 4, 5] and len(figures) == 1  # one figure, in place
    fig = probe.figure
    assert isinstance(fig, go.FigureWidget) and len(fig.data) == 10  # statuses, latencies, replicas
    bars = {trace.name: sum(trace.y) for trace in fig.data[:5]}
    assert bars["503"] > 0 and bars["2xx"] > 0
    assert max(fig.data[-2].y) >= 2  # the front end's replicas came up during the probe
    assert "503" in probe.summary.value and "done" in probe.summary.value
    comparison = probe.comparison_box.children[0]
    assert isinstance(comparison, go.FigureWidget) and "simulated: 503" in comparison.layout.title.text
    assert "observed 503s" in probe.comparison_note.value
    families = {f.family for f in replicas.session.findings}
    assert "http-503" in families  # what the answers said, named
    assert "AksWebservice.deploy_configuration(autoscale_enabled=True" in probe.advice.value
    assert replicas.session.results["probe"]["answers"].startswith("200:")


def test_the_deploy_configuration_step_recommends_settings_under_the_budget(open_wizard):
    replicas = open_wizard("aks-503-spike", "replicas")
    replicas.go(2)
    first = replicas.recommendation.value
    assert "Recommended" in first and "autoscale_min_replicas=" in first and "0.10%" in first
    assert "autoscale_max_replicas=4" in replicas.snippet.value  # the service's own, for comparison
    replicas.budget.value = 5.0
    assert "5.00%" in replicas.recommendation.value
    assert replicas.session.results["recommendation"]["budget"] == "5.00%"
