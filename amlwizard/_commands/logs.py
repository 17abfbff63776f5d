"""``amlwizard logs SERVICE``: a service's logs as ``az ml service get-logs`` prints them, then the diagnosis.

The diagnosis reads the logs and the service's deployment error; it is skipped (with a note) when
the diagnosis engine is not available.
"""

from __future__ import annotations

import argparse
import json
import sys

from ._workspace_args import add_workspace_arguments, open_backend

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("service", metavar="SERVICE", help="name of the deployed service")
    add_workspace_arguments(parser)
    parser.add_argument(
        "--init", action="store_true", help="the init container's logs instead of the scoring container's"
    )
    parser.add_argument(
        "--lines", type=int, default=5000, metavar="N", help="how many last lines (default 5000)"
    )
    parser.add_argument("--no-diagnose", action="store_true", help="print the logs only")


def run(args: argparse.Namespace) -> int:
    from .._errors import BackendError, UsageProblem

    if args.lines < 1:
        raise UsageProblem(f"--lines must be 1 or more, not {args.lines}")
    backend, release = open_backend(args)
    try:
        logs = backend.get_logs(args.service, init=args.init, lines=args.lines)
        error = None
        if not args.no_diagnose:
            try:
                error = backend.get_service(args.service).error
            except BackendError:  # the logs came through; a missing error payload only weakens the diagnosis
                error = None
    finally:
        release()
    sys.stdout.write(logs.text if logs.text.endswith("\n") or not logs.text else logs.text + "\n")
    if not logs.text.strip():
        print(f"(no {'init ' if args.init else ''}logs for service {args.service!r})")
    if not args.no_diagnose:
        _print_diagnosis(logs.text + ("\n" + json.dumps(error, indent=2) if error else ""))
    return 0


def _print_diagnosis(text: str) -> None:
    try:
        from ..diagnosis import diagnose
    except ImportError:
        print("\n(diagnosis skipped: amlwizard.diagnose is not available)")
        return
    findings = diagnose(text).findings
    print("\n== amlwizard diagnosis ==")
    if not findings:
        print("No known failure in these logs. If the service misbehaves, try the init logs (--init).")
        return
    for f in findings[:3]:
        step = f" (step {f.step})" if f.step else ""
        print(f"* {f.id}{step}: {f.title}  [confidence {f.confidence:.2f}]")
        for ev in f.evidence[:2]:
            print(f"    line {ev.line}: {ev.text.strip()[:160]}")
        for remedy in f.remedies[:2]:
            print(f"    try: {remedy}")
        if f.doc_url:
            print(f"    doc: {f.doc_url}")
