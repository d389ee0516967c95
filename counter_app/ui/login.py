"""Login, lock and the first-run wizard."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWizard, QWizardPage,
)

from counter_app.core.officers import Officer
from counter_app.ui.common import show_error
from counter_app.ui.i18n import tr


class LoginDialog(QDialog):
    """Log in at start; with ``locked_for`` it is the lock screen of that officer (Ctrl+L)."""

    def __init__(self, officers, parent=None, *, locked_for: Officer | None = None) -> None:
        super().__init__(parent)
        self.officers = officers
        self.officer: Officer | None = None
        self.setWindowTitle(tr("Đăng nhập") if locked_for is None else "Mở khóa")
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.Password)
        form = QFormLayout()
        if locked_for is not None:
            self.username.setText(locked_for.username)
            self.username.setReadOnly(True)
            form.addRow(QLabel(f"Đã khóa – {locked_for.full_name}. Nhập mật khẩu để mở khóa."))
        form.addRow(tr("Tên đăng nhập"), self.username)
        form.addRow(tr("Mật khẩu"), self.password)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | (QDialogButtonBox.Cancel if locked_for is None
                                                         else QDialogButtonBox.NoButton))
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        (self.password if locked_for else self.username).setFocus()

    def try_login(self) -> None:
        try:
            self.officer = self.officers.authenticate(self.username.text(), self.password.text())
        except Exception as exc:  # a wrong password is not an error dialog, just a line
            self.error.setText(getattr(exc, "message", str(exc)))
            self.password.clear()
            return
        self.accept()

    def reject(self) -> None:
        if self.username.isReadOnly():  # the lock screen cannot be dismissed
            return
        super().reject()


class FirstRunWizard(QWizard):
    """Empty data directory: agency code and name, province, desk number, the first officer (admin)."""

    def __init__(self, create, parent=None, *, officer_only: bool = False) -> None:
        super().__init__(parent)
        self.create = create  # callable(values: dict) -> None, raises CounterError
        # officer_only: the counter was set up from the command line and only lacks an account.
        self.setWindowTitle("Thiết lập quầy lần đầu")
        self.fields: dict[str, QLineEdit | QSpinBox] = {}
        agency = QWizardPage()
        agency.setTitle("Cơ quan và quầy")
        agency.setSubTitle("Mã cơ quan theo QCVN 102 (ví dụ 000.21.33.H08) hoặc mã mới (ví dụ H52.101).")
        form = QFormLayout(agency)
        for key, label in (("agency_code", "Mã cơ quan"), ("agency_name", "Tên cơ quan"), ("province", "Tỉnh")):
            self.fields[key] = QLineEdit()
            form.addRow(label, self.fields[key])
        desk = QSpinBox()
        desk.setRange(1, 99)
        self.fields["desk"] = desk
        form.addRow("Số quầy", desk)
        officer = QWizardPage()
        officer.setTitle("Tài khoản quản trị đầu tiên")
        form = QFormLayout(officer)
        for key, label, secret in (("username", "Tên đăng nhập", False), ("full_name", "Họ tên", False),
                                   ("password", "Mật khẩu (≥ 8 ký tự)", True), ("confirm", "Nhập lại mật khẩu", True)):
            edit = QLineEdit()
            if secret:
                edit.setEchoMode(QLineEdit.Password)
            self.fields[key] = edit
            form.addRow(label, edit)
        if not officer_only:
            self.addPage(agency)
        self.addPage(officer)
        self.setOption(QWizard.NoBackButtonOnStartPage, True)

    def values(self) -> dict:
        return {k: (w.value() if isinstance(w, QSpinBox) else w.text()) for k, w in self.fields.items()}

    def accept(self) -> None:
        try:
            self.create(self.values())
        except Exception as exc:
            show_error(self, exc)
            return
        super().accept()
