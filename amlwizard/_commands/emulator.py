"""``amlwizard emulator``: run the offline workshop workspace until Ctrl-C, for an instructor's class.

Prints the ``export`` lines and the ``config.json`` a client needs; stops cleanly on SIGINT and SIGTERM.
"""

from __future__ import annotations

import argparse
import json
import shlex
import signal
import threading
from pathlib import Path

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument(
        "--scenario",
        action="append",
        metavar="NAME",
        help="serve only this scenario (repeatable; default: all)",
    )
    parser.add_argument(
        "--speed",
        type=float,
        metavar="K",
        help="replicas start and scale down K times faster than on AKS (default 6, or "
        "$AMLWIZARD_EMULATOR_SPEED; 1 is real time)",
    )
    parser.add_argument(
        "--config-out",
        metavar="PATH",
        help="also write the workspace config.json here (it is always in the state folder)",
    )


def run(args: argparse.Namespace) -> int:
    from .._errors import UsageProblem
    from ..emulator import Emulator
    from ..scenarios import WORKSPACE, load_scenarios
    from ..workshop._attach import client_env, write_config
    from ..workshop._scoring import start_scoring_server
    from ..workshop._workshop import workshop_speed

    if not 0 <= args.port <= 65535:
        raise UsageProblem(f"--port must be between 0 and 65535, not {args.port}")
    scenarios = load_scenarios(args.scenario)
    speed = workshop_speed(args.speed)
    emulator = Emulator(scenarios, port=args.port, scoring=start_scoring_server, speed=speed)
    try:
        emulator.start()
    except OSError as exc:
        emulator.stop()
        raise UsageProblem(
            f"cannot listen on 127.0.0.1:{args.port} ({exc.strerror}); choose another --port"
        ) from exc
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        bundle = emulator.ca.bundle_path
        secret = emulator.msi_secret  # printed on purpose: the class's clients need it (MSI_SECRET)
        config = write_config(emulator.state_dir / "config.json", emulator.url, bundle, secret)
        if args.config_out:
            try:
                write_config(Path(args.config_out), emulator.url, bundle, secret)
            except OSError as exc:
                raise UsageProblem(f"cannot write --config-out {args.config_out} ({exc.strerror})") from exc
        env = client_env(emulator.url, bundle, emulator.state_dir, secret)
        names = ", ".join(s.name for s in scenarios)
        print(
            f"amlwizard emulator: workspace '{WORKSPACE['workspace_name']}' at {emulator.url} serving {names}"
        )
        print(f"Replicas start {speed:g}x faster than on AKS (--speed).")
        print("\n# 1. In the shell that starts Python / Jupyter (before azureml is imported):")
        for key, value in env.items():
            print(f"export {key}={shlex.quote(value)}")
        print(f"\n# 2. The workspace config.json (written to {config}):")
        print(json.dumps(json.loads(config.read_text()), indent=2))
        print("\n# 3. Then, in Python:")
        print(f"#    from azureml.core import Workspace; ws = Workspace.from_config({str(config)!r})")
        print(
            f"#    or, with no exports: from amlwizard.workshop import connect; ws = connect({str(config)!r})"
        )
        print(f"#    or: amlwizard services --workspace {shlex.quote(str(config))}")
        v2 = f"ml_client = connect_ml_client({str(config)!r})"
        print(f"#    SDK v2: from amlwizard.workshop import connect_ml_client; {v2}")
        print("\nServing until Ctrl-C.", flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        emulator.stop()
    print("amlwizard emulator: stopped.", flush=True)
    return 0
