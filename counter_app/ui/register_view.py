"""Sổ theo dõi: the tracking register for a date range, exported off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget,
)

from counter_app.core.prints import CHANNEL_NAMES, register_subtitle
from counter_app.ui.common import heading, screen_layout
from counter_app.ui.i18n import tr
from counter_app.ui.operations import Op, op


class RegisterView(QWidget):
    exported = Signal(str)

    def __init__(self, core, parent=None) -> None:
        super().__init__(parent)
        self.core = core
        today = QDate.currentDate()
        self.first, self.last = QDateEdit(QDate(today.year(), today.month(), 1)), QDateEdit(today)
        for w in (self.first, self.last):
            w.setCalendarPopup(True)
            w.setDisplayFormat("dd/MM/yyyy")
        self.status = QLabel()
        buttons = QHBoxLayout()
        for suffix in ("pdf", "xlsx"):
            b = QPushButton(f"Xuất {suffix.upper()}…")
            b.clicked.connect(lambda _=False, s=suffix: self.export(s))
            buttons.addWidget(b)
        self.receiving, self.competent, self.channel = QComboBox(), QComboBox(), QComboBox()
        self.fill_agencies()
        self.channel.addItem("(tất cả)", None)
        for key, label in CHANNEL_NAMES.items():
            self.channel.addItem(label[:1].upper() + label[1:], key)
        self.cross = QCheckBox("Sổ theo dõi hồ sơ phi địa giới (tiếp nhận tại quầy cho cơ quan khác giải quyết)")
        form = QFormLayout()
        form.addRow("Từ ngày", self.first)
        form.addRow("Đến ngày", self.last)
        form.addRow("Cơ quan tiếp nhận", self.receiving)
        form.addRow("Cơ quan giải quyết", self.competent)
        form.addRow("Kênh tiếp nhận", self.channel)
        form.addRow(self.cross)
        layout = QVBoxLayout()
        layout.addWidget(heading(tr("Sổ theo dõi")))
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch()
        screen_layout(self, layout)

    def fill_agencies(self) -> None:
        """The agencies the counter knows now (an agency added later appears without a restart)."""
        for combo in (self.receiving, self.competent):
            chosen = combo.currentData()
            combo.clear()
            combo.addItem("(tất cả)", None)
            for a in self.core.ctx.agencies:
                combo.addItem(f"{a.name} ({a.code})", a.code)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))

    def export(self, suffix: str, path: str | None = None) -> Op | None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Lưu Sổ theo dõi", f"so-theo-doi.{suffix}", f"*.{suffix}")
            if not path:
                return None
        first, last = self.first.date().toPython(), self.last.date().toPython()
        settings = self.core.ctx.settings
        receiving, competent, channel = (c.currentData() for c in (self.receiving, self.competent, self.channel))
        cross = self.cross.isChecked()
        kind = "register_cross" if cross else "register"
        names = {a.code: a.name for a in self.core.ctx.agencies}
        subtitle = register_subtitle(names.get(receiving), names.get(competent), channel)

        def work(cancel) -> str:
            from counter_app.printing.register import render_register_pdf, write_register_xlsx

            lines = self.core.tracking_register.lines(first, last, receiving=receiving, competent=competent,
                                                      channel=channel, cross=cross)
            if cancel.is_set():
                return ""
            if suffix == "pdf":
                Path(path).write_bytes(render_register_pdf(lines, settings, first, last, kind, subtitle))
            else:
                write_register_xlsx(lines, settings, first, last, Path(path), kind)
            return f"Đã xuất {len(lines)} dòng ra {path}."

        return op(self, work, label="Đang xuất Sổ theo dõi hồ sơ…").success(self._done).run()

    def _done(self, message: str) -> None:
        self.status.setText(message)
        self.exported.emit(message)
