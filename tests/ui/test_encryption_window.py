"""The database key in the window (issue 13): the recovery key shown once after set-up, and asked
for when the keyring has lost the key."""

from __future__ import annotations

import keyring
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox

from counter_app import paths
from counter_app.core import escrow
from counter_app.storage import cipher
from tests.ui.conftest import type_text


def fill_wizard(wizard) -> None:
    f = wizard.fields
    f["agency_code"].setText("H52.101")
    type_text(f["agency_name"], "UBND xã Định Mỹ")
    type_text(f["province"], "Gia Lai")
    f["username"].setText("bich.tt")
    type_text(f["full_name"], "Trần Thị Bích")
    f["password"].setText("mật-khẩu-2026")
    f["confirm"].setText("mật-khẩu-2026")
    wizard.accept()


def test_set_up_shows_the_recovery_key_once_and_it_is_the_keyrings_key(qtbot, tmp_path, dialogs, memory_keyring):
    from counter_app.ui.app_main import open_core

    shown = {}

    def read_box(box) -> None:
        assert isinstance(box, QMessageBox) and box.objectName() == "recoveryKeyBox"
        shown["text"] = box.text()
        box.accept()

    dialogs.expect(fill_wizard, read_box)
    core = open_core(tmp_path / "d")
    try:
        dialogs.stop()
        assert core.encrypted and core.recovery_key in shown["text"].replace("<br>", "-") and "mã hóa" in shown["text"]
        stored = keyring.get_password(cipher.KEY_SERVICE, f"database:{core.db.path.resolve()}")
        assert escrow.key_from_recovery(core.recovery_key) == bytes.fromhex(stored)
    finally:
        core.close()


def test_a_lost_keyring_is_recovered_in_the_window(qtbot, tmp_path, dialogs, memory_keyring, clock):
    from counter_app.app import CounterApp
    from counter_app.ui.recovery import ask_recovery_key
    from tests.testkeyring import MemoryKeyring

    app = CounterApp.initialise(tmp_path / "d", agency_code="H52.101", agency_name="UBND xã Định Mỹ", clock=clock)
    recovery, data_dir = app.recovery_key, app.data_dir
    app.close()
    keyring.set_keyring(MemoryKeyring())  # Windows reinstalled: the keyring is empty
    cipher._cache.clear()

    def answer(text):
        def handler(dialog) -> None:
            assert isinstance(dialog, QInputDialog) and "khóa khôi phục" in dialog.labelText()
            dialog.setTextValue(text)
            dialog.done(QDialog.DialogCode.Accepted)
        return handler

    def wrong_key_box(box) -> None:
        assert "không đúng" in box.text()
        box.accept()

    dialogs.expect(answer("ABCD-EFGH"), wrong_key_box, answer(recovery))
    assert ask_recovery_key(None, data_dir)
    dialogs.stop()
    assert keyring.get_password(cipher.KEY_SERVICE, f"database:{paths.database_path(data_dir).resolve()}")
    again = CounterApp.open(data_dir, clock)
    again.close()
