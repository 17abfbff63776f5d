"""``amlwizard lint score.py``: static checks of a scoring script (nothing is run).

Exit 0 when no error-level issue is found, 1 otherwise, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import json

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("score", help="the scoring script to check")
    parser.add_argument(
        "--env",
        "--conda-file",  # the option's first name, kept so existing commands still work
        dest="env",
        metavar="FILE",
        help="the environment's conda .yml or pip requirements file (checks imports and pinned versions)",
    )
    parser.add_argument("--model", metavar="NAME", help="the registered model's name (checks get_model_path)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def run(args: argparse.Namespace) -> int:
    from ..scorelint import lint_script

    registered = None
    if args.model:
        from ..backends import ModelInfo

        registered = ModelInfo(args.model, 0, [], [])
    report = lint_script(args.score, conda_file=args.env, registered_model=registered)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
        return 1 if report.errors else 0
    if not report.issues:
        print(f"{args.score}: no problems found")
    for issue in report.issues:
        print(f"{args.score}:{issue.line}: {issue.severity} [{issue.id}] {issue.message}")
        print(f"    fix: {issue.fix}")
    for ref in report.model_refs:
        where = f"in {ref.function}()" if ref.function else "at module level"
        what = (
            f"get_model_path({ref.name!r})"
            if ref.kind == "get_model_path"
            else f"AZUREML_MODEL_DIR/{ref.relative_path or ''}"
        )
        print(f"model: line {ref.line} {where}: {what}")
    return 1 if report.errors else 0
