import inspect
import os
import time

# pytest-qt has no ini option for the platform. The offscreen screen is the usual counter monitor.
_SCREEN = os.path.join(os.path.dirname(__file__), "screen-1366x768.json")
os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={_SCREEN}")

import pytest  # noqa: E402
from PySide6.QtCore import QEvent, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def type_text(widget, text: str) -> int:
    """Unicode-safe typing (qtbot.keyClicks aborts on non-ASCII): one key event per character, as a
    keyboard-wedge scanner or an input method delivers it. Returns the number of keys."""
    for ch in text:
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key_unknown, Qt.NoModifier, ch))
    return len(text)


def press(widget, key, modifier=Qt.NoModifier) -> int:
    for kind in (QEvent.KeyPress, QEvent.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, modifier))
    return 1


def shortcut(qtbot, widget, key, modifier=Qt.NoModifier) -> int:
    """A key chord through Qt's real key path (so QShortcut sees it); ASCII keys only."""
    qtbot.keyClick(widget, key, modifier)
    return 1


class Dialogs:
    """Answers modal dialogs as they open: each handler gets the active modal widget.

    ``patience_s``: how long a modal dialog nobody expected may stay open before it is closed and
    recorded as an error. Tests that take ``dialogs`` declare every dialog, so 0; other window
    tests drive their own dialogs, and the guard only rescues them from a dialog left blocking."""

    def __init__(self, qtbot, patience_s: float = 0.0) -> None:
        self.qtbot = qtbot
        self.patience_s = patience_s
        self.handlers = []
        self.errors: list[str] = []
        self.timer = QTimer(interval=30)
        self.timer.timeout.connect(self._poll)
        self.timer.start()

    def expect(self, *handlers) -> None:
        self.handlers.extend(handlers)

    def _poll(self) -> None:
        widget = QApplication.activeModalWidget()
        # A property, not a list of seen widgets: a new dialog can reuse a deleted one's address.
        if widget is None or widget.property("answered"):
            return
        if not self.handlers:
            first_seen = widget.property("first_seen")
            if first_seen is None:
                widget.setProperty("first_seen", time.monotonic())
                first_seen = time.monotonic()
            if time.monotonic() - first_seen < self.patience_s:
                return
            widget.setProperty("answered", True)
            self.errors.append(f"unexpected dialog {type(widget).__name__}: {getattr(widget, 'text', str)()}")
            widget.close()
            return
        widget.setProperty("answered", True)
        try:
            self.handlers.pop(0)(widget)
        except Exception as exc:  # never leave a test hanging on a modal dialog
            self.errors.append(f"{type(widget).__name__}: {exc}: {getattr(widget, 'text', str)()}")
            widget.close()

    def stop(self) -> None:
        self.timer.stop()
        assert not self.errors, self.errors
        assert not self.handlers, f"{len(self.handlers)} expected dialog(s) never opened"


@pytest.fixture(autouse=True)
def dialogs(request):
    """In every window test: a modal dialog left blocking fails the test with its text, instead of
    holding the event loop until CI gives up."""
    if "qtbot" not in request.fixturenames:
        yield None
        return
    declared = "dialogs" in inspect.signature(request.function).parameters
    d = Dialogs(request.getfixturevalue("qtbot"), patience_s=0.0 if declared else 20.0)
    yield d
    d.timer.stop()
    assert not d.errors, d.errors


@pytest.fixture
def core(app):
    app.officers.create("bich.tt", "Trần Thị Bích", "mật-khẩu-2026", role="admin")
    return app


@pytest.fixture
def window(qtbot, core, tmp_path):
    from counter_app.ui.fonts import install_fonts
    from counter_app.ui.local_settings import LocalSettings
    from counter_app.ui.main_window import MainWindow
    from counter_app.ui.translations import install_translations

    install_fonts(QApplication.instance())  # as app_main.run does
    install_translations(QApplication.instance())
    prints = tmp_path / "prints"
    prints.mkdir()
    LocalSettings(core.data_dir).set("print_to_file", str(prints))
    officer = core.officers.authenticate("bich.tt", "mật-khẩu-2026")
    w = MainWindow(core, officer)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitActive(w)  # shortcuts (F2, Ctrl+S, Ctrl+L) go to the active window
    w.prints_dir = prints
    # pytest-qt closes the window before fixtures tear down: a draft left by a test must not make
    # closing ask then. The test of that question turns it back on.
    w.closing_confirmed = True
    yield w
    w.clock.stop()


def finish(qtbot, operation, timeout: int = 15_000):
    """Wait for a background operation (``ui.operations.Op``) and return its result."""
    assert operation is not None, "the action did not start an operation"
    qtbot.waitUntil(lambda: operation.done, timeout=timeout)
    assert operation.error is None, repr(operation.error)
    return operation.result


def settle(qtbot, timeout: int = 15_000) -> None:
    """Wait until no background operation is running."""
    from counter_app.ui.operations import runner

    qtbot.waitUntil(lambda: not runner().busy, timeout=timeout)
