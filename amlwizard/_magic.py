"""``%aml_troubleshoot`` / ``%%aml_troubleshoot``: parse the arguments, make a session, show the wizard.

A thin magic (as jupysql's): settings are traitlets (``%config AmlWizard.log_lines = 2000``), a
user's mistake is one-line ``UsageError``; ipywidgets and azureml load only when first needed.
"""

from __future__ import annotations

from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring
from traitlets import Bool, Float, Int, Unicode, validate
from traitlets.config import Configurable

from ._errors import AmlWizardError, UsageProblem
from .wizards._registry import WIZARD_NAMES

__all__ = ["AmlWizard", "load_ipython_extension", "unload_ipython_extension"]


@magics_class
class AmlWizard(Magics, Configurable):
    """Troubleshoot an Azure ML deployment in guided steps (``%aml_troubleshoot?`` for options)."""

    log_lines = Int(5000, config=True, help="How many log lines to fetch (the last ones).")
    default_wizard = Unicode("triage", config=True, help="The wizard shown when --wizard is not given.")
    workshop = Bool(
        False, config=True, help="Use the offline workshop emulator when no option says otherwise."
    )
    timeout = Float(
        120.0, config=True, help="Seconds before long work (a log fetch, a server start) gives up."
    )
    threaded = Bool(True, config=True, help="Run long work in a worker thread (False: inline, for scripts).")

    @validate("default_wizard")
    def _check_wizard(self, proposal: Any) -> str:
        if proposal["value"] not in WIZARD_NAMES:
            raise UsageError(f"unknown wizard {proposal['value']!r}: choose one of {', '.join(WIZARD_NAMES)}")
        return proposal["value"]

    @validate("log_lines")
    def _check_lines(self, proposal: Any) -> int:
        if not 1 <= proposal["value"] <= 100_000:
            raise UsageError("AmlWizard.log_lines must be between 1 and 100000")
        return proposal["value"]

    @magic_arguments()
    @argument(
        "service",
        nargs="?",
        help="The web service, or the online deployment as ENDPOINT[/DEPLOYMENT] (SDK v2; an endpoint alone: "
        "its deployment with the most traffic), to troubleshoot (a scenario name with --workshop).",
    )
    @argument("--endpoint", "-e", metavar="E", help="An online endpoint (SDK v2) instead of a service.")
    @argument(
        "--deployment", "-d", metavar="D", help="With --endpoint: its deployment (default: the most traffic)."
    )
    @argument("--workspace", "-w", metavar="CONFIG", help="The workspace's config.json.")
    @argument("--workshop", action="store_true", help="Use the offline workshop emulator and its scenarios.")
    @argument("--scenario", "-s", help="With --workshop: the scenario (= service) to open.")
    @argument("--wizard", choices=WIZARD_NAMES, help="The wizard to open (default: triage).")
    @argument("--log", "-l", metavar="PATH", help="Diagnose this log file instead of a service's logs.")
    @argument("--resume", "-r", metavar="PATH", help="Resume a saved session (s.save() wrote it).")
    @line_cell_magic
    def aml_troubleshoot(self, line: str = "", cell: str | None = None) -> Any:
        """Show the troubleshooting wizard and return its TroubleshootSession.

        ``s = %aml_troubleshoot my-service``; ``%aml_troubleshoot my-endpoint/blue`` (SDK v2, or
        ``--endpoint my-endpoint --deployment blue``);
        ``%aml_troubleshoot --workshop --scenario aks-503-spike``;
        ``%%aml_troubleshoot`` with an error message or log pasted in the cell diagnoses that text.
        """
        args = parse_argstring(self.aml_troubleshoot, line)
        # parse_argstring keeps the quotes of a quoted path ("--workspace 'my folder/config.json'")
        for name in ("workspace", "log", "resume", "service", "endpoint", "deployment"):
            if getattr(args, name):
                setattr(args, name, getattr(args, name).strip("'\""))
        try:
            session = self.make_session(args, cell)
            from .wizards import show

            wizard = args.wizard or (None if args.resume else self.default_wizard)
            if session.target.get("kind") == "none":  # no workspace found: the user chooses one first
                session.state.setdefault("connect", {})["then"] = wizard or "triage"
                wizard = "connect"
            show(session, wizard, threaded=self.threaded)
        except AmlWizardError as e:
            raise UsageError(str(e)) from None
        return session

    def make_session(self, args: Any, cell: str | None = None) -> Any:
        """The session the arguments describe (no network yet: the wizard connects in its worker)."""
        from .session import TroubleshootSession

        if args.resume:
            session = TroubleshootSession.load(args.resume)
            session.timeout = self.timeout
            return session
        from ._target import target_from_options

        has_text = cell is not None and bool(cell.strip())
        target = target_from_options(
            service=args.service, workspace=args.workspace, workshop=args.workshop, scenario=args.scenario,
            log=args.log, text=cell is not None, default_workshop=self.workshop, choose_later=True,
            endpoint=args.endpoint, deployment=args.deployment,
        )  # fmt: skip
        session = TroubleshootSession(target, max_log_lines=self.log_lines, timeout=self.timeout)
        if has_text:
            session.set_logs("pasted", cell)
        elif args.log:
            session.set_logs_from_file("file", target["log"])  # triage diagnoses the whole file, streamed
        elif cell is not None:
            raise UsageProblem(
                "the %%aml_troubleshoot cell is empty: paste an error message or a log into it"
            )
        return session


def load_ipython_extension(ipython: Any) -> None:
    magics = AmlWizard(shell=ipython)
    ipython.register_magics(magics)
    # %config AmlWizard.<name> = ... reaches only the configurables the shell lists
    ipython.configurables = [c for c in ipython.configurables if not isinstance(c, AmlWizard)] + [magics]


def unload_ipython_extension(ipython: Any) -> None:
    from .workshop import stop_workshop

    stop_workshop(owner="session")  # the one the sessions started; not a notebook's own start_workshop()
    magics = ipython.magics_manager.magics
    for kind in ("line", "cell"):
        magics[kind].pop("aml_troubleshoot", None)
    ipython.magics_manager.registry.pop("AmlWizard", None)
    ipython.configurables = [c for c in ipython.configurables if not isinstance(c, AmlWizard)]
