"""Background operations: what the work receives, where callbacks run, where errors go."""

from __future__ import annotations

import threading

from tests.ui.conftest import finish


def test_work_gets_the_cancel_event_only_when_it_asks_for_one(qtbot):
    from counter_app.ui.operations import op

    def with_defaults(hours: int = 24) -> int:  # a service method such as new_pair_code
        return hours

    def cancellable(cancel: threading.Event) -> bool:
        return isinstance(cancel, threading.Event)

    assert finish(qtbot, op(None, with_defaults).run()) == 24
    assert finish(qtbot, op(None, cancellable).run()) is True
    assert finish(qtbot, op(None, lambda: "no arguments").run()) == "no arguments"


def test_success_and_failure_run_on_the_gui_thread_and_work_does_not(qtbot):
    from counter_app.ui.operations import op

    seen = {}

    def work() -> str:
        seen["work"] = threading.current_thread() is threading.main_thread()
        return "ok"

    def failing() -> None:
        raise ValueError("refused")

    finish(qtbot, op(None, work).success(lambda r: seen.setdefault("success", threading.current_thread())).run())
    failed = op(None, failing).failure(lambda exc: seen.setdefault("failure", (exc, threading.current_thread())))
    failed.run()
    qtbot.waitUntil(lambda: failed.done, timeout=5_000)
    assert seen["work"] is False
    assert seen["success"] is threading.main_thread()
    exc, thread = seen["failure"]
    assert isinstance(exc, ValueError) and thread is threading.main_thread()


def test_work_reports_progress_to_the_gui_thread_and_the_dialog(qtbot):
    from counter_app.ui.operations import PROGRESS_STEPS, op

    release = threading.Event()
    seen = []

    def work(cancel: threading.Event, progress) -> str:
        for fraction in (0.25, 0.5, 1.5):  # beyond 1 is taken as done
            progress(fraction)
        release.wait(5)
        return "built"

    operation = op(None, work, label="Đang lập báo cáo…")
    operation.on_progress(lambda f: seen.append((f, threading.current_thread() is threading.main_thread(),
                                                 operation._dialog.maximum(), operation._dialog.value())))
    operation.run()
    qtbot.waitUntil(lambda: len(seen) == 3, timeout=5_000)
    assert operation.fraction == 1.0 and not operation.done
    release.set()
    assert finish(qtbot, operation) == "built"
    # The busy indicator became a bar; the dialog stays until the result is delivered.
    assert seen == [(0.25, True, PROGRESS_STEPS, 250), (0.5, True, PROGRESS_STEPS, 500),
                    (1.0, True, PROGRESS_STEPS, PROGRESS_STEPS - 1)]


def test_progress_without_a_dialog_reaches_only_the_callback(qtbot):
    from counter_app.ui.operations import op

    seen = []
    operation = op(None, lambda cancel, progress: progress(0.4) or "done").on_progress(seen.append)
    assert finish(qtbot, operation.run()) == "done"
    assert seen == [0.4] and operation.fraction == 0.4
