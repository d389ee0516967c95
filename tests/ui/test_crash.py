"""The crash dialog: opened without blocking, names the log file, closes."""

import logging
import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from counter_app.ui import crash


def test_the_crash_dialog_names_the_log_and_closes(qtbot, tmp_path):
    log_file = tmp_path / "logs" / "counter_app.log"
    try:
        raise RuntimeError("boom for 052195000123")
    except RuntimeError as exc:
        box = crash.show_crash(exc, log_file)
    qtbot.waitUntil(box.isVisible)
    assert str(log_file) in box.text() and "Không mất dữ liệu đã lưu" in box.text()
    assert "RuntimeError" in box.detailedText() and "052195000123" not in box.detailedText()
    box.button(QMessageBox.StandardButton.Close).click()
    qtbot.waitUntil(lambda: not box.isVisible())
    assert box not in crash._open_dialogs


def test_install_logs_qt_warnings_and_shows_uncaught_exceptions(qtbot, tmp_path, monkeypatch):
    import threading

    from PySide6.QtCore import qInstallMessageHandler, qWarning

    root = logging.getLogger()
    saved = root.handlers[:], root.level
    monkeypatch.setattr(sys, "excepthook", lambda *a: None)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    try:
        log_file = crash.install(tmp_path)
        qWarning("a Qt warning for the log")
        try:
            raise ValueError("uncaught in a slot")
        except ValueError:
            sys.excepthook(*sys.exc_info())
        box = next(iter(crash._open_dialogs))
        qtbot.waitUntil(box.isVisible)
        assert str(log_file) in box.text()
        box.close()
        for h in root.handlers:
            h.flush()
        text = log_file.read_text("utf-8")
        assert "a Qt warning for the log" in text and "ValueError: uncaught in a slot" in text
    finally:
        qInstallMessageHandler(None)
        for h in root.handlers:
            h.close()
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        QApplication.processEvents()
