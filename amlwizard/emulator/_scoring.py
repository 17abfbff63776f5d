"""The emulated services' scoring URIs: auth, the state Azure answers in, the front end, a real server.

A v1 service that is not Healthy answers as Azure does (503); a v2 endpoint first routes the request to a
deployment (401, 404 "No valid deployments": ``_answers.route_online``). Then the service's front end
(``_frontend``: AKS's and Kubernetes' azureml-fe with replica slots, queue and autoscaler; a managed
endpoint's ceiling of requests in flight) admits the request and hands it to a scoring server, which
``start_server`` starts on first use and the emulator stops with itself. The emulator knows no scoring server
itself: ``amlwizard.workshop`` injects one that runs the scenario's score.py and model in the real azmlinfsrv.
The server's answer reaches the caller as through that kind of gateway (``_answers``: 502/504 through
azureml-fe; 424/408/429 from a managed online endpoint).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from ..scenarios import Scenario
from ._answers import NO_SCORING_SERVERS, passed_on, refused, route_online, timed_out, unreachable, wait_s
from ._data import WorkspaceData
from ._http import Reply, Request

if TYPE_CHECKING:
    from ._frontend import FrontEnd

__all__ = ["Scoring", "ScoringServer", "ScoringServers"]

_log = logging.getLogger("amlwizard.emulator")
_TEXT = "text/plain; charset=utf-8"


class ScoringServer(Protocol):
    """A running scoring server of one service (what ``start_server`` returns)."""

    def score(self, body: bytes, timeout: float) -> tuple[int, dict[str, str], bytes]:
        """POST ``body`` to /score: (status, headers with lower-case names, body). ``TimeoutError`` when no
        answer came in ``timeout`` seconds, ``OSError`` when the server cannot be reached."""

    def swagger(self) -> tuple[int, dict[str, str], bytes]:
        """GET /swagger.json."""

    def log_text(self) -> str:
        """What the server logged since it started."""

    def stop(self) -> None: ...


ScoringServers = Callable[[Scenario], ScoringServer]  # starts one (blocking); raises RuntimeError(reason)


class Scoring:
    """The ``score`` and ``swagger`` routes of every v1 service of ``data``, ``online-score`` of every v2
    endpoint."""

    def __init__(self, data: WorkspaceData, start_server: ScoringServers | None, speed: float = 1.0) -> None:
        if not speed > 0:
            raise ValueError(f"speed must be positive, got {speed!r}")
        self.data, self.start_server, self.speed = data, start_server, float(speed)
        self._servers: dict[str, ScoringServer] = {}
        self._frontends: dict[str, FrontEnd] = {}
        self._scenarios = {**data.scenarios, **data.v2.scenarios}  # names are unique across the two SDKs
        self._locks: dict[str, threading.Lock] = {name: threading.Lock() for name in self._scenarios}
        self._lock = threading.Lock()
        data.live_log = self.log_text

    # -- the routes -----------------------------------------------------------------------------------
    def __call__(self, route: str, name: str, req: Request) -> Reply:
        if route == "online-score":
            return self._online(name, req)
        scenario = self.data.scenarios[name]
        service = scenario.service
        if route == "score" and service.get("authEnabled", scenario.target == "AKS"):
            denied = self.data.credentials.check_service_key(name, req.headers.get("Authorization"))
            if denied:
                text = "Unauthorized, no Authorization header" if denied == "missing" else "Unauthorized"
                return self._counted(name, Reply(401, text.encode(), _TEXT, route, name))
        if service.get("state") != "Healthy":
            # AKS's front end has no ready replica to send to; ACI's proxy has no container behind it
            text = (
                f"No ready replicas for service {name}" if scenario.target == "AKS" else "no healthy upstream"
            )
            return self._counted(name, Reply(503, text.encode(), _TEXT, route, name))
        return self._serve(scenario, route, req)

    def _online(self, endpoint: str, req: Request) -> Reply:
        scenario = self.data.v2.find(endpoint)
        refusal = route_online(self.data.v2, scenario, endpoint, req)
        if refusal is not None:
            return self._counted(scenario.name, refusal) if scenario is not None else refusal
        assert scenario is not None
        return self._serve(scenario, "online-score", req)

    def _serve(self, scenario: Scenario, route: str, req: Request) -> Reply:
        """The request goes to the scenario's scoring server (started on first use)."""
        name = scenario.name
        if self.start_server is None:
            return Reply(503, NO_SCORING_SERVERS, _TEXT, route, name)
        try:
            server = self._server(scenario)
        except RuntimeError as exc:
            return self._counted(name, unreachable(scenario, exc))
        if route == "swagger":
            status, headers, body = server.swagger()
            return Reply(status, body, headers.get("content-type", "application/json"), route, name)
        return self._score(scenario, server, req)

    def _score(self, scenario: Scenario, server: ScoringServer, req: Request) -> Reply:
        name = scenario.name
        frontend = self.frontend(name)
        if not frontend.admit():
            return self._counted(name, refused(scenario))
        started = time.monotonic()
        try:
            reply = passed_on(scenario, *server.score(req.body, wait_s(scenario)))
        except TimeoutError:
            reply = timed_out(scenario)
        except OSError as exc:
            reply = unreachable(scenario, exc)
        finally:
            # The emulated replica's own work: a scenario's traffic block says how long a request takes
            # on its container (e.g. 50 ms); the slot stays held at least that long.
            hold = float((scenario.traffic or {}).get("request_seconds") or 0.0)
            left = hold - (time.monotonic() - started)
            if left > 0:
                time.sleep(left)
            frontend.release()
        return self._counted(name, reply)

    def _counted(self, name: str, reply: Reply) -> Reply:
        self.frontend(name).count(reply.status)
        return reply

    # -- servers and front ends -----------------------------------------------------------------------
    def _server(self, scenario: Scenario) -> ScoringServer:
        name = scenario.name
        server = self._servers.get(name)
        if server is not None:
            return server
        assert self.start_server is not None
        with self._locks[name]:  # the first calls wait for one start, not one start each
            server = self._servers.get(name)
            if server is None:
                started = time.monotonic()
                server = self.start_server(scenario)
                _log.info("scoring server of %s ready in %.1f s", name, time.monotonic() - started)
                self._servers[name] = server
        return server

    def frontend(self, name: str) -> FrontEnd:
        """The front end of service ``name`` (made on first use: its clock starts then)."""
        frontend = self._frontends.get(name)
        if frontend is None:
            from ._frontend import front_end_of

            scenario = self._scenarios[name]
            with self._lock:
                frontend = self._frontends.get(name)
                if frontend is None:
                    frontend = self._frontends[name] = front_end_of(scenario, self.speed)
        return frontend

    def state(self, name: str) -> dict[str, Any]:
        """The front end's state (replicas ready / starting, in flight, queued, answers by status)."""
        if name not in self._scenarios:
            raise KeyError(name)
        return {**self.frontend(name).state(), "server_running": name in self._servers}

    def log_text(self, name: str) -> str:
        server = self._servers.get(name)
        return server.log_text() if server is not None else ""

    def reset(self, speed: float | None = None) -> None:
        """Forget the front ends (their replicas and counts start again from the service's settings)."""
        if speed is not None:
            if not speed > 0:
                raise ValueError(f"speed must be positive, got {speed!r}")
            self.speed = float(speed)
        with self._lock:
            frontends, self._frontends = self._frontends, {}
        for frontend in frontends.values():
            frontend.close()

    def stop(self) -> None:
        self.reset()
        servers, self._servers = self._servers, {}
        for server in servers.values():
            try:
                server.stop()
            except Exception as exc:  # noqa: BLE001 - one server's failure must not keep the others running
                _log.warning("could not stop a scoring server: %s", exc)
