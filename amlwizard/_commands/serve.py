"""``amlwizard serve score.py``: run a scoring script in the real Azure ML inference server on 127.0.0.1.

Prints the URL, the time to healthy and the server log until Ctrl-C; restarts when score.py changes.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add = parser.add_argument
    add("score", nargs="?", help="the scoring script (score.py) with init() and run()")
    add(
        "--deployment",
        metavar="YAML",
        help="an SDK v2 deployment YAML: the scoring script from code_configuration, the model's files "
        "from model.path (AZUREML_MODEL_DIR as the endpoint sets it), environment_variables, request timeout",
    )
    add(
        "--compute",
        choices=("AKS", "ACI", "Managed", "Kubernetes"),
        help="where it is deployed: what a failure of run() becomes there (AKS 502/504, Managed 424/408)",
    )
    add(
        "--model-dir",
        metavar="PATH",
        help="with --model: the file or folder that was registered (Model.register(model_path=...)), "
        "laid out as azureml-models/NAME/VERSION/<its name>; alone: AZUREML_MODEL_DIR (as --model_dir)",
    )
    add(
        "--model", metavar="NAME:VERSION", help="the registered model's name and version (files: --model-dir)"
    )
    add(
        "--python",
        metavar="PATH",
        help="the interpreter of the scoring script's environment (needs azureml-inference-server-http; "
        "default: amlwizard's own)",
    )
    add("--port", type=int, help="port on 127.0.0.1 (default: a free one)")
    add(
        "--debug-port",
        type=int,
        metavar="P",
        help="attach VS Code: the server's debugpy connects to 127.0.0.1:P",
    )
    add("--timeout-ms", type=int, metavar="T", help="scoring timeout as the service's (AKS default 60000)")
    add(
        "--workers", type=int, default=1, metavar="N", help="server worker processes (default 1, as deployed)"
    )
    add("--request", metavar="JSON_OR_FILE", help="send this request once healthy and print the answer")
    add(
        "--start-timeout",
        type=float,
        default=60.0,
        metavar="S",
        help="seconds to wait for health (default 60)",
    )
    add("--no-watch", action="store_true", help="do not restart when score.py changes")
    add(
        "--once",
        action="store_true",
        help="stop after the health check (and --request): for scripts and tests",
    )


def run(args: argparse.Namespace) -> int:
    from .._errors import UsageProblem
    from ..local import LocalDeployment, choose_local_engine, load_sample_request

    if args.model and ":" not in args.model:
        raise UsageProblem(f"--model {args.model!r}: give NAME:VERSION, e.g. sklearn-diabetes:3")
    if args.model and not args.model_dir:
        raise UsageProblem("--model NAME:VERSION needs --model-dir with the model's files")
    for flag, value in (("--port", args.port), ("--debug-port", args.debug_port)):
        if value is not None and not 0 < value < 65536:
            raise UsageProblem(f"{flag} {value}: give a port between 1 and 65535")
    request = load_sample_request(args.request) if args.request else None
    kwargs = _from_deployment(args) if args.deployment else {"model": args.model, "model_dir": args.model_dir}
    if args.compute:
        kwargs["compute_type"] = args.compute
    if not args.deployment and not args.score:
        raise UsageProblem("give the scoring script (SCORE_PY), or an SDK v2 deployment YAML (--deployment)")
    dep = LocalDeployment(
        args.score or kwargs.pop("score"),
        port=args.port,
        timeout_ms=args.timeout_ms or kwargs.pop("timeout_ms", None),
        workers=args.workers,
        debug_port=args.debug_port,
        python=args.python,
        **{k: v for k, v in kwargs.items() if k not in ("score", "timeout_ms")},
    )
    print(choose_local_engine().message, flush=True)
    print(dep.model_layout, flush=True)
    if args.debug_port is not None:
        print("Start this VS Code configuration first (it listens for the server), then the server:")
        print(json.dumps(dep.vscode_launch_config(), indent=2), flush=True)
    try:
        health = dep.start(wait=True, timeout=args.start_timeout)
        _print_log(dep.new_log_lines())
        if not health.ok:
            print(f"NOT HEALTHY after {health.seconds:.2f} s: {health.reason}", file=sys.stderr)
            for finding in health.findings[:1]:
                print(f"diagnosis: {finding.title} ({finding.family})", file=sys.stderr)
                for remedy in finding.remedies[:3]:
                    print(f"  - {remedy}", file=sys.stderr)
            return 1
        print(f"healthy in {health.seconds:.2f} s: POST {dep.url}", flush=True)
        if request is not None:
            result = dep.score(request)
            remote = f"as deployed: {result.remote_status}"
            print(f"HTTP {result.status} in {result.latency_ms:.0f} ms ({remote}): {result.meaning}")
            print(json.dumps(result.body)[:4000], flush=True)
            if result.traceback:
                print("run() raised (from the server log):")
                print("\n".join(f"  {line}" for line in result.traceback), flush=True)
        if args.once:
            return 0 if request is None or result.ok else 1
        if not args.no_watch:
            dep.watch()
        print("Serving; Ctrl-C stops.", flush=True)
        while True:
            _print_log(dep.new_log_lines())
            time.sleep(0.3)
    finally:
        dep.stop()


def _from_deployment(args: argparse.Namespace) -> dict:
    """LocalDeployment's arguments from an SDK v2 deployment YAML (``--model-dir`` still wins)."""
    from .._errors import UsageProblem
    from ..local._v2_deployment import read_deployment_yaml

    spec = read_deployment_yaml(args.deployment)
    kwargs: dict = {"score": spec.score_path, "env": spec.env, "compute_type": spec.compute_type,
                    "timeout_ms": spec.timeout_ms}  # fmt: skip
    if args.model_dir and args.model:
        kwargs.update(model=args.model, model_dir=args.model_dir)
    elif args.model_dir:
        kwargs["model_dir"] = args.model_dir
    elif spec.model is not None:
        kwargs["model"] = spec.model
    if args.score:
        raise UsageProblem("give SCORE_PY or --deployment (it names the scoring script), not both")
    return kwargs


# azmlinfsrv warns on every start about variables it sets itself (its settings check counts them as extra)
_HARMLESS = "Extra keys = ['AZUREML_ENTRY_SCRIPT'"


def _print_log(lines: list[str]) -> None:
    for line in lines:
        print(f"  | {line}", flush=True)
        if line.startswith(_HARMLESS):
            print("  = harmless: azmlinfsrv sets these variables itself, then warns about them", flush=True)
