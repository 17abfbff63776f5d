"""``amlwizard logs SERVICE``: a service's logs as ``az ml service get-logs`` prints them, then the diagnosis.

The diagnosis reads what the triage wizard reads (the service's deployment error, main and init logs),
merged by the same ``diagnose_many``, and prints as ``amlwizard diagnose`` does (the three best findings).
"""

from __future__ import annotations

import argparse
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
    from .._errors import UsageProblem

    if args.lines < 1:
        raise UsageProblem(f"--lines must be 1 or more, not {args.lines}")
    backend, release = open_backend(args)
    try:
        if args.no_diagnose:
            text = backend.get_logs(args.service, init=args.init, lines=args.lines).text
        else:
            details, texts = backend.fetch_for_diagnosis(args.service, lines=args.lines)
            text = texts["init log" if args.init else "main log"]
    finally:
        release()
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
    if not text.strip():
        print(f"(no {'init ' if args.init else ''}logs for service {args.service!r})")
    if not args.no_diagnose:
        from .._diagnosis_text import render_diagnosis
        from ..diagnosis import diagnose_many

        given = " and ".join(name for name, value in texts.items() if value.strip()) or "nothing"
        context = {"compute_type": details.compute_type, "sdk": "v1"}  # what cannot happen there ranks lower
        print("\n== amlwizard diagnosis ==")
        sys.stdout.write(render_diagnosis(diagnose_many(texts, top=3, context=context), source=given))
    return 0
