"""Triage on every SDK v2 scenario, through the real azure-ai-ml client and the emulator's v2 routes; and the
magic's ENDPOINT[/DEPLOYMENT] forms.

A user meets a v2 failure as Azure shows it: a failed create/update is kept by ``amlwizard.capture`` (a later
read says only "Failed"), a scoring failure shows when the deployment is called. The tests do the same.
"""

from __future__ import annotations

import contextlib
import re

import pytest
from IPython.core.error import UsageError
from IPython.testing import globalipapp

from amlwizard import TroubleshootSession, capture
from amlwizard._finding import Finding
from amlwizard.backends._capture import forget_captures
from amlwizard.wizards import host_of, open_wizards
from amlwizard.wizards._widgets import v2_stage

# the guide's step a scenario.json expects -> the v2 stage the strip must mark failed
STAGE = {2: "image build", 3: "image pull", 4: "model download", 5: "init()", 6: "scoring"}
# healthy deployments whose failure only a call shows (the answer: 408; 429 when other callers keep it busy)
CALL_TELLS = {"v2-408-timeout", "v2-429-concurrency"}
BURSTS = {"v2-429-concurrency"}
SOURCES = {
    "create error",
    "inference-server log",
    "storage-initializer log",
    "image build log",
    "call answer",
}


@pytest.fixture(autouse=True)
def _no_captures_left():
    forget_captures()
    yield
    forget_captures()


def capture_failed_create(workshop, scenario, session=None):
    """What a user does when a create fails: run it again under amlwizard.capture (Azure says why only
    in that answer)."""
    if not scenario.operation.get("error"):
        return
    ml = workshop.ml_client
    deployment = ml.online_deployments.get("blue", scenario.name)
    capture(lambda: ml.online_deployments.begin_create_or_update(deployment), ml_client=ml,
            session=session, raise_error=False)  # fmt: skip


def failed_stages(strip: str) -> list[str]:
    return re.findall(r"class='amlw-step amlw-step-failed'[^>]*data-stage='([^']+)'", strip)


def ok_stages(strip: str) -> list[str]:
    return re.findall(r"class='amlw-step amlw-step-ok'[^>]*data-stage='([^']+)'", strip)


def call_with_sample(triage, scenario, others=contextlib.nullcontext):
    """Call the service step, with the scenario's sample request in the box (as a user pastes it), sent while
    ``others(scenario)`` holds (other callers)."""
    triage.go(2)
    triage.call.request.value = (scenario.app_dir / "sample-request.json").read_text()
    with others(scenario):
        triage.call.send()
        host_of(triage.session).wait(60)


def test_triage_names_each_v2_failure_and_marks_its_stage(open_wizard, workshop, busy, v2_scenario):
    capture_failed_create(workshop, v2_scenario)
    triage = open_wizard(v2_scenario.name, "triage")  # the endpoint alone: its deployment is chosen
    s = triage.session
    assert triage.error_text == ""
    assert s.service == v2_scenario.service_name == f"{v2_scenario.name}/blue"
    assert "deployment &#x27;blue&#x27; (it takes 100% of the traffic)" in triage.summary.value
    kind = f"v2 online deployment ({v2_scenario.target})"
    assert kind in triage.summary.value
    assert "amlw-steps amlw-steps-v2" in triage.strip.value
    assert [c for c in re.findall(r"data-stage='([^']+)'", triage.strip.value)] == [
        "image build", "image pull", "model download", "init()", "probes", "scoring"]  # fmt: skip
    expected = v2_scenario.expected
    if expected is None or v2_scenario.name in CALL_TELLS:  # nothing failed in what was fetched
        assert failed_stages(triage.strip.value) == []
        assert ok_stages(triage.strip.value) == ["image build", "image pull", "model download", "init()",
                                                 "probes"]  # fmt: skip
        assert "is healthy" in triage.health.value
        call_with_sample(triage, v2_scenario, busy if v2_scenario.name in BURSTS else contextlib.nullcontext)
        if expected is None:
            assert failed_stages(triage.strip.value) == [] and len(ok_stages(triage.strip.value)) == 6
            return
    found = s.findings[0]
    assert expected["finding"] in (found.id, found.family), [(f.id, f.family) for f in s.findings]
    assert failed_stages(triage.strip.value) == [STAGE[expected["step"]]]
    assert f"failed at: {STAGE[expected['step']]}" in triage.strip.value
    # where the finding came from is on its card
    card = triage.findings.children[0].children[0].value
    assert found.facts["source"] in SOURCES
    assert f"found in: <b>{found.facts['source']}</b>" in card


def test_v1_services_and_v2_deployments_are_listed_side_by_side_each_marked(open_wizard):
    triage = open_wizard("healthy-aks")
    labels = {v: k for k, v in triage.services.options}
    assert "· v1 web service (AKS) ·" in labels["healthy-aks"]
    assert "· v2 online deployment (Managed) · Succeeded" in labels["v2-healthy-managed/blue"]
    assert labels["v2-healthy-managed/blue"].startswith("✔")
    assert "· v2 online deployment (Kubernetes) · Failed" in labels["v2-k8s-oom/blue"]
    assert labels["v2-k8s-oom/blue"].startswith("✖")
    assert "amlw-steps-v2" not in triage.strip.value  # a v1 service keeps the guide's six steps
    assert "data-step='5'" in triage.strip.value


def test_a_failed_deployment_without_its_captured_error_says_how_to_get_it(open_wizard):
    triage = open_wizard("v2-out-of-quota")
    assert "Failed" in triage.summary.value and "amlw-no-capture" in triage.summary.value
    assert "amlwizard.capture(" in triage.summary.value


