"""Cán bộ in Cài đặt: administrators manage the accounts, every officer changes their own password."""

import pytest
from PySide6.QtWidgets import QMessageBox

from counter_app.core.errors import ValidationError
from tests.ui.conftest import finish, type_text

PW = "mật-khẩu-2026"


def fill(values: dict, *, expect_error: str | None = None):
    """A handler for the dialogs fixture: type into the form and press OK."""
    def handler(dialog) -> None:
        for key, text in values.items():
            if key == "role":
                dialog.fields[key].setCurrentIndex(dialog.fields[key].findData(text))
            else:
                dialog.fields[key].clear()
                type_text(dialog.fields[key], text)
        dialog.accept()
        if expect_error is not None:  # the form stays open and says why
            assert dialog.isVisible() and expect_error in dialog.error.text(), dialog.error.text()
            dialog.reject()
    return handler


def answer(button):
    return lambda box: box.button(button).click()


def rows(panel) -> list[tuple[str, ...]]:
    t = panel.table
    return [tuple(t.item(r, c).text() for c in range(t.columnCount())) for r in range(t.rowCount())]


@pytest.fixture
def panel(qtbot, window):
    window.nav.setCurrentRow(4)  # Cài đặt
    p = window.accounts
    assert p.isVisible() and p.table is not None
    finish(qtbot, p.refresh())
    return p


def test_an_administrator_adds_an_officer(qtbot, panel, core, dialogs):
    dialogs.expect(fill({"username": "an.nv", "full_name": "Nguyễn Văn Ấn", "password": PW, "confirm": "khác"},
                        expect_error="không khớp"),
                   fill({"username": "an.nv", "full_name": "Nguyễn Văn Ấn", "password": PW, "confirm": PW}))
    assert panel.add_officer() is None  # the first form was cancelled: nothing asked of the core
    finish(qtbot, panel.add_officer())
    assert core.officers.authenticate("an.nv", PW).full_name == "Nguyễn Văn Ấn"
    qtbot.waitUntil(lambda: len(rows(panel)) == 2)
    assert rows(panel) == [("an.nv", "Nguyễn Văn Ấn", "Cán bộ", "", "Đang dùng"),
                           ("bich.tt", "Trần Thị Bích", "Quản trị viên", "", "Đang dùng")]
    assert "Đã thêm cán bộ an.nv" in panel.status.text()


def test_a_duplicate_is_refused_in_vietnamese(qtbot, panel, core, dialogs):
    dialogs.expect(fill({"username": "bich.tt", "full_name": "Người khác", "password": PW, "confirm": PW}),
                   lambda box: (dialogs.__dict__.setdefault("seen", box.text()), box.accept()))
    operation = panel.add_officer()
    qtbot.waitUntil(lambda: operation.done)
    assert isinstance(operation.error, ValidationError) and "đã có" in dialogs.seen
    assert [o.username for o in core.officers.all()] == ["bich.tt"]


def test_reset_role_and_lock_with_confirmation(qtbot, panel, core, dialogs):
    admin = core.officers.authenticate("bich.tt", PW)
    core.officers.add(admin, "an.nv", "Nguyễn Văn Ấn", PW)
    qtbot.waitUntil(lambda: len(rows(panel)) == 2)  # the change bus refreshed the list
    panel.select("bich.tt")  # one's own account: no locking or demoting oneself
    assert panel.reset_button.isEnabled() and not panel.active_button.isEnabled()
    assert not panel.role_button.isEnabled()
    panel.select("an.nv")
    assert panel.active_button.isEnabled() and panel.role_button.text() == "Cấp quyền quản trị"

    dialogs.expect(fill({"password": "quên-rồi-mới", "confirm": "quên-rồi-mới"}))
    finish(qtbot, panel.reset_password())
    assert core.officers.authenticate("an.nv", "quên-rồi-mới")

    dialogs.expect(answer(QMessageBox.Yes))
    finish(qtbot, panel.toggle_role())
    assert core.officers.get("an.nv").is_admin
    qtbot.waitUntil(lambda: panel.role_button.text() == "Bỏ quyền quản trị")

    dialogs.expect(answer(QMessageBox.No))  # asked first; "No" changes nothing
    assert panel.toggle_active() is None and core.officers.get("an.nv").active
    dialogs.expect(answer(QMessageBox.Yes))
    finish(qtbot, panel.toggle_active())
    assert not core.officers.get("an.nv").active
    with pytest.raises(ValidationError):
        core.officers.authenticate("an.nv", "quên-rồi-mới")
    qtbot.waitUntil(lambda: ("an.nv", "Nguyễn Văn Ấn", "Quản trị viên", "", "Đã khóa") in rows(panel))
    assert panel.active_button.text() == "Mở khóa"
    finish(qtbot, panel.toggle_active())  # unlocking needs no confirmation
    assert core.officers.authenticate("an.nv", "quên-rồi-mới").is_admin


def test_an_officer_sees_only_their_own_password(qtbot, core, dialogs):
    from counter_app.ui.main_window import MainWindow

    admin = core.officers.authenticate("bich.tt", PW)
    core.officers.add(admin, "an.nv", "Nguyễn Văn Ấn", PW)
    officer = core.officers.authenticate("an.nv", PW)
    w = MainWindow(core, officer)
    qtbot.addWidget(w)
    try:
        panel = w.accounts
        assert w.settings is panel and panel.table is None and not hasattr(w.settings, "save")
        assert panel.refresh() is None
        dialogs.expect(fill({"old": "sai-mat-khau", "password": "mới-của-tôi", "confirm": "mới-của-tôi"}),
                       answer(QMessageBox.Ok),  # the wrong current password, shown in Vietnamese
                       fill({"old": PW, "password": "mới-của-tôi", "confirm": "mới-của-tôi"}))
        failed = panel.change_own_password()
        qtbot.waitUntil(lambda: failed.done)
        assert isinstance(failed.error, ValidationError)
        finish(qtbot, panel.change_own_password())
        assert core.officers.authenticate("an.nv", "mới-của-tôi")
        assert panel.status.text() == "Đã đổi mật khẩu của bạn."
    finally:
        w.clock.stop()


def test_an_account_of_the_postal_unit_and_its_receipts(qtbot, panel, core, dialogs):
    """Issue 15 item 5: the post operates the counter; its officer's account records the organisation."""
    dialogs.expect(fill({"username": "an.bd", "full_name": "Phạm Thị An", "organisation": "Bưu điện xã Định Mỹ",
                         "password": PW, "confirm": PW}))
    finish(qtbot, panel.add_officer())
    qtbot.waitUntil(lambda: ("an.bd", "Phạm Thị An", "Cán bộ", "Bưu điện xã Định Mỹ", "Đang dùng") in rows(panel))
    assert core.officers.authenticate("an.bd", PW).organisation == "Bưu điện xã Định Mỹ"
    panel.select("an.bd")
    dialogs.expect(fill({"organisation": "x" * 201}, expect_error="dài quá"),
                   fill({"organisation": ""}))
    assert panel.change_organisation() is None  # refused in the form: nothing asked of the core
    finish(qtbot, panel.change_organisation())
    assert core.officers.get("an.bd").organisation is None and "cán bộ của cơ quan" in panel.status.text()
