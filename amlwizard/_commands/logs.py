"""``amlwizard logs SERVICE``: a service's logs as ``az ml service get-logs`` prints them, then the diagnosis.

The diagnosis reads the logs and the service's deployment error, and prints as ``amlwizard diagnose``
does (the three best findings).
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
        from .._diagnosis_text import render_diagnosis
        from ..diagnosis import diagnose

        which = f"the {'init' if args.init else 'main'} logs"
        source = which + (" and the deployment error" if error else "")
        text = logs.text + ("\n" + json.dumps(error, indent=2) if error else "")
        print("\n== amlwizard diagnosis ==")
        sys.stdout.write(render_diagnosis(diagnose(text, top=3), source=source))
    return 0
