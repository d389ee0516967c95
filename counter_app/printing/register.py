"""Sổ theo dõi hồ sơ (2018 Mẫu 06, 2025 Mẫu 07) for a date range: A4 landscape PDF with the
header rows repeated on every page, and the same table as XLSX for the office's own reports."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from counter_app.core.calendar import TZ
from counter_app.core.lifecycle import Status
from counter_app.core.prints import RegisterLine
from counter_app.core.settings import CounterSettings
from counter_app.core.text import nfc
from counter_app.printing.fonts import BOLD, FAMILY, ITALIC, register_fonts
from counter_app.printing.layout import PAPER, Styles, esc, office_header
from counter_app.printing.templates import load_form_set

_WRAPPED = {"procedure", "applicant", "address", "competent", "code", "return_at"}


def _when(value: datetime | None) -> str:
    return f"{value.astimezone(TZ):%d/%m/%Y\n%H:%M}" if value else ""


def row_values(i: int, line: RegisterLine) -> dict[str, str]:
    """The register's cells for one dossier, as text (shared by the PDF and the XLSX)."""
    contact = "; ".join(x for x in (line.address, f"ĐT: {line.phone}" if line.phone else None) if x)
    status = Status(line.status)
    note = "" if status in (Status.RETURNED, Status.RECEIVED, Status.PROCESSING, Status.RESULT_READY) \
        else status.label_vi
    if line.channel == "post":
        # The register has no channel column: the note says the dossier came by post, and its item
        # number, so the hand-over list can be checked against the book.
        via = f"Nộp qua bưu chính: {line.postal_item}" if line.postal_item else "Nộp qua bưu chính"
        note = f"{via}\n{note}" if note else via
    if line.return_method == "post":
        return_at = "Bưu chính"
    else:
        return_at = line.return_agency or line.receiving_agency or ""
    paper = f"{_when(line.paper_at)}\n{line.paper_batch}" if line.paper_at else ""
    return {
        "paper": paper, "return_at": return_at,
        "serial": str(line.serial or i), "code": line.code, "procedure": line.procedure_name,
        "sets": str(line.sets), "applicant": line.applicant_name, "address": contact,
        "competent": line.competent_agency, "received": _when(line.received_at), "due": _when(line.due_at),
        "forwarded": _when(line.forwarded_at), "result": _when(line.result_at),
        "returned": _when(line.returned_at), "receiver": line.receiver_name or "", "note": note,
    }


def _values(kind: str, i: int, line: RegisterLine) -> dict[str, str]:
    values = row_values(i, line)
    if kind != "register":  # a book of its own numbers its rows itself, not by the register's serials
        values["serial"] = str(i)
    return values


def _period(form: dict, first: date, last: date) -> str:
    return form["period"].format(first=f"{first:%d/%m/%Y}", last=f"{last:%d/%m/%Y}")


