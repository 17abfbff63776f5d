"""``amlwizard logs SERVICE`` / ``amlwizard logs --endpoint E [--deployment D]``: logs, then the diagnosis.

A v1 service's logs as ``az ml service get-logs`` prints them; an SDK v2 online deployment's as
``az ml online-deployment get-logs`` does (``--container storage-initializer``: the container that fetches
the model). The diagnosis reads what the triage wizard reads (the deployment error, both containers' logs),
merged by the same ``diagnose_many``, and prints as ``amlwizard diagnose`` does (the three best findings).
"""

from __future__ import annotations

import argparse
import sys

from ._workspace_args import add_workspace_arguments, open_backend

__all__ = ["add_arguments", "run"]

CONTAINERS = ("inference-server", "storage-initializer")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "service",
        nargs="?",
        metavar="SERVICE",
        help="name of the deployed service (SDK v1), or ENDPOINT/DEPLOYMENT",
    )
    parser.add_argument("--endpoint", metavar="E", help="an online endpoint (SDK v2) instead of a SERVICE")
    parser.add_argument(
        "--deployment", metavar="D", help="the endpoint's deployment (default: the one with the most traffic)"
    )
    parser.add_argument(
        "--container",
        choices=CONTAINERS,
        help="which container's logs of an online deployment (default inference-server)",
    )
    add_workspace_arguments(parser)
    parser.add_argument(
        "--init", action="store_true", help="the init container's logs instead of the scoring container's"
    )
    parser.add_argument(
        "--lines", type=int, default=5000, metavar="N", help="how many last lines (default 5000)"
    )
    parser.add_argument("--no-diagnose", action="store_true", help="print the logs only")


def _target_name(args: argparse.Namespace) -> tuple[str, bool]:
    """(the name to ask the backend for, whether it is an online deployment)."""
    from .._errors import UsageProblem

    if args.endpoint and args.service:
        raise UsageProblem("give a SERVICE or --endpoint, not both")
    if args.deployment and not args.endpoint:
        raise UsageProblem("--deployment needs --endpoint")
    if not args.endpoint and not args.service:
        raise UsageProblem("give the SERVICE whose logs to read, or --endpoint E [--deployment D] (SDK v2)")
    if args.endpoint:
        if "/" in args.endpoint:
            raise UsageProblem(
                f"--endpoint {args.endpoint!r}: give the endpoint's name (the deployment: --deployment)"
            )
        name = f"{args.endpoint}/{args.deployment}" if args.deployment else args.endpoint
        return name, True
    if args.container:
        raise UsageProblem(
            "--container is for online deployments: use --endpoint E (or SERVICE = ENDPOINT/DEPLOYMENT)"
        )
    return args.service, "/" in args.service


def run(args: argparse.Namespace) -> int:
    from .._errors import UsageProblem

    if args.lines < 1:
        raise UsageProblem(f"--lines must be 1 or more, not {args.lines}")
    name, online = _target_name(args)
    init = args.init or args.container == "storage-initializer"
    if online:
        from .._target import v2_installed

        if not v2_installed():
            raise UsageProblem("online endpoints need azure-ai-ml: pip install 'amlwizard[v2]'")
    backend, release = open_backend(args)
    try:
        if online:  # an online deployment: ask the SDK v2 side, even for a bare endpoint name
            from ..backends import CompositeBackend

            backend = backend.v2 if isinstance(backend, CompositeBackend) and backend.v2 else backend
        if args.no_diagnose:
            logs = backend.get_logs(name, init=init, lines=args.lines)
            text, shown = logs.text, logs.service
        else:
            details, texts = backend.fetch_for_diagnosis(name, lines=args.lines)
            shown = details.name
            text = texts["init log" if init else "main log"]
    finally:
        release()
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
    if not text.strip():
        which = (CONTAINERS[1] if init else CONTAINERS[0]) if online else ("init " if init else "")
        print(f"(no {which + ' ' if online else which}logs for {shown!r})")
    if not args.no_diagnose:
        from .._diagnosis_text import render_diagnosis
        from ..diagnosis import diagnose_many

        # an online deployment's containers by their names, as `az ml online-deployment get-logs` says them
        names = {"main log": f"{CONTAINERS[0]} log", "init log": f"{CONTAINERS[1]} log"} if online else {}
        given = " and ".join(names.get(n, n) for n, value in texts.items() if value.strip()) or "nothing"
        # what cannot happen there ranks lower
        context = {"compute_type": details.compute_type, "sdk": details.sdk}
        print("\n== amlwizard diagnosis ==")
        sys.stdout.write(render_diagnosis(diagnose_many(texts, top=3, context=context), source=given))
    return 0
