"""Every keystroke lands where the officer means: a wedge scanner's burst wherever the focus is,
Up/Down in the procedure list, Enter through the certification grid and its completion list."""

from __future__ import annotations

import random

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import press, type_text

QR = "052090123456||NGUYỄN VĂN ẤN|01011990|Nam|Thôn Phú Mỹ, xã Định Mỹ, tỉnh Gia Lai|15042021"


class Keyboard:
    """Key presses with the time stamps the OS gives them, sent where real keys go: the active
    popup (a completion list) or the focused widget."""

    def __init__(self, start_ms: int = 1_000_000) -> None:
        self.t = start_ms
        self.rng = random.Random(11)

    def key(self, ch: str, key=Qt.Key_unknown, after_ms: int = 100) -> None:
        self.t += after_ms
        target = QApplication.activePopupWidget() or QApplication.focusWidget()
        assert target is not None, "no widget has the focus"
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            event = QKeyEvent(kind, key, Qt.NoModifier, ch)
            event.setTimestamp(self.t)
            QApplication.sendEvent(target, event)

    def scan(self, text: str) -> None:
        """A keyboard-wedge scanner: 5–15 ms per character, Enter at the end."""
        for ch in text:
            self.key(ch, after_ms=self.rng.randint(5, 15))
        self.key("\r", Qt.Key_Return, after_ms=self.rng.randint(5, 15))

    def type(self, text: str) -> None:
        """A person: 120–250 ms per key."""
        for ch in text:
            self.key(ch, after_ms=self.rng.randint(120, 250))


def _choose(qtbot, view, query: str) -> None:
    view.picker.setFocus()
    type_text(view.picker, query)
    press(view.picker, Qt.Key_Return)
    assert view.procedure is not None


def _spin_values(view) -> list[tuple[int, int]]:
    return [(view.docs.cellWidget(r, 2).value(), view.docs.cellWidget(r, 3).value()) for r in range(view.docs.rowCount())]


def test_a_scan_while_a_quantity_box_has_focus_changes_only_the_applicant(qtbot, window, core):
    view = window.intake
    _choose(qtbot, view, "1612")
    before = _spin_values(view)
    quantity = view.docs.cellWidget(0, 2)
    quantity.setFocus()
    quantity.lineEdit().selectAll()
    Keyboard().scan(QR)
    qtbot.wait(80)  # longer than the burst window: nothing held is replayed later either
    assert _spin_values(view) == before
    assert (view.name.text(), view.id_number.text(), view.dob.text()) == ("NGUYỄN VĂN ẤN", "052090123456", "01/01/1990")
    assert view.procedure.code == "1.001612" and view.picker.text() == "1612"
    assert QApplication.focusWidget() is not view.picker  # one more Enter must not switch the procedure


def test_a_scan_in_the_procedure_box_after_choosing_keeps_the_procedure(qtbot, window, core):
    view = window.intake
    _choose(qtbot, view, "1612")
    view.picker.setFocus()
    Keyboard().scan(QR)
    qtbot.wait(80)
    assert view.picker.text() == "1612" and view.procedure.code == "1.001612"
    assert view.name.text() == "NGUYỄN VĂN ẤN"
    assert QApplication.focusWidget() is not view.picker


def test_a_person_typing_digits_into_a_box_is_not_taken_for_a_scanner(qtbot, window, core):
    view = window.intake
    _choose(qtbot, view, "1612")
    quantity = view.docs.cellWidget(0, 2)
    quantity.setFocus()
    quantity.lineEdit().selectAll()
    Keyboard().type("12")
    qtbot.waitUntil(lambda: quantity.value() == 12, timeout=2_000)
    view.id_number.setFocus()
    Keyboard().type("052090123456")
    qtbot.waitUntil(lambda: view.id_number.text() == "052090123456", timeout=2_000)


