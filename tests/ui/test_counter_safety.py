"""Nothing legal happens by accident: drafts are not thrown away without asking, Enter in a dossier
does not forward it, a failed print is not counted, and every screen fits the counter's monitor."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.conftest import finish, press, settle, shortcut, type_text


def answer(button):
    def click(box):
        box.button(button).click()
    return click


def open_dossier(qtbot, window, code):
    """The dossier dialog, driven by the test itself (not answered by ``dialogs``)."""
    dialog = window.open_dossier(code)
    dialog.setProperty("answered", True)
    qtbot.addWidget(dialog)
    return dialog


def _events(core, code):
    return [e.kind for e in core.queries.get(code).events]


def test_f2_asks_before_throwing_away_a_typed_draft(qtbot, window, core, dialogs):
    view = window.intake
    view.name.setFocus()
    type_text(view.name, "Lê Văn Tám")
    dialogs.expect(answer(QMessageBox.No))
    shortcut(qtbot, window, Qt.Key_F2)
    assert view.name.text() == "Lê Văn Tám"
    dialogs.expect(answer(QMessageBox.Yes))
    window.new_intake()  # F2 again
    dialogs.stop()
    assert view.name.text() == "" and window.focusWidget() is view.picker


def test_f3_asks_before_throwing_away_a_certification_request(qtbot, window, core, dialogs):
    window.nav.setCurrentRow(6)
    view = window.certify
    view.rows[0][0].setText("Giấy khai sinh")
    dialogs.expect(answer(QMessageBox.No))
    shortcut(qtbot, window, Qt.Key_F3)
    dialogs.stop()
    assert view.rows[0][0].text() == "Giấy khai sinh"


def test_switching_screens_keeps_the_draft_and_closing_asks(qtbot, window, core, dialogs):
    view = window.intake
    type_text(view.name, "Lê Văn Tám")
    shortcut(qtbot, window, Qt.Key_3, Qt.AltModifier)
    assert window.stack.currentWidget() is window.search and QApplication.focusWidget() is window.search.box
    shortcut(qtbot, window, Qt.Key_1, Qt.AltModifier)
    assert view.name.text() == "Lê Văn Tám"
    window.closing_confirmed = False
    dialogs.expect(answer(QMessageBox.No))
    assert not window.close()  # Alt+F4 with a draft: asked, and the window stays
    dialogs.stop()
    assert window.isVisible() and view.name.text() == "Lê Văn Tám"
    window.closing_confirmed = True


def test_enter_in_a_dossier_does_not_forward_it_and_forwarding_asks(qtbot, window, core, dialogs):
    from counter_app.core.lifecycle import Action
    from tests.conftest import request

    d = core.intake.receive(request())
    dialog = open_dossier(qtbot, window, d.code)
    qtbot.waitUntil(dialog.isVisible)
    press(dialog, Qt.Key_Return)
    settle(qtbot)
    assert core.queries.get(d.code).status == "received"
    assert not any(b.isDefault() or b.autoDefault() for b in dialog.action_buttons.values())
    dialogs.expect(answer(QMessageBox.No))
    assert dialog.perform(Action.FORWARD) is None  # answered No: nothing done
    dialogs.stop()
    assert core.queries.get(d.code).status == "received"
    press(dialog, Qt.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_reschedule_checks_the_date_first_and_keeps_asking_until_it_exists(qtbot, window, core, dialogs):
    from counter_app.core.lifecycle import Action
    from tests.conftest import request

    d = core.intake.receive(request())
    core.actions.forward(d.code, "A")
    dialog = open_dossier(qtbot, window, d.code)
    seen = []

    def type_into(text):
        def fill(box):
            seen.append(box.labelText())
            box.setTextValue(text)
            box.accept()
        return fill

    def error(box):
        seen.append(box.text())
        box.accept()

    dialogs.expect(type_into("31/02/2027 08:00"), error, type_into("30/06/2027 08:00"),
                   type_into("Chờ xác minh"), lambda preview: preview.reject())
    finish(qtbot, dialog.perform(Action.RESCHEDULE))
    settle(qtbot)
    dialogs.stop()
    assert "không tồn tại" in seen[1] and seen[2] == seen[0]  # the date asked again, before the reason
    assert seen[3] == "Lý do xin lỗi, hẹn lại:"
    assert core.queries.get(d.code).due_at.strftime("%d/%m/%Y %H:%M") == "30/06/2027 08:00"


def test_a_print_the_printer_refused_is_not_recorded(qtbot, window, core, dialogs, tmp_path):
    from tests.conftest import request

    d = core.intake.receive(request())
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the print folder should be")
    window.local.set("print_to_file", str(blocked / "sub"))  # a folder that cannot exist
    seen, previews = [], []

    def print_it(preview):
        previews.append(preview)
        preview.print_now()

    def no_printer(box):
        seen.append([b.text() for b in box.buttons()])
        next(b for b in box.buttons() if b.text() == "Đóng").click()
        QTimer.singleShot(0, previews[0].reject)  # then the officer closes the preview

    dialogs.expect(print_it, no_printer)
    dialog = open_dossier(qtbot, window, d.code)
    from counter_app.core.prints import FormKind

    operation = dialog.print(FormKind.RECEIPT)
    finish(qtbot, operation)
    qtbot.waitUntil(lambda: dialog.last_printed is not None, timeout=15_000)
    dialogs.stop()
    assert {"In ra tệp PDF", "Chọn máy in"} <= set(seen[0])
    assert "printed" not in _events(core, d.code) and dialog.last_printed[2] is False


def test_print_to_a_pdf_file_from_the_no_printer_choice_is_recorded_once(qtbot, window, core, dialogs, tmp_path):
    from counter_app.core.prints import FormKind
    from tests.conftest import request

    d = core.intake.receive(request())
    target = tmp_path / "bien-nhan.pdf"
    dialogs.expect(lambda preview: finish(qtbot, preview.save_pdf(str(target))))
    dialog = open_dossier(qtbot, window, d.code)
    finish(qtbot, dialog.print(FormKind.RECEIPT))
    qtbot.waitUntil(lambda: dialog.last_printed is not None, timeout=15_000)
    dialogs.stop()
    assert target.read_bytes().startswith(b"%PDF") and _events(core, d.code).count("printed") == 1


def _inside(window, widget) -> bool:
    top_left = widget.mapTo(window, QPoint(0, 0))
    return (widget.isVisible() and not widget.visibleRegion().isEmpty()
            and top_left.y() + widget.height() <= window.height() and top_left.x() + widget.width() <= window.width())


def test_every_screen_fits_the_counter_monitor(qtbot, window, core):
    screens = {0: ["intake.due", "intake.fees", "intake.save_button", "intake.refuse_button"],
               1: ["returns.commit_button"], 2: ["search.box"], 4: ["settings.status"],
               6: ["certify.total", "certify.result"], 8: ["reports.build_button", "reports.status"]}
    window.intake.choose_procedure(None)
    for width, height in ((1366, 728), (1280, 690), (1093, 590)):  # 768/720 less the taskbar; 125 %
        window.resize(width, height)
        for row, names in screens.items():
            window.nav.setCurrentRow(row)
            QApplication.processEvents()
            assert window.width() <= width and window.height() <= height, (width, height, window.size())
            for name in names:
                widget = window
                for part in name.split("."):
                    widget = getattr(widget, part)
                assert _inside(window, widget), f"{name} is off screen at {width}×{height}"
            assert _inside(window, window.statusBar())


def test_the_print_preview_and_its_buttons_fit_the_screen(qtbot, window, core, dialogs):
    from tests.conftest import request

    d = core.intake.receive(request())
    room = QApplication.primaryScreen().availableGeometry()
    sizes = []

    def measure(preview):
        sizes.append((preview.frameGeometry().height(), _inside(preview, preview.print_button)))
        preview.reject()

    dialogs.expect(measure)
    from counter_app.core.prints import FormKind

    dialog = open_dossier(qtbot, window, d.code)
    finish(qtbot, dialog.print(FormKind.RECEIPT))
    qtbot.waitUntil(lambda: bool(sizes), timeout=15_000)
    dialogs.stop()
    assert sizes[0][0] <= room.height() and sizes[0][1]


def test_a_date_that_does_not_exist_is_said_as_it_is_typed(qtbot, window, core):
    view = window.intake
    type_text(view.dob, "31/02/1990")
    qtbot.wait(60)  # the last digits, held a moment in case a scanner's burst follows
    assert view.dob_hint.isVisibleTo(window) and "không tồn tại" in view.dob_hint.text()
    view.dob.clear()
    type_text(view.dob, "28/02/1990")
    qtbot.wait(60)
    assert not view.dob_hint.isVisibleTo(window)


def test_closing_a_dossier_from_search_puts_the_focus_back_in_the_search_box(qtbot, window, core):
    from tests.conftest import request

    d = core.intake.receive(request())
    shortcut(qtbot, window, Qt.Key_3, Qt.AltModifier)
    view = window.search
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5_000)
    view.table.setFocus()
    view.table.selectRow(0)
    dialog = window.open_dossier(d.code)
    dialog.setProperty("answered", True)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.isVisible)
    dialog.reject()
    assert window.focusWidget() is view.box
    header = view.table.horizontalHeader()
    code_width = view.table.fontMetrics().horizontalAdvance(d.code)
    assert header.sectionSize(0) >= code_width  # the whole code shows
