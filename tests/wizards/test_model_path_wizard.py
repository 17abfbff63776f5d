"""Inspect model path: the real Model.get_model_path on every scenario's files, and on a registered model."""

from __future__ import annotations

from amlwizard.session import TroubleshootSession
from amlwizard.wizards import open_wizards


def test_every_scenarios_model_path_is_inspected(open_wizard, scenario):
    wizard = open_wizard(scenario.name, "model-path")
    assert wizard.model_name.value == scenario.model["name"]
    assert wizard.model_version.value == scenario.model["version"]
    wizard.inspect_button.click()
    assert wizard.error_text == "" and wizard.step == 1
    assert "azureml-models/" in wizard.tree.value and f"{scenario.model['name']}/" in wizard.tree.value
    result = wizard.session.results["model-path"]
    if scenario.expected_family == "model-path-not-found":
        assert wizard.result.value.startswith("✖") and "ModelNotFoundException" in wizard.result.value
        assert "The fix" in wizard.fix.value and "credit-model" in wizard.fix.value
        assert wizard.findings.children and "amlw-finding" in wizard.findings.children[0]._dom_classes
        assert result["fix"] != "none needed"
    else:
        assert wizard.result.value.startswith("✔"), wizard.result.value
        assert result["fix"] == "none needed"
    assert "Model.get_model_path(model_name=" in wizard.fix.value  # the guide's check, always shown


def test_the_registered_model_is_fetched_from_the_workspace(open_wizard):
    wizard = open_wizard("model-path-not-found", "model-path")
    wizard.source.value = "Registered model in the workspace"
    assert wizard.files_row.layout.display == "none"
    wizard.inspect_button.click()
    assert wizard.error_text == ""
    assert "ModelNotFoundException" in wizard.result.value and "credit-model" in wizard.fix.value
    assert "downloaded credit-model:1" in wizard.tree.value


def test_missing_inputs_are_one_line():
    wizard = open_wizards(TroubleshootSession({"kind": "text"}), "model-path", threaded=False).current
    wizard.inspect_button.click()
    assert "model's name" in wizard.error_text
    wizard.model_name.value = "m"
    wizard.next_button.click()
    assert "folder (or file)" in wizard.error_text and wizard.step == 0
