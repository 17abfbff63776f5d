"""amlwizard.calls: one call of a service and the load probe, against the workshop emulator and plain local
HTTP servers (to see where the probe sends, and what it does when answers slow down)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from amlwizard._errors import UsageProblem
from amlwizard.calls import (
    ScoringEndpoint,
    call_endpoint,
    call_service,
    check_probe,
    compare_with_simulation,
    endpoint_of,
    probe_endpoint,
    probe_settings,
)
from amlwizard.scenarios import load_scenario


class _Recorder(BaseHTTPRequestHandler):
    """A tiny local server: counts what reaches it, answers ``status`` (a redirect to ``location`` if set)."""

    protocol_version = "HTTP/1.1"
    status, location, hits = 200, "", None

    def log_message(self, *args):
        pass

    def do_POST(self):  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        type(self).hits.append(self.path)
        self.send_response(self.status)
        if self.location:
            self.send_header("Location", self.location)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    do_GET = do_POST  # noqa: N815


@pytest.fixture
def local_server():
    servers = []

    def start(status: int = 200, location: str = "") -> tuple[str, list[str]]:
        handler = type("Handler", (_Recorder,), {"status": status, "location": location, "hits": []})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}", handler.hits

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_the_probe_sends_only_to_the_scoring_uri_no_redirect_no_proxy(local_server, monkeypatch):
    elsewhere, stolen = local_server()
    uri, hits = local_server(status=307, location=elsewhere + "/stolen")
    monkeypatch.setenv("HTTP_PROXY", elsewhere)  # a proxy would see the requests (and the key)
    monkeypatch.setenv("HTTPS_PROXY", elsewhere)
    endpoint = ScoringEndpoint(uri + "/score", key="k" * 32, service="svc")
    result = probe_endpoint(endpoint, {"data": [1]}, rps=20, seconds=1)
    assert result.by_status == {"307": result.sent} and len(hits) == result.sent + 1  # + the warm-up
    assert stolen == []
    assert call_endpoint(endpoint, {"data": [1]}).status == 307 and stolen == []


def test_the_probe_keeps_its_rate_when_answers_slow_down(emulator):
    """Open loop: timeout-504 holds its one replica 5 s a request, yet every scheduled request is sent."""
    endpoint = endpoint_of(emulator.backend, "timeout-504")
    request = json.loads((load_scenario("timeout-504").app_dir / "sample-request.json").read_text())
    request["data"][0]["history"] = []  # quick for the warm-up; the first slot is then held by a slow one
    slow = {"data": [{**request["data"][0], "history": [1.0] * 60}]}  # ~3 s in run()
    result = probe_endpoint(endpoint, slow, rps=8, seconds=2, warmup=False)
    assert result.sent == result.planned > 4
    assert result.count(503) >= result.sent - 2  # one replica, busy: the others waited 500 ms, then 503


def test_cancelling_keeps_what_was_seen(local_server):
    uri, _ = local_server()
    cancel = threading.Event()
    seen = []

    def second(snapshot):
        seen.append(snapshot)
        if len(seen) == 2:
            cancel.set()

    result = probe_endpoint(ScoringEndpoint(uri, service="svc"), "{}", rps=20, seconds=30, cancel=cancel,
                            on_second=second)  # fmt: skip
    assert result.cancelled and 0 < result.sent < result.planned and result.count(200) > 0
    assert len(result.per_second) <= 4 and result.to_dict()["by_status"]["200"] == result.count(200)


@pytest.mark.parametrize(("rps", "seconds", "words"), [(0, 10, "--rps"), (101, 10, "at most 100"),
                                                       (10, 301, "--seconds"), (10, 0, "--seconds")])  # fmt: skip
def test_a_probe_past_its_bounds_is_one_line(rps, seconds, words):
    with pytest.raises(UsageProblem, match=words):
        check_probe(rps, seconds)


def test_the_key_is_masked_wherever_the_endpoint_or_answer_is_shown(local_server):
    key = "0123456789abcdef0123456789abcdef"
    uri, _ = local_server()
    endpoint = ScoringEndpoint(uri, key=key, service="svc")
    assert key not in repr(endpoint) and key[-4:] in repr(endpoint)
    answer = call_endpoint(endpoint, {"token": key})
    assert key not in json.dumps(answer.to_dict()) and key not in answer.as_text()


def test_a_call_of_the_502_service_is_diagnosed_with_its_logs(emulator):
    done = call_service(emulator.backend, "run-failure-502", scenario="run-failure-502")
    assert done.answer.status == 502 and done.request_source == "the scenario's sample request"
    found = {f.id: f.facts.get("source") for f in done.diagnosis.findings}
    assert found.get("run-failure") == "main log" and found.get("http-502") == "call answer"
    assert done.to_dict()["status"] == 502


def test_no_sample_and_no_swagger_example_asks_for_a_request_in_one_line(emulator):
    with pytest.raises(UsageProblem, match="give one, e.g. --request"):
        call_service(emulator.backend, "healthy-aks")  # not named as a workshop scenario: no sample


def test_the_simulator_predicts_the_probes_503s_for_the_same_traffic(emulator):
    before = emulator.emulator.speed
    emulator.emulator.reset_scoring(speed=30)
    try:
        endpoint = endpoint_of(emulator.backend, "aks-503-spike")
        request = json.loads((load_scenario("aks-503-spike").app_dir / "sample-request.json").read_text())
        result = probe_endpoint(endpoint, request, rps=40, seconds=4)
        state = emulator.scoring_state("aks-503-spike")
    finally:
        emulator.emulator.reset_scoring(speed=before)
    settings = probe_settings(emulator.backend.get_service("aks-503-spike"), state)
    comparison = compare_with_simulation(result, settings)
    assert settings.replica_start_seconds == 2.0 and comparison.predicted is not None
    assert comparison.predicted.totals.requests == result.sent  # the same arrivals, second by second
    assert result.rate(503) > 0 and comparison.predicted.totals.rate_503 > 0
    assert "observed 503s" in comparison.note and comparison.to_dict()["predicted"]["rate_503"] > 0
