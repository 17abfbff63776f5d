"""The shared wizard frame: steps in a Stack with Back / Next, a header, a status line, an error area.

Long work runs in a worker thread (``run_task``) with a status line, a Cancel button and a timeout;
``threaded=False`` runs it inline and ``wait()`` blocks until it is done, so tests are deterministic.
"""

from __future__ import annotations

import html
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from .._errors import AmlWizardError
from .._secrets import mask_secrets

if TYPE_CHECKING:
    from ..session import TroubleshootSession

__all__ = ["Wizard", "Task"]


class Task:
    """One piece of long work; ``work(task)`` may poll ``task.cancelled`` and call ``task.progress``."""

    def __init__(self, wizard: Wizard, label: str) -> None:
        self.wizard = wizard
        self.label = label
        self.cancelled = threading.Event()
        self.finished = threading.Event()
        self.started = time.monotonic()
        self.outcome = "running"  # -> done / failed / cancelled / timed out
        self._claimed = False
        self.timer: threading.Timer | None = None  # the timeout's, cancelled when the work ends

    def progress(self, text: str) -> None:
        """Show how far the work got (in the status line), unless it was cancelled."""
        if not self.cancelled.is_set():
            self.wizard.set_status(f"» {self.label}: {text}")

    def _settle(self, outcome: str) -> bool:
        """Claim the end once; False when it already ended (cancelled or timed out first).

        The claimer sets ``finished`` once it has shown the outcome, so ``wait()`` sees the result.
        """
        with self.wizard._task_lock:
            if self._claimed:
                return False
            self.outcome = outcome
            self._claimed = True
            return True


class Wizard:
    """Base of every wizard: subclasses set ``name``, ``title``, and build their steps in ``build``."""

    name = ""
    title = ""
    resume_step = True  # False where a later step shows results that are not kept (a server, a report)

    def __init__(self, session: TroubleshootSession, host: Any = None, *, threaded: bool = True) -> None:
        self.session = session
        self.host = host
        self.threaded = threaded
        self.tasks: list[Task] = []
        self._task_lock = threading.Lock()
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

    # -- long work -----------------------------------------------------------------------------
    def run_task(
        self,
        label: str,
        work: Callable[[Task], Any],
        done: Callable[[Any], None] | None = None,
        *,
        timeout: float | None = None,
        failed: Callable[[AmlWizardError], None] | None = None,
    ) -> Task:
        """Run ``work(task)`` without freezing the notebook, then ``done(result)``.

        A user-fixable error goes to the error area (and to ``failed`` if given); anything else is
        shown as one line too. Past ``timeout`` seconds (the session's by default) the result is
        dropped and the error area says so.
        """
        task = Task(self, label)
        self.tasks = [t for t in self.tasks if not t.finished.is_set()] + [task]  # a slider makes many
        self.session.working[id(task)] = label
        self.clear_error()
        self.set_status(f"» {label}…")
        limit = self.session.timeout if timeout is None else timeout

        def body() -> None:
            try:
                result = work(task)
            except AmlWizardError as e:
                if task._settle("failed"):
                    self.show_error(str(e))
                    self.set_status(f"✖ {label}: failed")
                    if failed is not None:
                        try:
                            failed(e)
                        except Exception as shown:  # noqa: BLE001 - keep the first message
                            self.set_status(f"✖ {label}: failed ({type(shown).__name__})")
            except Exception as e:  # noqa: BLE001 - a bug must not kill the session: show one line
                if task._settle("failed"):
                    self.show_error(
                        f"{label} failed: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
                    )
                    self.set_status(f"✖ {label}: failed")
            else:
                if task._settle("done"):
                    try:
                        if done is not None:
                            done(result)
                        self.set_status(f"✔ {label} ({time.monotonic() - task.started:.1f} s)")
                    except Exception as e:  # noqa: BLE001
                        self.show_error(f"{label}: could not show the result: {type(e).__name__}: {e}")
            finally:
                if task.timer is not None:
                    task.timer.cancel()
                task.finished.set()
                self._update_cancel()

        if not self.threaded:
            body()
            return task
        self.cancel_button.layout.display = None
        if limit:
            task.timer = threading.Timer(limit, self._expire, args=(task, limit))
            task.timer.daemon = True
            task.timer.start()
        threading.Thread(target=body, name=f"amlwizard-{self.name}", daemon=True).start()
        return task

    def _expire(self, task: Task, limit: float) -> None:
        if task._settle("timed out"):
            task.cancelled.set()
            self.show_error(
                f"{task.label} took longer than {limit:g} s and was stopped; try again, or raise the limit "
                "with %config AmlWizard.timeout = <seconds>"
            )
            self.set_status(f"✖ {task.label}: timed out")
            task.finished.set()
            self._update_cancel()

    def cancel(self) -> None:
        """Stop waiting for the running work (it is told to stop; its result is dropped)."""
        for task in self.tasks:
            if task._settle("cancelled"):
                task.cancelled.set()
                self.set_status(f"✖ {task.label}: cancelled")
                task.finished.set()
        self._update_cancel()

    def _update_cancel(self) -> None:
        for t in self.tasks:
            if t.finished.is_set():
                self.session.working.pop(id(t), None)
        running = any(not t.finished.is_set() for t in self.tasks)
        self.cancel_button.layout.display = None if running else "none"

    @property
    def busy(self) -> bool:
        return any(not t.finished.is_set() for t in self.tasks)

    def wait(self, timeout: float = 60.0) -> Wizard:
        """Block until all started work has ended (for tests and scripts); returns self."""
        deadline = time.monotonic() + timeout
        while True:
            pending = [t for t in self.tasks if not t.finished.is_set()]
            if not pending:
                return self
            if not pending[0].finished.wait(max(0.0, deadline - time.monotonic())):
                raise TimeoutError(f"{pending[0].label} still running after {timeout:g} s")

    def close(self) -> None:
        """Release what the wizard holds (a local server); the widgets stay."""

    def record(self, action: str, outcome: str = "", *, update_last: bool = False) -> None:
        self.session.record(self.name, action, outcome, update_last=update_last)
