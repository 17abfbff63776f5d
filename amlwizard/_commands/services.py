"""``amlwizard services``: the services of a workspace with their compute type and state.

SDK v1 web services and, when azure-ai-ml is installed, SDK v2 online deployments (``endpoint/deployment``)
side by side, each marked with its SDK; ``amlwizard endpoints`` shows the endpoints themselves.
"""

from __future__ import annotations

import argparse
import json
import sys

from ._workspace_args import add_workspace_arguments, open_backend

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_workspace_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")


def run(args: argparse.Namespace) -> int:
    backend, release = open_backend(args)
    try:
        services = backend.list_services()
    finally:
        release()
    for note in getattr(backend, "partial", []):  # one SDK's side could not be listed: say so, list the other
        print(f"amlwizard services: not listed: {note}", file=sys.stderr)
    if args.json:
        print(json.dumps([s.to_dict() for s in services], indent=2))
        return 0
    if not services:
        print(f"No services in {backend.description}.")
        return 0
    width = max(len("NAME"), *(len(s.name) for s in services))
    print(f"{'NAME':<{width}}  {'TYPE':<10}  STATE          CREATED           SDK")
    for s in services:
        created = (s.created_time or "")[:16].replace("T", " ")
        print(f"{s.name:<{width}}  {s.compute_type or '?':<10}  {s.state or '?':<13}  {created:<16}  {s.sdk}")
    return 0
