"""Trả kết quả: scan the receipt's QR/barcode (or type the code), check, record who collected it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget

from counter_app.core.errors import ValidationError
from counter_app.core.formats import group_digits, parse_vnd
from counter_app.core.lifecycle import Action, Status
from counter_app.ui.common import fmt_time, heading, screen_layout, show_error, vnd
from counter_app.ui.i18n import tr
from counter_app.ui.operations import Op, op


def why_not_returnable(d) -> str:
    """What to tell the citizen when the result cannot be handed over, by state."""
    status = Status(d.status)
    if status is Status.RETURNED:
        when = next((e.at for e in reversed(d.events) if e.kind == Action.RETURN.value), None)
        return "Hồ sơ đã trả kết quả" + (f" lúc {fmt_time(when)}" if when else "") + "; không trả lại lần nữa."
    return {
        Status.RECEIVED: "Hồ sơ mới tiếp nhận, chưa chuyển xử lý: chưa có kết quả.",
        Status.PROCESSING: "Hồ sơ đang giải quyết: chưa có kết quả để trả.",
        Status.SUPPLEMENT_REQUESTED: "Hồ sơ đang chờ công dân bổ sung giấy tờ: chưa có kết quả.",
        Status.REFUSED: "Hồ sơ đã bị từ chối tiếp nhận: không có kết quả để trả.",
        Status.WITHDRAWN: "Công dân đã rút hồ sơ: không có kết quả để trả.",
        Status.STOPPED: "Hồ sơ đã dừng giải quyết: trả lại hồ sơ theo Phiếu dừng xử lý, không phải kết quả.",
    }.get(status, "Chưa có kết quả: không thể trả.")


class MoneySpinBox(QSpinBox):
    """Amounts in đồng written as everywhere else: "10.000 đồng"."""

    def textFromValue(self, value: int) -> str:
        return group_digits(value)

    def valueFromText(self, text: str) -> int:
        try:
            return parse_vnd(text)
        except ValidationError:
            return 0

    def validate(self, text: str, pos: int):
        from PySide6.QtGui import QValidator

        body = text.removesuffix(self.suffix()).strip()
        ok = all(ch.isdigit() or ch == "." for ch in body)
        return (QValidator.Acceptable if ok else QValidator.Invalid), text, pos


def money_box() -> MoneySpinBox:
    """Fees or what the post collects: 0 to 100 million đồng, in steps of 1.000."""
    box = MoneySpinBox()
    box.setRange(0, 100_000_000)
    box.setSingleStep(1000)
    box.setSuffix(" đồng")
    return box


def scan_field(on_enter) -> QLineEdit:
    """Where the receipt's QR/barcode is scanned (or the code typed); Enter loads the dossier."""
    edit = QLineEdit()
    edit.setPlaceholderText("Quét mã trên giấy hẹn hoặc nhập mã hồ sơ, Enter")
    edit.returnPressed.connect(on_enter)
    return edit


