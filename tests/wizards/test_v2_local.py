"""Deploy locally, SDK v2: every v2 scenario's app in the real azmlinfsrv with AZUREML_MODEL_DIR laid out as
the container has it, init()'s measured time against the deployment's liveness and readiness probes, and
run()'s failures named as the managed endpoint answers them (424, 408)."""

from __future__ import annotations

import html
from dataclasses import asdict

from amlwizard.backends import ServiceDetails
from amlwizard.session import TroubleshootSession
from amlwizard.wizards import open_wizards

# init() fails locally as in the container (tests/test_scenario_apps.py runs every app's own checks)
FAILS_AT_INIT = {
    "v2-resource-not-ready": "could not convert string to float: 'high'",
    "v2-model-dir": "FileNotFoundError",
}


def _start(open_wizard, scenario):
    local = open_wizard(scenario.name, "local", service=scenario.service_name)
    local.start_button.click()
    assert local.error_text == "" or scenario.name in FAILS_AT_INIT
    return local


def test_every_v2_app_is_served_and_its_probes_checked(open_wizard, v2_scenario):
    local = _start(open_wizard, v2_scenario)
    health = html.unescape(local.health.value)
    if v2_scenario.name in FAILS_AT_INIT:
        assert health.startswith("✖") and FAILS_AT_INIT[v2_scenario.name] in health
        assert local.probes.value == ""  # init() never ended: nothing to weigh the probes against
        return
    assert health.startswith("✔ healthy in")
    probes = html.unescape(local.probes.value)
    # the deployment's probes (the defaults here) against the measured start: they hold
    assert "✔ <b>liveness</b>: init() took" in probes and "10 + 30 x 10 = 310 s: it holds" in probes
    assert "✔ <b>readiness</b>" in probes
    assert "probes: the probes wait long enough" in local.session.results["local"]["start"]


def test_the_model_dir_is_laid_out_as_the_container_has_it(open_wizard):
    from amlwizard.scenarios import load_scenario

    local = _start(open_wizard, load_scenario("v2-model-dir"))
    log = html.unescape(local.log.value)
    # the script opened $AZUREML_MODEL_DIR/model.json; the registered folder put it at .../1/model/model.json
    assert "azureml-models/credit-v2/1/model.json" in log and "FileNotFoundError" in log


def test_a_run_failure_answers_424_as_a_managed_endpoint_does(open_wizard):
    from amlwizard.scenarios import load_scenario

    local = _start(open_wizard, load_scenario("v2-424-model-error"))
    local.send_button.click()
    response = local.response.value
    assert "HTTP 500" in response and "as deployed: <b>HTTP 424</b>" in response
    assert "ms-azureml-model-error-statuscode: 500" in response


def test_a_slow_init_with_probes_that_give_up_first_is_named_with_the_numbers(tmp_path):
    (tmp_path / "model.json").write_text("{}")
    (tmp_path / "score.py").write_text(
        "import time\n\n\ndef init():\n    time.sleep(3)\n\n\ndef run(raw):\n    return raw\n"
    )
    session = TroubleshootSession({"kind": "text", "service": "slow/blue"})
    quick = {"initial_delay": 1, "period": 1, "timeout": 1, "failure_threshold": 1, "success_threshold": 1}
    details = ServiceDetails(
        name="slow/blue", compute_type="Managed", state="Failed", created_time=None, sdk="v2", endpoint="slow",
        deployment="blue", liveness_probe=quick, readiness_probe=None,
    )  # fmt: skip
    session.state["service"] = asdict(details)
    host = open_wizards(session, "local", threaded=False)
    try:
        local = host.current
        local.score_path.value = str(tmp_path / "score.py")
        local.model_dir.value, local.model_ref.value = str(tmp_path / "model.json"), "slow-model:1"
        local.start_button.click()
        assert local.health.value.startswith("✔ healthy")
        probes = html.unescape(local.probes.value)
        assert "✖ <b>liveness</b>: init() took" in probes
        assert "its liveness probe gives up after 1 + 1 x 1 = 2 s" in probes and "ResourceNotReady" in probes
        assert (
            "deployment = ManagedOnlineDeployment(..., liveness_probe=ProbeSettings(initial_delay=" in probes
        )
        assert "liveness_probe:\n  initial_delay: " in probes  # the YAML too
        assert "✔ <b>readiness</b>" in probes and "default readiness probe waits up to 10 + 30 x 10" in probes
        assert "gives up after 1 + 1 x 1 = 2 s" in session.results["local"]["start"]
    finally:
        host.close()


