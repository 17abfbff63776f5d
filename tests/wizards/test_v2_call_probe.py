"""Triage's *Call the service* and Size replicas' *Load probe* on SDK v2 online endpoints: the scoring URI with
the key and the deployment pinned, 408/424/429 in plain words with the deployment's numbers, the model's own
answer behind a 424 (ms-azureml-model-error-* headers), and the answer diagnosed with the logs."""

from __future__ import annotations

import html

import pytest

from amlwizard.calls import endpoint_of
from amlwizard.wizards import host_of


def _call(open_wizard, scenario):
    triage = open_wizard(scenario.name, service=scenario.service_name)
    triage.go(2)
    triage.call.send_button.click()
    assert triage.error_text == ""
    return triage, html.unescape(triage.call.answer.value)


# What one call gets from the scoring URI (the real server behind the emulated front end); the rest answer 200
# when their deployment Succeeded, else 404. v2-429-concurrency serves one caller: its 429 needs a burst.
ONE_CALL = {"v2-408-timeout": "408 Request Timeout", "v2-424-model-error": "424 Failed Dependency"}


def test_every_v2_deployment_is_called_and_its_answer_diagnosed(open_wizard, v2_scenario):
    triage, answer = _call(open_wizard, v2_scenario)
    failing = v2_scenario.name in ONE_CALL
    status = ONE_CALL.get(v2_scenario.name) or (
        "200 OK" if v2_scenario.state == "Succeeded" else "404 Not Found"
    )
    assert status in answer
    assert "azureml-model-deployment: blue" in answer  # pinned to the deployment, not the traffic split
    if not status.startswith("200"):
        assert "amlw-call-meaning" in answer and answer.split("amlw-call-meaning'>")[1].startswith(status[:3])
    ids = [f.id for f in triage.session.findings]
    if failing:  # what the caller saw is named from the answer and the logs
        assert v2_scenario.expected_finding in ids, ids
    assert triage.session.results["triage"]["call"].startswith(status)
    # the call's strip is the v2 one: scoring failed when the call named a scoring failure, done on a 200
    strip = triage.call.strip.value
    assert "amlw-steps-v2" in strip
    if failing:
        assert "failed at: scoring" in strip
    elif status.startswith("200"):
        assert strip.count("amlw-step-ok") == 6


def test_a_failed_deployment_is_named_behind_its_404(open_wizard):
    from amlwizard.scenarios import load_scenario

    _, answer = _call(open_wizard, load_scenario("v2-resource-not-ready"))
    assert "deployment blue is Failed, so it takes no requests" in answer


def test_a_424_shows_the_models_own_answer(open_wizard):
    from amlwizard.scenarios import load_scenario

    triage, answer = _call(open_wizard, load_scenario("v2-424-model-error"))
    assert "the model answered 500 (model_error) instead of 200" in answer
    model_error = answer.split("amlw-call-model-error'>")[1]
    assert model_error.startswith(
        "ms-azureml-model-error-statuscode: 500\nms-azureml-model-error-reason: model_error"
    )
    assert "run-failure" in [f.family for f in triage.session.findings]


def test_a_408_names_the_request_timeout(open_wizard):
    from amlwizard.scenarios import load_scenario

    _, answer = _call(open_wizard, load_scenario("v2-408-timeout"))
    assert "run() did not answer within request_timeout_ms = 5000 ms (the default)" in answer
    assert "at most 180000" in answer


def test_a_429_names_the_ceiling_with_the_deployments_numbers(open_wizard, busy):
    from amlwizard.scenarios import load_scenario

    scenario = load_scenario("v2-429-concurrency")
    triage = open_wizard(scenario.name, service=scenario.service_name)
    triage.go(2)
    with busy(scenario):  # two callers in flight already: the ceiling of one instance
        triage.call.send_button.click()
    answer = html.unescape(triage.call.answer.value)
    assert "429 Too Many Requests" in answer
    assert "too-many-requests-429" in [f.id for f in triage.session.findings]
    assert (
        "more than 2 x max_concurrent_requests_per_instance (1) x instance_count (1) = 2 requests" in answer
    )


