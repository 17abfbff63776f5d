"""The scoring-script checker: each check fires on the mistake it names, with its line and fix."""

from __future__ import annotations

import json
import textwrap

import pytest

from amlwizard import UsageProblem
from amlwizard.backends import ModelInfo
from amlwizard.scorelint import lint_script

GOOD = """
import json
from azureml.core.model import Model

def init():
    global model
    with open(Model.get_model_path("sklearn-diabetes")) as f:
        model = json.load(f)

def run(raw_data):
    return json.loads(raw_data)
"""


def lint(source: str, **kwargs):
    return lint_script("score.py", source=textwrap.dedent(source), **kwargs)


def ids(report) -> list[str]:
    return [i.id for i in report.issues]


def test_a_sound_script_has_no_issues():
    report = lint(GOOD)
    assert report.issues == [] and report.to_dict()["ok"]
    assert [(r.kind, r.function, r.name) for r in report.model_refs] == [
        ("get_model_path", "init", "sklearn-diabetes")
    ]


def test_syntax_error_is_a_finding_with_its_line():
    report = lint("def init():\n    pass\n\ndef run(x)\n    return x\n")
    (issue,) = report.issues
    assert (issue.id, issue.severity, issue.line) == ("syntax-error", "error", 4)
    assert "syntax error" in issue.message


def test_missing_functions_and_bad_signatures():
    assert {"missing-init", "missing-run"} <= set(ids(lint("x = 1\n")))
    report = lint("def init(path):\n    pass\n\ndef run():\n    return 1\n")
    assert {"init-signature", "run-signature"} <= set(ids(report))
    two = lint("def init():\n    pass\n\ndef run(data, schema):\n    return 1\n")
    assert "run-signature" in ids(two)


def test_model_loaded_per_request_in_run():
    report = lint(
        """
        import joblib
        def init():
            pass
        def run(raw):
            model = joblib.load("model.pkl")
            return model.predict(raw)
        """
    )
    issue = next(i for i in report.issues if i.id == "model-loaded-in-run")
    assert issue.line == 6 and "init()" in issue.fix
    assert "model-not-loaded-in-init" in ids(report)


def test_exception_text_returned_and_blocking_calls():
    report = lint(
        """
        import time, traceback, requests
        def init():
            pass
        def run(raw):
            try:
                time.sleep(3)
                requests.get("http://example.invalid")
                return 1
            except Exception as e:
                return {"error": str(e)}
        """
    )
    assert ids(report).count("blocking-call-in-run") == 2
    leak = next(i for i in report.issues if i.id == "exception-text-returned")
    assert leak.line == 11 and "production" in leak.message


def test_model_path_against_the_registered_model():
    registered = ModelInfo("credit-model", 1, [1], ["model.json"])
    report = lint(
        """
        import os
        from azureml.core.model import Model
        def init():
            a = Model.get_model_path("credit_model", version="1")
            b = os.path.join(os.getenv("AZUREML_MODEL_DIR"), "model.jsn")
        def run(raw):
            return 1
        """,
        registered_model=registered,
    )
    by_id = {i.id: i for i in report.issues}
    assert by_id["model-name-mismatch"].fix == "use Model.get_model_path('credit-model')"
    assert by_id["model-version-not-int"].fix == "use version=1"
    assert by_id["model-file-not-in-model"].fix == "use 'model.json'"


def test_imports_missing_from_the_conda_file(tmp_path):
    conda = tmp_path / "conda.yml"
    conda.write_text(
        "name: env\nchannels:\n  - scikit-learn\ndependencies:\n  - python=3.10\n  - pip:\n"
        "    - azureml-defaults\n    - pillow==10.0\n"
    )
    (tmp_path / "helpers.py").write_text("X = 1\n")
    score = tmp_path / "score.py"
    score.write_text(
        "import os, json\nimport sklearn\nimport cv2\nfrom PIL import Image\nimport helpers\n"
        "import yaml\nfrom azureml.core.model import Model\n\n"
        "def init():\n    pass\n\ndef run(r):\n    return r\n"
    )
    report = lint_script(score, conda_file=conda)
    issues = [i for i in report.issues if i.id == "import-not-in-environment"]
    missing = {i.message.split("does not install ")[1]: i.line for i in issues}
    # a channel named like a package does not count; pillow covers PIL; helpers.py is beside score.py
    assert missing == {"scikit-learn": 2, "opencv-python": 3, "pyyaml": 6}


def test_requirements_file_and_json_output(tmp_path):
    req = tmp_path / "requirements.txt"
    req.write_text("scikit-learn>=1.0\nazureml-defaults\n")
    score = tmp_path / "score.py"
    score.write_text(GOOD + "\nimport sklearn\n")
    report = lint_script(score, conda_file=req)
    assert report.issues == []
    assert json.loads(json.dumps(report.to_dict()))["path"] == str(score)


def test_missing_files_are_usage_problems(tmp_path):
    with pytest.raises(UsageProblem, match="no scoring script"):
        lint_script(tmp_path / "nope.py")
    (tmp_path / "score.py").write_text(GOOD)
    with pytest.raises(UsageProblem, match="no environment file"):
        lint_script(tmp_path / "score.py", conda_file=tmp_path / "conda.yml")
