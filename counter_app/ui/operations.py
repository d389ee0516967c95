"""Background operations: every service call that may wait (the network, the SQLite write lock,
the disk) runs off the GUI thread, and comes back on it (Anki's ``CollectionOp``/``QueryOp``).

    op(self, lambda: core.intake.receive(request), busy=[save_button]) \\
        .success(self.show_receipt).failure(self.on_error).run()

``success`` and ``failure`` run on the GUI thread. Without a ``failure`` callback an error takes
the one error path: logged with its traceback, then shown in Vietnamese. ``busy`` widgets are
disabled while the operation runs, so a second Enter cannot commit twice. With ``label`` a
progress dialog with a cancel button appears if the work takes longer than 300 ms; the work then
receives the cancel event. A work with a second required parameter also receives ``progress``, a
callable it may call from its thread with the fraction done (0..1): the dialog then shows a
determinate bar, and ``on_progress`` callbacks run on the GUI thread. What changed reaches the
views separately, through ``ChangeBridge``.
"""

from __future__ import annotations

import inspect
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

log = logging.getLogger("counter_app.ui.operations")
PROGRESS_STEPS = 1000


class Op:
    def __init__(self, runner: OperationRunner, parent: QWidget | None, work: Callable[..., Any],
                 busy: Iterable[QWidget], label: str | None) -> None:
        self.runner, self.parent, self.work = runner, parent, work
        self.busy = [w for w in busy if w is not None]
        self.label = label
        self.cancel = threading.Event()
        self._success: Callable[[Any], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None
        self._progressed: Callable[[float], None] | None = None
        self._dialog: QProgressDialog | None = None
        self.done = False  # set on the GUI thread once the callbacks have run
        self.result: Any = None
        self.fraction: float | None = None  # the last progress the work reported, once the GUI has it
        self.error: BaseException | None = None

    def success(self, callback: Callable[[Any], None]) -> Op:
        self._success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Op:
        self._failure = callback
        return self

    def on_progress(self, callback: Callable[[float], None]) -> Op:
        self._progressed = callback
        return self

    def progress(self, fraction: float) -> None:
        """Callable from the work's thread: the GUI learns it through a queued signal."""
        self.runner._progress.emit(self, max(0.0, min(1.0, float(fraction))))

    def run(self) -> Op:
        self.runner.start(self)
        return self

    def call(self) -> Any:
        # Only required leading parameters receive the cancel event and the progress callable: a
        # service method with defaults (``new_pair_code(hours=24)``) must not get them as arguments.
        required = 0
        for p in inspect.signature(self.work).parameters.values():
            if p.default is not inspect.Parameter.empty or p.kind not in (
                    inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD):
                break
            required += 1
        return self.work(*(self.cancel, self.progress)[:required])


class OperationRunner(QObject):
    """One per application (``runner()``); it lives on the GUI thread."""

    _finished = Signal(object, object, object)  # op, result, exception
    _progress = Signal(object, float)  # op, fraction done
    busy_changed = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self._running: set[Op] = set()
        self._finished.connect(self._deliver, Qt.QueuedConnection)
        self._progress.connect(self._advance, Qt.QueuedConnection)

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def start(self, op: Op) -> None:
        for widget in op.busy:
            widget.setEnabled(False)
        if op.label:
            op._dialog = QProgressDialog(op.label, "Hủy", 0, 0, op.parent)
            op._dialog.setWindowTitle("Đang xử lý")
            op._dialog.setMinimumDuration(300)
            op._dialog.canceled.connect(op.cancel.set)
        self._running.add(op)
        if len(self._running) == 1:
            self.busy_changed.emit(True)
        threading.Thread(target=self._work, args=(op,), name="counter-op", daemon=True).start()

    def _work(self, op: Op) -> None:
        try:
            result, error = op.call(), None
        except BaseException as exc:  # every failure goes back to the GUI thread, none is lost here
            result, error = None, exc
        self._finished.emit(op, result, error)

    def _advance(self, op: Op, fraction: float) -> None:
        if op.done:
            return
        op.fraction = fraction
        if op._dialog is not None:
            if op._dialog.maximum() == 0:  # the busy indicator becomes a bar once the work can say how far it is
                op._dialog.setRange(0, PROGRESS_STEPS)
            op._dialog.setValue(min(int(fraction * PROGRESS_STEPS), PROGRESS_STEPS - 1))
        if op._progressed is not None:
            op._progressed(fraction)

    def _deliver(self, op: Op, result: Any, error: BaseException | None) -> None:
        self._running.discard(op)
        op.result, op.error = result, error
        for widget in op.busy:
            try:
                widget.setEnabled(True)
            except RuntimeError:  # the widget was closed while the work ran
                pass
        if op._dialog is not None:
            op._dialog.reset()
            op._dialog.deleteLater()
        try:
            if error is not None:
                (op._failure or (lambda exc: report_error(op.parent, exc)))(error)
            elif not op.cancel.is_set() and op._success is not None:
                op._success(result)
        finally:
            op.done = True
            if not self._running:
                self.busy_changed.emit(False)

    def wait_idle(self, timeout_s: float = 30.0) -> bool:
        """Let running operations finish (closing the window, tests); True when none is left."""
        deadline = time.monotonic() + timeout_s
        while self._running and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.005)
        return not self._running


def report_error(parent: QWidget | None, exc: BaseException) -> None:
    """The one error path: the traceback to the log, the Vietnamese message to the officer."""
    from counter_app.ui.common import show_error

    show_error(parent, exc)


_runner: OperationRunner | None = None


def runner() -> OperationRunner:
    global _runner
    if _runner is None:
        _runner = OperationRunner()
    return _runner


def op(parent: QWidget | None, work: Callable[..., Any], *, busy: Iterable[QWidget] = (),
       label: str | None = None) -> Op:
    return Op(runner(), parent, work, busy, label)


class ChangeBridge(QObject):
    """The store's change bus, on the GUI thread: commits on any thread (an operation, the sync
    thread, the register holder serving other desks) arrive here as one ``changed`` signal per
    turn of the event loop, with their changes merged."""

    changed = Signal(object)  # core.changes.Changes
    _flush_soon = Signal()

    def __init__(self, bus, parent: QObject | None = None) -> None:
        from counter_app.core.changes import NOTHING

        super().__init__(parent)
        self._nothing = NOTHING
        self._pending = NOTHING
        self._lock = threading.Lock()
        self._flush_soon.connect(self._flush, Qt.QueuedConnection)
        self._unsubscribe = bus.subscribe(self._from_any_thread)

    def _from_any_thread(self, changes) -> None:
        with self._lock:
            first = not self._pending
            self._pending = self._pending | changes
        if first:
            self._flush_soon.emit()

    def _flush(self) -> None:
        with self._lock:
            changes, self._pending = self._pending, self._nothing
        if changes:
            self.changed.emit(changes)

    def close(self) -> None:
        self._unsubscribe()
