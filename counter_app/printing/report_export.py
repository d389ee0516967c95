"""The report (core.report) written out: XLSX with one sheet per table and Vietnamese headers, or an
A4 landscape PDF with the same tables and two charts. The provincial server writes its report with
this module too (an import-linter exception names it), so a province and its counters exchange
files of one layout."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from counter_app.core.calendar import TZ
from counter_app.core.errors import ValidationError
from counter_app.core.report_tables import ReportTable, cell_kind, format_cell, report_tables
from counter_app.core.text import nfc
from counter_app.printing.fonts import BOLD, FAMILY, ITALIC, register_fonts
from counter_app.printing.layout import esc

_XLSX_FORMATS = {"int": "#,##0", "share": "0.00%", "days": "0.00"}


def write_report(report: dict[str, Any], path: Path, *, title: str, scope: str) -> Path:
    """``path``'s suffix picks the format (.xlsx or .pdf); the file is replaced whole."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".pdf"):
        raise ValidationError(f"Báo cáo chỉ xuất ra tệp .xlsx hoặc .pdf (không phải «{path.suffix or path.name}»).",
                              f"unsupported report suffix {path.suffix!r}")
    data = report_xlsx(report, title=title, scope=scope) if suffix == ".xlsx" else \
        report_pdf(report, title=title, scope=scope)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path


def _period_line(report: dict[str, Any]) -> str:
    p = report["period"]
    first, last = (datetime.fromisoformat(p[k]).strftime("%d/%m/%Y") for k in ("from", "to"))
    return f"Kỳ báo cáo: hồ sơ tiếp nhận từ ngày {first} đến ngày {last}"


# -- XLSX -----------------------------------------------------------------------------------------
def report_xlsx(report: dict[str, Any], *, title: str, scope: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for table in report_tables(report):
        sheet = book.create_sheet(table.key[:31])
        sheet.append([nfc(title)])
        sheet.append([nfc(f"{scope}. {_period_line(report)}")])
        sheet.append([nfc(table.title)])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet["A3"].font = Font(bold=True)
        sheet.append([nfc(c.title) for c in table.columns])
        header = sheet.max_row
        for cell in sheet[header]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        for row in table.rows:
            values, kinds = [], []
            for column, raw in zip(table.columns, row):
                value, kind = cell_kind(column, raw)
                values.append(nfc(value) if isinstance(value, str) else value)
                kinds.append(kind)
            sheet.append(values)
            for cell, kind in zip(sheet[sheet.max_row], kinds):
                if kind == "yesno" and cell.value is not None:
                    cell.value = "Có" if cell.value else "Không"
                elif kind in _XLSX_FORMATS:
                    cell.number_format = _XLSX_FORMATS[kind]
        sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
        for i, column in enumerate(table.columns, 1):
            longest = max([len(column.title) // 2] + [len(str(cell_kind(column, r[i - 1])[0] or ""))
                                                        for r in table.rows[:300]])
            sheet.column_dimensions[get_column_letter(i)].width = max(8, min(60, longest + 2))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# -- PDF ------------------------------------------------------------------------------------------
class _Styles:
    def __init__(self) -> None:
        self.title = ParagraphStyle("rt", fontName=BOLD, fontSize=14, leading=17, alignment=TA_CENTER)
        self.sub = ParagraphStyle("rs", fontName=ITALIC, fontSize=11, leading=14, alignment=TA_CENTER)
        self.heading = ParagraphStyle("rh", fontName=BOLD, fontSize=11.5, leading=14, spaceBefore=8, spaceAfter=4)
        self.cell = ParagraphStyle("rc", fontName=FAMILY, fontSize=8.5, leading=10, alignment=TA_LEFT)
        self.number = ParagraphStyle("rn", parent=self.cell, alignment=TA_RIGHT)
        self.head = ParagraphStyle("rhd", parent=self.cell, fontName=BOLD, alignment=TA_CENTER)


def _widths(table: ReportTable, width: float) -> list[float]:
    """Name columns take what the figures leave; a figure column is narrow. A table of labelled
    figures (two columns) takes two thirds of the page: its numbers stay near their labels."""
    if len(table.columns) == 2:
        return [width * 0.5, width * 0.17]

    def weight(c) -> float:
        if c.title.startswith("Tên") or c.title == "Cơ quan có thẩm quyền":
            return 6.0
        if c.title == "STT":
            return 0.6
        return {"int": 1.0, "share": 1.1, "days": 1.5, "yesno": 1.0}.get(c.kind, 1.3)

    weights = [weight(c) for c in table.columns]
    return [width * w / sum(weights) for w in weights]


def _grid(table: ReportTable, s: _Styles, width: float) -> Table:
    rows = [[Paragraph(esc(c.title), s.head) for c in table.columns]]
    for raw in table.rows:
        line = []
        for column, cell in zip(table.columns, raw):
            value, kind = cell_kind(column, cell)
            style = s.cell if kind == "text" else s.number
            line.append(Paragraph(esc(format_cell(value, kind)), style))
        rows.append(line)
    grid = Table(rows, colWidths=_widths(table, width), repeatRows=1, hAlign="LEFT")
    grid.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]))
    return grid