class _GridPainter:
    """Draws the register straight onto the canvas. Platypus tables re-measure every remaining row
    each time they split across a page (minutes for 10,000 rows); here each cell is wrapped once."""

    font, size, lead, pad = FAMILY, 7.5, 8.6, 2.0
    left_aligned = _WRAPPED  # keys whose cells read left to right; the rest are centred

    def __init__(self, canvas, cols: list[dict], widths: list[float], left: float, top: float, bottom: float):
        self.c, self.cols, self.widths = canvas, cols, widths
        self.left, self.top, self.bottom = left, top, bottom
        self.x = [left]
        for w in widths:
            self.x.append(self.x[-1] + w)

    def wrap(self, text: str, width: float, font: str | None = None) -> list[str]:
        out: list[str] = []
        font = font or self.font
        for part in nfc(text).split("\n"):
            for line in simpleSplit(part, font, self.size, width - 2 * self.pad) or [""]:
                out += self.break_long(line, font, width - 2 * self.pad)
        return out

    def break_long(self, line: str, font: str, avail: float) -> list[str]:
        """simpleSplit breaks at spaces only, so a word wider than the cell (a full-length dossier
        code such as 000.25.101.H52-261201-010001) would run into the next column: break it after
        a "-" or "." where one fits, else between characters."""
        out: list[str] = []
        while len(line) > 1 and stringWidth(line, font, self.size) > avail:
            n = 1
            while n < len(line) and stringWidth(line[:n + 1], font, self.size) <= avail:
                n += 1
            cut = max(line.rfind("-", 0, n), line.rfind(".", 0, n), line.rfind(" ", 0, n)) + 1 or n
            out.append(line[:cut].rstrip())
            line = line[cut:].lstrip()
        return out + [line]

    def cell(self, x0: float, x1: float, y_top: float, height: float, lines: list[str], font: str,
             center: bool) -> None:
        c = self.c
        c.rect(x0, y_top - height, x1 - x0, height, stroke=1, fill=0)
        c.setFont(font, self.size)
        y = y_top - (height - len(lines) * self.lead) / 2 - self.size
        for line in lines:
            if center:
                c.drawCentredString((x0 + x1) / 2, y, line)
            else:
                c.drawString(x0 + self.pad, y, line)
            y -= self.lead

    def head(self, y: float) -> float:
        """The two header rows (groups span the first) and the row of column numbers; returns the y
        below them."""
        cols, x = self.cols, self.x
        groups: list[tuple[int, int, str]] = []
        i = 0
        while i < len(cols):
            g = cols[i].get("group")
            j = i
            while g and j + 1 < len(cols) and cols[j + 1].get("group") == g:
                j += 1
            groups.append((i, j, g))
            i = j + 1
        wrapped = {i: self.wrap(cols[i]["title"], self.widths[i], BOLD) for i in range(len(cols))}
        group_lines = {i: self.wrap(g, x[j + 1] - x[i], BOLD) for i, j, g in groups if g}
        h1 = max((len(v) for v in group_lines.values()), default=1) * self.lead + 2 * self.pad
        h2 = max((len(wrapped[k]) for i, j, g in groups if g for k in range(i, j + 1)), default=0) * self.lead + 2 * self.pad
        h2 = max(h2, max((len(wrapped[i]) for i, j, g in groups if not g), default=0) * self.lead + 2 * self.pad - h1)
        self.c.setLineWidth(0.4)
        for i, j, g in groups:
            if g:
                self.cell(x[i], x[j + 1], y, h1, group_lines[i], BOLD, True)
                for k in range(i, j + 1):
                    self.cell(x[k], x[k + 1], y - h1, h2, wrapped[k], BOLD, True)
            else:
                self.cell(x[i], x[i + 1], y, h1 + h2, wrapped[i], BOLD, True)
        y -= h1 + h2
        hn = self.lead + 2 * self.pad
        for k in range(len(cols)):
            self.cell(x[k], x[k + 1], y, hn, [f"({k + 1})"], ITALIC, True)
        return y - hn

    def rows(self, values: list[dict[str, str]], y: float, new_page) -> float:
        keys = [col["key"] for col in self.cols]
        for row in values:
            cells = [self.wrap(row[k], w) for k, w in zip(keys, self.widths)]
            height = max(len(lines) for lines in cells) * self.lead + 2 * self.pad
            if y - height < self.bottom:
                y = self.head(new_page())
            for k, lines in enumerate(cells):
                self.cell(self.x[k], self.x[k + 1], y, height, lines, self.font, keys[k] not in self.left_aligned)
            y -= height
        return y


