"""Báo cáo: the statistics the province plans from, for a period and one agency or all the counter
serves. The report is built off the GUI thread with its progress shown, then each of its tables
(core.report_tables, the same the XLSX and the PDF have, formatted alike) gets a tab, and the
«Biểu đồ» tab draws the charts (ui/report_charts.py). Reading a report changes nothing, so every
officer may open the screen, not only an administrator."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem,
    QTabWidget, QVBoxLayout, QWidget,
)

from counter_app.core.calendar import TZ
from counter_app.core.report_tables import TITLE, ReportTable, cell_kind, format_cell, report_tables
from counter_app.core.text import fold
from counter_app.ui.common import heading, read_only_table, screen_layout
from counter_app.ui.operations import Op, op, report_error
from counter_app.ui.report_charts import ReportCharts

# The long tables, where the officer looks for the largest, the slowest or one procedure by name.
SORTABLE = frozenset({"Theo thủ tục", "Kế hoạch cải cách", "Theo cơ quan"})
QUICK = (("Tháng này", "month"), ("Quý này", "quarter"), ("Năm nay", "year"), ("Năm trước", "last_year"))
_NUMERIC = frozenset({"int", "share", "days"})
_FORMATS = {"xlsx": "Bảng tính Excel (*.xlsx)", "pdf": "Tệp PDF (*.pdf)"}


def period_of(choice: str, today: date) -> tuple[date, date]:
    """The quick choices: this month, quarter or year up to today, or the whole of last year."""
    if choice == "month":
        return today.replace(day=1), today
    if choice == "quarter":
        return today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1), today
    if choice == "year":
        return date(today.year, 1, 1), today
    if choice == "last_year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    raise ValueError(choice)


def _date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(QDate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    return edit


def _head(title: str, width: int = 9) -> str:
    """A long column title on two or three lines: the figures under it are short, and a one-line
    title would make the column as wide as its words, squeezing the procedure's name."""
    if len(title) <= width or _is_name(title):
        return title
    words, _, unit = title.partition(" (")  # "(ngày làm việc)" on a line of its own
    lines = textwrap.wrap(words, max(width, -(-len(words) // 2) + 1))  # two balanced lines, not a short last word
    return "\n".join(lines + ([f"({unit}"] if unit else []))


def _fit_columns(widget: QTableWidget) -> None:
    """A sortable table's figure columns as wide as their title's longest line or their widest
    figure. Qt's own fit reserves the sort arrow a square as tall as the whole (three-line) header
    in every column, which left the procedure's name a sliver."""
    header = widget.horizontalHeader()
    metrics = header.fontMetrics()
    for c in range(widget.columnCount()):
        if header.sectionResizeMode(c) == QHeaderView.Stretch:
            continue
        title = max((metrics.horizontalAdvance(line) for line in widget.horizontalHeaderItem(c).text().split("\n")))
        header.resizeSection(c, max(title + 20, widget.sizeHintForColumn(c) + 10))


class _Cell(QTableWidgetItem):
    """A cell shown as the report formats it and sorted by its raw value (1.234 after 987)."""

    def __init__(self, text: str, key: tuple) -> None:
        super().__init__(text)
        self.key = key

    def __lt__(self, other: QTableWidgetItem) -> bool:
        return self.key < getattr(other, "key", (True, ""))


def _sort_key(value: Any, kind: str) -> tuple:
    if value is None:
        return (True, 0 if kind in _NUMERIC else "")  # blanks last when ascending
    if kind == "text":
        return (False, fold(str(value)))
    return (False, value)


def _is_name(title: str) -> bool:
    return title.startswith("Tên") or title.startswith("Cơ quan") or title == "Chỉ tiêu"


def new_table(table: ReportTable) -> QTableWidget:
    widget = read_only_table([_head(c.title) for c in table.columns])
    header = widget.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignCenter)
    header.setStretchLastSection(False)
    for i, column in enumerate(table.columns):
        if _is_name(column.title) and len(table.columns) > 2:
            header.setSectionResizeMode(i, QHeaderView.Stretch)
    if table.key in SORTABLE:
        for i in range(len(table.columns)):
            if header.sectionResizeMode(i) != QHeaderView.Stretch:
                header.setSectionResizeMode(i, QHeaderView.Interactive)
        header.setSortIndicator(-1, Qt.AscendingOrder)  # the report's own order until the officer picks a column
        widget.setSortingEnabled(True)
    rows = widget.verticalHeader()
    rows.setVisible(False)
    rows.setDefaultSectionSize(widget.fontMetrics().height() + 8)  # a planning table of 160 procedures: more on screen
    widget.setWordWrap(False)
    widget.setObjectName(table.key)
    return widget


def fill_report_table(widget: QTableWidget, table: ReportTable) -> None:
    """The rows as format_cell shows them (what the PDF prints), figures right-aligned."""
    sortable = widget.isSortingEnabled()
    widget.setSortingEnabled(False)  # a sorted table would move rows while they are filled
    widget.setRowCount(len(table.rows))
    for r, row in enumerate(table.rows):
        for c, (column, raw) in enumerate(zip(table.columns, row)):
            value, kind = cell_kind(column, raw)
            item = _Cell(format_cell(value, kind), _sort_key(value, kind))
            if kind in _NUMERIC:
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            elif kind == "yesno":
                item.setTextAlignment(Qt.AlignCenter)
            if kind == "text" and len(item.text()) > 60:
                item.setToolTip(item.text())  # a long procedure name, whole
            widget.setItem(r, c, item)
    if sortable:
        widget.setSortingEnabled(True)  # sorts again by the column the officer chose, if any
        _fit_columns(widget)


class ReportView(QWidget):
    built = Signal(str)
    exported = Signal(str)

    def __init__(self, core, parent=None) -> None:
        super().__init__(parent)
        self.core = core
        self.report: dict[str, Any] | None = None
        self.scope = ""
        self.tables: dict[str, QTableWidget] = {}
        first, last = period_of("year", self._today())
        self.first, self.last = _date_edit(first), _date_edit(last)
        self.agency = QComboBox()
        self.agency.setMinimumContentsLength(28)
        self.agency.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.fill_agencies()
        self.build_button = QPushButton("Lập báo cáo")
        self.build_button.setToolTip("Lập báo cáo cho kỳ và cơ quan đã chọn (Enter)")
        self.build_button.clicked.connect(lambda: self.build())
        self.quick: dict[str, QPushButton] = {}
        self.export_buttons: dict[str, QPushButton] = {}
        for suffix in ("xlsx", "pdf"):
            button = QPushButton(f"Xuất {suffix.upper()}…")
            button.setEnabled(False)
            button.clicked.connect(lambda _=False, s=suffix: self.export(s))
            self.export_buttons[suffix] = button
        filters = QWidget()
        row1, row2 = QHBoxLayout(), QHBoxLayout()
        for w in (QLabel("Từ ngày"), self.first, QLabel("Đến ngày"), self.last):
            row1.addWidget(w)
        row1.addSpacing(12)
        for text, key in QUICK:
            button = QPushButton(text)
            button.setToolTip(f"Kỳ báo cáo: {text.lower()}, rồi lập báo cáo")
            button.clicked.connect(lambda _=False, k=key: self.choose(k))
            self.quick[key] = button
            row1.addWidget(button)
        row1.addStretch()
        for w in (QLabel("Cơ quan"), self.agency, self.build_button):
            row2.addWidget(w)
        row2.addStretch()
        for button in self.export_buttons.values():
            row2.addWidget(button)
        box = QVBoxLayout(filters)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(row1)
        box.addLayout(row2)
        for field in (self.first, self.last, self.agency):  # Enter in the period or the agency builds the report
            for key in (Qt.Key_Return, Qt.Key_Enter):
                QShortcut(QKeySequence(key), field, activated=lambda: self.build(),
                          context=Qt.WidgetWithChildrenShortcut)
        self.status = QLabel("Chọn kỳ báo cáo và cơ quan, rồi bấm «Lập báo cáo».")
        self.status.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.setVisible(False)
        self.charts = ReportCharts()
        layout = QVBoxLayout()
        layout.addWidget(heading("Báo cáo thống kê thủ tục hành chính"))
        layout.addWidget(filters)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)
        screen_layout(self, layout)

    def _today(self) -> date:
        return self.core.clock.now().astimezone(TZ).date()

    def fill_agencies(self) -> None:
        """All the agencies this counter receives for, or one of them (one added later appears)."""
        chosen = self.agency.currentData()
        self.agency.clear()
        self.agency.addItem("Tất cả cơ quan quầy tiếp nhận hồ sơ", None)
        for a in self.core.ctx.agencies:
            self.agency.addItem(f"{a.name} ({a.code})", a.code)
        self.agency.setCurrentIndex(max(0, self.agency.findData(chosen)))

    def choose(self, choice: str) -> Op:
        first, last = period_of(choice, self._today())
        self.first.setDate(QDate(first))
        self.last.setDate(QDate(last))
        return self.build()

    # -- building ---------------------------------------------------------------------------------
    def build(self) -> Op:
        start, end = self.first.date().toPython(), self.last.date().toPython()
        agency = self.agency.currentData()
        reports = self.core.reports

        def work(cancel, progress) -> tuple[dict[str, Any], str]:
            return reports.build(start, end, agency, progress=progress), reports.scope_label(agency)

        self.status.setText("Đang lập báo cáo…")
        busy = [self.build_button, *self.quick.values(), *self.export_buttons.values()]
        return op(self, work, busy=busy, label="Đang lập báo cáo…").success(self._show).failure(self._failed).run()

    def _failed(self, exc: BaseException) -> None:
        self._enable_exports()
        self.status.setText("Chưa lập được báo cáo." if self.report is None else self._summary())
        report_error(self, exc)

    def _enable_exports(self) -> None:
        for button in self.export_buttons.values():
            button.setEnabled(self.report is not None)

    def _summary(self) -> str:
        r = self.report
        assert r is not None
        first, last = (date.fromisoformat(r["period"][k]) for k in ("from", "to"))
        return (f"{self.scope}: hồ sơ tiếp nhận từ ngày {first:%d/%m/%Y} đến ngày {last:%d/%m/%Y} — "
                f"{format_cell(r['total'], 'int')} hồ sơ, {format_cell(r['procedures_with_dossiers'], 'int')} "
                f"thủ tục có hồ sơ.")

    def _show(self, result: tuple[dict[str, Any], str]) -> None:
        self.report, self.scope = result
        tables = report_tables(self.report)
        if [t.key for t in tables] != list(self.tables):
            self._make_tabs(tables)
        for table in tables:
            fill_report_table(self.tables[table.key], table)
        self.tabs.setVisible(True)
        self.charts.show_report(self.report)
        self._enable_exports()
        message = self._summary()
        self.status.setText(message)
        self.built.emit(message)

    def _make_tabs(self, tables: list[ReportTable]) -> None:
        self.tabs.clear()
        self.tables = {}
        for table in tables:
            page = QWidget()
            box = QVBoxLayout(page)
            box.setContentsMargins(4, 4, 4, 4)
            title = QLabel(table.title)
            title.setStyleSheet("font-weight: bold;")
            box.addWidget(title)
            self.tables[table.key] = new_table(table)
            box.addWidget(self.tables[table.key], 1)
            self.tabs.addTab(page, table.key)
            self.tabs.setTabToolTip(self.tabs.count() - 1, table.title)
        self.tabs.addTab(self.charts, "Biểu đồ")
        self.tabs.setTabToolTip(self.tabs.count() - 1, "Biểu đồ số thủ tục, số hồ sơ và tiến độ giải quyết")

    # -- export -----------------------------------------------------------------------------------
    def default_name(self, suffix: str) -> str:
        r = self.report or {"period": {"from": "", "to": ""}, "agency": None}
        first, last = (r["period"][k].replace("-", "") for k in ("from", "to"))
        agency = f"-{r['agency']}" if r.get("agency") else ""
        return f"bao-cao-{first}-{last}{agency}.{suffix}"

    def export(self, suffix: str, path: str | None = None) -> Op | None:
        """The report on screen, written as it is (not built again) to an XLSX or a PDF."""
        if self.report is None:
            self.status.setText("Hãy lập báo cáo trước khi xuất.")
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Lưu báo cáo", self.default_name(suffix), _FORMATS[suffix])
            if not path:
                return None
        target = Path(path)
        if target.suffix.lower() != f".{suffix}":  # a name typed without its extension
            target = target.with_name(f"{target.name}.{suffix}")
        report, scope = self.report, self.scope

        def work(cancel) -> str:
            from counter_app.printing.report_export import write_report

            write_report(report, target, title=TITLE, scope=scope)
            return f"Đã xuất báo cáo ra {target}"

        return op(self, work, busy=list(self.export_buttons.values()), label="Đang xuất báo cáo…") \
            .success(self._exported).run()

    def _exported(self, message: str) -> None:
        self.status.setText(message)
        self.exported.emit(message)
