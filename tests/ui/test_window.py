"""The real window, offscreen, over a real temporary database."""

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pypdf import PdfReader

from tests.ui.conftest import finish, press, settle, shortcut, type_text

QR = "052090123456||NGUYỄN VĂN ẤN|01011990|Nam|Thôn Phú Mỹ, xã Định Mỹ, tỉnh Gia Lai|15042021"


def print_preview(dialog):
    dialog.print_now()


def events(core, code):
    return [e.kind for e in core.queries.get(code).events]


def test_intake_by_scanned_qr_to_committed_dossier_and_receipt(qtbot, window, core, dialogs):
    view = window.intake
    keys = shortcut(qtbot, window, Qt.Key_F2)  # new dossier
    assert QApplication.focusWidget() is view.picker
    type_text(view.picker, QR)  # the scanner types into whatever has focus
    press(view.picker, Qt.Key_Return)
    assert (view.name.text(), view.id_number.text(), view.dob.text(), view.gender.currentText()) == (
        "NGUYỄN VĂN ẤN", "052090123456", "01/01/1990", "Nam")
    assert view.picker.text() == "" and view.address.text().startswith("Thôn Phú Mỹ")
    keys += type_text(view.picker, "1612")
    keys += press(view.picker, Qt.Key_Return)
    assert view.procedure.code == "1.001612" and "Hẹn trả" in view.due.text()
    dialogs.expect(print_preview)
    keys += shortcut(qtbot, view.picker, Qt.Key_S, Qt.ControlModifier) + 1  # Ctrl+S, then Enter in the preview
    qtbot.waitUntil(lambda: bool(list(window.prints_dir.glob("*.pdf"))), timeout=10_000)
    code, form, printed = view.last_printed
    assert (form, printed) == ("receipt", True)
    d = core.queries.get(code)
    assert d.applicant.full_name == "NGUYỄN VĂN ẤN" and d.status == "received"
    assert events(core, code) == ["received", "printed"]
    printed = next(window.prints_dir.glob("*.pdf"))
    assert PdfReader(printed).pages  # Qt's PDF printer wrote the pages
    assert keys <= 8
    # The next standard dossier of the same procedure: F2, scan, Enter, Ctrl+S, Enter.
    qtbot.waitUntil(window.isActiveWindow)  # the preview closed and gave the window back
    keys = shortcut(qtbot, window, Qt.Key_F2)
    type_text(view.picker, QR.replace("052090123456", "052090654321"))
    press(view.picker, Qt.Key_Return)
    keys += press(view.picker, Qt.Key_Return)
    assert view.procedure.code == "1.001612"
    dialogs.expect(print_preview)
    keys += shortcut(qtbot, view.picker, Qt.Key_S, Qt.ControlModifier) + 1
    qtbot.waitUntil(lambda: len(list(window.prints_dir.glob("*.pdf"))) == 2 or bool(dialogs.errors), timeout=10_000)
    dialogs.stop()
    assert keys <= 6


def _pick(view, code):
    view.new_dossier()
    type_text(view.picker, code)
    press(view.picker, Qt.Key_Return)
    type_text(view.name, "Lê Thị Đào")


def test_refusal_and_supplement_from_the_intake_screen(qtbot, window, core, dialogs):
    view = window.intake

    def answer(text):
        def handler(dialog):
            dialog.setTextValue(text)
            dialog.accept()
        return handler

    _pick(view, "4222")
    dialogs.expect(answer("Thủ tục do Công an xã giải quyết"), print_preview)
    code = finish(qtbot, view.refuse()).code
    settle(qtbot)
    assert core.queries.get(code).status == "refused"
    assert events(core, code) == ["refused", "printed"]
    _pick(view, "1193")
    first = view.docs.item(0, 0)
    first.setCheckState(Qt.Unchecked)  # not brought: goes on the supplement list
    missing = first.text()
    dialogs.expect(answer("Thiếu giấy tờ"), print_preview)
    code = finish(qtbot, view.request_supplement()).code
    settle(qtbot)
    dialogs.stop()
    d = core.queries.get(code)
    assert d.status == "supplement_requested"
    assert d.events[1].payload["documents"] == [missing]
    assert events(core, code)[-1] == "printed"


def test_checklist_ticks_only_required_documents_and_shows_group_or_case(qtbot, window, core, dialogs):
    view = window.intake
    _pick(view, "4194")  # Đăng ký tạm trú: one declaration; letters and lists only for other cases
    assert view.procedure.code == "1.004194"
    rows = [(view.docs.item(r, 0).text(), view.docs.item(r, 0).checkState() == Qt.Checked,
             view.docs.item(r, 4).text()) for r in range(view.docs.rowCount())]
    assert [(ticked, note) for _, ticked, note in rows][0] == (True, "")
    assert all(not ticked and note for _, ticked, note in rows[1:])
    assert ("Trường hợp đăng ký tạm trú tại nơi đơn vị đóng quân; Một trong: Giấy giới thiệu của đơn vị"
            in [note for *_, note in rows])
    assert [d.name for d in view.documents()] == [rows[0][0]]  # what the receipt will list
    view.docs.item(0, 0).setCheckState(Qt.Unchecked)  # the declaration was not brought

    def answer(dialog):
        dialog.setTextValue("Thiếu tờ khai")
        dialog.accept()

    dialogs.expect(answer, print_preview)
    code = finish(qtbot, view.request_supplement()).code
    settle(qtbot)
    dialogs.stop()
    assert core.queries.get(code).events[1].payload["documents"] == [rows[0][0]]  # not the other cases' papers


