"""The shared wizard frame: Back / Next, the step header, long work in a thread, errors, cancel, timeout."""

from __future__ import annotations

import threading

import ipywidgets as w
import pytest

from amlwizard import BackendError
from amlwizard.session import TroubleshootSession
from amlwizard.wizards import Wizard


class TwoSteps(Wizard):
    name = "demo"
    title = "Demo"

    def build(self):
        self.result = w.HTML()
        return [("First", w.VBox()), ("Second", w.VBox([self.result]))]


def _wizard(threaded=True, timeout=30.0):
    return TwoSteps(TroubleshootSession(timeout=timeout), threaded=threaded)


def test_next_and_back_move_through_the_steps_and_the_header_names_the_step():
    wiz = _wizard()
    assert "step 1 of 2" in wiz.header.value and "First" in wiz.header.value
    assert wiz.back_button.disabled and not wiz.next_button.disabled
    wiz.next_button.click()
    assert wiz.stack.selected_index == 1 and "Second" in wiz.header.value
    assert wiz.next_button.disabled and not wiz.back_button.disabled
    wiz.back_button.click()
    assert wiz.step == 0
    assert {"amlw-wizard", "amlw-wizard-demo"} <= set(wiz.widget._dom_classes)


def test_work_runs_in_a_thread_and_its_result_is_shown():
    wiz = _wizard()
    seen = []
    wiz.run_task(
        "Counting",
        lambda task: (seen.append(threading.current_thread().name), 42)[1],
        lambda n: setattr(wiz.result, "value", f"got {n}"),
    )
    wiz.wait(10)
    assert wiz.result.value == "got 42" and seen == ["amlwizard-demo"]
    assert "Counting" in wiz.status.value and wiz.cancel_button.layout.display == "none"


def test_a_failure_shows_one_line_and_the_wizard_keeps_working():
    wiz = _wizard(threaded=False)
    wiz.result.value = "kept"

    def fail(task):
        raise BackendError("service 'x' not found; services: a, b")

    wiz.run_task("Reading", fail, lambda _: None)
    assert wiz.error_text == "service 'x' not found; services: a, b"
    assert wiz.error.layout.display is None and wiz.result.value == "kept"
    wiz.run_task("Again", lambda task: 1, lambda _: None)
    assert wiz.error_text == "" and wiz.error.layout.display == "none"


def test_an_unexpected_exception_is_one_line_not_a_traceback():
    wiz = _wizard(threaded=False)
    wiz.run_task("Parsing", lambda task: {}["missing"])
    assert wiz.error_text == "Parsing failed: KeyError: 'missing'"


def test_cancel_drops_the_result_and_tells_the_work_to_stop():
    wiz = _wizard()
    stopped, workers, running = [], [], threading.Event()

    def slow(task):
        workers.append(threading.current_thread())
        running.set()
        # work that polls task.cancelled, as long work does; only Cancel can end it early
        stopped.append(task.cancelled.wait(30))
        return "late"

    wiz.run_task("Waiting", slow, lambda v: setattr(wiz.result, "value", v))
    assert wiz.busy and wiz.cancel_button.layout.display is None
    running.wait(30)
    wiz.cancel_button.click()
    assert "cancelled" in wiz.status.value and not wiz.busy
    assert wiz.cancel_button.layout.display == "none"
    workers[0].join(60)  # the worker has returned its result: it must not have been shown
    assert stopped == [True], "the work was not told to stop"
    assert wiz.result.value == "" and "cancelled" in wiz.status.value
    assert wiz.tasks[0].outcome == "cancelled"


def test_work_past_the_timeout_is_stopped_with_a_message():
    wiz = _wizard(timeout=0.2)
    release = threading.Event()
    wiz.run_task(
        "Fetching logs", lambda task: release.wait(5), lambda v: setattr(wiz.result, "value", "late")
    )
    wiz.wait(5)
    release.set()
    assert "took longer than 0.2 s" in wiz.error_text and "AmlWizard.timeout" in wiz.error_text
    assert wiz.result.value == ""


def test_wait_raises_when_work_does_not_end():
    wiz = _wizard(timeout=0)
    release = threading.Event()
    wiz.run_task("Hanging", lambda task: release.wait(5))
    with pytest.raises(TimeoutError, match="Hanging"):
        wiz.wait(0.1)
    release.set()
    wiz.wait(5)
