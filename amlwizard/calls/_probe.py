"""A load probe of a scoring URI: open-loop Poisson arrivals at a target rate, answers counted each second.

Open loop: request i is sent at its scheduled time whatever happened to the ones before, so the rate holds
when answers slow down (a closed loop would slow with them and hide the 503s). Latency is measured from the
scheduled time, so a request the probe itself sent late is not counted as fast. One async HTTP client
(httpx) with keep-alive connections, in a thread of its own; bounded in rate and time; cancellable (what was
seen so far is kept); it sends only to the endpoint's scoring URI (no redirects, no proxy).
"""

from __future__ import annotations

import asyncio
import math
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from .._errors import UsageProblem
from .._secrets import mask_secrets
from ._http import ScoringEndpoint, request_bytes, trusted_context

__all__ = ["ProbeResult", "probe_endpoint", "check_probe", "MAX_RPS", "MAX_SECONDS", "DEFAULT_RPS",
           "DEFAULT_SECONDS"]  # fmt: skip

DEFAULT_RPS, DEFAULT_SECONDS = 10.0, 30
MAX_RPS, MAX_SECONDS = 100.0, 300  # a probe is a test, not a load test: it must not take a service down
_CONNECTIONS = 256  # open connections at most; more requests at once wait for one (their latency shows it)
_SAMPLE_CHARS = 300  # of one answer body per status, kept to show (and diagnose) what each status said
_QUICK_MS = 2000.0  # a warm-up slower than this is not repeated (a 5 s request would take 15 s)


def check_probe(rps: float, seconds: float) -> tuple[float, int]:
    """The rate and duration if within bounds; else a one-line ``UsageProblem``."""
    if not (0 < float(rps) <= MAX_RPS) or math.isnan(float(rps)):
        raise UsageProblem(f"--rps must be above 0 and at most {MAX_RPS:g} requests per second, not {rps!r}")
    if not (1 <= float(seconds) <= MAX_SECONDS):
        raise UsageProblem(f"--seconds must be 1 to {MAX_SECONDS}, not {seconds!r}")
    return float(rps), int(seconds)


def _percentile(ordered: list[float], q: float) -> float | None:
    """Nearest-rank percentile of sorted values (None when there are none)."""
    if not ordered:
        return None
    return round(ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))], 1)


@dataclass
class ProbeResult:
    """What a probe saw. ``per_second[i]``: requests scheduled in second i, their answers by status and
    latency percentiles. Status ``"error"``: no HTTP answer (refused, reset, no answer within the timeout)."""

    service: str
    uri: str
    target_rps: float
    seconds: int  # planned
    planned: int = 0  # arrivals the Poisson schedule had in the planned window
    sent: int = 0
    elapsed_s: float = 0.0  # of the send window (shorter when cancelled)
    cancelled: bool = False
    by_status: dict[str, int] = field(default_factory=dict)
    latency_ms: dict[str, float | None] = field(default_factory=dict)  # p50, p95, p99, max of all answers
    ok_fast_ms: float | None = None  # 10th percentile of the 2xx answers: a request's own time, unqueued
    ok_slowest_ms: float | None = None  # 95th percentile of the 2xx answers (queued ones included)
    per_second: list[dict[str, Any]] = field(default_factory=list)
    samples: dict[str, str] = field(default_factory=dict)  # status -> the first body seen (masked, short)
    warmup: dict[str, Any] | None = None  # requests before the clock (not counted); at_rest_ms: one's time
    cpu_seconds: float = 0.0  # the probe thread's own CPU time from the clock's start (warm-up not counted)
    send_lag_ms: dict[str, float | None] = field(default_factory=dict)  # how late requests left (p50, p99)

    @property
    def answered(self) -> int:
        return sum(self.by_status.values())

    @property
    def achieved_rps(self) -> float:
        return self.sent / self.elapsed_s if self.elapsed_s else 0.0

    def count(self, status: int | str) -> int:
        return self.by_status.get(str(status), 0)

    def rate(self, status: int | str) -> float:
        return self.count(status) / self.answered if self.answered else 0.0

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.update(answered=self.answered, achieved_rps=round(self.achieved_rps, 3))
        out["rate_503"], out["rate_504"] = round(self.rate(503), 6), round(self.rate(504), 6)
        return out


