"""The model-path inspector runs the real Model.get_model_path and explains each mismatch in plain words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from amlwizard import UsageProblem
from amlwizard.modelpath import inspect_model_path, inspect_remote_model

SCENARIOS = Path(__file__).resolve().parent.parent / "amlwizard" / "scenarios"


def _root(tmp_path: Path, *files: str) -> Path:
    for rel in files:
        path = tmp_path / "azureml-models" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}")
    return tmp_path


def test_resolves_like_the_container(tmp_path):
    app = SCENARIOS / "healthy-aks" / "app"
    registered = app / "model" / "model.json"  # what the scenario registered: one file
    report = inspect_model_path("sklearn-diabetes", 3, model_files=registered, script=app / "score.py")
    assert report.ok and report.findings == []
    assert report.resolved_path.endswith("azureml-models/sklearn-diabetes/3/model.json")
    assert any("Found model path at" in line for line in report.resolver_log)
    assert report.tree == ["azureml-models/", "  sklearn-diabetes/", "    3/", "      model.json"]


def test_wrong_name_suggests_the_registered_one():
    app = SCENARIOS / "model-path-not-found" / "app"
    registered = app / "model" / "model.json"
    report = inspect_model_path("credit-model", 1, model_files=registered, script=app / "score.py")
    assert report.asked_name == "credit_model" and report.resolved_path is None
    assert report.exception.startswith("ModelNotFoundException: Model credit_model not found")
    assert report.fix == "Model.get_model_path('credit-model')"
    (finding,) = report.findings
    assert (finding.family, finding.step) == ("model-path-not-found", 5)
    assert any("Checking root for credit_model" in e.text for e in finding.evidence)
    assert json.loads(json.dumps(report.to_dict()))["ok"] is False


def test_a_registered_folder_keeps_its_name_as_model_register_lays_it_out(tmp_path):
    """Model.register(model_path="model-1/model") -> azureml-models/model-1/1/model/...: the real resolver
    returns the folder, whose files are under it (not flat in the version folder)."""
    folder = tmp_path / "model-1" / "model"
    folder.mkdir(parents=True)
    (folder / "weights.json").write_text("{}")
    report = inspect_model_path("model-1", 1, model_files=folder)
    assert report.ok and report.resolved_path.endswith("azureml-models/model-1/1/model")
    assert report.tree == ["azureml-models/", "  model-1/", "    1/", "      model/", "        weights.json"]


def test_version_as_a_string_is_refused_by_the_resolver(tmp_path):
    report = inspect_model_path("m", "1", app_root=_root(tmp_path, "m/1/model.json"))
    assert report.exception == "WebserviceException: version should be an int"
    assert report.fix == "Model.get_model_path('m', version=1)"


def test_missing_version_lists_what_exists(tmp_path):
    report = inspect_model_path("m", 5, app_root=_root(tmp_path, "m/1/a.json", "m/2/a.json"))
    assert report.resolved_path is None
    assert "versions present: 1, 2" in report.problems[0]
    assert report.fix == "Model.get_model_path('m', version=2)"


def test_two_entries_in_the_version_folder(tmp_path):
    report = inspect_model_path("m", None, app_root=_root(tmp_path, "m/1/a.json", "m/1/b.json"))
    assert "can contain only 1 file or folder" in report.exception
    assert "holds 2 entries (a.json, b.json)" in report.problems[0]


def test_non_numeric_version_folder(tmp_path):
    report = inspect_model_path("m", None, app_root=_root(tmp_path, "m/1/a.json", "m/latest/a.json"))
    assert report.exception.startswith("ValueError")
    assert "not a number" in report.problems[0]


def test_script_reading_model_dir_for_a_file_that_is_not_there(tmp_path):
    script = tmp_path / "score.py"
    script.write_text(
        "import os\ndef init():\n    p = os.path.join(os.getenv('AZUREML_MODEL_DIR'), 'model.pkl')\n"
        "def run(r):\n    return r\n"
    )
    files = tmp_path / "files"
    files.mkdir()
    (files / "model.json").write_text("{}")
    report = inspect_model_path("m", 1, model_files=files / "model.json", script=script)
    assert not report.ok
    assert "Line 3 reads AZUREML_MODEL_DIR/model.pkl" in report.problems[0]
    assert report.fix == "os.path.join(os.getenv('AZUREML_MODEL_DIR'), 'model.json')"
    # the registered folder keeps its name under AZUREML_MODEL_DIR (v1 and v2 alike): the classic nesting
    nested = inspect_model_path("m", 1, model_files=files, script=script)
    assert nested.fix == "os.path.join(os.getenv('AZUREML_MODEL_DIR'), 'files/model.json')"


def test_relative_app_root_gives_a_relative_path(tmp_path, monkeypatch):
    _root(tmp_path / "app", "m/1/model.json")
    monkeypatch.chdir(tmp_path)
    report = inspect_model_path("m", 1, app_root="app")
    assert report.resolved_path == "app/azureml-models/m/1/model.json"
    assert report.notes and "relative" in report.notes[0]


def test_bad_arguments_are_usage_problems(tmp_path):
    with pytest.raises(UsageProblem, match="either an app root"):
        inspect_model_path("m")
    with pytest.raises(UsageProblem, match="no app root folder"):
        inspect_model_path("m", app_root=tmp_path / "missing")
    with pytest.raises(UsageProblem, match="no scoring script"):
        inspect_model_path("m", app_root=tmp_path, script=tmp_path / "nope.py")


def test_registered_model_in_a_workspace_against_the_script(workshop_emulator):
    """The real azureml-core client fetches credit-model:1 from the emulator; the script asks credit_model."""
    app = SCENARIOS / "model-path-not-found" / "app"
    report = inspect_remote_model(workshop_emulator.backend, "credit-model", 1, script=app / "score.py")
    assert report.fix == "Model.get_model_path('credit-model')"
    assert report.findings[0].family == "model-path-not-found"
    assert "model.json" in "\n".join(report.tree)
