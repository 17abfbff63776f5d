"""The ``--workspace`` / ``--emulator`` / ``--timeout`` options shared by ``services`` and ``logs``.

``open_backend(args)`` returns the backend and a function that releases it (stops an in-process emulator).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

__all__ = ["add_workspace_arguments", "open_backend"]


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
    from ..backends.azure import AzureBackend

    if args.emulator:
        from ..emulator import start_workshop

        workshop = start_workshop()
        backend = AzureBackend(workshop.workspace, timeout_s=args.timeout)
        return backend, workshop.stop
    return AzureBackend.from_config(args.workspace, timeout_s=args.timeout), lambda: None