def _bars(title: str, labels: list[str], values: list[int], width: float) -> Drawing:
    """A horizontal bar chart with its title, in the report's font."""
    height = 30 + 22 * len(labels)
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 150, 10, width - 200, height - 35
    chart.data = [values]
    chart.categoryAxis.categoryNames = [nfc(x) for x in labels]
    chart.categoryAxis.labels.fontName = FAMILY
    chart.categoryAxis.labels.fontSize = 9
    chart.categoryAxis.reverseDirection = True
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = FAMILY
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.labelTextFormat = lambda v: f"{int(v):,}".replace(",", ".")
    chart.bars[0].fillColor = colors.Color(0.25, 0.45, 0.7)
    chart.barLabelFormat = lambda v: f"{int(v):,}".replace(",", ".")
    chart.barLabels.fontName = FAMILY
    chart.barLabels.fontSize = 8
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    drawing.add(String(0, height - 12, nfc(title), fontName=BOLD, fontSize=10))
    return drawing


def report_pdf(report: dict[str, Any], *, title: str, scope: str) -> bytes:
    register_fonts()
    s = _Styles()
    buffer = io.BytesIO()
    page = landscape(A4)
    doc = SimpleDocTemplate(buffer, pagesize=page, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=nfc(title), author=nfc(scope))
    width = page[0] - 30 * mm
    story: list = [Paragraph(esc(title), s.title), Paragraph(esc(scope), s.sub),
                   Paragraph(esc(_period_line(report)), s.sub), Spacer(1, 4 * mm)]
    tables = report_tables(report)
    for table in tables:
        story.append(KeepTogether([Paragraph(esc(table.title), s.heading), _grid(table, s, width)])
                     if len(table.rows) <= 20 else Paragraph(esc(table.title), s.heading))
        if len(table.rows) > 20:
            story.append(_grid(table, s, width))
        if table.key == "Nhóm số lượng":
            story += [Spacer(1, 3 * mm), _bars("Số thủ tục theo nhóm số lượng hồ sơ",
                                               [r[0] for r in table.rows], [r[1] for r in table.rows], width)]
        elif table.key == "Mức độ trực tuyến":
            story += [Spacer(1, 3 * mm), _bars("Số hồ sơ theo mức độ trực tuyến của thủ tục",
                                               [r[0] for r in table.rows], [r[2] for r in table.rows], width)]
    printed = datetime.now(TZ)
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph(esc(f"Lập lúc {printed:%H:%M} ngày {printed:%d/%m/%Y}"), s.sub))
    doc.build(story)
    return buffer.getvalue()
