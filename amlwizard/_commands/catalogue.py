"""``amlwizard catalogue [--json]``: every failure amlwizard can name, with step and remedies."""

from __future__ import annotations

import argparse
import json
import sys

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the catalogue as JSON")


def run(args: argparse.Namespace) -> int:
    from .._finding import step_label
    from ..catalogue import ENTRIES

    if args.json:
        rows = [
            {
                "id": e.id,
                "family": e.family,
                "title": e.title,
                "step": e.step,
                "explanation": e.explanation,
                "remedies": list(e.remedies),
                "doc_url": e.doc_url,
                "pattern": e.pattern,
            }
            for e in ENTRIES
        ]
        json.dump({"entries": rows}, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    width = max(len(e.id) for e in ENTRIES)
    step_width = max(len(step_label(e.step)) for e in ENTRIES)
    guide = [e for e in ENTRIES if e.id == e.family]
    print(f"{len(ENTRIES)} known failures. Details and remedies: docs/catalogue.md or --json.")
    print(f"\nThe guide's {len(guide)} failures:")
    for e in guide:
        print(f"  {e.id:<{width}}  {step_label(e.step):<{step_width}}  {e.title}")
    guide_ids = {e.id for e in guide}
    for family in dict.fromkeys(e.family for e in ENTRIES):
        members = [e for e in ENTRIES if e.family == family and e.id != family]
        if not members:
            continue
        print(f"\nMore in family {family}:" if family in guide_ids else f"\nFamily {family}:")
        for e in members:
            print(f"  {e.id:<{width}}  {step_label(e.step):<{step_width}}  {e.title}")
    print("\nDiagnose a log or error: amlwizard diagnose PATH   (or paste it: amlwizard diagnose -)")
    return 0
