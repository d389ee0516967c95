"""The bulk desk's grid, driven by keys as an officer (and a scanner) would."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.conftest import finish, press, shortcut, type_text
from tests.ui.test_window import print_preview

QR = "052090123456||LÊ VĂN TÁM|01011990|Nam|Thôn Phú Mỹ, xã Định Mỹ, tỉnh Gia Lai|15042021"


@pytest.fixture
def core(app):
    """An office with its signer set up: same-day work is signed at the desk."""
    app.officers.create("bich.tt", "Trần Thị Bích", "mật-khẩu-2026", role="admin")
    signers = app.ctx.settings.cert_signers.added("Nguyễn Văn Chủ", "Chủ tịch UBND xã Định Mỹ", date(2026, 1, 1), None)
    app.setup.save_settings(replace(app.ctx.settings, cert_signers=signers))
    return app


def test_grid_flow_end_to_end_with_scanner_and_keyboard(qtbot, window, core, dialogs):
    shortcut(qtbot, window, Qt.Key_F3)
    view = window.certify
    assert window.stack.currentWidget() is view
    QApplication.processEvents()
    # The scanner types the QR into whatever has focus, ending with Enter.
    type_text(view.name, QR)
    press(view.name, Qt.Key_Return)
    assert view.name.text() == "LÊ VĂN TÁM" and view.id_number.text() == "052090123456"
    keys = 0
    rows = [("Giấy khai sinh", "1", "3"), ("Sổ hộ khẩu", "300", "1"), ("Bằng tốt nghiệp", "3", "2")]
    for r, (name, pages, copies) in enumerate(rows):
        name_edit, pages_box, copies_box = view.rows[r]
        keys += type_text(name_edit, name)
        keys += press(name_edit, Qt.Key_Return)
        pages_box.lineEdit().selectAll()
        keys += type_text(pages_box.lineEdit(), pages)
        keys += press(pages_box, Qt.Key_Return)
        copies_box.lineEdit().selectAll()
        keys += type_text(copies_box.lineEdit(), copies)
        keys += press(copies_box, Qt.Key_Return)
    assert len(view.rows) == 4  # Enter on the last field opened the next row
    assert view.total.text() == "Tổng: 3 giấy tờ, 6 bản – 216.000 đồng"
    assert [view.table.cellWidget(r, 3).text() for r in range(3)] == ["6.000", "200.000", "10.000"]
    dialogs.expect(print_preview)  # the stamps' preview; Enter prints
    view.rows[-1][0].setFocus()
    keys += shortcut(qtbot, view.rows[-1][0], Qt.Key_Return, Qt.ControlModifier) + 1
    qtbot.waitUntil(lambda: bool(list(window.prints_dir.glob("*.pdf"))), timeout=10_000)
    code = core.queries.list(limit=1)[0].code
    assert code and "số chứng thực 01, 02, 03" in view.result.text()
    cert = core.certification.get(code)
    assert [(i.document, i.pages, i.copies, i.fee, i.number) for i in cert.items] == [
        ("Giấy khai sinh", 1, 3, 6_000, 1), ("Sổ hộ khẩu", 300, 1, 200_000, 2), ("Bằng tốt nghiệp", 3, 2, 10_000, 3)]
    dossier = core.queries.get(code)
    assert dossier.status == "returned" and dossier.applicant.full_name == "LÊ VĂN TÁM"
    # The stamps went to the printer (here: a PDF file) after the commit.
    assert view.last_printed == (code, "stamps", True)
    assert [e.kind for e in dossier.events][-1] == "printed"
    assert keys <= 2 * len("Giấy khai sinh") + 40  # names, digits, Enter per field, Ctrl+Enter, Enter
    assert view.name.text() == "" and len(view.rows) == 1  # ready for the next citizen
    dialogs.stop()


def test_ctrl_enter_finishes_and_bad_rows_are_refused(qtbot, window, core, dialogs):
    window.nav.setCurrentRow(6)
    view = window.certify
    type_text(view.name, "Trần Thị Bích")
    type_text(view.rows[0][0], "Giấy chứng nhận kết hôn")
    view.extend.setValue(1)  # an extension without a reason is refused, nothing written
    dialogs.expect(lambda box: box.accept())
    refused = view.finish()
    qtbot.waitUntil(lambda: refused.done, timeout=10_000)
    assert refused.error is not None and not core.queries.list()
    view.extend_reason.setText("Nhiều bản sao")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # the error box gave the window back
    view.rows[0][0].setFocus()
    dialogs.expect(print_preview)
    shortcut(qtbot, view.rows[0][0], Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: (view.last_printed or (None, None, False))[2], timeout=10_000)
    cert = core.certification.get(view.last_printed[0])
    # signed on a later day: the appointment slip now, the stamps once the signer signs
    assert view.last_printed[1] == "cert_receipt" and not cert.signed
    assert cert.extension_days == 1 and cert.extension_reason == "Nhiều bản sao"
    assert core.queries.get(cert.code).status == "received"  # an extended request is not returned at once
    assert cert.items[0].document == "Giấy chứng nhận kết hôn" and cert.fee_total == 2_000
    dialogs.stop()


def test_the_dossier_dialog_shows_numbers_and_voids_one(qtbot, window, core, dialogs):
    from counter_app.core.certification import CertItemInput
    from counter_app.core.certify import CertRequest
    from tests.conftest import applicant

    _, cert = core.certification.certify(CertRequest(applicant=applicant(), officer="Cán bộ A", items=(
        CertItemInput("Giấy khai sinh", 1, 2), CertItemInput("Học bạ", 20, 1))))
    dialog = window.open_dossier(cert.code)
    dialog.setProperty("answered", True)  # the dossier dialog itself is not one the test answers
    assert print_labels(dialog) >= {"In lời chứng (chứng thực)", "In Biên nhận chứng thực"}
    dialogs.expect(lambda box: box.setIntValue(2) or box.accept(), lambda box: box.setTextValue("Nhầm bản") or box.accept())
    finish(qtbot, dialog.void_number())
    assert core.certification.get(cert.code).items[1].void
    dialogs.stop()
    dialog.close()


def print_labels(dialog) -> set[str]:
    return {b.text() for b in dialog.print_buttons.values()}


def test_stamp_sheet_and_document_list_are_office_settings(qtbot, window, core):
    view = window.settings
    view.stamp_layout.setCurrentIndex(1)
    view.stamp_geometry.setText("2x5, 100x55 mm, lề 5/10 mm, vị trí 100/30 mm")
    view.cert_book_size.setValue(500)
    view.cert_documents.setText("Giấy khai sinh | Học bạ")
    finish(qtbot, view.save())
    s = core.ctx.settings
    assert (s.stamps.layout, s.stamps.columns, s.stamps.rows, s.stamps.label_width_mm) == ("overlay", 2, 5, 100)
    assert (s.stamps.overlay_x_mm, s.stamps.overlay_y_mm, s.cert_book_size) == (100, 30, 500)
    assert window.certify.documents_list() == ["Giấy khai sinh", "Học bạ"]


def test_a_desk_window_serves_the_register_to_another_desk(qtbot, window, core, tmp_path, monkeypatch):
    import keyring

    from counter_app.app import CounterApp
    from counter_app.core.certification import CertItemInput
    from counter_app.core.certify import CertRequest
    from tests.conftest import applicant
    from tests.sync.servers import free_port
    from tests.testkeyring import MemoryKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    panel = window.holder_panel
    panel.port.setValue(free_port())
    panel.address.setCurrentText("127.0.0.1")  # the office network address; never every interface
    panel.serve.setChecked(True)
    assert "Đang phục vụ" in panel.status.text()
    code = finish(qtbot, panel.new_code())
    other = CounterApp.initialise(tmp_path / "desk2", agency_code="H52.101", agency_name="UBND xã Định Mỹ", desk=2,
                                  clock=core.clock)  # one office, one date
    try:
        other.holder_admin.join(f"http://127.0.0.1:{panel.port.value()}", code)
        _, mine = core.certification.certify(CertRequest(applicant=applicant(), officer="A",
                                                         items=(CertItemInput("Học bạ", 2, 1),)))
        _, theirs = other.certification.certify(CertRequest(applicant=applicant(), officer="B",
                                                            items=(CertItemInput("Giấy khai sinh", 1, 1),)))
        assert (mine.items[0].number, theirs.items[0].number) == (1, 2)  # one sequence for the office
    finally:
        other.close()
        panel.serve.setChecked(False)
        keyring.set_keyring(previous)
    assert not window.holder.running


def test_the_holder_panel_revokes_a_paired_desk(qtbot, window, core, dialogs):
    from counter_app.core.protocol import pairing_proof

    code, fingerprint = core.holder_admin.new_pair_code(), "f" * 64
    with core.uow() as uow:  # a desk paired over the network (the proof it would have sent)
        uow.holder_desks.pair(pairing_proof(code, fingerprint, "nonce-123", "desk"), "nonce-123", "Quầy bên",
                              4, fingerprint, core.clock.now(), core.ctx.settings.desk)
        uow.commit()
    panel = window.holder_panel
    panel.load_desks()
    assert panel.desks.currentText() == "Quầy 4: Quầy bên" and panel.unpair_button.isEnabled()
    asked = []

    def answer(box, yes: bool):
        asked.append(box.text())
        box.button(QMessageBox.Yes if yes else QMessageBox.No).click()

    dialogs.expect(lambda box: answer(box, False))
    assert panel.unpair() is None and not core.holder_admin.desks()[0]["revoked"]
    dialogs.expect(lambda box: answer(box, True))
    finish(qtbot, panel.unpair())
    dialogs.stop()
    assert "Thu hồi «Quầy 4: Quầy bên»?" in asked[0]
    assert "Đã thu hồi quầy «Quầy bên»" in panel.status.text()
    assert [d["revoked"] for d in core.holder_admin.desks()] == [True] and not panel.unpair_button.isEnabled()


def test_daily_closing_from_the_desk(qtbot, window, core, dialogs):
    from counter_app.core.certification import CertItemInput
    from counter_app.core.certify import CertRequest
    from tests.conftest import applicant

    officer = window.officer.full_name
    core.certification.certify(CertRequest(applicant=applicant(), officer=officer, items=(
        CertItemInput("Giấy khai sinh", 1, 2), CertItemInput("Học bạ", 20, 1))))
    window.nav.setCurrentRow(6)
    dialogs.expect(print_preview)
    finish(qtbot, window.certify.daily_closing())
    report = window.certify.last_closing
    assert (report.certifications, report.copies, report.fees) == (2, 3, 4_000 + 22_000) and report.balanced
    assert "khớp với sổ" in window.certify.result.text()
    qtbot.waitUntil(lambda: bool(list(window.prints_dir.glob("chot-so-*.pdf"))), timeout=10_000)
    dialogs.stop()


def test_an_extended_request_waits_for_the_signer_then_its_stamps_print(qtbot, window, core, dialogs):
    window.nav.setCurrentRow(6)
    view = window.certify
    assert view.signer.currentData() == "Nguyễn Văn Chủ"
    view.name.setText("Trần Thị Bích")
    view.rows[0][0].setText("Học bạ")
    view.extend.setValue(1)
    view.extend_reason.setText("Nhiều trang")
    dialogs.expect(print_preview)  # only the receipt (the appointment slip): no stamps before signing
    finish(qtbot, view.finish())
    qtbot.waitUntil(lambda: view.last_printed is not None and view.last_printed[1] == "cert_receipt", timeout=10_000)
    code = core.queries.list(limit=1)[0].code
    assert not core.certification.get(code).signed and "chờ ký" in view.result.text()
    tray = view.awaiting_signature()
    assert [tray.list.item(i).data(Qt.UserRole) for i in range(tray.list.count())] == [code]
    dialogs.expect(print_preview)  # signed: now the stamps print for real
    finish(qtbot, tray.sign_selected())
    qtbot.waitUntil(lambda: view.last_printed == (code, "stamps", True), timeout=10_000)
    cert = core.certification.get(code)
    assert cert.signer_name == "Nguyễn Văn Chủ" and tray.list.count() == 0
    assert core.queries.get(code).events[-2].officer == "Trần Thị Bích"  # the desk officer, in the history
    tray.close()
    dialogs.stop()
