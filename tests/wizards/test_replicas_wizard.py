"""Size replicas: pre-filled from the service's autoscaler, answers and plot updated as controls move."""

from __future__ import annotations

import plotly.graph_objects as go

from amlwizard.session import TroubleshootSession
from amlwizard.wizards import open_wizards


def test_every_scenario_prefills_the_services_autoscaler(open_wizard, scenario):
    replicas = open_wizard(scenario.name, "replicas")
    if scenario.faults:  # the workspace refuses to show the service: said in one line, defaults kept
        assert "403" in replicas.error_text and replicas.min_replicas.value == 1
        return
    assert replicas.error_text == ""
    auto = scenario.service.get("autoScaler")
    if auto:
        assert replicas.min_replicas.value == auto["minReplicas"]
        assert replicas.max_replicas.value == auto["maxReplicas"]
        assert replicas.target_utilization.value == auto["targetUtilization"]
    if scenario.service.get("maxConcurrentRequestsPerContainer"):
        assert replicas.max_concurrent.value == scenario.service["maxConcurrentRequestsPerContainer"]
    assert "replica(s)" in replicas.formula.value and "Erlang C" in replicas.queueing.value
    assert "503 rate" in replicas.rate_503.value
    assert isinstance(replicas.figure, go.FigureWidget) and "amlw-plot" in replicas.plot_box._dom_classes


def test_the_503_spike_shows_503s_and_more_replicas_remove_them(open_wizard):
    replicas = open_wizard("aks-503-spike", "replicas")
    assert replicas.profile.value == "spike" and replicas.rps.value == 20 and replicas.peak_rps.value == 60
    before = replicas.session.results["replicas"]["simulated 503 rate"]
    assert before != "0.00%"
    figure = replicas.figure
    old_y = [list(t.y) for t in figure.data]
    replicas.min_replicas.value = 6
    replicas.max_replicas.value = 8
    after = replicas.session.results["replicas"]["simulated 503 rate"]
    assert float(after.rstrip("%")) < float(before.rstrip("%"))
    assert replicas.figure is figure  # updated in place, not redrawn
    assert [list(t.y) for t in figure.data] != old_y
    replicas.go(2)  # Deploy configuration: the settings as set, beside the recommended ones
    assert "autoscale_min_replicas=6" in replicas.snippet.value
    assert "autoscale_max_replicas=8" in replicas.snippet.value
    assert [s["action"] for s in replicas.session.steps].count("sized replicas") == 1


def test_the_guides_example_gives_286_replicas():
    s = TroubleshootSession({"kind": "text"})
    replicas = open_wizards(s, "replicas", threaded=False).current
    replicas.set_values(
        {**replicas.values(), "profile": "constant", "rps": 20.0, "request_seconds": 10.0, "seconds": 600,
         "target_utilization": 70, "max_concurrent": 1, "max_replicas": 300}
    )  # fmt: skip
    assert "<b>286</b> replica(s)" in replicas.formula.value


def test_min_above_max_is_one_line_and_keeps_the_last_answer():
    replicas = open_wizards(TroubleshootSession({"kind": "text"}), "replicas", threaded=False).current
    shown = replicas.rate_503.value
    replicas.min_replicas.value = 50
    assert "min replicas (50) is above max replicas (10)" in replicas.error_text
    assert replicas.rate_503.value == shown


def test_a_24_hour_profile_is_simulated_and_the_report_has_the_plot(tmp_path):
    s = TroubleshootSession({"kind": "text"})
    replicas = open_wizards(s, "replicas", threaded=True).current
    replicas.wait(30)
    replicas.profile.value = "daily"
    replicas.wait(30)
    assert "Simulated 24 h" in replicas.rate_503.value
    md, page = s.report(tmp_path / "ticket")
    html = page.read_text()
    assert (
        "Replica sizing" in md.read_text()
        and "plotly" in html
        and "AksWebservice.deploy_configuration" in html
    )


def test_the_snippet_keeps_the_services_own_refresh_period():
    # the wizard's old copy of "service -> settings" dropped refresh_seconds: its snippet reset it to 1
    from dataclasses import asdict

    from amlwizard.backends import AutoscaleSettings, ServiceDetails

    details = ServiceDetails(
        name="svc", compute_type="AKS", state="Healthy", created_time=None, max_concurrent_requests=1,
        autoscale=AutoscaleSettings(True, 2, 9, 60, refresh_seconds=5), scoring_timeout_ms=90_000,
    )  # fmt: skip
    s = TroubleshootSession({"kind": "text"})
    s.state["service"] = asdict(details)
    replicas = open_wizards(s, "replicas", threaded=False).current
    replicas.go(1)
    snippet = replicas.snippet.value
    assert "autoscale_refresh_seconds=5" in snippet and "scoring_timeout_ms=90000" in snippet
    assert "autoscale_min_replicas=2" in snippet and "autoscale_target_utilization=60" in snippet