class _Tally:
    """Answers as they come (the probe's thread), and consistent snapshots of them (for a live plot)."""

    def __init__(self, result: ProbeResult) -> None:
        self.result = result
        self.lock = threading.Lock()
        n = result.seconds
        self.sent = [0] * n
        self.statuses: list[Counter[str]] = [Counter() for _ in range(n)]
        self.latencies: list[list[float]] = [[] for _ in range(n)]
        self.ok_latencies: list[float] = []
        self.lags: list[float] = []

    def on_sent(self, second: int, lag_ms: float) -> None:
        with self.lock:
            self.sent[second] += 1
            self.lags.append(lag_ms)

    def on_answer(self, second: int, status: str, latency_ms: float, body: bytes | str) -> None:
        with self.lock:
            self.statuses[second][status] += 1
            self.latencies[second].append(latency_ms)
            if status.startswith("2"):
                self.ok_latencies.append(latency_ms)
            if status not in self.result.samples:
                text = body if isinstance(body, str) else body[:2048].decode("utf-8", "replace")
                self.result.samples[status] = mask_secrets(text[:_SAMPLE_CHARS])

    def snapshot(self, elapsed: float) -> ProbeResult:
        """The result so far (a copy: the caller may keep it while the probe goes on)."""
        r = self.result
        with self.lock:
            upto = min(r.seconds, max(1, math.ceil(elapsed)))
            total: Counter[str] = Counter()
            every: list[float] = []
            rows = []
            for i in range(upto):
                ordered = sorted(self.latencies[i])
                every += ordered
                total.update(self.statuses[i])
                rows.append({
                    "second": i, "sent": self.sent[i], "by_status": dict(sorted(self.statuses[i].items())),
                    "p50_ms": _percentile(ordered, 0.50), "p95_ms": _percentile(ordered, 0.95),
                    "p99_ms": _percentile(ordered, 0.99),
                })  # fmt: skip
            lags = sorted(self.lags)
            ok = sorted(self.ok_latencies)
            samples = dict(r.samples)
        every.sort()
        return ProbeResult(
            service=r.service, uri=r.uri, target_rps=r.target_rps, seconds=r.seconds, planned=r.planned,
            sent=sum(self.sent), elapsed_s=round(min(elapsed, r.seconds), 3), cancelled=r.cancelled,
            by_status=dict(sorted(total.items())), per_second=rows, samples=samples, warmup=r.warmup,
            cpu_seconds=r.cpu_seconds, ok_fast_ms=_percentile(ok, 0.1),
            ok_slowest_ms=_percentile(ok, 0.95),
            latency_ms={"p50": _percentile(every, 0.5), "p95": _percentile(every, 0.95),
                        "p99": _percentile(every, 0.99), "max": every[-1] if every else None},
            send_lag_ms={"p50": _percentile(lags, 0.5), "p99": _percentile(lags, 0.99)},
        )  # fmt: skip


def _schedule(rps: float, seconds: int, seed: int | None) -> list[float]:
    """Poisson arrivals: exponential gaps of mean 1/rps, within [0, seconds)."""
    rng = random.Random(seed)
    times, t = [], rng.expovariate(rps)
    while t < seconds:
        times.append(t)
        t += rng.expovariate(rps)
    return times


