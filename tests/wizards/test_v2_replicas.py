"""Size replicas on SDK v2 deployments: a managed deployment's instances, 429 ceiling, request_timeout_ms and
quota (20 % reserve) with the ManagedOnlineDeployment snippet and YAML; a Kubernetes deployment through the
autoscaler simulator with the TargetUtilizationScaleSettings snippet."""

from __future__ import annotations

import html

import plotly.graph_objects as go
import yaml


def _open(open_wizard, scenario):
    wizard = open_wizard(scenario.name, "replicas", service=scenario.service_name)
    assert wizard.error_text == ""
    return wizard


def test_every_v2_deployment_is_sized_by_its_kind(open_wizard, v2_scenario):
    wizard = _open(open_wizard, v2_scenario)
    wizard.go(2)
    snippet = html.unescape(wizard.snippet.value)
    if v2_scenario.target == "Managed":
        assert wizard.aks.layout.display == "none" and wizard.managed.widget.layout.display is None
        assert "ManagedOnlineDeployment(" in snippet and "request_settings=OnlineRequestSettings(" in snippet
        assert "429 ceiling" in wizard.recommendation.value
        assert "AksWebservice" not in snippet
    else:
        assert wizard.managed.widget.layout.display == "none" and isinstance(wizard.figure, go.FigureWidget)
        assert "TargetUtilizationScaleSettings(" in snippet and "KubernetesOnlineDeployment(" in snippet
        assert "TargetUtilizationScaleSettings(" in html.unescape(wizard.recommendation.value)
        assert "AksWebservice" not in snippet


def test_a_managed_deployment_shows_instances_the_429_ceiling_timeout_and_quota(open_wizard):
    from amlwizard.scenarios import load_scenario

    wizard = _open(open_wizard, load_scenario("v2-out-of-quota"))
    panel = wizard.managed
    panel.rps.value, panel.request_seconds.value, panel.slowest_seconds.value = 20, 0.5, 8
    panel.max_concurrent.value, panel.quota_free.value = 2, 6
    answer = html.unescape(panel.answer.value)
    assert "<b>8</b> instance(s) for 20 rps × 0.5 s" in answer  # ceil(20 x 0.5 / 0.7 / 2)
    assert "2 × max_concurrent_requests_per_instance (2) × instance_count (8) = <b>32</b>" in answer
    assert "request_timeout_ms = 12000</b>: run() takes up to 8 s, over the default" in answer
    assert "ceil(8 x 1.2) = 10 instance(s) x 4 cores = 40 cores" in answer and "NOT enough" in answer
    now = html.unescape(panel.current.value)  # the deployment as it is: one DS3_v2 needs 8 cores
    assert "instance_count 1: 429 beyond 4 requests" in now
    assert "ceil(1 x 1.2) = 2 instance(s) x 4 cores = 8 cores" in now and "6 free: NOT enough" in now
    snippet = html.unescape(wizard.snippet.value)
    assert "instance_count=8" in snippet and "request_timeout_ms=12000" in snippet
    assert "endpoint_name='v2-out-of-quota'" in snippet
    spec = yaml.safe_load(
        snippet.split("update -f)</b></div><pre class='amlw-code'")[1].split(">", 1)[1][:-6]
    )
    assert spec["instance_count"] == 8 and spec["request_settings"]["request_timeout_ms"] == 12000
    assert wizard.session.results["replicas"]["429 ceiling"] == 32


def test_the_managed_snippet_builds_a_real_deployment(open_wizard):
    from azure.ai.ml.entities import ManagedOnlineDeployment

    from amlwizard.scenarios import load_scenario

    wizard = _open(open_wizard, load_scenario("v2-429-concurrency"))
    code = wizard.managed.result.snippet.split("ml_client.")[0]
    scope: dict = {}
    exec(code, scope)  # noqa: S102 - our own snippet, as a user pastes it
    deployment = scope["deployment"]
    assert isinstance(deployment, ManagedOnlineDeployment)
    assert deployment.instance_count == wizard.managed.result.instances
    assert deployment.request_settings.max_concurrent_requests_per_instance == 1


def test_a_measured_run_time_sizes_the_request_timeout(open_wizard):
    from amlwizard.scenarios import load_scenario

    scenario = load_scenario("v2-408-timeout")
    wizard = open_wizard(scenario.name, "replicas", service=scenario.service_name)
    wizard.session.state["probe"] = {"run_ms": 6000.0, "slowest_ms": 9000.0}  # what the load probe measured
    wizard.set_values(wizard.values())
    assert wizard.managed.slowest_seconds.value == 9
    assert "request_timeout_ms = 14000" in html.unescape(wizard.managed.answer.value)
