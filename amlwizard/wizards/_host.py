"""The box the magic displays: the target's header, a menu of wizards, and the wizard now open.

Wizards are built on first open and kept, so going back to one shows it as it was left.
"""

from __future__ import annotations

import html
import importlib
import time
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from .._errors import UsageProblem
from ._registry import WIZARDS
from ._tasks import kernel_loop

if TYPE_CHECKING:
    from ..session import TroubleshootSession
    from ._frame import Wizard

__all__ = ["WizardHost"]


class WizardHost:
    """All wizards of one session; ``open(name)`` switches the one shown."""

    def __init__(self, session: TroubleshootSession, *, threaded: bool = True) -> None:
        self.session = session
        self.threaded = threaded
        self.wizards: dict[str, Wizard] = {}
        self.target = w.HTML().add_class("amlw-target")
        self.menu = w.ToggleButtons(
            options=[(label, name) for name, (_, _, label) in WIZARDS.items()], value=None
        ).add_class("amlw-menu")
        self.menu.observe(self._menu_changed, names="value")
        self.body = w.Box().add_class("amlw-body")
        stem = f"amlwizard-{session.service or 'session'}"
        self.path = w.Text(value=str(session.path or stem), layout=w.Layout(width="24em"))
        self.path.add_class("amlw-session-path")
        auto = w.Layout(width="auto")
        self.save_button = w.Button(description="Save session", icon="save", layout=auto)
        self.save_button.add_class("amlw-save-session")
        self.report_button = w.Button(description="Write report", icon="file", layout=w.Layout(width="auto"))
        self.report_button.add_class("amlw-write-report")
        self.saved = w.HTML().add_class("amlw-saved")
        self.save_button.on_click(lambda _: self._save_or_report(report=False))
        self.report_button.on_click(lambda _: self._save_or_report(report=True))
        bar = w.HBox([self.path, self.save_button, self.report_button, self.saved]).add_class(
            "amlw-session-bar"
        )
        self.widget = w.VBox([self.target, self.menu, self.body, bar]).add_class("amlw-host")
        self.update_target()
        session.autosave_listeners.append(self._autosaved)
        if session.autosave_error:
            self._autosaved(session.autosave_error)

    def update_target(self) -> None:
        t = self.session.target
        parts = []
        if t.get("workspace"):
            parts.append(html.escape(t["workspace"]))
        elif t.get("kind") == "workshop":
            parts.append("workshop workspace (offline emulator)")
        if t.get("service"):
            parts.append(f"service <b>{html.escape(t['service'])}</b>")
        if t.get("log"):
            parts.append(f"log file {html.escape(str(t['log']))}")
        self.target.value = "<b>amlwizard</b> &middot; " + (" &middot; ".join(parts) or "no target yet")

    def _autosaved(self, error: str | None) -> None:
        """The bar promises a save after each step: when one fails, it says so until one works again."""

        def show() -> None:
            if error:
                self.saved.value = (
                    f"<span class='amlw-error amlw-autosave-error'>⚠ {html.escape(error)}</span>"
                )
            elif "amlw-autosave-error" in self.saved.value:
                self.saved.value = f"saved to {html.escape(str(self.session.path))} again"

        loop = kernel_loop()  # autosave may run on a worker thread: widgets change on the kernel's
        loop.add_callback(show) if loop is not None else show()

    def _menu_changed(self, change: dict[str, Any]) -> None:
        if change["new"] and change["new"] != self.session.wizard:
            self.open(change["new"])

    def get(self, name: str) -> Wizard:
        """The wizard called ``name``, built on first use."""
        if name not in WIZARDS:
            raise UsageProblem(f"unknown wizard {name!r}: choose one of {', '.join(WIZARDS)}")
        if name not in self.wizards:
            module, cls, _ = WIZARDS[name]
            wizard_cls = getattr(importlib.import_module(f".{module}", __package__), cls)
            self.wizards[name] = wizard_cls(self.session, self, threaded=self.threaded)
        return self.wizards[name]

    def open(self, name: str, **kwargs: Any) -> Wizard:
        """Show wizard ``name``; ``kwargs`` reach its ``on_open`` (e.g. the finding that led there)."""
        first = name not in self.wizards
        wizard = self.get(name)
        self.session.wizard = name
        self.body.children = (wizard.widget,)
        if self.menu.value != name:
            self.menu.value = name
        wizard.on_open(**kwargs)
        step = self.session.state.get(name, {}).get("step")
        if first and not kwargs and wizard.resume_step and step and wizard.step != step:
            wizard.go(step)  # a resumed session reopens at the step the user was at
        return wizard

    def _save_or_report(self, *, report: bool) -> None:
        """The bar's buttons: save the session as JSON, or write the Markdown + HTML report."""
        from .._errors import AmlWizardError

        stem = self.path.value.strip() or "amlwizard-session"
        stem = stem[:-5] if stem.endswith(".json") else stem
        try:
            if report:
                md, page = self.session.report(stem)
                self.saved.value = f"report written: {html.escape(str(md))}, {html.escape(str(page))}"
            else:
                path = self.session.save(stem + ".json")
                self.saved.value = f"saved to {html.escape(str(path))} (and after each step from now on)"
        except (AmlWizardError, OSError) as e:
            self.saved.value = f"<span class='amlw-error'>⚠ {html.escape(str(e))}</span>"

    def rebuild(self, keep: str) -> None:
        """Drop every wizard but ``keep`` (stopping what they started): the session now targets another
        workspace, so each is built again, for it, when next opened."""
        for name in [n for n in self.wizards if n != keep]:
            wizard = self.wizards.pop(name)
            wizard.cancel()
            wizard.close()
        self.update_target()

    @property
    def current(self) -> Wizard:
        return self.wizards[self.session.wizard]

    def wait(self, timeout: float = 60.0) -> WizardHost:
        """Block until every wizard's work has ended (tests, scripts), also work that ending work started
        (connecting opens triage, which lists the services)."""
        deadline = time.monotonic() + timeout
        while True:
            for wizard in list(self.wizards.values()):
                wizard.wait(max(0.0, deadline - time.monotonic()))
            if not any(wizard.busy for wizard in self.wizards.values()):
                return self

    def close(self) -> None:
        """Stop what the wizards started (local servers); call before dropping the host."""
        for wizard in self.wizards.values():
            wizard.cancel()
            wizard.close()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