def test_a_capture_saved_in_the_session_is_diagnosed_in_another_kernel(workshop):
    from amlwizard.scenarios import load_scenario

    session = TroubleshootSession({"kind": "workshop", "service": "v2-out-of-quota/blue"}, timeout=60)
    capture_failed_create(workshop, load_scenario("v2-out-of-quota"), session=session)
    forget_captures()  # what this process kept is gone (another kernel): the session still holds it
    session.set_findings([])
    host = open_wizards(session, "triage", threaded=False)
    host.wait(60)
    triage = host.current
    assert session.findings[0].id == "out-of-quota" and session.findings[0].facts["source"] == "create error"
    assert failed_stages(triage.strip.value) == ["image pull"]
    assert "amlw-no-capture" not in triage.summary.value
    host.close()


def test_a_probe_finding_marks_the_probes_stage():
    probe = Finding(id="liveness-probe-failed", family="service-launch-crashloop", title="t", step=5,
                    confidence=0.9)  # fmt: skip
    crash = Finding(id="resource-not-ready", family="service-launch-crashloop", title="t", step=5,
                    confidence=0.9)  # fmt: skip
    assert (v2_stage(probe), v2_stage(crash)) == ("probes", "init()")


# -- the magic -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def ip():
    shell = globalipapp.start_ipython() or globalipapp.get_ipython()  # one shell a process: maybe started
    shell.run_line_magic("load_ext", "amlwizard")
    yield shell
    shell.run_line_magic("unload_ext", "amlwizard")


@pytest.fixture
def magic(ip, tmp_path, monkeypatch):
    """run(line) -> the session the magic made, its wizard done; from the default settings (another
    module's test may have changed them), in an empty folder; hosts closed after the test."""
    from amlwizard._magic import AmlWizard

    monkeypatch.chdir(tmp_path)
    settings = next(c for c in ip.configurables if isinstance(c, AmlWizard))
    for name in ("log_lines", "default_wizard", "workshop", "timeout", "threaded"):
        settings.set_trait(name, settings.trait_defaults(name))
    sessions = []

    def run(line):
        session = ip.run_line_magic("aml_troubleshoot", line)
        sessions.append(session)
        host_of(session).wait(60)
        return session

    yield run
    for session in sessions:
        host_of(session).close()


@pytest.mark.parametrize(
    "line",
    [
        "--workshop v2-resource-not-ready",
        "--workshop v2-resource-not-ready/blue",
        "--workshop --endpoint v2-resource-not-ready",
        "--workshop --endpoint v2-resource-not-ready --deployment blue",
        "--workshop --scenario v2-resource-not-ready",
        "--workspace {config} v2-resource-not-ready/blue",
        "--workspace {config} --endpoint v2-resource-not-ready --deployment blue",
    ],
)
def test_the_magic_opens_an_online_deployment(magic, workshop, line):
    s = magic(line.format(config=workshop.config_path))
    assert s.service == "v2-resource-not-ready/blue"
    assert (s.target["sdk"], s.target["endpoint"], s.target["deployment"]) == (
        "v2", "v2-resource-not-ready", "blue")  # fmt: skip
    triage = host_of(s).current
    assert triage.name == "triage" and triage.error_text == ""
    assert s.findings[0].family == "service-launch-crashloop"
    assert "amlw-steps-v2" in triage.strip.value


def test_an_endpoint_alone_in_a_workspace_means_its_deployment_with_the_most_traffic(magic, workshop):
    s = magic(f"--workspace {workshop.config_path} --endpoint v2-model-dir")
    triage = host_of(s).current
    assert s.service == "v2-model-dir/blue" and triage.error_text == ""
    assert "deployment &#x27;blue&#x27; (it takes 100% of the traffic)" in triage.summary.value
    assert any("chose a deployment" in step["action"] for step in s.steps)


@pytest.mark.parametrize(
    "line, says",
    [
        ("--workshop --endpoint v2-model-dir/blue", "give the endpoint's name; the deployment: --deployment"),
        ("--workshop --deployment blue", "--deployment needs --endpoint"),
        ("--workshop healthy-aks --endpoint v2-model-dir", "not both"),
        ("--workshop v2-model-dir/green", "has no deployment 'green'; its deployment: blue"),
        ("--workshop v2-model-dir/blue/x", "give ENDPOINT or ENDPOINT/DEPLOYMENT"),
        ("--workshop --endpoint no-such-endpoint", "no workshop scenario 'no-such-endpoint'"),
    ],
)
def test_bad_names_are_one_line_usage_errors(ip, magic, line, says):
    with pytest.raises(UsageError) as err:
        ip.run_line_magic("aml_troubleshoot", line)
    assert says in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize(
    "name, says",
    [
        (
            "no-such-endpoint/blue",
            "no online endpoint 'no-such-endpoint' in this workspace; online endpoints: ",
        ),
        (
            "v2-model-dir/green",
            "online endpoint 'v2-model-dir' has no deployment 'green'; its deployments: blue",
        ),
    ],
)
def test_an_unknown_endpoint_or_deployment_names_those_that_exist(magic, workshop, name, says):
    s = magic(f"--workspace {workshop.config_path} {name}")
    triage = host_of(s).current
    assert says in triage.error_text and "\n" not in triage.error_text
    if name.startswith("no-such"):
        assert "v2-healthy-managed" in triage.error_text
    assert triage.step == 0 and len(triage.services.options) >= 11  # the list is there to choose from


def test_a_workshop_deployment_named_alone_finds_its_scenario_app():
    """What Deploy locally and Inspect model path prefill from, for a session that names only the deployment."""
    from amlwizard.wizards._widgets import workshop_app

    app = workshop_app(TroubleshootSession({"kind": "workshop", "service": "v2-model-dir/blue"}))
    assert app is not None and app.name == "v2-model-dir" and app.model_name == "credit-v2"