def test_return_by_scanned_code(qtbot, window, core, dialogs):
    from PySide6.QtWidgets import QMessageBox

    from tests.conftest import request

    d = core.intake.receive(request())
    core.actions.result_ready(d.code, "Cán bộ B")
    window.nav.setCurrentRow(1)
    view = window.returns
    type_text(view.code, d.code)
    press(view.code, Qt.Key_Return)
    assert view.commit_button.isEnabled() and view.receiver.text() == "Nguyễn Văn Ấn"
    view.rating.setCurrentIndex(1)  # 5
    asked = []
    dialogs.expect(lambda box: (asked.append(box.text()), box.button(QMessageBox.Yes).click()))
    shortcut(qtbot, view.receiver, Qt.Key_S, Qt.ControlModifier)
    qtbot.waitUntil(lambda: bool(asked), timeout=5_000)
    settle(qtbot)
    dialogs.stop()
    assert asked == [f"Trả kết quả hồ sơ {d.code} cho Nguyễn Văn Ấn?"]
    returned = core.queries.get(d.code)
    assert returned.status == "returned" and returned.events[-1].payload["rating"] == 5


def test_return_refuses_a_dossier_without_result(qtbot, window, core):
    from tests.conftest import request

    d = core.intake.receive(request())
    view = window.returns
    type_text(view.code, d.code)
    press(view.code, Qt.Key_Return)
    assert not view.commit_button.isEnabled() and "chưa chuyển xử lý: chưa có kết quả" in view.info.text()
    assert view.code.selectedText() == d.code  # the next scan replaces the code, not appends to it


def test_return_says_what_each_state_means_and_keeps_nothing_from_the_previous_dossier(qtbot, window, core):
    from tests.conftest import request

    done, ready = core.intake.receive(request()), core.intake.receive(request())
    for code in (done.code, ready.code):
        core.actions.forward(code, "A")
        core.actions.result_ready(code, "A")
    core.actions.return_result(done.code, "A")
    view = window.returns
    view.code.setFocus()
    type_text(view.code, ready.code)
    press(view.code, Qt.Key_Return)
    assert view.commit_button.isEnabled() and view.fees.text() == "50.000 đồng"
    type_text(view.code, done.code)  # the scan replaces the selected code
    press(view.code, Qt.Key_Return)
    assert view.code.text() == done.code
    assert "đã trả kết quả lúc" in view.info.text() and "Chưa có kết quả" not in view.info.text()
    assert not view.commit_button.isEnabled()
    assert (view.receiver.text(), view.fees.value()) == ("", 0)  # nothing from the previous dossier


def test_search_without_diacritics_and_lists(qtbot, window, core):
    from tests.conftest import applicant, request

    core.intake.receive(request(applicant=applicant(full_name="Đặng Thị Hường", id_number=None, gender=None)))
    for _ in range(3):
        core.intake.receive(request())
    window.nav.setCurrentRow(2)
    view = window.search
    type_text(view.box, "dang huong")
    view.refresh()
    assert [view.model.rows[i].applicant_name for i in range(view.model.rowCount())] == ["Đặng Thị Hường"]
    view.box.clear()
    view.refresh()
    assert view.model.rowCount() == 4
    assert view.model.data(view.model.index(0, 3)) == "052******456"  # IDs masked in lists


def test_lazy_model_pages_without_loading_everything(qtbot, window, core):
    from tests.conftest import request
    from counter_app.ui import search_view

    for _ in range(7):
        core.intake.receive(request())
    search_view.PAGE, old = 3, search_view.PAGE
    try:
        view = window.search
        view.refresh()
        assert view.model.rowCount() == 3 and view.model.canFetchMore(view.model.index(-1, -1))
        view.model.fetchMore(view.model.index(-1, -1))
        view.model.fetchMore(view.model.index(-1, -1))
        codes = [r.code for r in view.model.rows]
        assert len(codes) == 7 and len(set(codes)) == 7 and not view.model.canFetchMore(view.model.index(-1, -1))
    finally:
        search_view.PAGE = old


