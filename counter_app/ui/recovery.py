"""The database key's two moments in the window: the recovery key shown once after set-up, and the
recovery key asked for when this machine's keyring no longer holds the key."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QSizePolicy, QSpacerItem, QWidget

from counter_app.ui.common import show_error
from counter_app.ui.i18n import tr


def show_recovery_key(parent: QWidget | None, key: str) -> None:
    """Once, right after set-up: the administrator copies or prints it; it is stored nowhere."""
    groups = key.split("-")
    lines = "<br>".join("-".join(groups[i:i + 7]) for i in range(0, len(groups), 7))  # two lines, as printed
    box = QMessageBox(QMessageBox.Icon.Information, tr("Khóa khôi phục"), "", QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("recoveryKeyBox")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(
        "Cơ sở dữ liệu của quầy đã được <b>mã hóa</b>; khóa nằm trong kho mật khẩu của hệ điều hành.<br><br>"
        f"<b>Khóa khôi phục</b> (chỉ hiện lần này):<br><span style='font-family:monospace;font-size:13pt;white-space:nowrap'>{lines}</span>"
        "<br><br>Chép hoặc in ra giấy và cất nơi an toàn, không lưu trên máy này. Khi máy mất kho mật khẩu "
        "(cài lại Windows, đổi tài khoản, chuyển máy), khóa này mở lại được dữ liệu.")
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    layout = box.layout()  # a message box sizes its text narrow; the key must not wrap mid-line
    layout.addItem(QSpacerItem(620, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding),
                   layout.rowCount(), 0, 1, layout.columnCount())
    box.exec()
    box.deleteLater()


def ask_recovery_key(parent: QWidget | None, data_dir: Path) -> bool:
    """Ask for the printed recovery key until it opens the store (True) or the administrator gives up."""
    from counter_app.core.errors import CounterError
    from counter_app.startup import recover_key

    while True:
        text, ok = QInputDialog.getText(
            parent, tr("Nhập khóa khôi phục"),
            "Cơ sở dữ liệu của quầy đã được mã hóa nhưng máy này không còn khóa giải mã\n"
            "(kho mật khẩu bị mất hoặc đổi tài khoản). Nhập khóa khôi phục đã in khi khởi tạo quầy:",
            QLineEdit.EchoMode.Normal, "")
        if not ok:
            return False
        try:
            recover_key(data_dir, text)
            return True
        except CounterError as exc:
            show_error(parent, exc)
