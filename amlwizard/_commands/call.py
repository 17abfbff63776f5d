"""``amlwizard call SERVICE``: one request to the service with its key, what came back, and the diagnosis of
that answer together with the service's logs (what the triage wizard's *Call the service* step shows)."""

from __future__ import annotations

import argparse
import json
import sys

from ._workspace_args import add_workspace_arguments, open_backend, workshop_scenario

__all__ = ["add_arguments", "run", "add_request_argument", "given_request"]


def add_request_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--request",
        metavar="JSON_OR_FILE",
        help="the request body: a JSON string or a JSON file (default: the workshop scenario's sample, "
        "or the example of the service's swagger)",
    )


def given_request(args: argparse.Namespace):
    """The request the user gave (parsed JSON), or None for the default one."""
    if args.request is None:
        return None
    from ..local import load_sample_request

    return load_sample_request(args.request)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("service", metavar="SERVICE", help="name of the deployed service")
    add_request_argument(parser)
    add_workspace_arguments(parser)
    parser.add_argument("--lines", type=int, default=5000, metavar="N", help="log lines to diagnose (5000)")
    parser.add_argument("--json", action="store_true", help="print the answer and the findings as JSON")


def run(args: argparse.Namespace) -> int:
    from .._errors import UsageProblem
    from ..calls import call_service

    if args.lines < 1:
        raise UsageProblem(f"--lines must be 1 or more, not {args.lines}")
    request = given_request(args)
    backend, release = open_backend(args)
    try:
        done = call_service(
            backend, args.service, request, scenario=workshop_scenario(args, args.service), lines=args.lines
        )
    finally:
        release()
    if args.json:
        print(json.dumps(done.to_dict(), indent=2))
        return 0
    _print_text(done)
    return 0


def _print_text(done) -> None:
    from .._diagnosis_text import render_diagnosis

    a = done.answer
    d = done.details
    print(f"Service {d.name}: {d.compute_type}, state {d.state}")
    if a is None:
        print("Not called: the service has no scoring URI (its deployment failed or is not finished).")
    else:
        print(f"POST {a.uri}  ({done.request_source})")
        if a.status:
            print(f"{a.status} {a.reason} in {a.latency_ms:.0f} ms")
        else:
            print(f"no answer after {a.latency_ms:.0f} ms: {a.error}")
        for name, value in a.headers.items():
            print(f"  {name}: {value}")
        if a.body:
            body = a.body if len(a.body) <= 4000 else a.body[:4000] + f"\n... ({len(a.body)} characters)"
            sys.stdout.write(body if body.endswith("\n") else body + "\n")
    given = [name for name, value in done.texts.items() if value.strip()]
    print("\n== amlwizard diagnosis ==")
    sys.stdout.write(render_diagnosis(_top(done.diagnosis, 3), source=" and ".join(given) or "nothing"))
    if a is not None and a.ok and not done.diagnosis.findings:
        print(f"It answered {a.status}: run() works for this request. Under load: amlwizard probe {d.name}")


def _top(diagnosis, n: int):
    from dataclasses import replace

    return replace(diagnosis, findings=diagnosis.findings[:n])
