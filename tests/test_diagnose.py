# ruff: noqa: E501 - example log lines are kept whole, as real logs print them
"""The diagnosis engine: ranking, facts, payload unwrapping, masking, and every kind of odd input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from amlwizard import UsageProblem
from amlwizard.diagnosis import Diagnosis, diagnose

ROOT = Path(__file__).resolve().parents[1]

INIT_TRACEBACK = """\
2026-11-25 10:41:17,212 E [57] azmlinfsrv - User's init function failed
2026-11-25 10:41:17,212 E [57] azmlinfsrv - Encountered Exception Traceback (most recent call last):
  File "/azureml-envs/azureml_5f3c/lib/python3.8/site-packages/azureml_inference_server_http/server/user_script.py", line 117, in invoke_init
    self._user_init()
  File "/var/azureml-app/score.py", line 12, in init
    {body}
{exception}
"""


def _ids(result: Diagnosis) -> list[str]:
    return [f.id for f in result.findings]


# --- root cause before symptom ---------------------------------------------------------------


def test_model_not_found_inside_a_crashloop_is_named_first() -> None:
    text = INIT_TRACEBACK.format(
        body='path = Model.get_model_path("credit_model")',
        exception="azureml.exceptions._azureml_exception.ModelNotFoundException: ModelNotFoundException:\n"
        "\tMessage: Model credit_model not found in cache at /var/azureml-app/azureml-models or in "
        "current working directory /var/azureml-app. For more info, set logging level to DEBUG.",
    )
    text += "churn-svc-5d8f9c7b6d-x2k4q   0/1     CrashLoopBackOff   4          3m\n"
    result = diagnose(text)
    assert _ids(result)[0] == "model-path-not-found"
    assert "service-launch-crashloop" in _ids(result)
    assert result.findings[0].facts["model_name"] == "credit_model"
    assert result.findings[0].facts["models_dir"] == "/var/azureml-app/azureml-models"


def test_oomkilled_behind_a_crashloop_is_named_first() -> None:
    text = textwrap.dedent("""\
        State:          Waiting
          Reason:       CrashLoopBackOff
        Last State:     Terminated
          Reason:       OOMKilled
          Exit Code:    137
        Restart Count:  5
        """)
    result = diagnose(text)
    assert result.findings[0].family == "out-of-memory"
    assert result.findings[0].facts["exit_code"] == 137
    assert "service-launch-crashloop" in _ids(result)


def test_missing_module_in_init_outranks_the_crashloop() -> None:
    text = INIT_TRACEBACK.format(
        body="import joblib", exception="ModuleNotFoundError: No module named 'joblib'"
    )
    result = diagnose(text)
    assert _ids(result)[:2] == ["init-import-error", "service-launch-crashloop"]
    assert result.findings[0].facts["module"] == "joblib"
    crashloop = result.findings[1]
    assert crashloop.facts["exception"] == "ModuleNotFoundError: No module named 'joblib'"
    assert crashloop.facts["raised_at"] == "/var/azureml-app/score.py:12 in init"


# --- facts --------------------------------------------------------------------------------------


def test_scheduling_facts_name_the_scarce_resource_and_node_counts() -> None:
    result = diagnose(
        "Couldn't Schedule because the kubernetes cluster didn't have available resources after "
        "trying for 00:05:00:\n0/3 nodes are available: 3 Insufficient nvidia.com/gpu."
    )
    finding = result.findings[0]
    assert finding.id == "schedule-insufficient-resources"
    assert finding.step == 3
    assert finding.facts["resource"] == "nvidia.com/gpu"
    assert (finding.facts["nodes_available"], finding.facts["nodes_total"]) == (0, 3)
    assert finding.facts["insufficient"] == {"nvidia.com/gpu": 3}
    assert finding.facts["waited"] == "00:05:00"


@pytest.mark.parametrize(
    ("text", "entry_id", "facts"),
    [
        ("Exit code 3 is not normal. Killing image.", "container-exit-code", {"exit_code": 3}),
        (
            "UserScriptTimeout: Script failed to finish execution within the allocated time: 5000ms",
            "scoring-timeout",
            {"timeout_ms": 5000},
        ),
        (
            "FileNotFoundError: [Errno 2] No such file or directory: "
            "'/var/azureml-app/azureml-models/credit-model/1/model.pkl'",
            "model-file-missing",
            {
                "model_name": "credit-model",
                "version": "1",
                "model_path": "/var/azureml-app/azureml-models/credit-model/1/model.pkl",
            },
        ),
        (
            "ERROR: Could not find a version that satisfies the requirement sanic~=21.6.0 (from versions: 0.1)",
            "pip-no-matching-version",
            {"requirement": "sanic~=21.6.0"},
        ),
        (
            "Response Code: 503\nContent: b'Too many requests for service diabetes-svc (overloaded)'",
            "service-overloaded",
            {"service": "diabetes-svc"},
        ),
    ],
)
def test_facts_are_pulled_from_the_text(text: str, entry_id: str, facts: dict) -> None:
    finding = next(f for f in diagnose(text).findings if f.id == entry_id)
    for key, value in facts.items():
        assert finding.facts[key] == value


def test_conda_failure_lists_the_packages_that_did_not_resolve() -> None:
    text = "Solving environment: ...working... failed\n\nResolvePackageNotFound: \n  - scikit-learn==0.19.9\n  - python==3.6.2.1\n"
    finding = diagnose(text).findings[0]
    assert finding.id == "conda-resolve-failure"
    assert finding.facts["packages"] == ["scikit-learn==0.19.9", "python==3.6.2.1"]


# --- error payloads -----------------------------------------------------------------------------


def test_json_error_payload_with_json_inside_a_string_is_unwrapped() -> None:
    inner = {
        "code": "KubernetesDeploymentFailed",
        "statusCode": 400,
        "message": "Kubernetes Deployment failed",
        "details": [
            {
                "code": "CrashLoopBackOff",
                "message": "Your container application crashed. This may be caused "
                "by errors in your scoring file's init() function.\nModelNotFoundException: Model credit_model "
                "not found in cache at azureml-models or in current working directory /var/azureml-app.",
            },
        ],
    }
    payload = json.dumps({"error": {"message": json.dumps(inner)}}, indent=2)
    result = diagnose(payload)
    assert _ids(result)[0] == "model-path-not-found"
    assert "service-launch-crashloop" in _ids(result)
    model = result.findings[0]
    assert model.facts["model_name"] == "credit_model"
    line = model.evidence[0].line  # the line of the payload that holds the nested message
    assert '"message"' in payload.splitlines()[line - 1]
    assert "\\n" not in model.evidence[0].text and '\\"' not in model.evidence[0].text


def test_a_webservice_exception_message_is_diagnosed() -> None:
    text = textwrap.dedent("""\
        WebserviceException: WebserviceException:
        \tMessage: Service deployment polling reached non-successful terminal state, current service state: Unhealthy
        Operation ID: 5a2f1e7e-6a51-4d2c-9e47-1f0b7ad1c9e2
        More information can be found using '.get_logs()'
        Error:
        {
          "code": "AciDeploymentFailed",
          "statusCode": 400,
          "message": "Aci Deployment failed with exception: Your container application crashed. This may be caused by errors in your scoring file's init() function.\\n\\t1. Please check the logs for your container instance: credit-svc."
        }
        """)
    ids = _ids(diagnose(text))
    assert "aci-container-crashed" in ids and "deployment-timed-out" in ids
    assert ids.index("aci-container-crashed") < ids.index("deployment-timed-out")


# --- secrets ------------------------------------------------------------------------------------


def test_secrets_in_evidence_and_facts_are_masked() -> None:
    secrets = [
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbmEifQ.c2lnbmF0dXJlMTIz",
        "sv=2021-08-06&sig=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA%3D",
        "K3yV4lu3/w1thPlus+Slash==",
        "pK1a2b3c4d5e6f7g8h9i0",
    ]
    text = "\n".join(
        [
            f"Response Code: 401 Authorization: Bearer {secrets[0]}",
            f"AuthorizationFailed for https://acct.blob.core.windows.net/models/m.pkl?{secrets[1]}",
            f"Response Code: 403 DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={secrets[2]}",
            f'Response Code: 502 Content: b\'{{"primaryKey": "{secrets[3]}"}}\'',
        ]
    )
    shown = json.dumps(diagnose(text).to_dict())
    assert "Response Code" in shown
    assert "sig=Zm9v" not in shown and "AccountKey=K3y" not in shown
    assert secrets[0] not in shown and secrets[3] not in shown and "***" in shown


# --- odd input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("empty", ["", b"", "   \n\n", io.BytesIO(b"")])
def test_empty_input_says_nothing_to_diagnose(empty: object) -> None:
    result = diagnose(empty)
    assert result.findings == []
    assert any("nothing to diagnose" in note for note in result.notes)


def test_binary_input_is_named_not_diagnosed() -> None:
    blob = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40 + b"OOMKilled"
    result = diagnose(blob)
    assert result.findings == [] and result.bytes == len(blob)
    assert any("binary" in note for note in result.notes)


def test_non_utf8_bytes_are_replaced_and_noted() -> None:
    text = "d\xe9marrage du conteneur\nReason: OOMKilled\n".encode("latin-1")
    result = diagnose(text)
    assert _ids(result)[0] == "container-oom-killed"
    assert result.findings[0].evidence[0].line == 2
    assert any("not UTF-8" in note for note in result.notes)


def test_crlf_and_ansi_colours_do_not_hide_a_failure() -> None:
    text = (
        "\x1b[32m2026-11-25 09:00:02,101 I [8] azmlinfsrv - Invoking user's init function\x1b[0m\r\n"
        "\x1b[31m2026-11-25 09:00:02,300 E [8] azmlinfsrv - User's init function failed\x1b[0m\r\n"
        "KeyError: 'CHURN_THRESHOLD'\r\n"
    )
    result = diagnose(text.encode())
    assert result.lines == 3
    finding = result.findings[0]
    assert finding.id == "service-launch-crashloop"
    assert [e.line for e in finding.evidence] == [2, 3]
    assert all("\x1b" not in e.text and "\r" not in e.text for e in finding.evidence)
    assert finding.facts["exception"] == "KeyError: 'CHURN_THRESHOLD'"


def test_a_single_10_mb_line_is_scanned_and_its_evidence_bounded() -> None:
    filler = b"x" * (5 << 20)
    result = diagnose(filler + b" [CRITICAL] WORKER TIMEOUT (pid:42) " + filler)
    assert result.lines == 1 and result.bytes > 10 << 20
    finding = result.findings[0]
    assert finding.id == "gunicorn-worker-timeout"
    assert len(finding.evidence[0].text) <= 310 and "WORKER TIMEOUT" in finding.evidence[0].text


def test_evidence_stays_a_few_lines_however_often_a_failure_repeats() -> None:
    text = "".join(
        f"[2026-11-25 09:14:{i % 60:02d} +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:{i})\n"
        for i in range(1000)
    )
    finding = diagnose(text).findings[0]
    assert len(finding.evidence) <= 3 and finding.facts["occurrences"] == 1000


def test_sources_text_bytes_paths_and_file_objects(tmp_path: Path) -> None:
    text = "Reason: OOMKilled\n"
    log = tmp_path / "main.log"
    log.write_text(text)
    for source in (text, text.encode(), log, str(log), io.BytesIO(text.encode()), io.StringIO(text)):
        assert _ids(diagnose(source)) == ["container-oom-killed"], source


def test_unreadable_paths_raise_a_one_line_usage_problem(tmp_path: Path) -> None:
    with pytest.raises(UsageProblem, match="no such file"):
        diagnose(tmp_path / "missing.log")
    with pytest.raises(UsageProblem, match="is a directory"):
        diagnose(tmp_path)
    with pytest.raises(UsageProblem, match="cannot diagnose a int"):
        diagnose(42)


def test_top_keeps_the_best_findings_and_to_dict_has_the_cli_shape() -> None:
    text = "Reason: OOMKilled\nCrashLoopBackOff\nResponse Code: 503\n"
    assert len(diagnose(text).findings) == 3
    data = diagnose(text, top=1).to_dict()
    assert set(data) >= {"findings", "bytes", "lines"} and data["lines"] == 3
    (finding,) = data["findings"]
    assert set(finding) >= {"id", "family", "title", "step", "confidence", "evidence", "remedies", "facts"}
    assert finding["evidence"][0] == {"line": 1, "text": "Reason: OOMKilled"}


def test_the_package_attribute_diagnoses_whether_or_not_the_module_was_imported() -> None:
    import amlwizard

    assert _ids(amlwizard.diagnose("Reason: OOMKilled")) == ["container-oom-killed"]


def test_the_shipped_crashloop_scenario_log_is_named() -> None:
    log = ROOT / "amlwizard" / "scenarios" / "crashloop-init-exception" / "logs" / "main.log"
    finding = diagnose(log).findings[0]
    assert finding.id == "service-launch-crashloop" and "exception" in finding.facts


# --- large input ----------------------------------------------------------------------------------

_STREAM_CHILD = """
import resource, sys
sys.path.insert(0, sys.argv[1])
from devtools.synthetic_logs import startup_banner
from amlwizard.diagnosis import diagnose

