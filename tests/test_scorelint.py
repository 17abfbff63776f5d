"""The scoring-script checker: each check fires on the mistake it names, with its line and fix."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

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
    assert "schema" in next(i.message for i in two.issues if i.id == "run-signature")


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
        "import lightgbm\nfrom azureml.core.model import Model\n\n"
        "def init():\n    pass\n\ndef run(r):\n    return r\n"
    )
    report = lint_script(score, conda_file=conda)
    issues = [i for i in report.issues if i.id == "import-not-in-environment"]
    missing = {i.message.split("does not install ")[1]: i.line for i in issues}
    # a channel named like a package does not count; pillow covers PIL; helpers.py is beside score.py;
    # the headless OpenCV is suggested: the GUI build needs libGL, which Azure ML's base images lack
    assert missing == {"scikit-learn": 2, "opencv-python-headless": 3, "lightgbm": 6}


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


# ---------------------------------------------------------------------------------------------------------
# Real public scoring scripts (tests/data/scoring-scripts): the expected findings a reviewer wrote down.
DATA = Path(__file__).resolve().parent / "data" / "scoring-scripts"
MANIFEST = {r["dir"]: r for r in map(json.loads, (DATA / "manifest.jsonl").read_text().splitlines())}
# Expected findings no check covers yet (they need types or values a static reading does not have), and
# the one reported on another line: 10's init() declares `global secret` on line 9 (reported there),
# the reviewer pointed at line 16, where the fetched secret is thrown away.
NOT_COVERED = {
    ("11-aml-keyvault-early", "non-serializable-return"),
    ("36-capstone-local-model-path-in-run", "no-such-method"),
}
OTHER_LINE = {("10-aml-keyvault-code", "global-never-assigned"): 9}


def lint_real(name: str, **kwargs):
    entry = MANIFEST[name]
    env = DATA / name / entry["env"] if entry["env"] else None
    return lint_script(DATA / name / "score.py", conda_file=env, **kwargs)


def found(report) -> set[tuple[str, int]]:
    return {(i.id, i.line) for i in report.issues if i.severity in ("error", "warning")}


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_real_script_gets_what_a_reviewer_found_and_nothing_else(name):
    """Each expected finding is reported (same id, line within 3, as in benchmarks/bench_lint.py), and
    no other error or warning is."""
    expected = [
        (e["id"], OTHER_LINE.get((name, e["id"]), e["line"]))
        for e in MANIFEST[name]["expected"]
        if (name, e["id"]) not in NOT_COVERED
    ]
    unmatched = sorted(found(lint_real(name)))
    for id_, line in expected:
        near = [f for f in unmatched if f[0] == id_ and abs(f[1] - line) <= 3]
        assert near, f"missed {id_} at line {line}"
        unmatched.remove(near[0])
    assert unmatched == [], "false alarms"


@pytest.mark.parametrize(
    "name",
    [
        "18-mlopspython-diabetes",
        "12-aml-infschema-standard",
        "23-capstone-spam-undefined-names",
        "32-aml-cc-infschema-two-params",
        "07-mlnb-triton-aks",
        "15-aml-binary-multifile",
    ],
)
def test_run_signatures_azmlinfsrv_accepts_are_not_flagged(name):
    # run(data, request_headers); @input_schema parameters passed by name; @rawhttp run(request)
    assert "run-signature" not in ids(lint_real(name))


def test_run_signatures_azmlinfsrv_refuses_are_errors():
    for signature, words in (
        ("@rawhttp\n@input_schema('a', T)\ndef run(a):", "both @rawhttp and @input_schema"),
        ("def run(*rows):", "*args"),
        ("def run(request_headers):", "no parameter for the input"),
        ("@rawhttp\ndef run(request, columns):", "columns"),
    ):
        report = lint(f"def init():\n    pass\n\n{signature}\n    return 1\n")
        issue = next(i for i in report.issues if i.id == "run-signature")
        assert issue.severity == "error" and words in issue.message


def test_imports_are_matched_to_distributions_not_to_prefixes():
    # azure.identity -> azure-identity, azure.keyvault.secrets -> the azure-keyvault meta-package,
    # requests through azure-identity -> azure-core, azureml.contrib.services through azureml-defaults
    for name in ("10-aml-keyvault-code", "09-aml-model1-managedidentity", "15-aml-binary-multifile"):
        assert "import-not-in-environment" not in ids(lint_real(name)), name


def test_a_missing_azure_package_is_named_never_the_azure_meta_package(tmp_path):
    env = tmp_path / "requirements.txt"
    env.write_text("numpy\n")
    (tmp_path / "score.py").write_bytes((DATA / "10-aml-keyvault-code" / "score.py").read_bytes())
    report = lint_script(tmp_path / "score.py", conda_file=env)
    fixes = [i.fix for i in report.issues if i.id == "import-not-in-environment"]
    assert fixes == [
        "add `azure-identity` to the pip dependencies of requirements.txt",
        "add `azure-keyvault-secrets` to the pip dependencies of requirements.txt",
    ]


@pytest.mark.parametrize(
    "name",
    [
        "07-mlnb-triton-aks",
        "10-aml-keyvault-code",
        "11-aml-keyvault-early",
        "15-aml-binary-multifile",
        "27-aml-data-collector",
    ],
)
def test_a_script_with_no_model_is_not_told_to_load_one(name):
    assert "model-not-loaded-in-init" not in ids(lint_real(name))


def test_two_models_are_not_checked_against_one_registered_name():
    registered = ModelInfo("local_deploy_model", 1, [1], [])
    report = lint_real("33-mlnb-explain-two-models", registered_model=registered)
    assert "model-name-mismatch" not in ids(report)
    one = lint_real("19-capstone-wine-registered-name", registered_model=ModelInfo("wine", 1, [1], []))
    assert "model-name-mismatch" in ids(one)


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("02-mlnb-deploy-to-local", 35),
        ("22-capstone-ids-pandas-schema", 63),
        ("40-mlflow-iris-error-dict", 26),
    ],
)
def test_exception_text_returned_through_a_variable_or_a_payload(name, line):
    # `error = str(e); return error`, `return json.dumps({"error": result})`, `return {"error": str(e)}`
    assert ("exception-text-returned", line) in found(lint_real(name))


def test_removed_imports_follow_the_environments_pin():
    unpinned = next(i for i in lint_real("03-mlnb-controlled-rollout").issues if i.id == "removed-import")
    assert unpinned.line == 4 and "scikit-learn 0.23" in unpinned.message and "newest" in unpinned.message
    pinned_new = next(i for i in lint_real("16-aml-model2-externals").issues if i.id == "removed-import")
    assert "pins scikit-learn" in pinned_new.message
    assert "removed-import" not in ids(lint_real("02-mlnb-deploy-to-local"))  # scikit-learn==0.19.1
    tf1 = next(i for i in lint_real("05-mlnb-realtime-to-batch-tf1").issues if i.id == "removed-api")
    assert tf1.line == 11 and "tensorflow.Session (line 19)" in tf1.message


def test_an_import_guarded_by_except_importerror_is_not_flagged(tmp_path):
    # the compatibility idiom for the removed import, on 03's script
    source = (DATA / "03-mlnb-controlled-rollout" / "score.py").read_text()
    guarded = source.replace(
        "from sklearn.externals import joblib\n",
        "try:\n    from sklearn.externals import joblib\nexcept ImportError:\n    import joblib\n",
    )
    assert "removed-import" not in ids(lint(guarded))
    env = tmp_path / "requirements.txt"
    env.write_text("scikit-learn\n")
    optional = "try:\n    import ujson as json\nexcept ImportError:\n    import json\n" + source
    report = lint_script(tmp_path / "score.py", source=optional, conda_file=env)
    missing = [i.message for i in report.issues if i.id == "import-not-in-environment"]
    assert missing == ["`import azureml.core.model` but requirements.txt does not install azureml-core"]


def test_undefined_names_including_a_local_of_the_other_function():
    assert {("undefined-name", n) for n in (62, 83, 99)} <= found(
        lint_real("23-capstone-spam-undefined-names")
    )
    local = next(
        i for i in lint_real("36-capstone-local-model-path-in-run").issues if i.id == "undefined-name"
    )
    assert local.line == 17 and "local variable of init()" in local.message
    assert "global model_path" in local.fix
    never = next(i for i in lint_real("38-capstone-model-never-loaded").issues if i.id == "undefined-name")
    assert never.line == 14 and "never assigns" in never.message


def test_a_path_given_as_the_model_name_is_flagged_without_a_registered_name():
    # 19 with its registered name replaced by the path seen in public copies of it
    source = (DATA / "19-capstone-wine-registered-name" / "score.py").read_text()
    for path in ("./outputs/model.pkl", "outputs/model.pkl"):
        report = lint(source.replace("'wine-quality-model'", repr(path)))
        issue = next(i for i in report.issues if i.id == "model-path-argument-is-a-path")
        assert issue.line == 10 and issue.severity == "warning"
    # a registered name that ends in .pkl is a name (03, 31)
    assert "model-path-argument-is-a-path" not in ids(lint_real("31-automl-externals-joblib"))


def test_model_loaded_from_the_working_directory_and_failures_hidden_in_init():
    assert ("model-path-not-under-model-dir", 12) in found(lint_real("26-capstone-relative-model-path"))
    assert ("init-swallows-errors", 32) in found(lint_real("28-aml-aks-two-models"))
    assert ("init-crash", 9) in found(lint_real("38-capstone-model-never-loaded"))
    assert ("input-not-parsed", 19) in found(lint_real("21-capstone-unparsed-input"))


# ---------------------------------------------------------------------------------------------------------
# Files CPython reads differently from a naive reader (issue #12)
def test_a_utf8_bom_is_not_a_syntax_error(tmp_path):
    score = tmp_path / "score.py"
    score.write_bytes(b"\xef\xbb\xbf" + (DATA / "01-mlnb-deploy-to-cloud" / "score.py").read_bytes())
    assert lint_script(score).issues == []


def test_latin1_bytes_without_a_coding_line_cannot_be_imported(tmp_path):
    source = (DATA / "19-capstone-wine-registered-name" / "score.py").read_bytes()
    score = tmp_path / "score.py"
    score.write_bytes(source.replace(b"# Called when", b"# Appel\xe9e when", 1))
    (issue,) = lint_script(score).issues
    assert (issue.id, issue.severity, issue.line) == ("syntax-error", "error", 6)
    assert "not UTF-8" in issue.message and "coding" in issue.fix
    score.write_bytes(b"# -*- coding: latin-1 -*-\n" + score.read_bytes())
    assert lint_script(score).issues == []


def test_an_expression_too_deep_to_compile_is_one_finding(tmp_path):
    score = tmp_path / "score.py"
    score.write_text("def init():\n    pass\n\ndef run(d):\n    return " + "+".join(["1"] * 200_000) + "\n")
    (issue,) = lint_script(score).issues
    assert issue.id == "syntax-error" and "RecursionError" in issue.message and issue.line == 5