def render_register_pdf(lines: list[RegisterLine], settings: CounterSettings, first: date, last: date,
                        kind: str = "register", subtitle: str | None = None) -> bytes:
    """``kind`` "register" (Mẫu 06/07) or "register_cross" (Sổ theo dõi hồ sơ phi địa giới);
    ``subtitle`` says what a filtered register holds."""
    register_fonts()
    form_set = load_form_set(settings.forms.form_set)
    form, common = form_set.form(kind), form_set.common
    s = Styles(9)
    cols = form["columns"]
    pagesize = PAPER[form.get("paper", "A4-landscape")]
    left, right, top, bottom = 10 * mm, 10 * mm, 10 * mm, 12 * mm
    width = pagesize[0] - left - right
    scale = width / (sum(col["width"] for col in cols) * mm)
    widths = [col["width"] * mm * scale for col in cols]
    printed = datetime.now(TZ)
    footer = nfc(common["office_footer"].format(time=f"{printed:%H:%M %d/%m/%Y}") if form.get("office_document")
                 else common["footer"].format(number=form["number"], set_name=form_set.name,
                                              time=f"{printed:%H:%M %d/%m/%Y}"))
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=pagesize, initialFontName=FAMILY)
    c.setTitle(nfc(form["title"]))
    c.setAuthor(nfc(settings.agency.name))
    c.setCreator("counter_app")

    def page_footer() -> None:
        c.saveState()
        c.setFont(ITALIC, 7)
        c.setFillColor(colors.grey)
        c.drawString(left, 6 * mm, footer)
        c.drawRightString(pagesize[0] - right, 6 * mm, nfc(f"Trang {c.getPageNumber()}"))
        c.restoreState()

    def new_page() -> float:
        page_footer()
        c.showPage()
        return pagesize[1] - top

    # First page: the office header, the title and the period, drawn with the same flowables as the slips.
    y = pagesize[1] - top
    subtitles = [t for t in (form.get("subtitle"), subtitle) if t]
    for flowable in (office_header(width, settings.forms, common, s, printed.date()),
                     Paragraph(esc(form["title"]), s.title),
                     *(Paragraph(esc(t), s.center) for t in subtitles),
                     Paragraph(esc(_period(form, first, last)), s.center_italic)):
        _, h = flowable.wrap(width, y)
        flowable.drawOn(c, left, y - h)
        y -= h + 1 * mm
    painter = _GridPainter(c, cols, widths, left, pagesize[1] - top, bottom)
    y = painter.head(y - 2 * mm)
    y = painter.rows([_values(kind, n, line) for n, line in enumerate(lines, 1)], y, new_page)
    sign = Paragraph(f"<b>{esc(form['signatures'][0])}</b><br/><i>{esc(common['sign_hint'])}</i>", s.center)
    _, h = sign.wrap(width / 3, pagesize[1])
    if y - h - 4 * mm < bottom:
        y = new_page()
    sign.drawOn(c, left + width * 2 / 3, y - h - 4 * mm)
    page_footer()
    c.showPage()
    c.save()
    return buffer.getvalue()


def write_register_xlsx(lines: list[RegisterLine], settings: CounterSettings, first: date, last: date,
                        out: Path, kind: str = "register") -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    form_set = load_form_set(settings.forms.form_set)
    form = form_set.form(kind)
    cols = form["columns"]
    wb = Workbook()
    ws = wb.active
    ws.title = "So theo doi ho so"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(name="Times New Roman", bold=True, size=11)
    wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")
    n = len(cols)
    ws.cell(1, 1, nfc(settings.agency.name.upper())).font = bold
    ws.cell(2, 1, nfc(form["title"])).font = Font(name="Times New Roman", bold=True, size=14)
    ws.cell(3, 1, nfc(_period(form, first, last))).font = Font(name="Times New Roman", italic=True)
    for r in (2, 3):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
        ws.cell(r, 1).alignment = Alignment(horizontal="center")
    top = 5
    c = 1
    while c <= n:
        col = cols[c - 1]
        group = col.get("group")
        if group:
            end = c
            while end < n and cols[end].get("group") == group:
                end += 1
            ws.cell(top, c, nfc(group))
            ws.merge_cells(start_row=top, start_column=c, end_row=top, end_column=end)
            for k in range(c, end + 1):
                ws.cell(top + 1, k, nfc(cols[k - 1]["title"]))
            c = end + 1
        else:
            ws.cell(top, c, nfc(col["title"]))
            ws.merge_cells(start_row=top, start_column=c, end_row=top + 1, end_column=c)
            c += 1
    for k in range(1, n + 1):
        ws.cell(top + 2, k, f"({k})").font = Font(name="Times New Roman", italic=True)
        ws.column_dimensions[get_column_letter(k)].width = cols[k - 1]["width"] * 0.75
        for r in (top, top + 1, top + 2):
            cell = ws.cell(r, k)
            cell.border, cell.alignment = border, wrap
            if r < top + 2:
                cell.font = bold
    body = Alignment(wrap_text=True, vertical="center")
    for i, line in enumerate(lines, 1):
        values = _values(kind, i, line)
        r = top + 2 + i
        for k, col in enumerate(cols, 1):
            value = values[col["key"]]
            cell = ws.cell(r, k, int(value) if col["key"] in ("serial", "sets") and value.isdigit() else nfc(value))
            cell.border, cell.alignment = border, body
    ws.freeze_panes = ws.cell(top + 3, 3)
    ws.print_title_rows = f"{top}:{top + 2}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    wb.save(out)
