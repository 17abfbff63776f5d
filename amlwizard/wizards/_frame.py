"""The shared wizard frame: steps in a Stack with Back / Next, a header, a status line, an error area.

Long work (``run_task``, from ``_tasks``) runs in a worker thread with a status line, a Cancel button
and a timeout; ``threaded=False`` runs it inline, so tests are deterministic.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from .._errors import AmlWizardError
from .._secrets import mask_secrets
from ._tasks import Task, TaskRunner

if TYPE_CHECKING:
    from ..session import TroubleshootSession

__all__ = ["Wizard", "Task"]


class Wizard(TaskRunner):
    """Base of every wizard: subclasses set ``name``, ``title``, and build their steps in ``build``."""

    name = ""
    title = ""
    resume_step = True  # False where a later step shows results that are not kept (a server, a report)

    def __init__(self, session: TroubleshootSession, host: Any = None, *, threaded: bool = True) -> None:
        self.session = session
        self.host = host
        self.threaded = threaded
        self.init_tasks()
        self.step_titles: list[str] = []
        self.header = w.HTML().add_class("amlw-step-title")
        self.status = w.HTML().add_class("amlw-status")
        self.error = w.HTML(layout=w.Layout(display="none")).add_class("amlw-error")
        self.back_button = w.Button(description="Back", icon="arrow-left").add_class("amlw-back")
        self.next_button = w.Button(description="Next", icon="arrow-right").add_class("amlw-next")
        self.cancel_button = w.Button(
            description="Cancel", button_style="warning", layout=w.Layout(display="none")
        ).add_class("amlw-cancel")
        self.on_click(self.back_button, self.back)
        self.on_click(self.next_button, self.next)
        self.on_click(self.cancel_button, self.cancel)
        pages = []
        for step_title, page in self.build():
            self.step_titles.append(step_title)
            pages.append(page.add_class("amlw-page"))
        self.stack = w.Stack(children=pages, selected_index=0)
        nav = w.HBox([self.back_button, self.next_button, self.cancel_button]).add_class("amlw-nav-buttons")
        self.widget = w.VBox([self.header, self.stack, nav, self.status, self.error])
        self.widget.add_class("amlw-wizard").add_class(f"amlw-wizard-{self.name}")
        self._show_step(0)

    # -- to override --------------------------------------------------------------------------
    def build(self) -> list[tuple[str, w.Widget]]:
        """The steps: (title, widget) pairs."""
        raise NotImplementedError

    def on_open(self, **kwargs: Any) -> None:
        """Called each time the host shows this wizard (``kwargs`` from the opener, e.g. a finding)."""

    def on_next(self, step: int) -> bool:
        """Called on Next from ``step``; return False to stay (e.g. the step starts work itself)."""
        return True

    def on_step(self, step: int) -> None:
        """Called after the wizard moved to ``step``."""

    # -- steps ---------------------------------------------------------------------------------
    @property
    def step(self) -> int:
        return self.stack.selected_index or 0

    def go(self, step: int) -> None:
        step = max(0, min(step, len(self.step_titles) - 1))
        self._show_step(step)
        self.session.state.setdefault(self.name, {})["step"] = step
        self.on_step(step)

    def _show_step(self, step: int) -> None:
        self.stack.selected_index = step
        n = len(self.step_titles)
        self.header.value = (
            f"<b>{html.escape(self.title)}</b> &middot; step {step + 1} of {n}: "
            f"<span class='amlw-step-name'>{html.escape(self.step_titles[step])}</span>"
        )
        self.back_button.disabled = step == 0
        self.next_button.disabled = step >= n - 1

    def next(self) -> None:
        if self.on_next(self.step):
            self.go(self.step + 1)

    def back(self) -> None:
        self.go(self.step - 1)

    def open_wizard(self, name: str, **kwargs: Any) -> None:
        """Open another wizard in the same host (a finding's next-step button)."""
        if self.host is not None:
            self.host.open(name, **kwargs)

    def on_click(self, button: w.Button, handler: Callable[[], Any]) -> w.Button:
        """Run ``handler()`` on a click; whatever it raises is shown in the error area (ipywidgets
        would otherwise only log it where the user never looks)."""

        def clicked(_: Any) -> None:
            try:
                handler()
            except AmlWizardError as e:
                self.show_error(str(e))
            except Exception as e:  # noqa: BLE001 - one line, not a traceback in the kernel log
                self.show_error(f"{button.description} failed: {type(e).__name__}: {e}")

        button.on_click(clicked)
        button.layout.width = "auto"  # ipywidgets' fixed width cuts longer labels
        return button

    # -- status and errors -------------------------------------------------------------------
    def set_status(self, text: str) -> None:
        self.status.value = html.escape(mask_secrets(text))

    def show_error(self, message: str) -> None:
        """Show one line in the error area; the rest of the wizard and the session stay as they are."""
        self.error.value = f"⚠ {html.escape(mask_secrets(message))}"
        self.error.layout.display = None

    def clear_error(self) -> None:
        self.error.value = ""
        self.error.layout.display = "none"

    @property
    def error_text(self) -> str:
        """The error shown, as plain text ('' when none)."""
        return html.unescape(self.error.value).removeprefix("⚠ ")

    def close(self) -> None:
        """Release what the wizard holds (a local server); the widgets stay."""

    def record(self, action: str, outcome: str = "", *, update_last: bool = False) -> None:
        self.session.record(self.name, action, outcome, update_last=update_last)