def test_a_scan_into_a_certification_grid_cell(qtbot, window, core):
    window.nav.setCurrentRow(6)
    view = window.certify
    name, pages, copies = view.rows[0]
    name.setText("Giấy khai sinh")
    pages.setFocus()
    pages.lineEdit().selectAll()
    Keyboard().scan(QR)
    qtbot.wait(80)
    assert (name.text(), pages.value(), copies.value()) == ("Giấy khai sinh", 1, 1)
    assert (view.name.text(), view.id_number.text()) == ("NGUYỄN VĂN ẤN", "052090123456")
    assert QApplication.focusWidget() is view.rows[1][0]  # the next document to enter


def test_up_and_down_choose_among_the_matching_procedures(qtbot, window, core):
    view = window.intake
    view.picker.setFocus()
    type_text(view.picker, "tam tru")
    names = [view.matches.item(i).text() for i in range(view.matches.count())]
    assert len(names) >= 2
    press(view.picker, Qt.Key_Down)
    assert view.matches.currentRow() == 1
    press(view.picker, Qt.Key_Down)
    press(view.picker, Qt.Key_Up)
    press(view.picker, Qt.Key_Return)
    assert f"{view.procedure.code}  {view.procedure.name}" == names[1]


def test_enter_through_the_certification_grid_with_its_completion_list(qtbot, window, core):
    window.nav.setCurrentRow(6)
    view = window.certify
    keys = Keyboard()
    view.rows[0][0].setFocus()
    lists_seen = 0
    for query, pages, copies, pick in (("khai sinh", "1", "3", True), ("Bằng tốt nghiệp", "2", "2", False)):
        keys.type(query)
        if QApplication.activePopupWidget() is not None:  # the list of suggestions is open
            lists_seen += 1
            if pick:
                keys.key("", Qt.Key_Down)  # the officer picks the first suggestion
        keys.key("\r", Qt.Key_Return)  # with the list open or not: to the pages
        for value in (pages, copies):
            widget = QApplication.focusWidget()
            widget.selectAll() if hasattr(widget, "selectAll") else None
            keys.type(value)
            keys.key("\r", Qt.Key_Return)
    qtbot.wait(80)
    assert lists_seen == 2
    rows = [(n.text(), p.value(), c.value()) for n, p, c in view.rows]
    assert rows[0][1:] == (1, 3) and rows[1][1:] == (2, 2)
    assert rows[0][0] == next(d for d in view.documents_list() if "khai sinh" in d.lower())
    assert rows[1][0] == "Bằng tốt nghiệp"  # no suggestion picked: what was typed stays
    assert len(rows) == 3 and rows[2] == ("", 1, 1) and QApplication.focusWidget() is view.rows[2][0]


def test_a_serial_scanner_fills_the_screen_on_show(qtbot, window, core):
    import os

    master, slave = os.openpty()
    try:
        window.local.set("scanner_port", os.ttyname(slave))
        window.local.set("scanner_baud", 9600)
        window.start_serial_scanner()
        assert window.serial_scanner is not None
        os.write(master, (QR + "\r\n").encode("utf-8"))  # Vietnamese letters a wedge scanner cannot type
        qtbot.waitUntil(lambda: window.intake.name.text() == "NGUYỄN VĂN ẤN", timeout=5_000)
        window.nav.setCurrentRow(6)
        os.write(master, (QR + "\r").encode("utf-8"))
        qtbot.waitUntil(lambda: window.certify.id_number.text() == "052090123456", timeout=5_000)
    finally:
        if window.serial_scanner is not None:
            window.serial_scanner.stop()
        os.close(master)
        os.close(slave)


def test_a_serial_port_that_cannot_be_opened_is_said_in_the_status_bar(qtbot, window, core, tmp_path):
    window.local.set("scanner_port", str(tmp_path / "no-such-port"))
    window.start_serial_scanner()
    assert window.serial_scanner is None
    assert "Không mở được cổng máy quét" in window.statusBar().currentMessage()
