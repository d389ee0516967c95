"""Cán bộ, in Cài đặt: administrators add accounts, reset passwords, change roles and lock or unlock
accounts; every officer changes their own password. The rules (the last active administrator, who
may do what) are the core's (``core.officers``); this panel only asks and shows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QMessageBox, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from counter_app.core.officers import (
    ROLE_LABELS, ROLES, Officer, check_full_name, check_new_password, check_organisation, check_role, check_username,
)
from counter_app.ui.common import heading
from counter_app.ui.i18n import tr
from counter_app.ui.operations import Op, op


ORGANISATION = "Đơn vị (nếu không thuộc cơ quan)"
ORGANISATION_HINT = "ví dụ: Bưu điện xã … (bưu chính vận hành quầy); để trống nếu là cán bộ của cơ quan"


class _Form(QDialog):
    """A small modal form; ``check`` (pure, no store) runs on OK and keeps the form open on error."""

    def __init__(self, title: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.fields: dict[str, QLineEdit | QComboBox] = {}
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def line(self, key: str, label: str, *, secret: bool = False) -> QLineEdit:
        edit = QLineEdit()
        if secret:
            edit.setEchoMode(QLineEdit.Password)
        self.fields[key] = edit
        self.form.addRow(label, edit)
        return edit

    def values(self) -> dict[str, str]:
        return {k: (w.currentData() if isinstance(w, QComboBox) else w.text()) for k, w in self.fields.items()}

    def check(self, values: dict[str, str]) -> None:
        pass

    def accept(self) -> None:
        try:
            self.check(self.values())
        except Exception as exc:  # a line in the form, not another dialog
            self.error.setText(getattr(exc, "message", str(exc)))
            return
        super().accept()


class AccountDialog(_Form):
    def __init__(self, parent=None) -> None:
        super().__init__("Thêm cán bộ", parent)
        self.line("username", tr("Tên đăng nhập")).setPlaceholderText("ví dụ: an.nv")
        self.line("full_name", tr("Họ tên"))
        role = QComboBox()
        for r in ROLES:
            role.addItem(ROLE_LABELS[r], r)
        self.fields["role"] = role
        self.form.addRow("Vai trò", role)
        self.line("organisation", ORGANISATION).setPlaceholderText(ORGANISATION_HINT)
        self.line("password", "Mật khẩu (≥ 8 ký tự)", secret=True)
        self.line("confirm", "Nhập lại mật khẩu", secret=True)

    def check(self, v: dict[str, str]) -> None:
        check_username(v["username"]), check_full_name(v["full_name"]), check_role(v["role"])
        check_organisation(v["organisation"])
        check_new_password(v["password"], v["confirm"])


class OrganisationDialog(_Form):
    """The organisation an account works for: the postal unit operating the counter, or none."""

    def __init__(self, officer: Officer, parent=None) -> None:
        super().__init__(f"Đơn vị – {officer.full_name}", parent)
        self.line("organisation", ORGANISATION).setText(officer.organisation or "")
        self.fields["organisation"].setPlaceholderText(ORGANISATION_HINT)

    def check(self, v: dict[str, str]) -> None:
        check_organisation(v["organisation"])


class PasswordDialog(_Form):
    """A new password, twice; with ``own`` the current one first."""

    def __init__(self, title: str, *, own: bool, parent=None) -> None:
        super().__init__(title, parent)
        if own:
            self.line("old", "Mật khẩu hiện tại", secret=True)
        self.line("password", "Mật khẩu mới (≥ 8 ký tự)", secret=True)
        self.line("confirm", "Nhập lại mật khẩu mới", secret=True)

    def check(self, v: dict[str, str]) -> None:
        check_new_password(v["password"], v["confirm"])


class OfficersPanel(QWidget):
    COLUMNS = ("Tên đăng nhập", "Họ tên", "Vai trò", "Đơn vị", "Trạng thái")

    def __init__(self, core, officer: Officer, parent=None) -> None:
        super().__init__(parent)
        self.core, self.officer = core, officer
        self.last_dialog: QDialog | None = None
        self.status = QLabel()
        self.own_password = QPushButton("Đổi mật khẩu" if not officer.is_admin else "Đổi mật khẩu của tôi…")
        self.own_password.clicked.connect(lambda: self.change_own_password())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if not officer.is_admin:  # an officer's Cài đặt: their own password only
            layout.addWidget(QLabel("Chỉ quản trị viên được sửa cài đặt, danh mục, lịch và tài khoản cán bộ."))
            layout.addWidget(heading(tr("Cán bộ")))
            layout.addWidget(QLabel(f"{officer.full_name} ({officer.username})"))
            layout.addWidget(self.own_password, 0, Qt.AlignLeft)
            layout.addWidget(self.status)
            layout.addStretch()
            self.table = None
            return
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.setMinimumHeight(self.table.verticalHeader().defaultSectionSize() * 4 + 30)
        self.table.setMaximumHeight(200)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.add_button = QPushButton("Thêm cán bộ…")
        self.add_button.clicked.connect(lambda: self.add_officer())
        self.reset_button = QPushButton("Đặt lại mật khẩu…")
        self.reset_button.clicked.connect(lambda: self.reset_password())
        self.role_button = QPushButton("Cấp quyền quản trị")
        self.role_button.clicked.connect(lambda: self.toggle_role())
        self.active_button = QPushButton("Khóa tài khoản")
        self.active_button.clicked.connect(lambda: self.toggle_active())
        self.organisation_button = QPushButton("Đơn vị…")
        self.organisation_button.clicked.connect(lambda: self.change_organisation())
        self.buttons = [self.add_button, self.reset_button, self.role_button, self.active_button,
                        self.organisation_button, self.own_password]
        row = QHBoxLayout()
        for b in self.buttons:
            row.addWidget(b)
        row.addStretch()
        layout.addWidget(heading(tr("Cán bộ")))
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self._selection_changed()

    # -- the list -----------------------------------------------------------------------------
    def refresh(self) -> Op | None:
        if self.table is None:
            return None
        return op(self, self.core.officers.all).success(self._fill).run()

    def on_changes(self, changes) -> None:
        if changes.officers and self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

    def _fill(self, officers: list[Officer]) -> None:
        chosen = self.selected()
        self.table.setRowCount(len(officers))
        for i, o in enumerate(officers):
            texts = (o.username, o.full_name, ROLE_LABELS.get(o.role, o.role), o.organisation or "",
                     "Đang dùng" if o.active else "Đã khóa")
            for col, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setData(Qt.UserRole, o)
                if not o.active:
                    item.setForeground(Qt.gray)
                self.table.setItem(i, col, item)
            if chosen is not None and o.username == chosen.username:
                self.table.selectRow(i)
        self.table.resizeColumnsToContents()
        for col in range(len(self.COLUMNS) - 1):  # stacked diacritics measure a little short
            self.table.setColumnWidth(col, self.table.columnWidth(col) + 16)
        self._selection_changed()

    def selected(self) -> Officer | None:
        rows = self.table.selectionModel().selectedRows() if self.table is not None else []
        return self.table.item(rows[0].row(), 0).data(Qt.UserRole) if rows else None

    def select(self, username: str) -> None:
        for i in range(self.table.rowCount()):
            if self.table.item(i, 0).text() == username:
                self.table.selectRow(i)

    def _selection_changed(self) -> None:
        o = self.selected()
        own = o is not None and o.username == self.officer.username
        self.reset_button.setEnabled(o is not None)
        self.organisation_button.setEnabled(o is not None)
        self.role_button.setEnabled(o is not None and not own)  # the core refuses it too
        self.active_button.setEnabled(o is not None and not own)
        self.role_button.setText("Bỏ quyền quản trị" if o is not None and o.is_admin else "Cấp quyền quản trị")
        self.active_button.setText("Mở khóa" if o is not None and not o.active else "Khóa tài khoản")

    # -- actions (each one service call, off the GUI thread) ---------------------------------------
    def _run(self, work, done: str) -> Op:
        def ok(_) -> None:
            self.status.setText(done)
            self.refresh()

        busy = self.buttons if self.table is not None else [self.own_password]
        return op(self, work, busy=busy).success(ok).run()

    def _form(self, dialog: QDialog) -> dict[str, str] | None:
        self.last_dialog = dialog
        return dialog.values() if dialog.exec() == QDialog.Accepted else None

    def add_officer(self) -> Op | None:
        v = self._form(AccountDialog(self))
        if v is None:
            return None
        return self._run(lambda: self.core.officers.add(self.officer, v["username"], v["full_name"], v["password"],
                                                        v["role"], v["confirm"], v["organisation"]),
                         f"Đã thêm cán bộ {v['username'].strip().lower()}.")

    def reset_password(self) -> Op | None:
        target = self.selected()
        if target is None:
            return None
        v = self._form(PasswordDialog(f"Đặt lại mật khẩu – {target.full_name}", own=False, parent=self))
        if v is None:
            return None
        return self._run(lambda: self.core.officers.reset_password(self.officer, target.username, v["password"],
                                                                   v["confirm"]),
                         f"Đã đặt lại mật khẩu cho {target.username}; hãy báo mật khẩu mới cho {target.full_name}.")

    def change_organisation(self) -> Op | None:
        target = self.selected()
        if target is None:
            return None
        v = self._form(OrganisationDialog(target, self))
        if v is None:
            return None
        organisation = v["organisation"].strip()
        return self._run(lambda: self.core.officers.set_organisation(self.officer, target.username, organisation),
                         f"{target.username}: " + (f"thuộc {organisation}." if organisation else "cán bộ của cơ quan."))

    def change_own_password(self) -> Op | None:
        v = self._form(PasswordDialog("Đổi mật khẩu của tôi", own=True, parent=self))
        if v is None:
            return None
        return self._run(lambda: self.core.officers.change_password(self.officer.username, v["old"], v["password"],
                                                                    v["confirm"]),
                         "Đã đổi mật khẩu của bạn.")

    def _confirm(self, question: str) -> bool:
        return QMessageBox.question(self, tr("Cán bộ"), question, QMessageBox.Yes | QMessageBox.No,
                                    QMessageBox.No) == QMessageBox.Yes

    def toggle_role(self) -> Op | None:
        target = self.selected()
        if target is None:
            return None
        role = "officer" if target.is_admin else "admin"
        question = (f"Bỏ quyền quản trị của {target.full_name} ({target.username})?" if target.is_admin else
                    f"Cấp quyền quản trị cho {target.full_name} ({target.username})? Quản trị viên sửa được cài "
                    "đặt và tài khoản của mọi cán bộ.")
        if not self._confirm(question):
            return None
        return self._run(lambda: self.core.officers.set_role(self.officer, target.username, role),
                         f"{target.username}: vai trò {ROLE_LABELS[role]}.")

    def toggle_active(self) -> Op | None:
        target = self.selected()
        if target is None:
            return None
        if target.active and not self._confirm(
                f"Khóa tài khoản {target.full_name} ({target.username})? Cán bộ này sẽ không đăng nhập được nữa; "
                "các hồ sơ đã xử lý vẫn giữ tên trong lịch sử."):
            return None
        return self._run(lambda: self.core.officers.set_active(self.officer, target.username, not target.active),
                         f"Đã {'mở khóa' if not target.active else 'khóa'} tài khoản {target.username}.")
