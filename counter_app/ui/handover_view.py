"""Bàn giao: the hand-over lists signed with the post (biên bản giao nhận: list what a signed list
still lacks, draw up a day's list for a direction, record its signing, print it again), and the
hand-overs between the reception officer and the commune's specialists (record one, print the
day's list), the paper files for other agencies (ui/transfer_view.py) and the results sent by post
(ui/postal_results.py). Every read, write and render runs off the GUI thread."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QDateTime, Signal
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QDateTimeEdit, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QTabWidget, QVBoxLayout, QWidget,
)

from counter_app.core.calendar import TZ
from counter_app.ui.common import fill_table, heading, read_only_table, screen_layout
from counter_app.ui.operations import Op, op

DAYS_SHOWN = 14  # the lists of the last two weeks: what is still to sign or reprint


def _date_edit(day: QDate) -> QDateEdit:
    edit = QDateEdit(day)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    return edit


def _ask_pdf(parent: QWidget, title: str, name: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, name, "*.pdf")
    return path or None


class PostalBatchesPanel(QWidget):
    """Biên bản giao nhận với bưu chính (QĐ 45/2016/QĐ-TTg Art. 7)."""

    done = Signal(str)

    def __init__(self, core, officer, parent=None) -> None:
        super().__init__(parent)
        self.core, self.officer = core, officer
        self.batches: list = []
        now = core.clock.now().astimezone(TZ)
        self.day = _date_edit(QDate(now.date()))
        self.direction = QComboBox()
        from counter_app.core.postal import Direction

        for d in Direction:
            self.direction.addItem(d.label_vi, d.value)
        self.items = QLineEdit()
        self.items.setPlaceholderText("Số hiệu bưu gửi trên danh sách của bưu chính mà quầy chưa nhận (nếu có)")
        self.prepare_button = QPushButton("Lập biên bản và in…")
        self.prepare_button.clicked.connect(lambda: self.prepare())
        form = QFormLayout()
        form.addRow("Ngày", self.day)
        form.addRow("Chiều giao nhận", self.direction)
        form.addRow("Bưu gửi thêm", self.items)
        self.table = read_only_table(["Số biên bản", "Ngày", "Chiều giao nhận", "Số bưu gửi", "Đã ký lúc", "Nhân viên bưu chính"])
        self.employee = QLineEdit()
        self.employee.setPlaceholderText("Họ tên nhân viên bưu chính ký biên bản")
        self.signed_at = QDateTimeEdit(QDateTime(now.replace(tzinfo=None, second=0, microsecond=0)))
        self.signed_at.setDisplayFormat("HH:mm dd/MM/yyyy")
        self.signed_at.setCalendarPopup(True)
        self.sign_button = QPushButton("Ghi nhận hai bên đã ký")
        self.sign_button.clicked.connect(lambda: self.sign())
        self.reprint_button = QPushButton("In lại biên bản…")
        self.reprint_button.clicked.connect(lambda: self.reprint())
        sign = QHBoxLayout()
        for w in (QLabel("Nhân viên bưu chính"), self.employee, QLabel("Ký lúc"), self.signed_at, self.sign_button,
                  self.reprint_button):
            sign.addWidget(w)
        self.pending = read_only_table(["Số biên bản", "Số hiệu bưu gửi", "Mã hồ sơ", "Còn thiếu"])
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.prepare_button)
        layout.addWidget(QLabel(f"Biên bản {DAYS_SHOWN} ngày gần đây"))
        layout.addWidget(self.table, 2)
        layout.addLayout(sign)
        layout.addWidget(QLabel("Bưu gửi trên biên bản đã ký chưa được đối chiếu"))
        layout.addWidget(self.pending, 1)
        layout.addWidget(self.status)

    # -- reading --------------------------------------------------------------------------------
    def refresh(self) -> Op:
        today = self.core.clock.now().astimezone(TZ).date()

        def work(cancel):
            return self.core.postal.batches(today - timedelta(days=DAYS_SHOWN), today), self.core.postal.unaccounted()

        return op(self, work).success(self._show).run()

    def _show(self, result) -> None:
        self.batches, missing = result
        fill_table(self.table, [[b.code, f"{b.day:%d/%m/%Y}", b.direction.label_vi, str(len(b.items)),
                            f"{b.signed_at.astimezone(TZ):%H:%M %d/%m/%Y}" if b.signed_at else "Chưa ký",
                            b.postal_employee or ""] for b in self.batches])
        fill_table(self.pending, [[m.batch, m.item, m.dossier_code or "", m.reason] for m in missing])

    def selected(self):
        row = self.table.currentRow()
        if not 0 <= row < len(self.batches):
            self.status.setText("Chọn một biên bản trong danh sách.")
            return None
        return self.batches[row]

    # -- acting ---------------------------------------------------------------------------------
    def prepare(self, path: str | None = None) -> Op | None:
        from counter_app.core.postal import Direction

        day, direction = self.day.date().toPython(), Direction(self.direction.currentData())
        extra = [x for x in re.split(r"[\s,;]+", self.items.text()) if x]
        path = path or _ask_pdf(self, "Lưu biên bản giao nhận", f"bien-ban-{direction.value}-{day:%Y%m%d}.pdf")
        if not path:
            return None
        settings, officer = self.core.ctx.settings, self.officer.full_name

        def work(cancel) -> str:
            from counter_app.printing.handover import render_handover_pdf

            batch, dossiers = self.core.postal.prepare(direction, day, officer, extra)
            Path(path).write_bytes(render_handover_pdf(batch, dossiers, settings))
            return f"Đã in biên bản {batch.code} ({len(batch.items)} bưu gửi) ra {path}. Sau khi hai bên ký, ghi nhận ký."

        return op(self, work, busy=[self.prepare_button], label="Đang lập biên bản giao nhận…").success(
            self._done).run()

    def sign(self) -> Op | None:
        batch = self.selected()
        if batch is None:
            return None
        at, employee, officer = self.signed_at.dateTime().toPython(), self.employee.text(), self.officer.full_name

        def work(cancel) -> str:
            signed = self.core.postal.sign(batch.code, officer, signed_at=at, postal_employee=employee or None)
            return f"Đã ghi nhận ký biên bản {signed.code} lúc {signed.signed_at:%H:%M %d/%m/%Y}."

        return op(self, work, busy=[self.sign_button]).success(self._done).run()

    def reprint(self, path: str | None = None) -> Op | None:
        batch = self.selected()
        if batch is None:
            return None
        path = path or _ask_pdf(self, "Lưu biên bản giao nhận", f"{batch.code}.pdf")
        if not path:
            return None
        settings = self.core.ctx.settings

        def work(cancel) -> str:
            from counter_app.printing.handover import render_handover_pdf

            found, dossiers = self.core.postal.get(batch.code)
            Path(path).write_bytes(render_handover_pdf(found, dossiers, settings))
            return f"Đã in lại biên bản {found.code} ra {path}."

        return op(self, work, busy=[self.reprint_button]).success(self._done).run()

    def _done(self, message: str) -> None:
        self.status.setText(message)
        self.done.emit(message)
        self.refresh()


class StaffHandoverPanel(QWidget):
    """Bàn giao giữa cán bộ tiếp nhận (bưu điện) và công chức chuyên môn: each one goes on the
    dossier's control sheet; the day's list is printed for both sides to sign."""

    done = Signal(str)

    def __init__(self, core, officer, parent=None) -> None:
        super().__init__(parent)
        self.core, self.officer = core, officer
        from counter_app.core.staff import HandoverDirection

        self.codes = QLineEdit()
        self.codes.setPlaceholderText("Mã hồ sơ, cách nhau bởi dấu cách hoặc dấu phẩy")
        self.giver, self.receiver = QLineEdit(officer.full_name), QLineEdit()
        self.receiver.setPlaceholderText("Họ tên công chức chuyên môn (hoặc tên đăng nhập)")
        self.direction = QComboBox()
        for d in HandoverDirection:
            self.direction.addItem(d.label_vi[:1].upper() + d.label_vi[1:], d.value)
        self.direction.currentIndexChanged.connect(lambda _i: self.refresh())  # the list shows that direction
        self.record_button = QPushButton("Ghi nhận bàn giao")
        self.record_button.clicked.connect(lambda: self.record())
        form = QFormLayout()
        form.addRow("Hồ sơ", self.codes)
        form.addRow("Chiều bàn giao", self.direction)
        form.addRow("Người giao", self.giver)
        form.addRow("Người nhận", self.receiver)
        self.day = _date_edit(QDate(core.clock.now().astimezone(TZ).date()))
        self.day.dateChanged.connect(lambda _d: self.refresh())
        self.print_button = QPushButton("In danh sách bàn giao trong ngày…")
        self.print_button.clicked.connect(lambda: self.print_day())
        day_row = QHBoxLayout()
        for w in (QLabel("Ngày"), self.day, self.print_button):
            day_row.addWidget(w)
        day_row.addStretch()
        self.table = read_only_table(["Giờ", "Mã hồ sơ", "Chủ hồ sơ", "Người giao", "Người nhận"])
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.record_button)
        layout.addLayout(day_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)

    def _direction(self):
        from counter_app.core.staff import HandoverDirection

        return HandoverDirection(self.direction.currentData())

    def refresh(self) -> Op:
        day, direction = self.day.date().toPython(), self._direction()

        def work(cancel):
            return self.core.staff.of_day(day, direction)

        return op(self, work).success(self._show).run()

    def _show(self, lines) -> None:
        from counter_app.printing.staff_handover import person_text

        fill_table(self.table, [[f"{h.handed_at.astimezone(TZ):%H:%M}", d.code, d.applicant.full_name,
                            person_text(h.giver), person_text(h.receiver)] for h, d in lines])

    def record(self) -> Op:
        codes = [c for c in re.split(r"[\s,;]+", self.codes.text()) if c]
        giver, receiver, direction = self.giver.text(), self.receiver.text(), self._direction()
        officer = self.officer.full_name

        def work(cancel) -> str:
            done = self.core.staff.record(codes, officer, giver=giver, receiver=receiver, direction=direction)
            return f"Đã ghi nhận bàn giao {len(done)} hồ sơ: {', '.join(h.dossier_code for h in done)}."

        return op(self, work, busy=[self.record_button]).success(self._recorded).run()

    def _recorded(self, message: str) -> None:
        self.codes.clear()
        self.status.setText(message)
        self.done.emit(message)
        self.refresh()

    def print_day(self, path: str | None = None) -> Op | None:
        day, direction = self.day.date().toPython(), self._direction()
        path = path or _ask_pdf(self, "Lưu danh sách bàn giao", f"ban-giao-{day:%Y%m%d}.pdf")
        if not path:
            return None
        settings = self.core.ctx.settings

        def work(cancel) -> str:
            from counter_app.printing.staff_handover import render_staff_handover_pdf

            lines = self.core.staff.of_day(day, direction)
            Path(path).write_bytes(render_staff_handover_pdf(day, lines, settings, direction))
            return f"Đã in danh sách bàn giao ngày {day:%d/%m/%Y} ({len(lines)} hồ sơ) ra {path}."

        return op(self, work, busy=[self.print_button]).success(self._printed).run()

    def _printed(self, message: str) -> None:
        self.status.setText(message)
        self.done.emit(message)


class HandoverView(QWidget):
    def __init__(self, core, officer, local, parent=None) -> None:
        super().__init__(parent)
        from counter_app.ui.postal_results import PostalResultsPanel
        from counter_app.ui.transfer_view import TransferView

        self.postal = PostalBatchesPanel(core, officer)
        self.results = PostalResultsPanel(core, officer)
        self.staff = StaffHandoverPanel(core, officer)
        self.transfers = TransferView(core, officer, local)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.postal, "Với bưu chính")
        self.tabs.addTab(self.staff, "Với công chức chuyên môn")
        self.tabs.addTab(self.transfers, "Cho cơ quan giải quyết khác")
        self.tabs.addTab(self.results, "Kết quả gửi bưu chính")
        self.tabs.currentChanged.connect(lambda _: self.tabs.currentWidget() is self.transfers
                                         and self.transfers.refresh())
        layout = QVBoxLayout()
        layout.addWidget(heading("Bàn giao hồ sơ"))
        layout.addWidget(self.tabs, 1)
        screen_layout(self, layout)

    def refresh(self) -> None:
        self.postal.refresh()
        self.staff.refresh()
        self.transfers.refresh()
        self.results.refresh()
