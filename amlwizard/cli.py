"""The ``amlwizard`` console script: a router from sub-command to one module in ``_commands``.

Each command module has ``add_arguments(parser)`` and ``run(args) -> int`` and imports what it
needs inside ``run``, so ``amlwizard diagnose`` never pays for azureml or plotly. A user's mistake
is one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from ._errors import AmlWizardError

__all__ = ["main"]

# command -> (module under amlwizard._commands, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "diagnose": ("diagnose", "name the failure in a log, an error message or an error payload"),
    "catalogue": ("catalogue", "list every failure amlwizard knows, with its remedies"),
    "size": ("size", "replicas needed for a load: the guide's formula and the queueing answer"),
    "simulate": ("simulate", "simulate the AKS autoscaler on a traffic profile and count 503s / 504s"),
    "services": ("services", "list the services of a workspace with their state"),
    "endpoints": ("endpoints", "list the online endpoints (SDK v2) of a workspace, deployments with state"),
    "logs": ("logs", "print a service's or an online deployment's logs, then diagnose them"),
    "call": ("call", "call a service once with its key; show the answer, diagnosed with its logs"),
    "probe": ("probe", "send open-loop load to a service; count answers by status each second"),
    "workshop": ("workshop", "copy the workshop notebooks into a folder and open them in JupyterLab"),
    "emulator": ("emulator", "run the offline Azure ML workshop workspace (local emulator)"),
    "serve": ("serve", "run a scoring script locally in the Azure ML inference server"),
    "model-path": ("model_path", "explain where Model.get_model_path looks for a model, and why it fails"),
    "lint": ("lint", "check a scoring script (score.py) for the mistakes that break deployments"),
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not usage + message
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _build_parser(command: str | None) -> argparse.ArgumentParser:
    parser = _Parser(prog="amlwizard", description="Troubleshoot Azure ML model deployments.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name, (module, help_text) in COMMANDS.items():
        cmd = sub.add_parser(name, help=help_text, description=help_text)
        if name == command:  # only the chosen command's module is imported
            importlib.import_module(f"amlwizard._commands.{module}").add_arguments(cmd)
    return parser


def _printable_anywhere() -> None:
    """A terminal or file whose encoding lacks a character (U+FFFD in an ascii or cp1252 console) shows
    an escape for it instead of failing with UnicodeEncodeError: set once, for every command."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", "strict") in ("strict", "surrogateescape"):
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # a stream that cannot change (detached): leave it
                pass


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    _printable_anywhere()
    command = next((a for a in argv if not a.startswith("-")), None)
    parser = _build_parser(command if command in COMMANDS else None)
    args = parser.parse_args(argv)
    module = importlib.import_module(f"amlwizard._commands.{COMMANDS[args.command][0]}")
    try:
        return int(module.run(args) or 0)
    except AmlWizardError as err:
        print(f"amlwizard {args.command}: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `amlwizard ... | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
