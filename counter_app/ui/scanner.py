"""CCCD QR scanners: a keyboard-wedge scanner typing into whatever has focus, and a serial
(virtual COM) scanner, which many counters use because a wedge scanner cannot type Vietnamese.

A wedge scanner types the QR text (12 ID digits, then ``|``…) at 5–15 ms per character and ends
with Enter; a person types at 80 ms or more per key. ``ScanCatcher`` holds digits that arrive in
such a burst before any widget sees them: when a ``|`` follows at least nine of them, the burst is
a scan and goes to the view's scan handler whole; otherwise (a person typing, a slower key) the
held digits are replayed to the widget they were meant for, in order. So a scan never leaves
digits in a spin box, a grid cell or the procedure box. Nothing scanned is logged.
"""

from __future__ import annotations

import logging
import threading
import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger("counter_app.ui.scanner")

BURST_GAP_S = 0.030  # longer than a scanner's gap between characters, shorter than a typist's
MIN_ID_DIGITS = 9  # an old 9-digit ID card; a CCCD has 12


class ScanCatcher(QObject):
    """Installed on the application; acts only for key presses aimed at ``view`` (or a popup of
    its window, such as a completer's list) while the view is shown."""

    scanned = Signal(str)

    def __init__(self, view: QWidget) -> None:
        super().__init__(view)
        self.view = view
        self.held: list[tuple[QObject, QKeyEvent]] = []
        self.last = 0.0
        self.scanning = False
        self.buffer: list[str] = []
        self._replaying = False
        self.flush_timer = QTimer(self, singleShot=True, interval=int(BURST_GAP_S * 1000) + 5)
        self.flush_timer.timeout.connect(self.flush)
        QApplication.instance().installEventFilter(self)

    def _in_scope(self, obj) -> bool:
        if not isinstance(obj, QWidget) or not self.view.isVisible():
            return False
        if obj is self.view or self.view.isAncestorOf(obj):
            return True
        window = obj.window()
        return bool(window.windowFlags() & Qt.Popup) and window.parentWidget() is not None \
            and (window.parentWidget() is self.view or self.view.isAncestorOf(window.parentWidget()))

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if kind not in (QEvent.KeyPress, QEvent.KeyRelease) or self._replaying:
            return False
        if not self._in_scope(obj):
            return False
        if kind == QEvent.KeyRelease:
            return self.scanning or any(o is obj for o, _ in self.held)
        # The event's own time (the OS stamps real key presses) so that a busy GUI thread does not
        # bunch a person's keys into a burst; the clock only for events that carry none.
        text, now = event.text(), (event.timestamp() / 1000 if event.timestamp() else time.monotonic())
        if self.scanning:
            if event.key() in (Qt.Key_Return, Qt.Key_Enter):
                self.scanning = False
                text, self.buffer = "".join(self.buffer), []
                self.scanned.emit(text)
            elif text:
                self.buffer.append(text)
            return True
        in_burst = bool(self.held) and now - self.last < BURST_GAP_S
        if text.isdigit() and len(text) == 1 and not event.modifiers() & (Qt.ControlModifier | Qt.AltModifier):
            if self.held and not in_burst:
                self.flush()
            self.held.append((obj, QKeyEvent(event.type(), event.key(), event.modifiers(), text,
                                             event.isAutoRepeat(), event.count())))
            self.last = now
            self.flush_timer.start()
            return True
        if text == "|" and in_burst and len(self.held) >= MIN_ID_DIGITS:
            self.flush_timer.stop()
            self.scanning = True
            self.buffer = [e.text() for _, e in self.held] + ["|"]
            self.held = []
            return True
        self.flush()  # anything else: what was held goes first, in order, then this key
        return False

    def flush(self) -> None:
        """Replay held keys to the widgets they were typed into (a person, not a scanner)."""
        self.flush_timer.stop()
        held, self.held = self.held, []
        self._replaying = True
        try:
            for target, key in held:
                try:
                    QApplication.sendEvent(target, key)
                    QApplication.sendEvent(target, QKeyEvent(QEvent.KeyRelease, key.key(), key.modifiers(),
                                                             key.text()))
                except RuntimeError:  # the widget went away meanwhile
                    continue
        finally:
            self._replaying = False


class SerialScanner(QObject):
    """Reads lines from a scanner on a serial (virtual COM) port in a thread; each line (one QR)
    comes back on the GUI thread as ``scanned``. The port and baud rate are this machine's."""

    scanned = Signal(str)
    failed = Signal(str)

    def __init__(self, port: str, baud: int = 9600, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.port, self.baud = port, baud
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        import serial  # pyserial: the wheels of PySide6-Essentials carry no QtSerialPort

        self._serial = serial.Serial(self.port, self.baud, timeout=0.2)
        self._thread = threading.Thread(target=self._read, name="serial-scanner", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        pending = b""
        while not self._stop.is_set():
            try:
                chunk = self._serial.read(4096)
            except Exception as exc:  # unplugged: say so once, stop reading
                log.warning("serial scanner stopped: %s", type(exc).__name__)
                self.failed.emit(f"Máy quét ở cổng {self.port} ngừng hoạt động.")
                return
            pending += chunk
            while b"\r" in pending or b"\n" in pending:
                cut = min(i for i in (pending.find(b"\r"), pending.find(b"\n")) if i >= 0)
                line, pending = pending[:cut], pending[cut + 1:]
                text = line.decode("utf-8", errors="replace").strip()
                if text:
                    self.scanned.emit(text)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        serial_port = getattr(self, "_serial", None)
        if serial_port is not None:
            serial_port.close()
