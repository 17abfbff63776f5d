"""The ``--workspace`` / ``--emulator`` / ``--timeout`` options shared by the commands that use a workspace.

``open_backend(args)`` returns the backend and a function that releases it (stops an in-process emulator).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

__all__ = ["add_workspace_arguments", "open_backend", "workshop_scenario"]


def add_workspace_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workspace",
        metavar="CONFIG_JSON",
        help="the workspace's config.json (default: searched as Workspace.from_config does)",
    )
    parser.add_argument(
        "--emulator",
        action="store_true",
        help="use the offline workshop workspace (a local emulator with every scenario)",
    )
    parser.add_argument(
        "--timeout", type=float, default=30.0, metavar="S", help="time limit of each call (default 30)"
    )


def open_backend(args: argparse.Namespace) -> tuple[Any, Callable[[], None]]:
    from .._target import open_backend as open_target
    from .._target import target_from_options

    target = target_from_options(workspace=args.workspace, workshop=args.emulator, workshop_flag="--emulator")
    backend = open_target(target, timeout_s=args.timeout, owner="cli", timeout_hint="--timeout S")

    def release() -> None:
        from ..workshop import stop_workshop

        stop_workshop(owner="cli")

    return backend, release


def workshop_scenario(args: argparse.Namespace, service: str) -> str | None:
    """The workshop scenario ``service`` is, when the workspace is the offline workshop (``--emulator``, or a
    config.json written by ``amlwizard emulator``): its sample request is the default one to send."""
    import json
    from pathlib import Path

    from ..scenarios import scenario_names

    offline = bool(args.emulator)
    if not offline and args.workspace:
        try:
            offline = "amlwizard_emulator" in json.loads(Path(args.workspace).read_text(encoding="utf-8"))
        except (OSError, ValueError, TypeError):
            offline = False
    return service if offline and service in scenario_names() else None
