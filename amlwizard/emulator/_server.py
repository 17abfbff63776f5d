"""The emulator's HTTPS server: threaded, TCP_NODELAY, TLS from a test CA, bounded, with injectable faults.

``Emulator(scenarios).start()`` listens on 127.0.0.1; ``add_fault`` makes a route answer a status code or
answer late; ``close_port()`` / ``reopen_port()`` emulate a workspace that cannot be reached at all. What a
stranger can make it do is bounded (docs/emulator.md): a body over ``MAX_BODY_BYTES`` gets 413 unread, a bad
``Content-Length`` 400, an idle connection is closed after ``IDLE_TIMEOUT_S``, at most ``MAX_CONNECTIONS`` are
served at once, and each such event is one log line (``amlwizard.emulator`` logger), never a traceback.
"""

from __future__ import annotations

import json
import logging
import shutil
import socket
import ssl
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .._files import owned_tempdir
from ..scenarios import Scenario, load_scenarios
from ._data import WorkspaceData
from ._http import Reply, Request, error_body
from ._routes import ROUTES, answer
from ._scoring import Scoring, ScoringServers
from ._tls import shared_ca

__all__ = ["Emulator", "Fault", "MAX_BODY_BYTES", "MAX_CONNECTIONS", "IDLE_TIMEOUT_S"]

MAX_BODY_BYTES = 32 * 1024 * 1024  # a request body past this gets 413 (scoring payloads are rarely larger)
MAX_CONNECTIONS = 256  # connections served at once (a thread each); more are closed at once
IDLE_TIMEOUT_S = 120.0  # a connection silent this long (no TLS handshake, no next request) is closed
_log = logging.getLogger("amlwizard.emulator")


@dataclass
class Fault:
    """Make ``route`` (a name from ``ROUTES`` or ``"*"``) answer ``status`` and/or wait ``latency_s`` first.

    ``service`` limits it to one service's calls; ``times`` to the first N matching calls (None: always).
    """

    route: str = "*"
    status: int | None = None
    latency_s: float = 0.0
    service: str | None = None
    times: int | None = None
    body: dict | None = None
    hits: int = 0

    def matches(self, reply: Reply) -> bool:
        if self.route not in ("*", reply.route) or (self.service and self.service != reply.service):
            return False
        return self.times is None or self.hits < self.times


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, handler, emulator: Emulator) -> None:
        self.emulator = emulator
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(address, handler)

    def process_request(self, request, client_address) -> None:
        if not self._slots.acquire(blocking=False):
            _log.warning("emulator: %d connections already open; closed one from %s", MAX_CONNECTIONS,
                         _peer(client_address))  # fmt: skip
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request, client_address) -> None:
        """One log line instead of socketserver's traceback on stderr (a client's fault, not ours)."""
        exc = sys.exc_info()[1]
        if isinstance(exc, ssl.SSLError) and "HTTP_REQUEST" in str(exc):
            _log.warning(
                "emulator: plain HTTP from %s on the HTTPS port (use https://)", _peer(client_address)
            )
        elif isinstance(exc, (ConnectionError, TimeoutError, ssl.SSLError)):
            _log.info("emulator: connection from %s ended: %s", _peer(client_address), exc)
        else:
            _log.warning("emulator: request from %s failed: %s: %s", _peer(client_address),
                         type(exc).__name__, exc)  # fmt: skip

    def get_request(self):
        conn, addr = self.socket.accept()
        # Nagle + delayed ACK cost ~40 ms a request without this (benchmarks/bench_emulator.py).
        if self.emulator.nodelay:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        # The TLS handshake happens in the handler thread (first read), never in the accept loop.
        return self.emulator.tls_context.wrap_socket(
            conn, server_side=True, do_handshake_on_connect=False
        ), addr


