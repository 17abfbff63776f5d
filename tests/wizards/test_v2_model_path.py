"""Inspect model path on SDK v2 deployments: what AZUREML_MODEL_DIR holds, what score.py opens, the fix."""

from __future__ import annotations

import html

from amlwizard.session import TroubleshootSession
from amlwizard.wizards import open_wizards


def _text(widget) -> str:
    return html.unescape(widget.value)


def test_every_v2_scenarios_model_dir_is_inspected(open_wizard, v2_scenario):
    wizard = open_wizard(v2_scenario.name, "model-path")
    model = v2_scenario.model
    assert (wizard.model_name.value, wizard.model_version.value) == (model["name"], model["version"])
    wizard.inspect_button.click()
    assert wizard.error_text == "" and wizard.step == 1
    where = f"/var/azureml-app/azureml-models/{model['name']}/{model['version']}"
    assert where in _text(wizard.result)  # AZUREML_MODEL_DIR as the container has it
    assert "$AZUREML_MODEL_DIR/" in _text(wizard.tree)  # its files, as the container lists them
    assert "Model.get_model_path" not in _text(wizard.fix)  # a v2 container has no v1 resolver to check
    result = wizard.session.results["model-path"]
    if v2_scenario.name == "v2-model-dir":
        assert _text(wizard.result).startswith("✖")
    else:  # the scenario fails elsewhere: its script opens what the container has
        assert _text(wizard.result).startswith("✔"), wizard.result.value
        assert result["fix"] == "none needed"


def test_the_nested_folder_gets_its_fix(open_wizard):
    wizard = open_wizard("v2-model-dir", "model-path")
    wizard.inspect_button.click()
    problems, fix = _text(wizard.problems), _text(wizard.fix)
    assert "$AZUREML_MODEL_DIR/model.json" in problems and "✖ not there" in problems
    assert "registered as the folder 'model'" in problems
    assert "$AZUREML_MODEL_DIR/model/model.json" in problems
    assert '+ path = os.path.join(os.getenv("AZUREML_MODEL_DIR"), "model", "model.json")' in fix
    assert '- path = os.path.join(os.getenv("AZUREML_MODEL_DIR"), "model.json")' in fix
    assert "$AZUREML_MODEL_DIR/model/model.json" in _text(wizard.tree)
    card = wizard.findings.children[0]
    assert "amlw-finding" in card._dom_classes and "model-file-missing" in card.children[0].value
    assert wizard.session.results["model-path"]["fix"].endswith('"model", "model.json")')


def test_a_v1_script_being_migrated_gets_its_azureml_model_dir_rewrite(open_wizard, tmp_path):
    script = tmp_path / "score.py"
    script.write_text(
        "import os\nfrom azureml.core.model import Model\n\n\ndef init():\n"
        '    path = Model.get_model_path("credit-v2")\n'
    )
    wizard = open_wizard("v2-model-dir", "model-path")
    wizard.score_path.value = str(script)
    wizard.inspect_button.click()
    assert _text(wizard.result).startswith("✖")
    assert "SDK v1 (azureml-core)" in _text(wizard.problems)
    moving = _text(wizard.migration)
    assert '- path = Model.get_model_path("credit-v2")' in moving
    assert '+ path = os.path.join(os.getenv("AZUREML_MODEL_DIR"), "model")' in moving


def test_a_v1_scenario_shows_the_v2_rewrite_beside_the_v1_fix(open_wizard):
    wizard = open_wizard("model-path-not-found", "model-path")
    wizard.inspect_button.click()
    assert "ModelNotFoundException" in wizard.result.value  # the v1 inspection is unchanged
    moving = _text(wizard.migration)
    assert "Moving to SDK v2" in moving
    assert '+ path = os.path.join(os.getenv("AZUREML_MODEL_DIR"), "model.json")' in moving


def test_a_v2_service_without_the_workshop_is_recognised_by_its_name(tmp_path):
    session = TroubleshootSession({"kind": "text", "service": "my-endpoint/blue"})
    wizard = open_wizards(session, "model-path", threaded=False).current
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "m.pkl").write_text("x")
    (tmp_path / "score.py").write_text(
        'import os\n\ndef init():\n    open(os.path.join(os.environ["AZUREML_MODEL_DIR"], "m.pkl"))\n'
    )
    wizard.model_name.value, wizard.model_version.value = "m", 3
    wizard.model_files.value, wizard.score_path.value = str(tmp_path / "model"), str(tmp_path / "score.py")
    wizard.inspect_button.click()
    assert "/var/azureml-app/azureml-models/m/3" in _text(wizard.result)
    assert '+ open(os.path.join(os.environ["AZUREML_MODEL_DIR"], "model", "m.pkl"))' in _text(wizard.fix)


def test_a_path_joined_onto_a_name_holding_the_folder_is_checked_too(open_wizard, tmp_path):
    script = tmp_path / "score.py"
    script.write_text(
        'import os\n\nmodel_dir = os.environ["AZUREML_MODEL_DIR"]\n\n\ndef init():\n'
        '    path = os.path.join(model_dir, "model.json")\n'
    )
    wizard = open_wizard("v2-model-dir", "model-path")
    wizard.score_path.value = str(script)
    wizard.inspect_button.click()
    assert "$AZUREML_MODEL_DIR/model.json" in _text(wizard.problems)
    assert '+ path = os.path.join(model_dir, "model", "model.json")' in _text(wizard.fix)
