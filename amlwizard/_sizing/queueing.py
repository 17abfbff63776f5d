"""Erlang C (M/M/c) waiting probabilities, stable for thousands of servers.

Uses the recursive Erlang B formula (no factorials, no overflow); a server is one concurrent-request slot.
"""

from __future__ import annotations

import math

__all__ = ["erlang_b", "erlang_c", "wait_probability", "mean_wait", "erlang_c_replicas"]


def erlang_b(servers: int, offered_load: float) -> float:
    """Blocking probability of M/M/c/c: B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1))."""
    b = 1.0
    for k in range(1, int(servers) + 1):
        b = offered_load * b / (k + offered_load * b)
    return b


def _erlang_c_from_b(b: float, servers: int, offered_load: float) -> float:
    rho = offered_load / servers
    return b / (1.0 - rho * (1.0 - b))


def erlang_c(servers: int, offered_load: float) -> float:
    """Probability that an arrival waits at all (M/M/c); 1.0 when the load reaches the capacity."""
    if offered_load >= servers:
        return 1.0
    return _erlang_c_from_b(erlang_b(servers, offered_load), servers, offered_load)


def wait_probability(rps: float, request_seconds: float, servers: int, wait_seconds: float) -> float:
    """P(wait > wait_seconds) = C(c, a) * exp(-(c*mu - lambda) * t) in M/M/c."""
    a = float(rps) * float(request_seconds)
    if a >= servers:
        return 1.0
    mu = 1.0 / float(request_seconds)
    return erlang_c(servers, a) * math.exp(-(servers * mu - float(rps)) * wait_seconds)


def mean_wait(rps: float, request_seconds: float, servers: int) -> float:
    """Mean time in the queue over all arrivals in M/M/c: Wq = C(c, a) / (c*mu - lambda); inf at capacity."""
    a = float(rps) * float(request_seconds)
    if a >= servers:
        return math.inf
    return erlang_c(servers, a) / (servers / float(request_seconds) - float(rps))


def erlang_c_replicas(
    rps: float, request_seconds: float, max_concurrent: int, wait_seconds: float, bound: float
) -> tuple[int, float]:
    """Fewest replicas (each ``max_concurrent`` servers) with P(wait > wait_seconds) <= bound.

    Walks the Erlang B recursion upward once, so the cost is linear in the answer's server count.
    """
    a = float(rps) * float(request_seconds)
    mu = 1.0 / float(request_seconds)
    conc = int(max_concurrent)
    b, k = 1.0, 0
    replicas = 1
    while True:
        servers = replicas * conc
        while k < servers:
            k += 1
            b = a * b / (k + a * b)
        if a < servers:
            p = _erlang_c_from_b(b, servers, a) * math.exp(-(servers * mu - float(rps)) * wait_seconds)
            if p <= bound:
                return replicas, p
        replicas += 1
