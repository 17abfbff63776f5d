"""``amlwizard diagnose [PATH|-] [--json] [--top N] [--compute C] [--sdk V]``: name the failure in a text.

No PATH (or ``-``) reads stdin. Exit 0 whether or not a failure is found; exit 2 (one line on
stderr) when the input cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path",
        nargs="?",
        default="-",
        metavar="PATH",
        help="a log file, an error message or an error payload (JSON); '-' or nothing reads stdin",
    )
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    parser.add_argument("--top", type=int, metavar="N", help="show only the N best findings")
    parser.add_argument(
        "--compute",
        choices=("ACI", "AKS", "Managed", "Kubernetes", "Local"),
        help="where the service runs: findings that cannot happen there rank lower",
    )
    parser.add_argument(
        "--sdk", choices=("v1", "v2"), help="the SDK that deployed it (v1 azureml-core, v2 azure-ai-ml)"
    )


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .._diagnosis_text import render_diagnosis
    from .._errors import UsageProblem
    from ..diagnosis import diagnose

    if args.top is not None and args.top < 1:
        raise UsageProblem(f"--top must be 1 or more, not {args.top}")
    if args.path == "-":
        if sys.stdin is None or sys.stdin.isatty():
            print(
                "Paste the log or error text, then press Ctrl-D (Ctrl-Z Enter on Windows).", file=sys.stderr
            )
        source, shown = sys.stdin.buffer, "stdin"
    else:
        source, shown = Path(args.path), args.path
    context = {k: v for k, v in (("compute_type", args.compute), ("sdk", args.sdk)) if v}
    result = diagnose(source, top=args.top, context=context or None)
    if args.json:
        json.dump(result.to_dict(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_diagnosis(result, source=shown))
    return 0
