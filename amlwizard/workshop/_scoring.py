"""The scoring servers behind the emulated services: a scenario's score.py and model in azmlinfsrv.

``start_scoring_server(scenario)`` is what the workshop hands the emulator (``Emulator(scoring=...)``): the
emulator stays a server that knows only scenarios, this module knows how a scenario's app is served
(``amlwizard.local``: loopback only, its own process group, stopped with the emulator or at exit).
One process a service with one worker: the emulated replicas are the front end's slots, and a request's
modelled time on its container is spent there (docs/emulator.md).
"""

from __future__ import annotations

import socket
import threading
import urllib.error
import urllib.request
from collections import deque
from typing import Any

from .._errors import UsageProblem
from ..scenarios import Scenario

__all__ = ["start_scoring_server", "START_TIMEOUT_S"]

START_TIMEOUT_S = 90.0  # azmlinfsrv starts in 1-3 s; a loaded machine (tests in parallel) takes longer
_LOG_WAIT_S = 2.0  # the server's log line of a failed request follows its answer by a few milliseconds
_LOG_LINES = 5000  # what get_logs() can show of a long-running workshop server (the newest lines)


class _ServedApp:
    """A scenario's app served by ``LocalDeployment``, as the emulator's ``ScoringServer``."""

    def __init__(self, scenario: Scenario) -> None:
        from ..local import LocalDeployment

        # v1: the service's scoring timeout (ACI's is a minute too). v2: the front end answers 408 at
        # request_timeout_ms while the container's request runs on, so the server keeps its own minute.
        timeout_ms = int(scenario.service.get("scoringTimeoutMs") or 60_000)
        self._lines: deque[str] = deque(maxlen=_LOG_LINES)
        self._serving = False  # the server's start-up is the recorded log's: only what follows is kept
        self._posts = 0  # scoring requests the server logged (its line comes after any traceback)
        self._logged = threading.Condition()
        self.deployment = LocalDeployment.for_scenario(
            scenario.name, timeout_ms=timeout_ms, on_log=self._on_log
        )
        try:
            health = self.deployment.start(timeout=START_TIMEOUT_S)
        except UsageProblem as exc:
            self.deployment.stop()
            raise RuntimeError(f"the scoring server did not start: {exc}") from exc
        if not health.ok:
            self.deployment.stop()
            raise RuntimeError(f"the scoring server did not start: {health.reason}")
        self._serving = True
        self.url = self.deployment.url

    def _request(self, url: str, body: bytes | None, timeout: float) -> tuple[int, dict[str, str], bytes]:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        request = urllib.request.Request(url, data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as resp:  # noqa: S310 - loopback only
                status, head, raw = resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as err:
            status, head, raw = err.code, err.headers, err.read()
        except urllib.error.URLError as err:
            if isinstance(err.reason, (TimeoutError, socket.timeout)):
                raise TimeoutError(str(err.reason)) from err
            raise OSError(str(err.reason)) from err
        return status, {k.lower(): v for k, v in head.items()}, raw

    def _on_log(self, line: str) -> None:  # the server's reader thread, one masked line at a time
        with self._logged:
            if self._serving:  # the container's start-up is already in the scenario's recorded log
                self._lines.append(line)
            if "POST /score " in line:
                self._posts += 1
                self._logged.notify_all()

    def score(self, body: bytes, timeout: float) -> tuple[int, dict[str, str], bytes]:
        seen = self._posts
        answer = self._request(self.url, body, timeout)
        if answer[0] >= 400:  # so that get_logs() right after the answer shows its traceback
            with self._logged:
                self._logged.wait_for(lambda: self._posts > seen, _LOG_WAIT_S)
        return answer

    def swagger(self) -> tuple[int, dict[str, str], bytes]:
        return self._request(self.url.rsplit("/score", 1)[0] + "/swagger.json", None, 10.0)

    def log_text(self) -> str:
        with self._logged:
            lines = list(self._lines)
        return "\n".join(lines) + "\n" if lines else ""

    def stop(self) -> None:
        self.deployment.stop()


def start_scoring_server(scenario: Scenario) -> Any:
    """Serve ``scenario``'s score.py and model in azmlinfsrv on 127.0.0.1; blocks until it answers.
    ``RuntimeError`` (with the server's reason) when it does not start."""
    return _ServedApp(scenario)
