"""``amlwizard probe SERVICE --rps R --seconds S``: open-loop load on a service's scoring URI, answers counted
second by second by status, with latency percentiles; on a real workspace only after a confirmation."""

from __future__ import annotations

import argparse
import json
import sys

from ._workspace_args import add_workspace_arguments, open_backend, workshop_scenario

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..calls import DEFAULT_RPS, DEFAULT_SECONDS, MAX_RPS, MAX_SECONDS
    from .call import add_request_argument

    parser.add_argument("service", metavar="SERVICE", help="name of the deployed service")
    parser.add_argument(
        "--rps", type=float, default=DEFAULT_RPS, help=f"requests per second (Poisson; at most {MAX_RPS:g})"
    )
    parser.add_argument(
        "--seconds", type=int, default=DEFAULT_SECONDS, help=f"how long to send (at most {MAX_SECONDS})"
    )
    add_request_argument(parser)
    add_workspace_arguments(parser)
    parser.add_argument("--seed", type=int, default=0, help="seed of the arrival times (default 0)")
    parser.add_argument("--yes", action="store_true", help="do not ask before probing a real service")
    parser.add_argument("--json", action="store_true", help="print counts and latencies as JSON")
    parser.add_argument("--html", metavar="OUT.html", help="write the probe's figure to this HTML file")


def _confirm(endpoint, rps: float, seconds: int, yes: bool) -> None:
    """A real service costs money and may serve production: ask first (``--yes`` for scripts)."""
    from .._errors import UsageProblem

    if endpoint.is_local or yes:
        return
    what = f"about {rps * seconds:.0f} requests to {endpoint.uri} over {seconds} s"
    if not sys.stdin.isatty():
        raise UsageProblem(f"probing a real service sends {what}; add --yes to confirm")
    answer = input(f"This sends {what}: it costs money and may slow production. Go on? [y/N] ")
    if answer.strip().lower() not in ("y", "yes"):
        raise UsageProblem("probe not started (not confirmed)")


def run(args: argparse.Namespace) -> int:
    from ..calls import check_probe, default_request, endpoint_of, probe_endpoint
    from .call import given_request

    rps, seconds = check_probe(args.rps, args.seconds)
    request = given_request(args)
    backend, release = open_backend(args)
    try:
        details = backend.get_service(args.service)
        endpoint = endpoint_of(backend, args.service, details)
        if request is None:
            request, _ = default_request(endpoint, details, scenario=workshop_scenario(args, args.service))
        _confirm(endpoint, rps, seconds, args.yes)
        if not args.json:
            print(
                f"Probing {endpoint.uri}: {rps:g} requests/s for {seconds} s (Ctrl-C stops, keeps the counts)"
            )
        result = probe_endpoint(
            endpoint, request, rps=rps, seconds=seconds, seed=args.seed,
            on_second=None if args.json else _progress,
        )  # fmt: skip
    finally:
        release()
    if args.html:
        _write_html(result, args.html)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        _print_text(result, args.html)
    return 130 if result.cancelled else 0


def _progress(snapshot) -> None:
    second = len(snapshot.per_second)
    if second % 5 == 0:
        counts = ", ".join(f"{k}: {v}" for k, v in snapshot.by_status.items()) or "no answer yet"
        print(f"  {second:>3} s: {snapshot.sent} sent; {counts}", file=sys.stderr, flush=True)


def _write_html(result, path: str) -> None:
    from .._errors import UsageProblem
    from ..plots import probe_figure

    try:
        probe_figure(result).write_html(path, include_plotlyjs=True)
    except OSError as err:
        raise UsageProblem(f"cannot write {path}: {err.strerror}; choose a writable path") from err


def _print_text(result, html: str | None) -> None:
    lat = result.latency_ms
    state = " (cancelled)" if result.cancelled else ""
    print(
        f"{result.sent} requests in {result.elapsed_s:.1f} s{state}: {result.achieved_rps:.1f} rps "
        f"(target {result.target_rps:g})"
    )
    for status, n in result.by_status.items():
        print(f"  {status:>5}: {n:>6}  ({n / max(1, result.answered):.1%})")
    if lat.get("p50") is not None:
        print(f"  latency p50 {lat['p50']:.0f} ms, p95 {lat['p95']:.0f} ms, p99 {lat['p99']:.0f} ms")
    print("per second (scheduled second: answers by status):")
    for row in result.per_second:
        counts = " ".join(f"{k}:{v}" for k, v in row["by_status"].items())
        print(f"  {row['second']:>4}  sent {row['sent']:>4}  {counts}")
    for status, body in result.samples.items():
        if status[:1] != "2":
            print(f"{status} said: {body}")
    if html:
        print(f"Figure written to {html}")
