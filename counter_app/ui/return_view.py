"""Trả kết quả: scan the receipt's QR/barcode (or type the code), check, record who collected it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget

from counter_app.core.lifecycle import Status
from counter_app.ui.common import fmt_time, heading, show_error, vnd
from counter_app.ui.i18n import tr
from counter_app.ui.operations import Op, op


class ReturnView(QWidget):
    returned = Signal(str)

    def __init__(self, core, officer, parent=None) -> None:
        super().__init__(parent)
        self.core, self.officer = core, officer
        self.dossier = None
        self.code = QLineEdit()
        self.code.setPlaceholderText("Quét mã trên giấy hẹn hoặc nhập mã hồ sơ, Enter")
        self.code.returnPressed.connect(self.load)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.receiver, self.receiver_id = QLineEdit(), QLineEdit()
        self.rating = QComboBox()
        self.rating.addItem("(không đánh giá)", None)
        for n, label in ((5, "5 – Rất hài lòng"), (4, "4 – Hài lòng"), (3, "3 – Bình thường"),
                         (2, "2 – Chưa hài lòng"), (1, "1 – Không hài lòng")):
            self.rating.addItem(label, n)
        self.fees = QSpinBox()
        self.fees.setRange(0, 100_000_000)
        self.fees.setSingleStep(1000)
        self.fees.setSuffix(" đồng")
        self.commit_button = QPushButton("Ghi nhận trả kết quả (Ctrl+S)")
        self.commit_button.clicked.connect(self.commit)
        self.commit_button.setEnabled(False)
        form = QFormLayout()
        form.addRow(tr("Mã hồ sơ"), self.code)
        form.addRow("Người nhận kết quả", self.receiver)
        form.addRow("Số định danh người nhận (nếu ủy quyền)", self.receiver_id)
        form.addRow("Phí, lệ phí đã thu", self.fees)
        form.addRow("Mức độ hài lòng", self.rating)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(tr("Trả kết quả")))
        layout.addLayout(form)
        layout.addWidget(self.info)
        layout.addWidget(self.commit_button)
        layout.addStretch()
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.commit)

    def load(self) -> None:
        try:
            d = self.dossier = self.core.queries.get(self.code.text())
        except Exception as exc:
            self.dossier = None
            self.commit_button.setEnabled(False)
            show_error(self, exc)
            return
        status = Status(d.status)
        ready = status is Status.RESULT_READY
        self.info.setText(f"<b>{d.applicant.full_name}</b> – {d.procedure_name}<br>"
                          f"Trạng thái: <b>{status.label_vi}</b>; hẹn trả: {fmt_time(d.due_at)}; "
                          f"phí: {vnd(d.total_fee_vnd)}"
                          + ("" if ready else "<br><span style='color:#b00020'>Chưa có kết quả: không thể trả.</span>"))
        self.receiver.setText(d.applicant.full_name)
        self.fees.setValue(d.total_fee_vnd)
        self.commit_button.setEnabled(ready)
        (self.receiver if ready else self.code).setFocus()

    def commit(self) -> Op | None:
        if self.dossier is None or not self.commit_button.isEnabled():
            return None
        code, who = self.dossier.code, self.officer.full_name
        receiver, receiver_id = self.receiver.text(), self.receiver_id.text() or None
        rating, fees = self.rating.currentData(), self.fees.value()
        return op(self, lambda: self.core.actions.return_result(
            code, who, receiver_name=receiver, receiver_id=receiver_id, rating=rating, fees_collected_vnd=fees),
            busy=[self.commit_button]).success(self._returned).run()

    def _returned(self, d) -> None:
        self.returned.emit(d.code)
        self.info.setText(f"Đã trả kết quả hồ sơ {d.code}.")
        self.dossier = None
        self.commit_button.setEnabled(False)
        for w in (self.code, self.receiver, self.receiver_id):
            w.clear()
        self.rating.setCurrentIndex(0)
        self.code.setFocus()
