"""Fetch logs on every SDK v2 scenario: both containers, the CLI v2 and SDK v2 calls with the real names, a
container that is not running said in one line with the way to reproduce it locally."""

from __future__ import annotations

import html
import re

import pytest

from amlwizard import capture
from amlwizard.backends._capture import forget_captures
from amlwizard.scenarios import load_scenario
from amlwizard.wizards import host_of

CONTAINERS = ["inference-server", "storage-initializer"]


@pytest.fixture(autouse=True)
def _no_captures_left():
    forget_captures()
    yield
    forget_captures()


def _last_line(text: str) -> str:
    return html.escape(text.rstrip("\n").splitlines()[-1].strip())


def test_both_containers_of_every_v2_deployment_are_shown(open_wizard, v2_scenario):
    logs = open_wizard(v2_scenario.name, "logs")  # the endpoint alone: its deployment with the most traffic
    assert logs.error_text == ""
    assert [value for _, value in logs.kind.options] == CONTAINERS
    for container, text in zip(CONTAINERS, (v2_scenario.main_log(), v2_scenario.init_log()), strict=True):
        logs.kind.value = container
        # the recorded log; the inference server's goes on with what its scoring server logged, once called
        shown = int(re.search(rf"{container}: (\d+) lines", logs.info.value).group(1))
        recorded = len(text.splitlines())
        assert shown == recorded if container == "storage-initializer" else shown >= recorded
        assert _last_line(text) in logs.view.value


def test_the_cli_v2_and_sdk_v2_calls_carry_the_real_names(open_wizard, v2_scenario):
    logs = open_wizard(v2_scenario.name, "logs")
    logs.go(1)
    howto = html.unescape(logs.howto.value)
    e = v2_scenario.name
    assert f"az ml online-deployment get-logs -e {e} -n blue -l 5000\n" in howto
    assert f"az ml online-deployment get-logs -e {e} -n blue -l 5000 --container storage-initializer" in howto
    call = f'ml_client.online_deployments.get_logs(name="blue", endpoint_name="{e}", lines=5000'
    assert f"{call}))" in howto
    assert f'{call}, container_type="storage-initializer"))' in howto
    assert "az ml service get-logs" not in howto  # not the v1 command
    logs.lines.value = 200  # the snippets ask for as many lines as the wizard does
    assert f"get-logs -e {e} -n blue -l 200" in html.unescape(logs.howto.value)


def test_a_container_that_is_not_running_is_explained_and_routes_to_local(open_wizard, v2_scenario):
    logs = open_wizard(v2_scenario.name, "logs")
    for container, text in zip(CONTAINERS, (v2_scenario.main_log(), v2_scenario.init_log()), strict=True):
        logs.kind.value = container
        stopped = text.startswith("No logs:")  # what the service answers for a container never started
        assert (logs.not_running_box.layout.display is None) == stopped, container
        if stopped:
            note = logs.not_running_note.value
            assert f"The {container} container is not running" in note and "reproduce it locally" in note
    if v2_scenario.main_log().startswith("No logs:"):
        logs.kind.value = "inference-server"
        logs.local_button.click()
        host = host_of(logs.session)
        assert host.current.name == "local"
        assert any("opened local reproduction" in step["action"] for step in logs.session.steps)


def test_a_findings_fetch_logs_button_jumps_to_its_evidence_in_the_container(open_wizard):
    triage = open_wizard("v2-model-dir", "triage")
    finding = triage.session.findings[0]
    assert finding.facts["source"] == "inference-server log"
    card = triage.findings.children[0]
    next(b for b in card.children[1].children if b.description == "Next step: Fetch logs").click()
    logs = host_of(triage.session).current
    line = finding.evidence[0].line
    assert logs.name == "logs" and logs.jump.value == ("inference-server", line)
    assert f"around evidence line {line}" in logs.info.value


def test_the_captured_create_error_is_shown_beside_the_containers(open_wizard, workshop):
    ml = workshop.ml_client
    deployment = ml.online_deployments.get("blue", "v2-resource-not-ready")
    capture(lambda: ml.online_deployments.begin_create_or_update(deployment), ml_client=ml, raise_error=False)
    triage = open_wizard("v2-resource-not-ready", "triage")
    assert triage.session.logs["create error"].startswith("ResourceNotReady")
    triage.open_wizard("logs")
    logs = host_of(triage.session).current
    assert [value for _, value in logs.kind.options] == [*CONTAINERS, "create error"]
    logs.kind.value = "create error"
    assert "Liveness probe failed" in logs.view.value
    # the finding read in the create error jumps there
    assert ("create error", 1) in [value for _, value in logs.jump.options]


def test_a_finding_of_a_call_jumps_to_the_inference_server_log(open_wizard):
    triage = open_wizard("v2-424-model-error", "triage")
    triage.go(2)
    triage.call.request.value = (
        load_scenario("v2-424-model-error").app_dir / "sample-request.json"
    ).read_text()
    triage.call.send()
    host_of(triage.session).wait(60)
    # what the call step diagnoses names the scoring container's log "main log", as for a v1 service
    finding = next(f for f in triage.session.findings if f.facts.get("source") == "main log" and f.evidence)
    triage.open_wizard("logs", finding=finding)
    logs = host_of(triage.session).current
    assert logs.jump.value == ("inference-server", finding.evidence[0].line)


def test_a_try_again_later_answer_is_explained_and_the_other_container_still_shown(open_wizard, workshop):
    # the service refuses the logs of a container that is not running; the wording here is an example,
    # what amlwizard relies on is "try again later" (see the SDK v2 reference)
    body = {
        "error": {"code": "BadRequest", "message": "The container is not running. Please try again later."}
    }
    with workshop.emulator.fault("deployment-logs", 400, body=body, times=1):
        # the first container asked: inference-server
        logs = open_wizard("v2-resource-not-ready", "logs", service="v2-resource-not-ready/blue")
    assert logs.error_text == ""
    logs.kind.value = "inference-server"
    assert logs.not_running_box.layout.display is None
    assert "try again later" in logs.not_running_note.value.lower()
    logs.kind.value = "storage-initializer"
    assert logs.not_running_box.layout.display == "none" and "storage-initializer" in logs.view.value


def test_another_refusal_of_the_logs_is_one_line_not_a_container_not_running(open_wizard, workshop):
    with workshop.emulator.fault("deployment-logs", 403, times=2):
        logs = open_wizard("v2-resource-not-ready", "logs", service="v2-resource-not-ready/blue")
    assert logs.error_text and "\n" not in logs.error_text
    assert logs.not_running_box.layout.display == "none"
