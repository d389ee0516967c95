"""Who signs at the certification desk: the signer picker, and the list of requests awaiting the
signer (received after the cut-off, extended, or certified while the signer was away). Signing
dates the statement; only then do the stamps print for real."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout,
)

from counter_app.ui.common import show_error
from counter_app.ui.operations import op

LATER = "Chờ ký (người có thẩm quyền ký sau)"


class SignerPicker(QComboBox):
    """The office's signers who may sign today; the last one chosen at this desk comes first."""

    def __init__(self, core, local, parent=None) -> None:
        super().__init__(parent)
        self.core, self.local = core, local
        self.refresh()

    def refresh(self) -> None:
        current = self.currentData() if self.count() else self.local.get("cert_signer")
        self.blockSignals(True)
        self.clear()
        for s in self.core.certification.signers():
            self.addItem(f"{s.name} – {s.title}", s.name)
        self.addItem(LATER, None)
        index = self.findData(current) if current else -1
        self.setCurrentIndex(index if index >= 0 else 0)
        self.blockSignals(False)

    def signer(self) -> str | None:
        name = self.currentData()
        if name:
            self.local.set("cert_signer", name)
        return name


class AwaitingSignatureDialog(QDialog):
    """Requests numbered but not signed, oldest first; the signer signs one, its stamps print."""

    def __init__(self, parent, core, officer, local, on_signed) -> None:
        super().__init__(parent)
        self.core, self.officer, self.on_signed = core, officer, on_signed
        self.setWindowTitle("Yêu cầu chứng thực chờ ký")
        self.list = QListWidget()
        self.picker = SignerPicker(core, local, self)
        self.note = QLabel()
        self.note.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.sign_button = buttons.addButton("Ký chứng thực và in lời chứng", QDialogButtonBox.AcceptRole)
        buttons.addButton("Đóng", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.sign_selected)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(QLabel("Người ký"))
        row.addWidget(self.picker, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.resize(720, 420)
        self.pending = None
        self.load()

    def load(self) -> None:
        self.list.clear()
        for c in self.core.certification.awaiting_signature():
            numbers = ", ".join(f"{i.number:02d}" for i in c.items if not i.void)
            item = QListWidgetItem(f"{c.code}  {c.applicant_name}  {c.kind.label_vi}  số {numbers}  "
                                   f"hẹn {c.due_at:%H:%M %d/%m/%Y}")
            item.setData(Qt.UserRole, c.code)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.note.setText("" if self.list.count() else "Không có yêu cầu nào chờ ký.")

    def sign_selected(self):
        item = self.list.currentItem()
        signer = self.picker.signer()
        if item is None or not signer:
            self.note.setText("Chọn một yêu cầu và người ký chứng thực.")
            return None
        code = item.data(Qt.UserRole)

        def done(cert) -> None:
            self.note.setText(f"{cert.signer_name} đã ký {cert.code} ngày {cert.signed_at:%d/%m/%Y}.")
            self.load()
            self.on_signed(cert.code)

        self.pending = op(self, lambda: self.core.certification.sign(code, signer, self.officer.full_name)) \
            .success(done).failure(lambda exc: show_error(self, exc)).run()
        return self.pending