def test_where_docker_runs_the_v2_local_endpoint_code_builds_the_deployment():
    from azure.ai.ml.entities import ManagedOnlineDeployment

    from amlwizard.local import LocalEngineChoice, scenario_app
    from amlwizard.wizards._advanced import engine_html

    app = scenario_app("v2-model-dir")
    choice = LocalEngineChoice(engine="docker", docker_available=True, message="Docker answers")
    shown = html.unescape(
        engine_html(
            choice,
            service="v2-model-dir/blue",
            model="credit-v2:1",
            score=str(app.score_path),
            conda_file=str(app.conda_file),
            model_files=str(app.model_files),
        )
    )
    assert "azure-ai-ml's local endpoint" in shown and "LocalWebservice" not in shown
    code = shown.split("<pre class='amlw-code'")[1].split(">", 1)[1].split("</pre>")[0]
    scope: dict = {}
    imports = code.split("ml_client = ")[0]  # the entities, without a workspace to send them to
    entity = "deployment = " + code.split("deployment = ")[1].split("ml_client.")[0]
    exec(imports + entity, scope)  # noqa: S102 - our own snippet, as a user pastes it
    deployment = scope["deployment"]
    assert isinstance(deployment, ManagedOnlineDeployment) and deployment.endpoint_name == "v2-model-dir"
    assert deployment.code_configuration.scoring_script == "score.py"


def test_an_init_still_running_when_the_local_wait_ends_is_weighed_against_the_probes(tmp_path):
    (tmp_path / "score.py").write_text(
        "import time\n\n\ndef init():\n    time.sleep(60)\n\n\ndef run(raw):\n    return raw\n"
    )
    session = TroubleshootSession({"kind": "text", "service": "slow/blue"}, timeout=3)
    quick = {"initial_delay": 1, "period": 1, "timeout": 1, "failure_threshold": 1, "success_threshold": 1}
    session.state["service"] = asdict(
        ServiceDetails(
            name="slow/blue",
            compute_type="Kubernetes",
            state="Failed",
            created_time=None,
            sdk="v2",
            liveness_probe=quick,
        )  # fmt: skip
    )
    host = open_wizards(session, "local", threaded=False)
    try:
        local = host.current
        local.score_path.value = str(tmp_path / "score.py")
        local.start_button.click()
        assert "not healthy after 3 s" in local.health.value
        probes = html.unescape(local.probes.value)
        assert (
            "✖ <b>liveness</b>: init() was still running after 3 s; its liveness probe gives up after"
            in probes
        )
        assert "KubernetesOnlineDeployment(..., liveness_probe=ProbeSettings(" in probes
        assert "⚠ <b>readiness</b>: init() was still running after 3 s (the local wait)" in probes
    finally:
        host.close()


def test_the_deployments_environment_variables_reach_init_as_in_its_container(tmp_path):
    (tmp_path / "model.json").write_text("{}")
    (tmp_path / "score.py").write_text(
        "import os\n\n\ndef init():\n    if os.environ.get('CHURN_MODE') != 'strict':\n"
        "        raise ValueError('CHURN_MODE is not set')\n\n\ndef run(raw):\n    return raw\n"
    )
    session = TroubleshootSession({"kind": "text", "service": "churn/blue"})
    details = ServiceDetails(
        name="churn/blue", compute_type="Managed", state="Failed", created_time=None, sdk="v2", endpoint="churn",
        deployment="blue", environment_variables={"CHURN_MODE": "strict"},
    )  # fmt: skip
    session.state["service"] = asdict(details)
    host = open_wizards(session, "local", threaded=False)
    try:
        local = host.current
        local.score_path.value = str(tmp_path / "score.py")
        local.model_dir.value, local.model_ref.value = str(tmp_path / "model.json"), "churn:1"
        local.start_button.click()
        assert local.health.value.startswith("✔ healthy"), local.health.value
    finally:
        host.close()
