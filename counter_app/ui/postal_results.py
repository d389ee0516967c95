"""Kết quả gửi qua bưu chính: hand a result to the post (item number, recipient, address, what the
post collects on delivery), then record what the post reports back: delivered (the dossier is
returned) or brought back after failed attempts (it waits at the counter again). The table is
the ready-made list «đang gửi bưu chính». Every read and write runs off the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget

from counter_app.core.lifecycle import Status
from counter_app.ui.common import fill_table, fmt_time, read_only_table
from counter_app.ui.operations import Op, op
from counter_app.ui.return_view import money_box, scan_field

MIN_ATTEMPTS = 2  # the post brings a result back after at least two failed deliveries (TT 17/2017)


class PostalResultsPanel(QWidget):
    done = Signal(str)

    def __init__(self, core, officer, parent=None) -> None:
        super().__init__(parent)
        self.core, self.officer = core, officer
        self.dossier = None
        self.code = scan_field(lambda: self.load())
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.item = QLineEdit()
        self.item.setPlaceholderText("Số hiệu bưu gửi trên phiếu gửi, ví dụ EB123456785VN")
        self.recipient, self.address, self.phone = QLineEdit(), QLineEdit(), QLineEdit()
        self.cod = money_box()
        self.attempts = QSpinBox()
        self.attempts.setRange(1, 9)
        self.attempts.setValue(MIN_ATTEMPTS)
        self.give_button = QPushButton("Giao kết quả cho bưu chính")
        self.give_button.clicked.connect(lambda: self.give())
        self.delivered_button = QPushButton("Bưu chính đã phát cho người nhận")
        self.delivered_button.clicked.connect(lambda: self.delivered())
        self.back_button = QPushButton("Bưu chính chuyển trả (phát không thành công)")
        self.back_button.clicked.connect(lambda: self.brought_back())
        form = QFormLayout()
        form.addRow("Mã hồ sơ", self.code)
        form.addRow("Số hiệu bưu gửi", self.item)
        form.addRow("Người nhận", self.recipient)
        form.addRow("Địa chỉ nhận", self.address)
        form.addRow("Điện thoại", self.phone)
        form.addRow("Bưu chính thu khi phát", self.cod)
        form.addRow("Số lần phát không thành công", self.attempts)
        buttons = QHBoxLayout()
        for b in (self.give_button, self.delivered_button, self.back_button):
            buttons.addWidget(b)
        self.table = read_only_table(["Mã hồ sơ", "Chủ hồ sơ", "Thủ tục", "Số hiệu bưu gửi", "Giao bưu chính lúc"])
        self.table.cellDoubleClicked.connect(lambda row, _c: self._pick(row))
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.info)
        layout.addLayout(buttons)
        layout.addWidget(QLabel("<b>Đang gửi bưu chính</b> (nhấp đúp để chọn)"))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self._enable(None)

    def _enable(self, d) -> None:
        ready = d is not None and Status(d.status) is Status.RESULT_READY
        with_post = ready and self._with_post(d)
        self.give_button.setEnabled(ready and not with_post)
        self.delivered_button.setEnabled(with_post)
        self.back_button.setEnabled(with_post)

    def _with_post(self, d) -> bool:
        return any(self.table.item(r, 0).text() == d.code for r in range(self.table.rowCount()))

    def refresh(self) -> Op:
        return op(self, lambda cancel: self.core.transfers.with_post()).success(self._show).run()

    def _show(self, rows) -> None:
        fill_table(self.table, [[x.code, x.applicant_name, x.procedure_name, (x.detail or {}).get("item") or "",
                                 (x.detail or {}).get("handed_at", "")[:16].replace("T", " ")] for x in rows])
        self._enable(self.dossier)

    def _pick(self, row: int) -> None:
        self.code.setText(self.table.item(row, 0).text())
        self.load()

    def load(self) -> Op:
        text = self.code.text()
        return op(self, lambda cancel: self.core.queries.get(text)).success(self._loaded).run()

    def _loaded(self, d) -> None:
        self.dossier = d
        self.info.setText(f"<b>{d.applicant.full_name}</b> – {d.procedure_name}<br>Trạng thái: "
                          f"<b>{Status(d.status).label_vi}</b>; hẹn trả: {fmt_time(d.due_at)}")
        self.recipient.setText(d.applicant.full_name)
        self.address.setText(d.return_address or d.applicant.address or "")
        self.phone.setText(d.applicant.phone or "")
        self._enable(d)

    def give(self) -> Op | None:
        if self.dossier is None:
            return None
        code, who = self.dossier.code, self.officer.full_name
        item, recipient, address = self.item.text(), self.recipient.text(), self.address.text()
        phone, cod = self.phone.text() or None, self.cod.value() or None
        return self._act(lambda: self.core.postal.post_result(
            code, who, item=item, recipient=recipient, address=address, phone=phone, cod_vnd=cod),
            f"Đã giao kết quả hồ sơ {code} cho bưu chính.", self.give_button)

    def delivered(self) -> Op | None:
        if self.dossier is None:
            return None
        code, who, recipient = self.dossier.code, self.officer.full_name, self.recipient.text() or None
        return self._act(lambda: self.core.postal.delivered(code, who, receiver_name=recipient),
                         f"Đã ghi nhận bưu chính phát kết quả hồ sơ {code}: hồ sơ đã trả kết quả.",
                         self.delivered_button)

    def brought_back(self) -> Op | None:
        if self.dossier is None:
            return None
        code, who, attempts = self.dossier.code, self.officer.full_name, self.attempts.value()
        return self._act(lambda: self.core.postal.undelivered(code, who, attempts=attempts),
                         f"Bưu chính đã chuyển trả kết quả hồ sơ {code}: kết quả chờ trả tại quầy.",
                         self.back_button)

    def _act(self, work, message: str, button) -> Op:
        def done(d) -> None:
            self.status.setText(message)
            self.item.clear()
            self.done.emit(message)
            self.dossier = d
            self.refresh()

        return op(self, lambda cancel: work(), busy=[button]).success(done).run()
