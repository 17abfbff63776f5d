"""What a stranger's bytes can make the emulator do is bounded, and each such event is one log line."""

from __future__ import annotations

import logging
import socket
import ssl

import pytest

from amlwizard.emulator import Emulator
from amlwizard.emulator._server import MAX_BODY_BYTES
from amlwizard.scenarios import load_scenarios


@pytest.fixture(scope="module")
def emu(tmp_path_factory):
    with Emulator(load_scenarios(["healthy-aks"]), state_dir=tmp_path_factory.mktemp("bounds")) as server:
        yield server


def _raw(emu, head: str, *, tls: bool = True) -> bytes:
    """Send ``head`` (request line and headers, no body) and read what comes back until the server closes."""
    sock = socket.create_connection(("127.0.0.1", emu.port), timeout=10)
    if tls:
        sock = ssl.create_default_context(cafile=str(emu.ca.bundle_path)).wrap_socket(
            sock, server_hostname="127.0.0.1"
        )
    with sock:
        sock.sendall(head.encode())
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except (ConnectionError, ssl.SSLError):
            pass
        return b"".join(chunks)


def _lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "amlwizard.emulator"]


def test_plain_http_on_the_https_port_is_one_log_line_not_a_traceback(emu, caplog, capfd):
    caplog.set_level(logging.INFO, "amlwizard.emulator")
    _raw(emu, "GET /metadata/endpoints HTTP/1.1\r\nHost: x\r\n\r\n", tls=False)
    assert any("plain HTTP" in line and "https://" in line for line in _wait_lines(caplog))
    assert len([line for line in _lines(caplog) if "plain HTTP" in line]) == 1
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize(
    ("header", "status", "words"),
    [
        ("Content-Length: abc", 400, "is not a number"),
        ("Content-Length: 2e9", 400, "is not a number"),
        ("Content-Length: -5", 400, "is not a number"),
        (f"Content-Length: {MAX_BODY_BYTES + 1}", 413, "Payload Too Large"),
        ("Content-Length: 2000000000", 413, "Payload Too Large"),
        ("Transfer-Encoding: chunked", 411, "Length Required"),
    ],
)
def test_a_bad_or_huge_body_is_refused_unread_with_one_log_line(emu, caplog, capfd, header, status, words):
    caplog.set_level(logging.INFO, "amlwizard.emulator")
    answer = _raw(emu, f"POST /api/v1/service/healthy-aks/score HTTP/1.1\r\nHost: x\r\n{header}\r\n\r\n")
    assert answer.startswith(f"HTTP/1.1 {status} ".encode()), answer[:200]
    assert words.encode() in answer
    logged = [line for line in _lines(caplog) if words in line]
    assert len(logged) == 1 and f"{status}" in logged[0]
    assert "Traceback" not in capfd.readouterr().err


def _wait_lines(caplog, timeout: float = 5.0) -> list[str]:
    """The handler thread logs after the client is gone: poll the records (a condition, not a pause)."""
    import time

    deadline = time.monotonic() + timeout
    while not _lines(caplog) and time.monotonic() < deadline:
        time.sleep(0.02)
    return _lines(caplog)
