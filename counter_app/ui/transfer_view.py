"""Bàn giao → Cho cơ quan giải quyết khác: the paper files waiting to go to their competent agency
(late ones in red), recorded and printed as a hand-over list; and the other ready-made lists of a
regional counter."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from counter_app.core.errors import ValidationError
from counter_app.core.lifecycle import Status
from counter_app.ui.common import fmt_short, heading, screen_layout, show_error
from counter_app.ui.i18n import tr
from counter_app.ui.operations import Op, op

WAITING, AWAITING, WITH_POST = "waiting-transfer", "awaiting-result", "with-post"
LISTS = ((WAITING, "Chờ chuyển cho cơ quan khác"), (AWAITING, "Chờ nhận kết quả từ cơ quan khác"),
         (WITH_POST, "Đang gửi bưu chính"))
COLUMNS = {
    WAITING: ["Mã hồ sơ", "Người nộp", "Thủ tục", "Cơ quan giải quyết", "Nhận lúc", "Hạn chuyển hồ sơ giấy",
              "Tình trạng"],
    AWAITING: ["Mã hồ sơ", "Người nộp", "Thủ tục", "Cơ quan giải quyết", "Nhận lúc", "Hẹn trả", "Trạng thái"],
    WITH_POST: ["Mã hồ sơ", "Người nộp", "Số hiệu bưu gửi", "Người nhận", "Địa chỉ nhận", "Giao bưu chính lúc",
                "Trạng thái"],
}
LATE = QColor("#b00020")


class TransferView(QWidget):
    recorded = Signal(str)  # the hand-over list's code

    def __init__(self, core, officer, local, parent=None) -> None:
        super().__init__(parent)
        self.core, self.officer, self.local = core, officer, local
        self.rows: list = []
        self.last_batch = None
        self.last_pdf: bytes | None = None
        self.kind = QComboBox()
        for key, label in LISTS:
            self.kind.addItem(label, key)
        self.agency = QComboBox()
        self.kind.currentIndexChanged.connect(lambda _: self.refresh())
        self.agency.currentIndexChanged.connect(lambda _: self.refresh())
        self.table = QTableWidget(0, 7)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel()
        self.receiver = QLineEdit()
        self.receiver.setPlaceholderText("Họ tên người nhận hồ sơ của cơ quan giải quyết")
        self.record_button = QPushButton("Ghi nhận bàn giao và in danh sách (Ctrl+S)")
        self.record_button.clicked.connect(self.record)
        self.sheet_button = QPushButton("In Giấy bàn giao hồ sơ")
        self.sheet_button.clicked.connect(self.print_sheet)
        self.status = QLabel()
        self.status.setWordWrap(True)
        top = QFormLayout()
        top.addRow("Danh sách", self.kind)
        top.addRow("Cơ quan giải quyết", self.agency)
        self.hand_over = QWidget()
        form = QFormLayout(self.hand_over)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Người nhận", self.receiver)
        buttons = QHBoxLayout()
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.sheet_button)
        form.addRow(buttons)
        layout = QVBoxLayout()
        layout.addWidget(heading("Hồ sơ giấy cho cơ quan giải quyết khác và danh sách theo dõi"))
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hand_over)
        layout.addWidget(self.status)
        screen_layout(self, layout)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.record)
        self._fill_agencies()
        self.refresh()

    def _fill_agencies(self) -> None:
        self.agency.blockSignals(True)
        self.agency.clear()
        self.agency.addItem("(tất cả)", None)
        for a in self.core.ctx.agencies:
            self.agency.addItem(f"{a.name} ({a.code})", a.code)
        self.agency.blockSignals(False)

    @property
    def list_kind(self) -> str:
        return self.kind.currentData()

    def refresh(self) -> None:
        kind, agency = self.list_kind, self.agency.currentData()
        service = self.core.transfers
        if kind == WAITING:
            rows = service.waiting(agency)
        else:
            rows = service.awaiting_result() if kind == AWAITING else service.with_post()
            if agency:
                rows = [x for x in rows if x.competent_agency == agency]
        self.rows = rows
        self.hand_over.setVisible(kind == WAITING)
        self.table.clearContents()
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels([tr(c) for c in COLUMNS[kind]])
        names = {a.code: a.name for a in self.core.ctx.agencies}
        for r, x in enumerate(rows):
            for c, text in enumerate(self._cells(kind, x, names)):
                item = QTableWidgetItem(text)
                if kind == WAITING and x.late:
                    item.setForeground(QBrush(LATE))
                self.table.setItem(r, c, item)
        late = sum(1 for x in rows if x.late)
        label = dict(LISTS)[kind]
        text = f"{label}: {len(rows)} hồ sơ"
        if late:
            text += f" — <span style='color:#b00020'><b>{late} hồ sơ quá hạn bàn giao</b> (quá 01 ngày làm việc)</span>"
        self.summary.setText(text)

    @staticmethod
    def _cells(kind: str, x, names: dict[str, str]) -> list[str]:
        competent = names.get(x.competent_agency, x.competent_agency)
        if kind == WAITING:
            return [x.code, x.applicant_name, x.procedure_name, competent, fmt_short(x.received_at),
                    fmt_short(x.deadline), "Quá hạn bàn giao" if x.late else "Trong hạn"]
        if kind == AWAITING:
            return [x.code, x.applicant_name, x.procedure_name, competent, fmt_short(x.received_at),
                    fmt_short(x.due_at), Status(x.status).label_vi]
        post = x.detail or {}
        return [x.code, x.applicant_name, post.get("item") or "", post.get("recipient") or "",
                post.get("address") or "", (post.get("handed_at") or "")[:16].replace("T", " "),
                Status(x.status).label_vi]

    def on_changes(self, changes) -> None:
        if changes.context:
            self._fill_agencies()
        if (changes.dossiers or changes.context) and self.isVisible():
            self.refresh()

    def selected(self) -> list:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.rows[r] for r in rows if r < len(self.rows)]

    def record(self) -> Op | None:
        """One hand-over list to one agency: the selected files (or all those waiting for the
        agency chosen above), committed first, then the list is shown to print."""
        if self.list_kind != WAITING:
            return None
        chosen = self.selected()
        agencies = {x.competent_agency for x in chosen} or ({self.agency.currentData()} - {None})
        if len(agencies) != 1:
            show_error(self, ValidationError("Chọn hồ sơ của một cơ quan giải quyết (hoặc chọn cơ quan ở trên): "
                                             "mỗi danh sách bàn giao cho một cơ quan.", "one agency per list"))
            return None
        (to,) = agencies
        codes, receiver, who = [x.code for x in chosen], self.receiver.text(), self.officer.full_name
        service = self.core.transfers

        def work():
            batch = service.record(to, who, receiver, codes)
            return service.get(batch.code)

        return op(self, work, busy=[self.record_button]).success(self._recorded).run()

    def _recorded(self, result) -> None:
        batch, dossiers = result
        self.last_batch = batch
        self.receiver.clear()
        self.status.setText(f"Đã ghi nhận bàn giao {len(batch.dossier_codes)} hồ sơ theo danh sách {batch.code}.")
        self.refresh()
        self.recorded.emit(batch.code)
        self.show_list(batch, dossiers, reprint=False)

    def show_list(self, batch, dossiers, *, reprint: bool) -> Op:
        """The recorded list in the print preview; printing it records nothing more."""
        from counter_app.ui.print_preview import PrintPreviewDialog, pdf_images

        core = self.core
        names = {a.code: a.name for a in core.ctx.agencies}

        def render() -> bytes:
            from counter_app.printing.transfer import render_transfer_list_pdf

            return render_transfer_list_pdf(batch, dossiers, core.ctx.settings, names, reprint=reprint,
                                            printed_at=core.clock.now())

        def produce(deliver: Callable[[bytes], None]) -> bytes:
            pdf = render()
            deliver(pdf)
            return pdf

        def show(pages) -> None:
            dialog = PrintPreviewDialog(self, f"Danh sách bàn giao hồ sơ – {batch.code}", pages, produce, self.local,
                                        batch.code)
            dialog.exec()
            self.last_pdf = dialog.printed_pdf
            dialog.deleteLater()
            self.window().activateWindow()

        return op(self, lambda: pdf_images(render(), 90)).success(show).run()

    def print_sheet(self) -> Op | None:
        """The selected dossier's Giấy bàn giao hồ sơ (travels with its paper file)."""
        from counter_app.core.prints import FormKind
        from counter_app.ui.print_preview import print_form

        chosen = self.selected()
        if len(chosen) != 1:
            self.status.setText("Chọn một hồ sơ để in Giấy bàn giao hồ sơ.")
            return None
        return print_form(self, self.core, self.officer, self.local, chosen[0].code, FormKind.TRANSFER)
