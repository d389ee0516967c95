"""Vietnamese everywhere in the counter's own windows: every screen, window title, preview title,
history entry and setting, and the error boxes (English only behind "Chi tiết")."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton, QTableWidget

from counter_app.core.calendar import TZ
from counter_app.core.errors import ValidationError
from counter_app.core.prints import FORM_TITLES_VI, FormKind, form_title_vi
from tests.ui.conftest import finish, settle
from tests.ui.vietnamese import english_in, shown_texts

OFFICER = "Trần Thị Bích"


def _history(core) -> str:
    """A dossier forwarded, rescheduled, its receipt printed twice and the apology once."""
    from tests.conftest import request

    code = core.intake.receive(request()).code
    core.actions.forward(code, OFFICER)
    core.actions.reschedule(code, OFFICER, datetime(2026, 6, 30, 9, 0, tzinfo=TZ), "Chờ xác minh")
    for form in (FormKind.RECEIPT, FormKind.RECEIPT, FormKind.APOLOGY):
        core.prints.produce(code, form, OFFICER, lambda job: b"%PDF-1.4")  # records the print
    return code


def test_every_form_kind_has_a_vietnamese_title():
    titles = [form_title_vi(f) for f in FormKind]
    assert set(FORM_TITLES_VI) == set(FormKind) and len(set(titles)) == len(titles)
    for form, title in zip(FormKind, titles):
        assert title[0].isupper() and form.value not in title and english_in([title]) == [], title
        assert form.title_vi == title
    assert form_title_vi(FormKind.RECEIPT) == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    assert form_title_vi("apology", "2018") == "Phiếu xin lỗi và hẹn lại ngày trả kết quả"
    assert form_title_vi("refusal", "2018") == form_title_vi("refusal")
    assert "«notice»" in form_title_vi("notice")  # a form of a newer version keeps its code


def test_every_screen_of_the_main_window_is_vietnamese(qtbot, window, core):
    _history(core)
    assert window.windowTitle() == "UBND xã Định Mỹ"  # the desktop adds " — Phần mềm Một cửa"
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        settle(qtbot)
        texts = shown_texts(window)
        assert len(texts) > 5 and english_in(texts) == [], window.nav.item(row).text()


def test_settings_show_vietnamese_values_and_tips(qtbot, window):
    settings = window.settings
    layout = settings.fields["forms.receipt_layout"]
    assert [layout.itemText(i) for i in range(layout.count())] == ["Hai trang A4", "Hai trang A5",
                                                                  "Hai nửa tờ A4 ngang"]
    assert layout.toolTip() == "Khổ giấy hẹn: Hai trang A4 hoặc Hai trang A5 hoặc Hai nửa tờ A4 ngang"
    assert english_in(w.toolTip() for w in settings.fields.values()) == []


def test_the_dossier_history_names_forms_and_events(qtbot, window, core):
    code = _history(core)
    dialog = window.open_dossier(code)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == f"Hồ sơ {code}"
    table = dialog.findChild(QTableWidget)
    rows = [[table.item(r, c).text() for c in range(4)] for r in range(table.rowCount())]
    assert [r[1] for r in rows] == ["tiếp nhận", "chuyển xử lý", "xin lỗi, hẹn lại ngày trả", "in biểu mẫu",
                                    "in biểu mẫu", "in biểu mẫu"]
    assert rows[2][3] == "hẹn mới: 30/06/2026 09:00; Chờ xác minh"
    assert [r[3] for r in rows[3:]] == [
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả; bản in lại lần 1",
        "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"]
    assert english_in(shown_texts(dialog)) == []


def test_history_details_of_the_province_and_of_a_newer_version():
    from counter_app.core.lifecycle import PROVINCE_STATUS
    from counter_app.ui.names import event_detail

    assert event_detail(PROVINCE_STATUS, {"note": "Đã trình ký"}, "result_ready") == (
        "trạng thái: Đã có kết quả; Đã trình ký")
    assert event_detail("printed", {"form": "notice"}) == "biểu mẫu «notice»"
    assert event_detail("forwarded", {"to_agency": "H52.101"}) == "chuyển đến: H52.101"


def test_the_print_preview_is_titled_with_the_form_name(qtbot, window, core, dialogs):
    from counter_app.ui.print_preview import print_form
    from tests.conftest import request

    code = core.intake.receive(request()).code
    seen = {}

    def look_and_close(preview) -> None:
        seen["title"], seen["texts"] = preview.windowTitle(), shown_texts(preview)
        preview.reject()

    dialogs.expect(look_and_close)
    officer = core.officers.authenticate("bich.tt", "mật-khẩu-2026")
    finish(qtbot, print_form(window, core, officer, window.local, code, FormKind.RECEIPT))
    qtbot.waitUntil(lambda: getattr(window, "last_printed", None) is not None, timeout=10_000)
    dialogs.stop()
    assert seen["title"] == f"Giấy tiếp nhận hồ sơ và hẹn trả kết quả – {code}"
    assert english_in(seen["texts"]) == []


def test_login_lock_and_first_run_windows_are_titled_in_vietnamese(qtbot, window, core):
    from counter_app.ui.login import FirstRunWizard, LoginDialog

    login = LoginDialog(core.officers)
    qtbot.addWidget(login)
    login.show()
    window.lock()
    lock = window.last_dialog
    wizard = FirstRunWizard(lambda values: None)
    qtbot.addWidget(wizard)
    wizard.show()
    assert [login.windowTitle(), lock.windowTitle(), wizard.windowTitle()] == [
        "Đăng nhập", "Mở khóa", "Thiết lập quầy lần đầu"]
    assert english_in(shown_texts(login) + shown_texts(lock) + shown_texts(wizard)) == []
    lock.password.setText("mật-khẩu-2026")
    lock.try_login()


@pytest.mark.parametrize("error, message, detail", [
    (ValidationError("Ngày hẹn phải sau ngày tiếp nhận.", "due date before receipt"),
     "Ngày hẹn phải sau ngày tiếp nhận.", "due date before receipt"),
    (RuntimeError("database is locked for 052195000123"),
     "Phần mềm gặp một lỗi không mong đợi.", "RuntimeError"),
    (PermissionError(13, "Permission denied", "/mnt/usb/so-theo-doi.pdf"),
     "Không thực hiện được thao tác: không có quyền truy cập: /mnt/usb/so-theo-doi.pdf.",
     "Permission denied"),
])
def test_error_boxes_show_vietnamese_and_keep_english_behind_chi_tiet(qtbot, window, dialogs, error, message,
                                                                       detail):
    from counter_app.ui.common import show_error

    seen = {}

    def read(box) -> None:
        details = next(b for b in box.findChildren(QPushButton) if b.text().startswith("Chi tiết"))
        seen.update(text=box.text(), detail=box.detailedText(), details=details.text(),
                    ok=box.button(QMessageBox.StandardButton.Ok).text(), shown=shown_texts(box))
        details.click()
        seen["hide"] = details.text()
        box.accept()

    dialogs.expect(read)
    show_error(window, error)
    dialogs.stop()
    assert seen["text"].startswith(message) and english_in([seen["text"]]) == []
    assert detail in seen["detail"] and "052195000123" not in seen["detail"]  # redacted as in the log
    assert (seen["details"], seen["hide"], seen["ok"]) == ("Chi tiết...", "Ẩn chi tiết...", "Đồng ý")
    assert english_in(seen["shown"]) == []