class GeneratedLog:
    '''A 256 MB log produced on the fly (nothing on disk), a failure at the very end.'''
    def __init__(self, size):
        line = b'2026-11-25 09:00:05,220 I [8] azmlinfsrv - POST /score 200 12.345ms 48\\n'
        self.block = startup_banner().encode() + line * ((8 << 20) // len(line))  # reads as big as a file's
        self.left = size
        self.tail = b'[2026-11-25 12:03:44 +0000] [1] [ERROR] Worker (pid:8) was sent SIGKILL! Perhaps out of memory?\\n'
    def read(self, n=-1):
        if self.left <= 0:
            out, self.tail = self.tail, b''
            return out
        self.left -= len(self.block)
        return self.block
    def close(self):
        pass

result = diagnose(GeneratedLog(256 << 20))
try:  # VmHWM is this process's own peak; ru_maxrss can carry the forking parent's size over exec
    peak_mb = int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1]) / 1024
except OSError:
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(result.findings[0].id, result.lines, int(peak_mb))
"""


def test_a_large_log_is_streamed_in_bounded_memory() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _STREAM_CHILD, str(ROOT)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    finding, lines, peak_mb = out.stdout.split()
    assert finding == "container-oom-killed"
    assert int(lines) > 3_000_000
    assert int(peak_mb) < 200, f"peak memory {peak_mb} MB"


def test_a_gzipped_log_is_read_transparently(tmp_path: Path) -> None:
    import gzip

    log = tmp_path / "main.log.gz"
    log.write_bytes(
        gzip.compress(b"ok\n[2026-11-25 13:27:09 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:93)\n")
    )
    finding = diagnose(log).findings[0]
    assert finding.id == "gunicorn-worker-timeout" and finding.evidence[0].line == 2


def test_diagnose_many_merges_the_texts_of_one_service_and_names_where_each_finding_was_seen():
    from amlwizard.diagnosis import diagnose_many

    result = diagnose_many(
        {
            "service error": "",
            "main log": "Back-off restarting failed container\nCrashLoopBackOff",
            "init log": "Traceback (most recent call last):\nModuleNotFoundError: No module named 'joblib'",
        }
    )
    ids = [f.id for f in result.findings]
    assert ids[0] == "init-import-error" and "service-launch-crashloop" in ids
    sources = {f.id: f.facts["source"] for f in result.findings}
    assert sources["init-import-error"] == "init log" and sources["service-launch-crashloop"] == "main log"
    assert result.lines == 4 and not result.notes


# -- tier 2, context, "not recognised" -----------------------------------------------------------------
_ROOT = Path(__file__).resolve().parents[1]


def _corpus_text(record_id: str) -> str:
    import json

    for path in (_ROOT / "tests" / "data" / "real-errors").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record["id"] == record_id:
                return record["text"]
    raise KeyError(record_id)


@pytest.mark.parametrize(
    ("record_id", "family"),
    [
        ("v1-0102", "out-of-memory"),  # "I gave the webservice more RAM and it seems to work now"
        ("v1-0136", "http-503"),  # "Frequently getting 503 error."
        ("v1-0158", "http-504"),  # "the service times out after 1 minute or so"
    ],
)
def test_a_real_text_no_entry_matches_gets_its_family_with_the_cues_that_said_so(record_id, family):
    result = diagnose(_corpus_text(record_id))
    top = result.findings[0]
    assert top.id == f"family:{family}" and top.family == family
    assert top.facts["tier"] == 2 and top.facts["cues"] and top.confidence < 0.5
    assert top.remedies and top.explanation


@pytest.mark.parametrize(
    ("text", "family", "cue"),
    [
        # environment variables are not an environment that builds: the model folder is what is missing
        (
            "MLflow autoinference no longer injects the expected environment variables (AZUREML_MODEL_DIR, "
            "MLFLOW_MODEL_FOLDER), and the autogenerated MLflow scoring script then fails",
            "model-path-not-found",
            "cue:model_files",
        ),
        # only an exception's message, no traceback: what run() returned to the caller
        ("list indices must be integers or slices, not str", "run-failure", "cue:bare_exception"),
        # a package pinned to a version is something an image build installs
        ("I get the error when installing azure-ml==0.0.139 (blob is not found in given URL)", "image-build-failure",
         "cue:build"),
        # a server process that exits with a code while starting is a crash, not a timeout
        ("Triton Inference Server exited with failure. Please wait.\nTriton Inference Server exit code -11",
         "service-launch-crashloop", "cue:start"),
        # 404: what was called does not exist (the labelling rules' "not found")
        ("When I call my online endpoint I get a 404 error", "auth-or-workspace", "status:404"),
    ],
)  # fmt: skip
def test_a_family_guess_says_which_cue_made_it(text, family, cue):
    found = diagnose(text).findings
    assert found[0].id == f"family:{family}" and cue in found[0].facts["cues"]
    if family == "model-path-not-found":
        assert "image-build-failure" not in [f.family for f in found]


def test_a_family_finding_never_outranks_an_exact_one():
    text = "Back-off restarting failed container\nthe service is slow and times out, maybe out of memory"
    ids = [f.id for f in diagnose(text).findings]
    assert ids[0] == "service-launch-crashloop"
    assert all(i.startswith("family:") for i in ids[1:])


@pytest.mark.parametrize(
    "log",
    sorted((_ROOT / "tests" / "data" / "healthy-logs").glob("*.log"))
    + sorted((_ROOT / "amlwizard" / "scenarios" / "healthy-aks" / "logs").glob("*.log")),
    ids=lambda p: p.name,
)
def test_a_healthy_log_yields_no_finding_and_nothing_unrecognised(log):
    result = diagnose(log)
    assert result.findings == [] and result.unrecognised is None


def test_not_recognised_is_an_answer_with_the_failed_lines_and_what_to_do_next():
    from amlwizard.diagnosis import _complete

    lines = [
        (1, "2024-05-19 07:47:04 I [63] azmlinfsrv - Loading model"),
        (2, "Traceback (most recent call last):"),
        (3, '  File "/var/azureml-app/score.py", line 12, in init'),
        (4, "ZeroDivisionError: division by zero"),
        (5, "2024-05-19 07:47:05 I [63] azmlinfsrv - Worker exiting"),
    ]
    result = _complete(
        __import__("amlwizard").Diagnosis(), lines, top=None, context=None, family_model=None, told=True
    )
    assert result.unrecognised is not None
    assert [n for n, _ in result.unrecognised.lines] == [3, 4]
    assert result.unrecognised.step == 5 and result.unrecognised.next_steps
    assert result.to_dict()["unrecognised"]["lines"][1]["text"] == "ZeroDivisionError: division by zero"


def test_the_compute_type_ranks_what_cannot_happen_there_below_what_can():
    text = (
        "Aci Deployment failed with exception: Your container application crashed.\n"
        "Back-off restarting failed container\nCrashLoopBackOff"
    )
    aks = [f.id for f in diagnose(text, context={"compute_type": "AKS", "sdk": "v1"}).findings]
    aci = [f.id for f in diagnose(text, context={"compute_type": "ACI", "sdk": "v1"}).findings]
    assert aks.index("service-launch-crashloop") < aks.index("aci-container-crashed")
    assert aci.index("aci-container-crashed") < aci.index("service-launch-crashloop")
    demoted = next(
        f for f in diagnose(text, context={"compute_type": "AKS"}).findings if f.id == "aci-container-crashed"
    )
    assert "ACI" in demoted.facts["context"]


def test_an_error_payload_as_the_sdk_gives_it_is_diagnosed():
    error = {
        "code": "KubernetesDeploymentFailed",
        "details": [{"code": "CrashLoopBackOff", "message": "Back-off"}],
    }
    assert diagnose(error).findings[0].family == "service-launch-crashloop"


def test_white_space_is_empty_input_whether_a_string_or_a_file(tmp_path):
    blank = tmp_path / "blank.log"
    blank.write_text("   \n\t\n  \n")
    for source in ("   \n\t\n  \n", blank):
        result = diagnose(source)
        assert result.findings == [] and result.notes == ["nothing to diagnose: the input is empty"]


def test_evidence_reads_as_the_user_would_read_it():
    # the SDK prints `Content: b'...'` with \' escapes; and a JSON line can hold several evidence lines
    text = (
        'Content: b\'{"code": "AuthorizationFailed", "message": "The client \\\'student07@contoso.com\\\' '
        "does not have authorization\"}'\n"
    )
    evidence = diagnose(text).findings[0].evidence[0].text
    assert "'student07@contoso.com'" in evidence and "\\'" not in evidence
    from amlwizard._diagnosis_text import render_diagnosis

    folded = '{"message": "Back-off restarting failed container\\nCrashLoopBackOff in pod churn"}'
    shown = render_diagnosis(diagnose(folded))
    assert "line 1 | " in shown and "line 1 + " in shown and "(+: the same line of the input" in shown


def test_a_services_own_texts_get_no_family_guess_unless_a_line_shows_a_failure():
    from amlwizard.diagnosis import diagnose_many

    fetched = {"main log": "", "call answer": 'HTTP 200\n{"result": [0.42, 0.17]}'}
    assert diagnose_many(fetched).findings == []
    # what the user says failed is taken at its word, as a pasted text is
    assert diagnose_many(
        {**fetched, "error you saw": "the endpoint is very slow, requests time out"}
    ).findings


def test_on_a_v2_deployment_a_v1_worded_finding_says_what_to_do_with_the_v2_client():
    # the inference-server log of the workshop's v2-resource-not-ready deployment
    from amlwizard.scenarios import load_scenario

    log = (load_scenario("v2-resource-not-ready").folder / "logs" / "inference-server.log").read_text()
    v1 = diagnose(log, context={"sdk": "v1", "compute_type": "AKS"}).findings
    v2 = diagnose(log, context={"sdk": "v2", "compute_type": "Managed"}).findings
    crash_v1 = next(f for f in v1 if f.id == "service-launch-crashloop")
    crash_v2 = next(f for f in v2 if f.id == "service-launch-crashloop")
    assert "Webservice(" in " ".join(crash_v1.remedies)  # the v1 guide's words stay for v1 services
    remedies = " ".join(crash_v2.remedies)
    assert "online_deployments.get_logs(" in remedies and "az ml online-deployment get-logs" in remedies
    assert "Webservice" not in remedies and "az ml service" not in remedies
    assert "azureml-api-2" in crash_v2.doc_url
