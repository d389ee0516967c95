"""Work that may take longer than ~100 ms runs off the GUI thread with a progress dialog and a
cancel button (Anki's TaskManager, cut down). Worker code never touches widgets: results come back
through a queued signal, on the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from counter_app.ui.common import show_error


class _Worker(QThread):
    done = Signal(object)
    failed = Signal(object)

    def __init__(self, fn: Callable[[threading.Event], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.cancel = threading.Event()

    def run(self) -> None:
        try:
            self.done.emit(self.fn(self.cancel))
        except Exception as exc:  # reported on the GUI thread
            self.failed.emit(exc)


class TaskRunner(QObject):
    """``run(parent, label, fn, on_done)``: ``fn(cancel_event)`` runs on a worker thread."""

    def __init__(self) -> None:
        super().__init__()
        self._running: set[_Worker] = set()

    def run(self, parent: QWidget, label: str, fn: Callable[[threading.Event], Any],
            on_done: Callable[[Any], None]) -> _Worker:
        worker = _Worker(fn)
        dialog = QProgressDialog(label, "Hủy", 0, 0, parent)
        dialog.setMinimumDuration(300)
        dialog.canceled.connect(worker.cancel.set)

        def finished(result) -> None:
            dialog.reset()
            if not worker.cancel.is_set():
                on_done(result)

        def failed(exc) -> None:
            dialog.reset()
            show_error(parent, exc)

        worker.done.connect(finished)
        worker.failed.connect(failed)
        worker.finished.connect(lambda: self._running.discard(worker))
        self._running.add(worker)
        worker.start()
        return worker

    def wait_all(self, timeout_ms: int = 30_000) -> None:
        for worker in list(self._running):
            worker.cancel.set()
            worker.wait(timeout_ms)
