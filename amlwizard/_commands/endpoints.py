"""``amlwizard endpoints``: the SDK v2 online endpoints of a workspace, each deployment with its state.

Needs azure-ai-ml (``pip install 'amlwizard[v2]'``); ``services`` lists the SDK v1 web services.
"""

from __future__ import annotations

import argparse
import json

from ._workspace_args import add_workspace_arguments, open_backend

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_workspace_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")


def run(args: argparse.Namespace) -> int:
    from .._errors import UsageProblem
    from .._target import v2_installed

    if not v2_installed():
        raise UsageProblem("online endpoints need azure-ai-ml: pip install 'amlwizard[v2]'")
    backend, release = open_backend(args)
    try:
        endpoints = backend.list_endpoints()
    finally:
        release()
    if args.json:
        print(json.dumps([e.to_dict() for e in endpoints], indent=2))
        return 0
    if not endpoints:
        print(f"No online endpoints in {backend.description}.")
        return 0
    rows = [("ENDPOINT/DEPLOYMENT", "TYPE", "STATE", "TRAFFIC", "INSTANCES", "CREATED")]
    for e in endpoints:
        rows.append(
            (e.name, e.compute_type, e.state or "?", "", "", (e.created_time or "")[:16].replace("T", " "))
        )
        for d in e.deployments:
            instances = f"{d.num_replicas or '?'} x {d.instance_type or '?'}"
            traffic = f"{e.traffic.get(d.deployment or '', 0)} %"
            created = (d.created_time or "")[:16].replace("T", " ")
            rows.append((f"  {d.name}", d.compute_type, d.state or "?", traffic, instances, created))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip())
    return 0
