"""``amlwizard size``: replicas for a steady load, by the guide's formula and by queueing theory."""

from __future__ import annotations

import argparse
import json

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rps", type=float, required=True, help="target requests per second")
    parser.add_argument("--request-seconds", type=float, required=True, help="seconds one request takes")
    parser.add_argument("--max-concurrent", type=int, default=1, help="requests one replica serves at once")
    parser.add_argument(
        "--target-utilization", type=float, default=0.7, help="autoscale target as a fraction (0.7 = 70 %%)"
    )
    parser.add_argument(
        "--max-wait-ms", type=float, default=500.0, help="queue budget before a 503 (max_request_wait_time)"
    )
    parser.add_argument(
        "--wait-probability", type=float, default=0.01, help="accepted P(wait > max wait) (0.01 = 1 %%)"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def run(args: argparse.Namespace) -> int:
    from ..sizing import size_replicas, spike_headroom

    sizing = size_replicas(
        args.rps,
        args.request_seconds,
        max_concurrent=args.max_concurrent,
        target_utilization=args.target_utilization,
        max_wait_ms=args.max_wait_ms,
        wait_probability_bound=args.wait_probability,
    )
    if args.json:
        print(json.dumps(sizing.to_dict(), indent=2))
        return 0
    s = sizing
    head = spike_headroom(s.target_utilization)
    print(
        f"Load: {s.target_rps:g} rps x {s.request_seconds:g} s per request, {s.max_concurrent} concurrent "
        f"request(s) per replica, target utilization {s.target_utilization:.0%}"
    )
    print(
        f"Guide formula:      {s.replicas} replicas  (concurrent requests = {s.target_rps:g} x "
        f"{s.request_seconds:g} / {s.target_utilization:g} = {s.concurrent_requests:.2f}; "
        f"replicas = ceil({s.concurrent_requests:.2f} / {s.max_concurrent}))"
    )
    print(
        f"Queueing (Erlang C): {s.erlang_c_replicas} replicas  (P(wait > {s.max_wait_ms:g} ms) = "
        f"{s.erlang_c_wait_probability:.2%}, bound {s.wait_probability:.2%}; with the formula's replicas: "
        f"{s.formula_wait_probability:.2g})"
    )
    print(f"  {s.explanation}")
    print(f"Spike headroom: {head.note}")
    return 0