class ReturnView(QWidget):
    returned = Signal(str)

    def __init__(self, core, officer, parent=None) -> None:
        super().__init__(parent)
        self.core, self.officer = core, officer
        self.dossier = None
        self.code = scan_field(self.load)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.receiver, self.receiver_id = QLineEdit(), QLineEdit()
        self.rating = QComboBox()
        self.rating.addItem("(không đánh giá)", None)
        for n, label in ((5, "5 – Rất hài lòng"), (4, "4 – Hài lòng"), (3, "3 – Bình thường"),
                         (2, "2 – Chưa hài lòng"), (1, "1 – Không hài lòng")):
            self.rating.addItem(label, n)
        self.fees = money_box()
        # Asked only when this counter is not the return point chosen at intake (issue 15 item 3).
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Bắt buộc: vì sao trả tại quầy này thay vì nơi trả đã chọn")
        self.elsewhere: str | None = None
        self.commit_button = QPushButton("Ghi nhận trả kết quả (Ctrl+S)")
        self.commit_button.clicked.connect(self.commit)
        self.commit_button.setEnabled(False)
        form = QFormLayout()
        form.addRow(tr("Mã hồ sơ"), self.code)
        form.addRow("Người nhận kết quả", self.receiver)
        form.addRow("Số định danh người nhận (nếu ủy quyền)", self.receiver_id)
        form.addRow("Phí, lệ phí đã thu", self.fees)
        form.addRow("Mức độ hài lòng", self.rating)
        form.addRow("Lý do trả tại quầy này", self.reason)
        self.form = form
        form.setRowVisible(self.reason, False)
        layout = QVBoxLayout()
        layout.addWidget(heading(tr("Trả kết quả")))
        layout.addLayout(form)
        layout.addWidget(self.info)
        layout.addWidget(self.commit_button)
        layout.addStretch()
        screen_layout(self, layout)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.commit)

    def load(self) -> None:
        self.code.selectAll()  # the next scan replaces this code instead of adding to it
        try:
            d = self.dossier = self.core.queries.get(self.code.text())
        except Exception as exc:
            self._reset_fields()
            self.info.setText("")
            show_error(self, exc)
            return
        status = Status(d.status)
        ready = status is Status.RESULT_READY
        elsewhere = self.core.actions.return_point_elsewhere(d.code)
        where = ""
        if elsewhere is not None:
            agency = self.core.ctx.agency(elsewhere)
            place = "qua bưu chính" if elsewhere == "post" else f"tại quầy {agency.name if agency else elsewhere}"
            where = (f"<br><span style='color:#b00020'>Nơi trả đã chọn khi tiếp nhận: {place}. "
                     "Trả tại quầy này cần ghi lý do.</span>")
        self.info.setText(f"<b>{d.applicant.full_name}</b> – {d.procedure_name}<br>"
                          f"Trạng thái: <b>{status.label_vi}</b>; hẹn trả: {fmt_time(d.due_at)}; "
                          f"phí: {vnd(d.total_fee_vnd)}"
                          + ("" if ready else f"<br><span style='color:#b00020'>{why_not_returnable(d)}</span>")
                          + (where if ready else ""))
        self._reset_fields()
        self.dossier = d
        self.elsewhere = elsewhere if ready else None
        self.form.setRowVisible(self.reason, self.elsewhere is not None)
        if ready:
            self.receiver.setText(d.applicant.full_name)
            self.fees.setValue(d.total_fee_vnd)
        self.commit_button.setEnabled(ready)
        # The focus stays on the code, selected: the receiver is filled in (usually the applicant),
        # Ctrl+S records the return, and the next scan replaces the code instead of adding to it.
        self.code.setFocus()
        self.code.selectAll()

    def _reset_fields(self) -> None:
        """Nothing from the previous dossier stays on screen (receiver, fee, rating)."""
        self.dossier = None
        self.elsewhere = None
        self.commit_button.setEnabled(False)
        for w in (self.receiver, self.receiver_id, self.reason):
            w.clear()
        self.form.setRowVisible(self.reason, False)
        self.fees.setValue(0)
        self.rating.setCurrentIndex(0)

    def commit(self) -> Op | None:
        if self.dossier is None or not self.commit_button.isEnabled():
            return None
        code, who = self.dossier.code, self.officer.full_name
        receiver, receiver_id = self.receiver.text(), self.receiver_id.text() or None
        reason = self.reason.text().strip() or None
        if self.elsewhere is not None and reason is None:
            show_error(self, ValidationError("Quầy này không phải nơi trả kết quả đã chọn khi tiếp nhận: "
                                             "ghi lý do trả tại quầy này.", "return away from the return point"))
            self.reason.setFocus()
            return None
        from PySide6.QtWidgets import QMessageBox

        # A legal hand-over: one more key (Enter takes Yes) so a stray Ctrl+S does not record it.
        answer = QMessageBox.question(self, "Trả kết quả", f"Trả kết quả hồ sơ {code} cho {receiver or '…'}?",
                                      QMessageBox.Yes | QMessageBox.No, QMessageBox.Yes)
        if answer != QMessageBox.Yes:
            return None
        rating, fees = self.rating.currentData(), self.fees.value()
        return op(self, lambda: self.core.actions.return_result(
            code, who, receiver_name=receiver, receiver_id=receiver_id, rating=rating, fees_collected_vnd=fees,
            reason=reason),
            busy=[self.commit_button]).success(self._returned).run()

    def _returned(self, d) -> None:
        self.returned.emit(d.code)
        self.info.setText(f"Đã trả kết quả hồ sơ {d.code}.")
        self._reset_fields()
        self.code.clear()
        self.code.setFocus()
