"""``amlwizard model-path NAME``: run the real Model.get_model_path as the container does, and explain it.

Local files (``--app-root`` / ``--model-files``) or a workspace's model (``--workspace`` / ``--emulator``).
"""

from __future__ import annotations

import argparse
import json

from ._workspace_args import add_workspace_arguments, open_backend

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", help="the registered model's name")
    parser.add_argument("--version", type=int, help="the model version (an int)")
    parser.add_argument(
        "--app-root", metavar="DIR", help="folder holding azureml-models/ (the container's AML_APP_ROOT)"
    )
    parser.add_argument(
        "--model-files", metavar="PATH", help="the registered file or folder (laid out for you)"
    )
    parser.add_argument(
        "--model-dir",
        metavar="DIR",
        help="SDK v2: the folder AZUREML_MODEL_DIR is in the container (what was registered, inside it)",
    )
    parser.add_argument(
        "--script", metavar="SCORE_PY", help="the scoring script: what it asks for is checked"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    add_workspace_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from .._errors import UsageProblem
    from ..modelpath import inspect_model_path, inspect_remote_model

    remote = bool(args.workspace or args.emulator)
    if sum(bool(x) for x in (args.app_root, args.model_files, args.model_dir)) > 1:
        raise UsageProblem("give one of --app-root, --model-files and --model-dir")
    if args.model_dir:
        return _model_dir(args)
    if remote and (args.app_root or args.model_files):
        raise UsageProblem(
            "give a workspace (--workspace/--emulator) or local files (--app-root/--model-files), not both"
        )
    if remote:
        backend, release = open_backend(args)
        try:
            report = inspect_remote_model(backend, args.name, args.version, script=args.script)
        finally:
            release()
    else:
        if not (args.app_root or args.model_files):
            args.app_root = "."
        report = inspect_model_path(
            args.name, args.version, app_root=args.app_root, model_files=args.model_files, script=args.script
        )
    from .._secrets import mask_json, mask_secrets

    if args.json:
        print(json.dumps(mask_json(report.to_dict()), indent=2))
        return 0 if report.ok else 1
    asked = f"Model.get_model_path({report.asked_name!r}" + (
        f", version={report.asked_version!r})" if report.asked_version is not None else ")"
    )
    out = [f"{asked} with AML_APP_ROOT={report.app_root}"]
    out.append(f"  -> {report.resolved_path}" if report.resolved_path else f"  -> {report.exception}")
    out.append("resolver log (DEBUG):")
    out += [f"  {line}" for line in report.resolver_log]
    out.append("what is there:")
    out += [f"  {line}" for line in report.tree]
    out += [f"problem: {problem}" for problem in report.problems]
    out += [f"note: {note}" for note in report.notes]
    if report.fix:
        out.append(f"fix: {report.fix}")
    print(mask_secrets("\n".join(out)))  # the resolver's log can echo the environment
    return 0 if report.ok else 1


def _model_dir(args: argparse.Namespace) -> int:
    """SDK v2: ``DIR`` is ``AZUREML_MODEL_DIR`` (azureml-models/<name>/<version>): laid out under a temporary
    app root as the container has it, then inspected as ``--app-root`` is (the script's reads of
    AZUREML_MODEL_DIR are checked against the files)."""
    import shutil
    import tempfile
    from pathlib import Path

    from .._errors import UsageProblem

    folder = Path(args.model_dir).expanduser()
    if not folder.is_dir():
        raise UsageProblem(
            f"--model-dir {args.model_dir}: no such folder (give the folder AZUREML_MODEL_DIR is)"
        )
    with tempfile.TemporaryDirectory(prefix="amlwizard-model-dir-") as tmp:
        shutil.copytree(folder, Path(tmp) / "azureml-models" / args.name / str(args.version or 1))
        args.app_root, args.model_dir = tmp, None
        print(f"AZUREML_MODEL_DIR={folder} laid out as azureml-models/{args.name}/{args.version or 1}")
        return run(args)
