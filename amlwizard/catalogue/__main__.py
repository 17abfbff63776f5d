"""``python -m amlwizard.catalogue --markdown > docs/catalogue.md``: regenerate the catalogue page."""

from __future__ import annotations

import argparse
import sys

from . import ENTRIES
from ._markdown import render_markdown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m amlwizard.catalogue", description=__doc__)
    parser.add_argument("--markdown", action="store_true", help="print the catalogue as Markdown")
    args = parser.parse_args(argv)
    if not args.markdown:
        parser.print_help()
        return 0
    sys.stdout.write(render_markdown(ENTRIES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