def test_illegal_actions_are_not_offered(qtbot, window, core, dialogs):
    from counter_app.core.lifecycle import Action
    from counter_app.core.prints import FormKind
    from tests.conftest import request

    d = core.intake.receive(request())
    dialog = window.open_dossier(d.code)
    dialog.setProperty("answered", True)  # driven here, not by ``dialogs``
    qtbot.addWidget(dialog)
    assert Action.RETURN not in dialog.action_buttons and Action.FORWARD in dialog.action_buttons
    assert set(dialog.print_buttons) == {FormKind.RECEIPT, FormKind.CONTROL}
    dialogs.expect(lambda box: box.button(box.StandardButton.Yes).click())  # "Chuyển hồ sơ … sang giải quyết?"
    finish(qtbot, dialog.perform(Action.FORWARD))
    dialogs.stop()
    assert core.queries.get(d.code).status == "processing"
    assert Action.RESULT_READY in dialog.action_buttons and Action.FORWARD not in dialog.action_buttons


def test_first_run_wizard_creates_the_counter_and_admin(qtbot, tmp_path):
    from counter_app.app import CounterApp
    from counter_app.ui.login import FirstRunWizard

    made = {}

    def create(v):
        core = CounterApp.initialise(tmp_path / "d", agency_code=v["agency_code"], agency_name=v["agency_name"],
                                     province=v["province"], desk=int(v["desk"]))
        core.officers.create(v["username"], v["full_name"], v["password"], role="admin")
        made["core"] = core

    wizard = FirstRunWizard(create)
    qtbot.addWidget(wizard)
    f = wizard.fields
    f["agency_code"].setText("H52.101")
    type_text(f["agency_name"], "UBND xã Định Mỹ")
    type_text(f["province"], "Gia Lai")
    f["desk"].setValue(2)
    f["username"].setText("bich.tt")
    type_text(f["full_name"], "Trần Thị Bích")
    f["password"].setText("mật-khẩu-2026")
    f["confirm"].setText("mật-khẩu-2026")
    wizard.accept()
    core = made["core"]
    assert core.ctx.settings.agency.name == "UBND xã Định Mỹ" and core.ctx.settings.desk == 2
    assert core.officers.authenticate("bich.tt", "mật-khẩu-2026").is_admin
    core.close()


def test_login_and_lock(qtbot, window, core):
    from counter_app.ui.login import LoginDialog

    dialog = LoginDialog(core.officers)
    qtbot.addWidget(dialog)
    dialog.username.setText("bich.tt")
    type_text(dialog.password, "sai mật khẩu")
    dialog.try_login()
    assert dialog.officer is None and "Sai tên đăng nhập" in dialog.error.text()
    type_text(dialog.password, "mật-khẩu-2026")
    dialog.try_login()
    assert dialog.officer.username == "bich.tt"
    shortcut(qtbot, window, Qt.Key_L, Qt.ControlModifier)
    lock = window.last_dialog
    assert not window.centralWidget().isVisible() and lock.username.isReadOnly()
    lock.reject()  # the lock screen cannot be dismissed without the password
    assert lock.isVisible()
    type_text(lock.password, "mật-khẩu-2026")
    lock.try_login()
    assert window.centralWidget().isVisible()


def test_register_export_runs_in_the_background(qtbot, window, core, tmp_path):
    from tests.conftest import request

    core.intake.receive(request())
    out = tmp_path / "so.xlsx"
    from PySide6.QtCore import QDate

    window.register.first.setDate(QDate(2026, 6, 1))
    window.register.last.setDate(QDate(2026, 6, 30))
    with qtbot.waitSignal(window.register.exported, timeout=20_000):
        window.register.export("xlsx", str(out))
    assert out.exists() and "1 dòng" in window.register.status.text()


def test_vietnamese_renders_with_the_bundled_font(qtbot, window):
    from PySide6.QtGui import QFontInfo

    assert QFontInfo(QApplication.font()).family().startswith("Liberation")
    label_text = window.nav.item(0).text()
    assert label_text.startswith("Tiếp nhận")


def test_only_admins_edit_settings(qtbot, core):
    from counter_app.ui.main_window import MainWindow

    admin = core.officers.authenticate("bich.tt", "mật-khẩu-2026")
    core.officers.add(admin, "an.nv", "Nguyễn Văn Ấn", "mật-khẩu-2026")
    officer = core.officers.authenticate("an.nv", "mật-khẩu-2026")
    w = MainWindow(core, officer)
    qtbot.addWidget(w)
    assert not hasattr(w.settings, "save")
    w.clock.stop()


def test_no_outbox_row_is_lost_by_lock_or_close(qtbot, window, core):
    from tests.conftest import request

    core.intake.receive(request())
    window.lock()
    window.last_dialog.password.setText("mật-khẩu-2026")
    window.last_dialog.try_login()
    window.close()
    con = sqlite3.connect(core.db.path)
    assert con.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()[0] == 1


def test_line_edit_is_a_real_widget(qtbot, window):
    assert isinstance(window.intake.name, QLineEdit)


def test_quiet_time_maintenance_runs_off_the_gui_thread(qtbot, window):
    operation = window.maintain()
    assert operation is not None
    assert window.maintain() is None  # skipped while the previous run has not finished
    finish(qtbot, operation)
    assert window.maintain() is not None
