"""Long work in a wizard: a worker thread, a status line, Cancel, a time limit, and results shown safely.

The work runs in a worker thread so the notebook never freezes. What it changes in the widgets (its
result, errors, progress) is handed to the kernel's own thread when a kernel runs one (``kernel_call``):
that is where ipywidgets handles the browser's messages, so a slider moved while work ends never races a
half-updated view. ``wait()`` runs those hand-offs itself, so a cell that waits for the work cannot
deadlock. Outside a kernel (a terminal IPython, a script) there is no loop to hand to: calls run at once.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from .._errors import AmlWizardError

__all__ = ["Task", "TaskRunner", "kernel_loop"]


def kernel_loop() -> Any:
    """The running kernel's event loop (a tornado IOLoop), or None outside a Jupyter kernel."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return None
    return getattr(getattr(get_ipython(), "kernel", None), "io_loop", None)


class Task:
    """One piece of long work; ``work(task)`` may poll ``task.cancelled`` and call ``task.progress``."""

    def __init__(self, runner: TaskRunner, label: str) -> None:
        self.runner = runner
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
            self.runner.kernel_call(self.runner.set_status, f"» {self.label}: {text}")

    def _settle(self, outcome: str) -> bool:
        """Claim the end once; False when it already ended (cancelled or timed out first).

        The claimer sets ``finished`` once it has shown the outcome, so ``wait()`` sees the result.
        """
        with self.runner._task_lock:
            if self._claimed:
                return False
            self.outcome = outcome
            self._claimed = True
            return True


class TaskRunner:
    """What a wizard needs to run long work; the wizard provides ``set_status``, ``show_error``,
    ``clear_error``, ``cancel_button``, ``session``, ``name`` and ``threaded``."""

    session: Any
    name: str
    threaded: bool
    cancel_button: Any
    set_status: Callable[[str], None]
    show_error: Callable[[str], None]
    clear_error: Callable[[], None]

    def init_tasks(self) -> None:
        self.tasks: list[Task] = []
        self._task_lock = threading.Lock()
        self._kernel_thread = threading.current_thread()  # the thread that built the widgets
        self._handoffs: queue.SimpleQueue[tuple[Callable[..., None], tuple[Any, ...]]] = queue.SimpleQueue()

    def kernel_call(self, fn: Callable[..., None], *args: Any) -> None:
        """Run ``fn(*args)`` on the kernel's thread: now when already there or when no kernel loop runs,
        else as soon as the kernel is free (or ``wait()`` runs it)."""
        loop = kernel_loop()
        if loop is None or threading.current_thread() is self._kernel_thread:
            fn(*args)
            return
        self._handoffs.put((fn, args))
        loop.add_callback(self.run_handoffs)

    def run_handoffs(self) -> None:
        """Run what worker threads handed over, in order (on the kernel's thread)."""
        while True:
            try:
                fn, args = self._handoffs.get_nowait()
            except queue.Empty:
                return
            try:
                fn(*args)
            except Exception as e:  # noqa: BLE001 - one line, not a traceback in the kernel log
                self.show_error(f"could not show a result: {type(e).__name__}: {e}")

    def run_task(
        self,
        label: str,
        work: Callable[[Task], Any],
        done: Callable[[Any], str | None] | None = None,
        *,
        timeout: float | None = None,
        failed: Callable[[AmlWizardError], None] | None = None,
    ) -> Task:
        """Run ``work(task)`` without freezing the notebook, then ``done(result)``.

        ``done`` returns a one-line reason when what the work found is a failure (a server that did not
        start): the status line then says ✖ with it, not ✔.

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

        def show(outcome: str, value: Any) -> None:  # on the kernel's thread
            try:
                if outcome == "done":
                    try:
                        failure = done(value) if done is not None else None
                        if isinstance(failure, str):  # the work ran, and what it found is a failure
                            self.set_status(f"✖ {label}: {failure}")
                        else:
                            self.set_status(f"✔ {label} ({time.monotonic() - task.started:.1f} s)")
                    except Exception as e:  # noqa: BLE001
                        self.show_error(f"{label}: could not show the result: {type(e).__name__}: {e}")
                elif isinstance(value, AmlWizardError):
                    self.show_error(str(value))
                    self.set_status(f"✖ {label}: failed")
                    if failed is not None:
                        try:
                            failed(value)
                        except Exception as shown:  # noqa: BLE001 - keep the first message
                            self.set_status(f"✖ {label}: failed ({type(shown).__name__})")
                else:  # a bug must not kill the session: one line
                    first = str(value).splitlines()[0] if str(value) else ""
                    self.show_error(f"{label} failed: {type(value).__name__}: {first}")
                    self.set_status(f"✖ {label}: failed")
            finally:
                task.finished.set()
                self._update_cancel()

        def body() -> None:
            try:
                outcome, value = "done", work(task)
            except Exception as e:  # noqa: BLE001 - shown by show()
                outcome, value = "failed", e
            if task.timer is not None:
                task.timer.cancel()
            if task._settle(outcome):
                self.kernel_call(show, outcome, value)

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
            self.kernel_call(self._show_expired, task, limit)

    def _show_expired(self, task: Task, limit: float) -> None:
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

    def wait(self, timeout: float = 60.0) -> Any:
        """Block until all started work has ended and is shown (tests, scripts); returns self."""
        deadline = time.monotonic() + timeout
        while True:
            self.run_handoffs()  # a cell that waits holds the kernel: show the results from here
            pending = [t for t in self.tasks if not t.finished.is_set()]
            if not pending:
                return self
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{pending[0].label} still running after {timeout:g} s")
            pending[0].finished.wait(min(0.05, left))