def test_the_call_pins_the_v2_deployment_and_not_a_v1_service(open_wizard):
    triage = open_wizard("v2-healthy-managed", service="v2-healthy-managed/blue")
    backend = triage.session.backend
    assert endpoint_of(backend, "v2-healthy-managed/blue").headers()["azureml-model-deployment"] == "blue"
    assert "azureml-model-deployment" not in endpoint_of(backend, "healthy-aks").headers()


def test_the_load_probe_of_a_v2_endpoint_says_what_its_429s_mean(open_wizard):
    triage = open_wizard("v2-429-concurrency", service="v2-429-concurrency/blue")
    triage.probe_button.click()
    replicas = host_of(triage.session).current
    probe = replicas.probe
    probe.rps.value, probe.seconds.value = 5, 2
    probe.start_button.click()
    assert replicas.error_text == ""
    summary = html.unescape(probe.summary.value)
    assert "429" in summary and "done" in summary
    assert "429 Too Many Requests: more than 2 x max_concurrent_requests_per_instance (1)" in summary
    answers = dict(a.split(": ") for a in replicas.session.results["probe"]["answers"].split(", "))
    assert int(answers["429"]) > int(answers["200"]) > 0  # the ceiling's two served, the rest refused
    # nothing scales a managed deployment: no simulator plot to draw (its 429 ceiling is the summary's)
    assert "no autoscaler to simulate" in probe.comparison_note.value and probe.comparison_box.children == ()
    # run()'s time (1.5 s a request) is what sizes the deployment, not the refusals' few milliseconds
    measured = replicas.session.state["probe"]
    assert 1500 <= measured["run_ms"] < 2500 and measured["slowest_ms"] >= measured["run_ms"]  # 1.5 s each
    advice = html.unescape(probe.advice.value)  # a managed deployment: its sizing, not an AKS autoscaler's
    assert "429 ceiling" in advice and "ManagedOnlineDeployment(" in advice and "AksWebservice" not in advice


def test_run_time_measured_by_the_probe_sizes_the_managed_deployment(open_wizard):
    replicas = open_wizard("v2-healthy-managed", "replicas", service="v2-healthy-managed/blue")
    replicas.go(1)
    replicas.probe.rps.value, replicas.probe.seconds.value = 5, 2
    replicas.probe.start_button.click()
    assert replicas.error_text == ""
    measured = replicas.session.state["probe"]
    assert replicas.managed.request_seconds.value == pytest.approx(measured["run_ms"] / 1000)
    assert (
        f"run() {replicas.managed.request_seconds.value:g} s" in replicas.session.results["replicas"]["load"]
    )


def test_the_probe_simulates_a_kubernetes_deployment_as_it_scales():
    from amlwizard.backends import AutoscaleSettings, ServiceDetails
    from amlwizard.calls import probe_settings

    def k8s(**kw):
        return ServiceDetails(name="e/blue", compute_type="Kubernetes", state="Succeeded", created_time=None,
                              sdk="v2", num_replicas=3, **kw)  # fmt: skip

    fixed = probe_settings(k8s())  # scale type Default: its instance_count, no autoscaler
    assert (fixed.autoscale_min_replicas, fixed.autoscale_max_replicas) == (3, 3)
    target = probe_settings(k8s(autoscale=AutoscaleSettings(True, 1, 5, 60, 1)))  # TargetUtilization
    assert (target.autoscale_max_replicas, target.autoscale_target_utilization) == (5, 60)
    managed = ServiceDetails(name="e/blue", compute_type="Managed", state="Succeeded", created_time=None,
                             sdk="v2")  # fmt: skip
    assert probe_settings(managed) is None  # no autoscaler to simulate