async def _warm_up(client: Any, uri: str, body: bytes, loop: Any) -> dict[str, Any]:
    """Requests before the clock starts, not counted: the first opens the connection and wakes a cold
    service; when it answered 2xx, one or two more, one after the other, time a request at rest (what the
    simulator is then told a request takes: the probe's own answers are slowed by any queue). A third is
    sent only when the second was quick."""
    import httpx

    timed: list[float] = []
    out: dict[str, Any] = {}
    for attempt in range(3):
        began = loop.time()
        try:
            resp = await client.post(uri, content=body)
        except httpx.HTTPError as exc:
            out.setdefault("error", mask_secrets(f"{type(exc).__name__}: {exc}"))
            break
        took = (loop.time() - began) * 1000
        if attempt == 0:
            out.update(status=resp.status_code, latency_ms=round(took, 1))
        else:
            timed.append(took)
        if not 200 <= resp.status_code < 300 or (attempt and took > _QUICK_MS):
            break
    if timed:
        out["at_rest_ms"] = round(sorted(timed)[len(timed) // 2], 1)
    return out


async def _run(
    endpoint: ScoringEndpoint,
    body: bytes,
    schedule: list[float],
    tally: _Tally,
    cancel: threading.Event,
    on_second: Callable[[ProbeResult], None] | None,
    warmup: bool,
) -> float:
    import httpx

    limits = httpx.Limits(max_connections=_CONNECTIONS, max_keepalive_connections=_CONNECTIONS)
    timeout = httpx.Timeout(endpoint.timeout_s)
    loop = asyncio.get_running_loop()
    async with httpx.AsyncClient(
        verify=trusted_context(), trust_env=False, follow_redirects=False, limits=limits, timeout=timeout,
        headers=endpoint.headers(),
    ) as client:  # fmt: skip
        if warmup:
            tally.result.warmup = await _warm_up(client, endpoint.uri, body, loop)
        start, cpu = loop.time(), time.thread_time()

        async def send(at: float) -> None:
            second = int(at)
            tally.on_sent(second, (loop.time() - start - at) * 1000)
            try:
                resp = await client.post(endpoint.uri, content=body)
                status, raw = str(resp.status_code), resp.content
            except httpx.HTTPError as exc:
                status, raw = "error", f"{type(exc).__name__}: {exc}"
            tally.on_answer(second, status, (loop.time() - start - at) * 1000, raw)

        tasks: set[asyncio.Task[None]] = set()
        reported = 0

        def report(now: float) -> None:
            nonlocal reported
            while on_second is not None and reported + 1 <= now:
                reported += 1
                on_second(tally.snapshot(reported))

        for at in schedule:
            while not cancel.is_set():
                now = loop.time() - start
                report(now)
                if now >= at:
                    break
                await asyncio.sleep(min(at - now, 0.05))
            if cancel.is_set():
                break
            task = asyncio.create_task(send(at))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        window = min(loop.time() - start, float(tally.result.seconds))
        if not cancel.is_set():  # the window ends on time even when the last arrival came early
            while (now := loop.time() - start) < tally.result.seconds and not cancel.is_set():
                report(now)
                await asyncio.sleep(min(0.05, tally.result.seconds - now))
            window = float(tally.result.seconds)
        deadline = loop.time() + endpoint.timeout_s
        while tasks and not cancel.is_set() and loop.time() < deadline:  # the last answers
            await asyncio.wait(set(tasks), timeout=0.25)
        for task in list(tasks):  # cancelled, or past the timeout: not counted
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        tally.result.cpu_seconds = round(time.thread_time() - cpu, 4)
        return window


def probe_endpoint(
    endpoint: ScoringEndpoint,
    request: Any,
    *,
    rps: float = DEFAULT_RPS,
    seconds: int = DEFAULT_SECONDS,
    seed: int | None = 0,
    cancel: threading.Event | None = None,
    on_second: Callable[[ProbeResult], None] | None = None,
    warmup: bool = True,
) -> ProbeResult:
    """Send Poisson arrivals at ``rps`` for ``seconds`` to ``endpoint`` and count the answers.

    ``on_second(snapshot)`` is called once a second from the probe's thread (hand widget changes to the
    kernel's thread). Setting ``cancel``, or Ctrl-C in the calling thread, stops it: the result says
    ``cancelled`` and holds what was seen. ``warmup`` sends up to three uncounted requests first.
    """
    rps, seconds = check_probe(rps, seconds)
    body = request_bytes(request)
    cancel = cancel or threading.Event()
    schedule = _schedule(rps, seconds, seed)
    result = ProbeResult(endpoint.service, endpoint.uri, rps, seconds, planned=len(schedule))
    tally = _Tally(result)
    outcome: dict[str, Any] = {}

    import httpx  # noqa: F401 - imported here, not in the probe's thread: its CPU time is the probe's own

    def in_thread() -> None:  # an event loop of its own: works from a kernel's thread, a CLI, a worker
        try:
            outcome["window"] = asyncio.run(_run(endpoint, body, schedule, tally, cancel, on_second, warmup))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            outcome["error"] = exc

    thread = threading.Thread(target=in_thread, name="amlwizard-probe", daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.2)
    except KeyboardInterrupt:  # Ctrl-C / the kernel's interrupt: stop sending, keep what was seen
        cancel.set()
        thread.join()
    if "error" in outcome:
        raise outcome["error"]
    result.cancelled = cancel.is_set()
    final = tally.snapshot(outcome.get("window", 0.0))
    final.cancelled, final.cpu_seconds = result.cancelled, result.cpu_seconds
    return final
