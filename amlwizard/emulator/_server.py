"""The emulator's HTTPS server: threaded, TCP_NODELAY, TLS from a test CA, with injectable faults.

``Emulator(scenarios).start()`` listens on 127.0.0.1; ``add_fault`` makes a route answer a status code or
answer late; ``close_port()`` / ``reopen_port()`` emulate a workspace that cannot be reached at all.
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
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
from ._tls import shared_ca

__all__ = ["Emulator", "Fault"]


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
        super().__init__(address, handler)

    def get_request(self):
        conn, addr = self.socket.accept()
        # Nagle + delayed ACK cost ~40 ms a request without this (benchmarks/bench_emulator.py).
        if self.emulator.nodelay:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        # The TLS handshake happens in the handler thread (first read), never in the accept loop.
        return self.emulator.tls_context.wrap_socket(
            conn, server_side=True, do_handshake_on_connect=False
        ), addr


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format, *args):  # noqa: A002 - quiet: the emulator records calls itself
        pass

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        emu = self.server.emulator
        reply = answer(Request(self.command, self.path, emu.url, self.headers, body), emu.data)
        reply = emu.apply_faults(reply)
        emu.calls.append((self.command, self.path, reply.status, reply.route))
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("x-ms-request-id", "00000000-0000-0000-0000-amlwizardemu")
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
    ) -> None:
        self.nodelay = nodelay  # False only for the benchmark's baseline
        self.scenarios = scenarios if scenarios is not None else load_scenarios()
        self.data = WorkspaceData(self.scenarios)
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
        """Stop serving and remove the emulator's temporary folder."""
        self.close_port()
        if self._own_dir:
            shutil.rmtree(self.state_dir, ignore_errors=True)

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

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