def _peer(address) -> str:
    return f"{address[0]}:{address[1]}" if isinstance(address, tuple) else str(address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = IDLE_TIMEOUT_S  # socket timeout: TLS handshake, headers, body, keep-alive wait

    def log_message(self, format, *args):  # noqa: A002 - quiet: the emulator records calls itself
        pass

    def _body(self) -> bytes | None:
        """The request body; None when the request was refused (400, 411, 413) and answered already."""
        raw = self.headers.get("Content-Length")
        if raw is None:
            if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                return self._refuse(411, "Length Required: send a Content-Length (chunked is not read)")
            return b""
        if not raw.strip().isdigit():
            return self._refuse(400, f"Bad Request: Content-Length {raw.strip()[:40]!r} is not a number")
        length = int(raw)
        if length > MAX_BODY_BYTES:
            return self._refuse(413, f"Payload Too Large: {length} bytes, at most {MAX_BODY_BYTES}")
        return self.rfile.read(length) if length else b""

    def _refuse(self, status: int, text: str) -> None:
        _log.warning("emulator: %s %s from %s: %d %s", self.command, self.path.split("?")[0][:120],
                     _peer(self.client_address), status, text)  # fmt: skip
        self.close_connection = True  # the body, if any, was not read
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        return None

    def _handle(self) -> None:
        body = self._body()
        if body is None:
            return
        emu = self.server.emulator
        request = Request(self.command, self.path, emu.url, self.headers, body)
        reply = answer(request, emu.data, emu.scoring)
        reply = emu.apply_faults(reply)
        emu.calls.append((self.command, self.path, reply.status, reply.route))
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("x-ms-request-id", str(uuid.uuid4()))  # one a request, as Azure's
        for k, v in reply.headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(reply.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle


class Emulator:
    """A local Azure ML control plane serving ``scenarios`` (all of them by default) as one workspace."""

    def __init__(
        self,
        scenarios: list[Scenario] | None = None,
        *,
        port: int = 0,
        state_dir: Path | None = None,
        nodelay: bool = True,
        scoring: ScoringServers | None = None,
        speed: float = 1.0,
    ) -> None:
        self.nodelay = nodelay  # False only for the benchmark's baseline
        self.scenarios = scenarios if scenarios is not None else load_scenarios()
        self.data = WorkspaceData(self.scenarios)
        # scoring(scenario) starts a service's scoring server (amlwizard.workshop injects the real one);
        # speed: how much faster than AKS replicas start and scale down (docs/emulator.md)
        self.scoring = Scoring(self.data, scoring, speed)
        self._own_dir = state_dir is None
        self.state_dir = Path(state_dir or owned_tempdir("amlwizard-emulator-"))
        self.ca = shared_ca()
        self.tls_context = self.ca.server_context()
        self._port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.faults: list[Fault] = []
        self.calls: deque[tuple[str, str, int, str]] = deque(maxlen=10_000)  # (method, path, status, route)
        for s in self.scenarios:  # a scenario's own faults (e.g. the unauthorized one) are always on
            for f in s.faults:
                self.faults.append(
                    Fault(route=f["route"], status=f["status"], service=s.name, body=f.get("body"))
                )
        self._scenario_faults = len(self.faults)

    # -- lifecycle -------------------------------------------------------------------------------
    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self._port}"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> Emulator:
        if self._server is None:
            self._server = _Server(("127.0.0.1", self._port), _Handler, self)
            self._port = self._server.server_address[1]
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.1},
                name="amlwizard-emulator",
                daemon=True,
            )
            self._thread.start()
        return self

    def close_port(self) -> None:
        """Stop listening (the port stays reserved in ``port``): clients get connection refused."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
            self._thread = None

    def reopen_port(self) -> None:
        self.start()

    def stop(self) -> None:
        """Stop serving, stop the scoring servers, remove the emulator's temporary folder."""
        self.close_port()
        self.scoring.stop()
        if self._own_dir:
            shutil.rmtree(self.state_dir, ignore_errors=True)

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- credentials and scoring -------------------------------------------------------------------
    def issue_token(self, lifetime_s: int = 24 * 3600) -> str:
        """A bearer token this emulator accepts (in-process clients; others ask the MSI endpoint)."""
        return self.data.credentials.issue_token(lifetime_s)

    @property
    def msi_secret(self) -> str:
        """What ``MSI_SECRET`` must hold for this emulator's managed-identity endpoint to answer."""
        return self.data.credentials.msi_secret

    @property
    def speed(self) -> float:
        return self.scoring.speed

    def reset_scoring(self, speed: float | None = None) -> None:
        """Start every service's front end again (replicas at their minimum, counts at 0), at ``speed``."""
        self.scoring.reset(speed)

    def scoring_state(self, service: str) -> dict:
        """A service's front end: replicas ready / starting, requests in flight and queued, answers by
        status, the last minutes second by second, its settings (replica start already divided by speed)."""
        return self.scoring.state(service)

    # -- faults ----------------------------------------------------------------------------------
    def add_fault(self, route: str = "*", status: int | None = None, latency_s: float = 0.0, **kw) -> Fault:
        if route != "*" and route not in ROUTES:
            raise ValueError(f"unknown route {route!r}; routes: {', '.join(ROUTES)}")
        fault = Fault(route=route, status=status, latency_s=latency_s, **kw)
        with self._lock:
            self.faults.insert(0, fault)  # the newest fault wins over scenario faults
        return fault

    def clear_faults(self) -> None:
        """Remove the faults added with ``add_fault`` (the scenarios' own faults stay)."""
        with self._lock:
            self.faults = self.faults[len(self.faults) - self._scenario_faults :]

    @contextmanager
    def fault(
        self, route: str = "*", status: int | None = None, latency_s: float = 0.0, **kw
    ) -> Iterator[Fault]:
        f = self.add_fault(route, status, latency_s, **kw)
        try:
            yield f
        finally:
            with self._lock:
                if f in self.faults:
                    self.faults.remove(f)

    def apply_faults(self, reply: Reply) -> Reply:
        with self._lock:
            fault = next((f for f in self.faults if f.matches(reply)), None)
            if fault is not None:
                fault.hits += 1
        if fault is None:
            return reply
        if fault.latency_s:
            time.sleep(fault.latency_s)
        if fault.status is None:
            return reply
        body = fault.body or error_body(fault.status)
        return Reply(fault.status, json.dumps(body).encode(), route=reply.route, service=reply.service)
