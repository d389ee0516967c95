"""What the window does with the unexpected: Qt's own warnings go to the log, and an uncaught
exception is logged and then explained to the officer in a dialog that says where the log is.

Every action commits its own SQLite transaction before the window reports success, so the dialog
can truthfully say that nothing already saved was lost.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QThread, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from counter_app import logs

_qt_log = logging.getLogger("counter_app.qt")
_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
           QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
           QtMsgType.QtFatalMsg: logging.CRITICAL}
_open_dialogs: set[QMessageBox] = set()  # a parentless dialog opened with open() needs an owner


def crash_text(log_file: Path | None) -> str:
    where = (f"Chi tiết lỗi đã được ghi vào tệp nhật ký:\n{log_file}\nHãy gửi tệp này cho bộ phận hỗ trợ."
             if log_file else "Không ghi được tệp nhật ký; hãy chụp lại màn hình này gửi bộ phận hỗ trợ.")
    return ("Phần mềm gặp một lỗi không mong đợi.\n\n"
            "Không mất dữ liệu đã lưu: mỗi thao tác được ghi vào cơ sở dữ liệu ngay khi hoàn tất. "
            "Thao tác đang làm dở lúc xảy ra lỗi có thể chưa được lưu, hãy kiểm tra lại.\n\n" + where)


def show_crash(exc: BaseException, log_file: Path | None, parent: QWidget | None = None) -> QMessageBox:
    """Opens the crash dialog without blocking (``open()``) and returns it."""
    box = QMessageBox(QMessageBox.Icon.Critical, "Lỗi không mong đợi", crash_text(log_file),
                      QMessageBox.StandardButton.Close, parent)
    box.setDetailedText(logs.redact("".join(traceback.format_exception(type(exc), exc, exc.__traceback__))))
    _open_dialogs.add(box)
    box.finished.connect(lambda _result: _open_dialogs.discard(box))
    box.open()
    return box


def _on_qt_message(kind: QtMsgType, context, message: str) -> None:
    where = f" ({context.file}:{context.line})" if context is not None and context.file else ""
    _qt_log.log(_LEVELS.get(kind, logging.WARNING), "%s%s", message, where)


def install(data_dir: str | Path) -> Path | None:
    """Log to ``<data_dir>/logs``, log Qt's messages, and log then show every uncaught exception
    raised on the GUI thread. Returns the log file's path."""
    try:
        log_file = logs.configure(data_dir=data_dir)
    except OSError:  # a read-only or full data folder must not stop the counter from opening
        log_file = None
        logging.getLogger(__name__).exception("cannot open the log file")
    logs.install_excepthook()
    qInstallMessageHandler(_on_qt_message)
    logged = sys.excepthook

    def hook(kind, value, tb) -> None:
        logged(kind, value, tb)
        app = QApplication.instance()
        # Background operations report through ui.operations; a dialog can only be built on the GUI thread.
        if app is not None and QThread.currentThread() == app.thread() and not issubclass(kind, KeyboardInterrupt):
            show_crash(value, log_file, app.activeWindow())

    sys.excepthook = hook
    return log_file
