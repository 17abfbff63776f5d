"""Secrets never reach the screen, a log, a saved session or a report: every known format, every way out.

The formats and the lines that must stay as they are live in devtools/secret_formats.py (the benchmark
benchmarks/bench_secrets.py measures masking approaches on the same tables).
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
import threading
from types import SimpleNamespace

import ipywidgets as w
import pytest

from amlwizard import Evidence, Finding, diagnose, mask_secrets
from amlwizard._secrets import LineMasker, mask_json
from amlwizard.backends import ServiceKeys
from amlwizard.local import LocalDeployment
from amlwizard.local._server import ServerProcess
from amlwizard.session import TroubleshootSession
from amlwizard.wizards import Wizard, open_wizards
from amlwizard.wizards._widgets import code_html, findings_box, log_html
from devtools.secret_formats import FORMATS, NON_SECRETS

IDS = [f.name for f in FORMATS]

# Catalogue phrases that make a line evidence (an entry keeps three): each format's first line starts
# with one, so every format reaches the evidence of the CLI, the finding cards and the report.
ANCHORS = [
    "CrashLoopBackOff", "502 Bad Gateway", "503 Service Unavailable", "504 Server Error",
    "EnvironmentBuildFailed", "Unschedulable", "AciDeploymentFailed", "ImagePullBackOff",
    "DeploymentTimedOut", "QuotaExceeded", "OOMKilled", "UserScriptTimeout", "Too many requests for service",
    "No ready replicas for service", "Replica closed connection before replying", "401 Unauthorized",
    "AuthorizationFailed", "ServicePrincipalNotFound", "WebserviceNotFound", "ComputeTargetNotFound",
    "Read timed out", "ResolvePackageNotFound",
]  # fmt: skip


def marker(i: int) -> str:
    return f"[fmt{i:02d}]"


def anchored(i: int) -> str:
    """Format i as a log excerpt whose first line a catalogue entry keeps as evidence."""
    first, *rest = FORMATS[i].text.split("\n")
    return "\n".join([f"{ANCHORS[i // 3]} {marker(i)} {first}", *rest])


ALL = "\n".join(anchored(i) for i in range(len(FORMATS)))


def leaked(out: str, i: int) -> list[str]:
    """The secret values of format i found in ``out`` (read as it is, and as HTML shows it)."""
    shown = html.unescape(out)
    return [s for s in FORMATS[i].secrets if s in out or s in shown]


def test_the_tables_are_big_enough():
    assert len(FORMATS) >= 40 and len(ANCHORS) * 3 >= len(FORMATS)
    assert len({f.name for f in FORMATS}) == len(FORMATS)


# -- mask_secrets itself ---------------------------------------------------------------------------
@pytest.mark.parametrize("i", range(len(FORMATS)), ids=IDS)
def test_each_format_is_masked_keeping_its_lines(i):
    text = FORMATS[i].text
    masked = mask_secrets(text)
    assert not leaked(masked, i), masked
    assert "***" in masked
    assert masked.count("\n") == text.count("\n")  # line numbers of evidence stay right
    assert mask_secrets(masked) == masked


@pytest.mark.parametrize("i", range(len(FORMATS)), ids=IDS)
def test_each_format_is_masked_inside_json_and_json_in_a_json_string(i):
    text = FORMATS[i].text
    for doc in (json.dumps(text), json.dumps({"a": [text]}), json.dumps({"m": json.dumps({"e": text})})):
        masked = mask_secrets(doc)
        json.loads(masked)  # masking never breaks the JSON around a secret
        assert not leaked(masked, i), masked
    value = mask_json({"body": text, "nested": json.dumps({"error": {"message": text}}), "n": [1, None]})
    assert not leaked(json.dumps(value), i) and value["n"] == [1, None]


@pytest.mark.parametrize("text", NON_SECRETS)
def test_what_users_need_to_read_stays_byte_for_byte(text):
    assert mask_secrets(text) == text
    assert LineMasker()(text) == text


def test_non_secrets_stay_as_they_are_in_one_log_too():
    log = "\n".join(NON_SECRETS)
    assert mask_secrets(log) == log
    assert mask_json({"log": log, "lines": NON_SECRETS}) == {"log": log, "lines": NON_SECRETS}


@pytest.mark.parametrize(
    "text, shown",
    [
        ("AZURE_CLIENT_SECRET=Zk48Q~hT3rVw.9yLp_2mNqXa7cE-5sDgJbFuHoRi0K", "AZURE_CLIENT_SECRET=***"),
        (
            "git clone https://builder:azdopat7q3k5m2n8@dev.azure.com/contoso",
            "git clone https://builder:***@dev.azure.com/contoso",
        ),
        ('password = "correct horse battery"', 'password = "***"'),
        (
            "docker login myacr.azurecr.io -u myacr -p aB3dE6gH9jK2mN5p",
            "docker login myacr.azurecr.io -u myacr -p ***",
        ),
        (
            "GET /c/m.pkl?sv=2021-08-06&sr=b&sig=Zm9vYmFy%3D&se=2026",
            "GET /c/m.pkl?sv=2021-08-06&sr=b&sig=***&se=2026",
        ),
        ('{\\"primaryKey\\": \\"eScP4k9Lm2Qz7XvB3nW8\\"}', '{\\"primaryKey\\": \\"***\\"}'),
        ("('k3Jd92LmQp7XzR4tVb8NcW1yHs6FgA0e', 'Zy9Xw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe')", "('***', '***')"),
        (
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1Lf\nAbCd==\n-----END RSA PRIVATE KEY-----\nnext",
            "-----BEGIN RSA PRIVATE KEY-----\n***\n***\n-----END RSA PRIVATE KEY-----\nnext",
        ),
        (
            "Application Insights Key: None; password: str | None; token=${HF_TOKEN}",
            "Application Insights Key: None; password: str | None; token=${HF_TOKEN}",
        ),
    ],
)
def test_the_text_around_a_secret_stays_readable(text, shown):
    assert mask_secrets(text) == shown


def test_a_log_read_line_by_line_masks_a_private_key_block_whole():
    mask = LineMasker()
    streamed = "\n".join(mask(line) for line in ALL.split("\n"))
    for i in range(len(FORMATS)):
        assert not leaked(streamed, i), FORMATS[i].name
    assert streamed.count("\n") == ALL.count("\n")


def test_masking_stays_linear_on_input_made_to_backtrack():
    import time

    for text in ("aB3+" * 50_000, '"key": "' * 25_000, "https://u:" * 20_000, "password=" * 22_000):
        started = time.perf_counter()
        mask_secrets(text)
        assert time.perf_counter() - started < 2.0  # a backtracking regex takes minutes here


# -- the command line --------------------------------------------------------------------------------
def amlwizard(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "amlwizard", *args],
        input=stdin, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip


@pytest.mark.parametrize("args", [("diagnose", "-", "--json"), ("diagnose", "-")], ids=["json", "text"])
def test_diagnose_prints_every_format_masked(args):
    out = amlwizard(*args, stdin=ALL)
    assert out.returncode == 0, out.stderr
    text = json.dumps(json.loads(out.stdout), ensure_ascii=False) if "--json" in args else out.stdout
    for i in range(len(FORMATS)):
        assert marker(i) in text, f"{FORMATS[i].name} is not in the evidence: the test shows nothing"
        assert not leaked(text, i), FORMATS[i].name


def test_facts_pulled_out_of_a_line_are_masked():
    line = "ERROR: Could not find a version that satisfies the requirement https://build:pypiTok3nAbCdEf123456@pkgs.dev.azure.com/contoso/churn-1.2.tar.gz"
    out = amlwizard("diagnose", "-", stdin=line + "\n")
    (finding,) = diagnose(line).findings
    assert finding.facts["requirement"] == "https://build:***@pkgs.dev.azure.com/contoso/churn-1.2.tar.gz"
    assert "Found: requirement = https://build:***@" in out.stdout and "pypiTok3n" not in out.stdout


# -- the session, its JSON and its reports -----------------------------------------------------------
@pytest.mark.parametrize("i", range(len(FORMATS)), ids=IDS)
def test_saved_session_and_reports_mask_each_format(i, tmp_path):
    text = anchored(i)
    s = TroubleshootSession({"kind": "text"})
    s.set_logs("pasted", text)
    s.add_note(text)
    s.record("triage", text, text)
    s.set_findings(diagnose(text).findings)
    s.results["local"] = {
        "title": "Local deployment",
        "last request": text,
        "body": {"apiKey": "Ab12Cd34Ef56Gh78"},
    }
    saved = s.save(tmp_path / "s.json").read_text(encoding="utf-8")
    md, page = s.report(tmp_path / "r")
    for out in (saved, json.dumps(json.loads(saved), ensure_ascii=False), md.read_text(), page.read_text()):
        assert marker(i) in out
        assert not leaked(out, i) and "Ab12Cd34Ef56Gh78" not in out
    assert s.logs["pasted"] == mask_secrets(text)  # kept masked in memory too (the logs wizard shows it)
    assert TroubleshootSession.load(tmp_path / "s.json").logs["pasted"] == mask_secrets(text)


# -- the widgets -------------------------------------------------------------------------------------
class Blank(Wizard):
    name = "blank"
    title = "Blank"

    def build(self):
        return [("Only", w.VBox())]


@pytest.mark.parametrize("i", range(len(FORMATS)), ids=IDS)
def test_finding_cards_status_errors_and_log_views_mask_each_format(i):
    text = anchored(i)
    (card, *_) = findings_box(diagnose(text).findings, lambda wizard, finding: None)
    # a finding from elsewhere (a session file of an older version) may carry its evidence unmasked
    unmasked = Finding("pasted", "run-failure", "Pasted", 5, 0.5, evidence=[Evidence(1, text)])
    (other_card,) = findings_box([unmasked], lambda wizard, finding: None)
    wizard = Blank(TroubleshootSession(), threaded=False)
    wizard.set_status(text)
    status = wizard.status.value
    wizard.show_error(text)
    lines = text.split("\n")
    for out in (
        card.children[0].value,
        other_card.children[0].value,
        status,
        wizard.error.value,
        log_html(list(enumerate(lines, 1)), search="a"),
        log_html([(n + 10, line) for n, line in enumerate(lines)], highlight=[10]),
        code_html(text, "score.py"),
    ):
        assert not leaked(out, i), out
    assert marker(i) in card.children[0].value


def _shown(widget) -> list[str]:
    """What a widget tree shows (HTML, labels, options); inputs hold what the user typed, not output."""
    if isinstance(widget, (w.Textarea, w.Text)):
        return []
    out = [
        str(getattr(widget, attr)) for attr in ("value", "description", "tooltip") if hasattr(widget, attr)
    ]
    out += [str(o) for o in getattr(widget, "options", ())]
    for child in getattr(widget, "children", ()):
        out += _shown(child)
    return out


def test_the_wizards_show_no_secret_of_a_pasted_log(tmp_path):
    session = TroubleshootSession({"kind": "text"})
    host = open_wizards(session, "triage", threaded=False)
    try:
        host.current.diagnose_text(ALL, "pasted text")
        host.wait(60)
        triage = "\n".join(_shown(host.widget))
        assert "[fmt00]" in triage  # the cards show the evidence
        session.logs["pasted"] = ALL  # as a session file saved by an older version may hold it
        logs = host.open("logs")
        logs.search.value = "fmt"
        logs.only_matching.value = False
        logs.render()
        viewer = "\n".join(_shown(host.widget))
        saved = logs.save(str(tmp_path / "pasted.log")).read_text(encoding="utf-8")
        for i in range(len(FORMATS)):
            for out in (triage, viewer, saved):
                assert not leaked(out, i), FORMATS[i].name
    finally:
        host.close()


# -- the local server: answers and logs ---------------------------------------------------------------
@pytest.mark.parametrize("i", range(len(FORMATS)), ids=IDS)
def test_served_answers_and_server_logs_mask_each_format(i):
    text = FORMATS[i].text
    body = mask_json(json.loads(json.dumps({"result": text, "error": json.dumps({"message": text})})))
    dep = LocalDeployment.__new__(LocalDeployment)  # its log as the server wrote it, no server needed
    dep._server = SimpleNamespace(log_snapshot=lambda: ["Booting worker with pid: 42", *text.split("\n")])
    logged = dep.log_lines()
    assert len(logged) == text.count("\n") + 2
    streamed: list[str] = []
    server = ServerProcess.__new__(ServerProcess)  # its log reader, fed what the server printed
    server._proc = SimpleNamespace(stdout=[line.encode() + b"\n" for line in text.split("\n")])
    server._lock, server.lines, server.on_line = threading.Lock(), [], streamed.append
    server._read_log()
    assert len(streamed) == text.count("\n") + 1
    for out in (json.dumps(body, ensure_ascii=False), "\n".join(logged), "\n".join(streamed)):
        assert not leaked(out, i), out


def test_serve_prints_no_secret_of_the_scripts_log_or_answer(tmp_path):
    score = tmp_path / "score.py"
    texts = [f.text for f in FORMATS]
    score.write_text(
        "import json\n"
        f"TEXTS = {texts!r}\n"
        "def init():\n"
        "    for text in TEXTS:\n"
        "        print(text, flush=True)\n"
        "def run(data):\n"
        "    return {'echo': TEXTS[:12], 'nested': json.dumps({'error': TEXTS[40:48]})}\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, "-m", "amlwizard", "serve", str(score), "--request", "{}", "--once", "--no-watch"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    assert "HTTP 200" in out.stdout and "echo" in out.stdout and "Booting worker" in out.stdout
    for i in range(len(FORMATS)):
        assert not leaked(out.stdout + out.stderr, i), FORMATS[i].name


def test_service_keys_never_print_their_values():
    keys = ServiceKeys(primary="AbCdEfGhIjKlMnOpQrSt1234", secondary="ZyXwVuTsRqPoNmLk9876")
    shown = repr(keys) + str(keys.masked())
    assert "AbCdEfGh" not in shown and "ZyXwVuTs" not in shown
    assert keys.masked()["primary"].endswith("1234")
