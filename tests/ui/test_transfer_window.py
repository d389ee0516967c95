"""The hand-over screen (Bàn giao, Alt+8): the paper files waiting for their competent agency, the
late ones marked, a list recorded and printed, and the list empties; the other ready-made lists."""

from PySide6.QtCore import QItemSelectionModel, Qt

from counter_app.core.admin import make_agency
from tests.conftest import receivable_anywhere, request
from tests.printing.conftest import Pdf
from tests.ui.conftest import finish, settle, shortcut, type_text

B, C = "H52.102", "H52.103"


def select_rows(view, rows) -> None:
    model = view.table.selectionModel()
    model.clearSelection()
    for r in rows:
        model.select(view.table.model().index(r, 0), QItemSelectionModel.Select | QItemSelectionModel.Rows)


def test_select_waiting_files_record_and_print_the_list_and_the_list_empties(qtbot, window, core, clock, dialogs):
    core.setup.add_served_agency(make_agency(B, "UBND xã Bình Nghi", own=False))
    receivable_anywhere(core)
    core.setup.add_served_agency(make_agency(C, "UBND xã Tây Vinh", own=False))
    first = core.intake.receive(request(competent_agency=B))
    second = core.intake.receive(request(competent_agency=B))
    other = core.intake.receive(request(competent_agency=C))
    core.intake.receive(request())  # decided here: never on the list
    clock.set("2026-06-11T10:00")  # a working day and more after the receipt: all three are late
    finish(qtbot, window.update_late_label())  # the status bar's five-minute check, now (late with the clock)
    assert window.late_label.text() == "⚠ 3 hồ sơ giấy quá hạn bàn giao (Alt+8)"
    shortcut(qtbot, window, Qt.Key_8, Qt.AltModifier)
    assert window.stack.currentWidget() is window.handover
    view = window.transfers
    window.handover.tabs.setCurrentWidget(view)
    assert [x.code for x in view.rows] == [first.code, second.code, other.code]
    assert "3 hồ sơ quá hạn bàn giao" in view.summary.text()
    assert view.table.item(0, 6).text() == "Quá hạn bàn giao"
    assert view.table.item(0, 0).foreground().color().name() == "#b00020"

    # Files of two agencies cannot go on one list.
    select_rows(view, [0, 2])
    dialogs.expect(lambda box: box.accept())
    assert view.record() is None
    qtbot.waitUntil(lambda: not dialogs.handlers, timeout=5_000)

    select_rows(view, [0, 1])
    type_text(view.receiver, "Lê Văn Nhận")
    dialogs.expect(lambda preview: preview.print_now())
    finish(qtbot, view.record())
    qtbot.waitUntil(lambda: view.last_pdf is not None, timeout=15_000)
    batch = view.last_batch
    assert batch.dossier_codes == (first.code, second.code) and batch.receiver == "Lê Văn Nhận"
    assert [x.code for x in view.rows] == [other.code]  # the list empties of what went over
    assert batch.code in view.status.text() and view.receiver.text() == ""
    text = Pdf(view.last_pdf).text()
    assert "DANH SÁCH BÀN GIAO HỒ SƠ" in text and "UBND xã Bình Nghi" in text and "Lê Văn Nhận" in text
    assert list(window.prints_dir.glob(f"{batch.code}-*.pdf"))  # sent to the (file) printer
    assert [e.kind for e in core.queries.get(first.code).events][-1] == "paper_transferred"

    # The last one, chosen by agency rather than by row.
    view.agency.setCurrentIndex(view.agency.findData(C))
    select_rows(view, [])
    type_text(view.receiver, "Phan Thị Nhận")
    dialogs.expect(lambda preview: preview.reject())
    finish(qtbot, view.record())
    settle(qtbot)
    assert view.rows == [] and core.transfers.waiting() == []
    qtbot.waitUntil(lambda: window.late_label.text() == "", timeout=5_000)
    assert "0 hồ sơ" in view.summary.text() and "quá hạn" not in view.summary.text()

    # The other ready-made lists on the same screen; recording is only offered for the first.
    view.agency.setCurrentIndex(0)
    view.kind.setCurrentIndex(view.kind.findData("awaiting-result"))
    assert {x.code for x in view.rows} == {first.code, second.code, other.code}
    assert not view.hand_over.isVisible()
    core.actions.result_ready(first.code, "Cán bộ A")
    core.postal.post_result(first.code, "Cán bộ A", item="RR123456785VN", recipient="Nguyễn Văn Ấn",
                            address="Thôn 1, xã Định Mỹ")
    view.kind.setCurrentIndex(view.kind.findData("with-post"))
    assert [x.code for x in view.rows] == [first.code] and view.table.item(0, 2).text() == "RR123456785VN"



def test_the_register_screen_exports_a_filtered_register_and_the_cross_boundary_book(qtbot, window, core, tmp_path):
    core.setup.add_served_agency(make_agency(B, "UBND xã Bình Nghi", own=False))
    receivable_anywhere(core)
    for_b = core.intake.receive(request(competent_agency=B))
    own = core.intake.receive(request())
    window.nav.setCurrentRow(3)
    view = window.register
    from PySide6.QtCore import QDate

    view.first.setDate(QDate(2026, 6, 1))
    view.last.setDate(QDate(2026, 6, 30))
    view.cross.setChecked(True)
    finish(qtbot, view.export("pdf", str(tmp_path / "cross.pdf")))
    text = Pdf((tmp_path / "cross.pdf").read_bytes()).text()
    assert "SỔ THEO DÕI HỒ SƠ PHI ĐỊA GIỚI" in text and for_b.code in text and own.code not in text
    view.cross.setChecked(False)
    view.competent.setCurrentIndex(view.competent.findData(B))  # added after the window opened
    finish(qtbot, view.export("pdf", str(tmp_path / "b.pdf")))
    text = Pdf((tmp_path / "b.pdf").read_bytes()).text()
    assert for_b.code in text and own.code not in text and "cơ quan giải quyết: UBND xã Bình Nghi" in text
    view.competent.setCurrentIndex(view.competent.findData("H52.101"))
    view.channel.setCurrentIndex(view.channel.findData("counter"))
    finish(qtbot, view.export("pdf", str(tmp_path / "own.pdf")))
    text = Pdf((tmp_path / "own.pdf").read_bytes()).text()
    assert own.code in text and for_b.code not in text
    assert "cơ quan giải quyết: UBND xã Định Mỹ; kênh: trực tiếp tại quầy" in text


def test_the_dossier_window_prints_the_transfer_sheet_only_for_a_dossier_decided_elsewhere(qtbot, window, core):
    from counter_app.core.prints import FormKind

    core.setup.add_served_agency(make_agency(B, "UBND xã Bình Nghi", own=False))
    receivable_anywhere(core)
    for_b = core.intake.receive(request(competent_agency=B))
    own = core.intake.receive(request())
    dialog = window.open_dossier(for_b.code)
    dialog.setProperty("answered", True)
    qtbot.addWidget(dialog)
    assert dialog.print_buttons[FormKind.TRANSFER].text() == "In Giấy bàn giao hồ sơ"
    dialog.close()
    other = window.open_dossier(own.code)
    other.setProperty("answered", True)
    qtbot.addWidget(other)
    assert FormKind.TRANSFER not in other.print_buttons
    other.close()
