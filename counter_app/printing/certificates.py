"""Certification prints: the stamp text for each copy (labels on a sheet, or printed onto the
copy), the certification receipt, the register book (PDF and XLSX) and the daily closing."""

from __future__ import annotations

import io
from datetime import date

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Spacer

from counter_app.core.calendar import TZ
from counter_app.core.certification import Certification, CertKind, ClosingReport, RegisterEntry, kind_of_register
from counter_app.core.prints import FormKind, Mark, PrintJob
from counter_app.core.settings import CounterSettings, StampSettings
from counter_app.core.text import nfc
from counter_app.printing.fonts import BOLD, FAMILY, ITALIC, register_fonts
from counter_app.printing.layout import FormRenderer, esc, money, time_text, vn_date
from counter_app.printing.templates import FormSet, load_form_set


def stamp_lines(form_set: FormSet, cert: Certification, item, day: date) -> list[str]:
    f = form_set.form("stamp")
    lines = f["copy" if cert.kind is CertKind.COPY else "signature"]
    values = dict(number=f"{item.number:02d}", book=item.book, register_type=cert.register_type, **vn_date(day))
    return [nfc(line.format(**values)) for line in lines]


def _draw_block(c: Canvas, x: float, y: float, w: float, h: float, lines: list[str], footer: str | None) -> None:
    """The certification block, centred in the box whose bottom-left corner is (x, y); the space
    between the caption and its hint is left for the signature and seal."""
    size = min(9.0, h / 9)
    top = y + h - size * 1.6
    fonts = [BOLD, FAMILY, ITALIC, BOLD, ITALIC]
    for i, line in enumerate(lines):
        font = fonts[i] if i < len(fonts) else FAMILY
        fs = size if i != 4 else size - 1.5
        while c.stringWidth(line, font, fs) > w - 4 and fs > 5:
            fs -= 0.25
        c.setFont(font, fs)
        c.drawCentredString(x + w / 2, top, line)
        top -= size * 1.35
    if footer:
        c.setFont(ITALIC, 6)
        c.setFillColor(colors.grey)
        c.drawRightString(x + w - 2, y + 2, footer)
        c.setFillColor(colors.black)


def render_stamps(job: PrintJob, form_set: FormSet) -> bytes:
    """One block per certified copy (all copies of one original carry its one number)."""
    register_fonts()
    cert: Certification = job.certification
    stamps: StampSettings = job.settings.stamps
    day = cert.received_at.astimezone(TZ).date()
    blocks = []
    for item in cert.items:
        if item.void:
            continue
        for n in range(1, item.copies + 1):
            footer = form_set.form("stamp")["copy_of"].format(copy=n, copies=item.copies)
            blocks.append((stamp_lines(form_set, cert, item, day), f"{cert.code} · {nfc(footer)}"))
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=A4, initialFontName=FAMILY)
    c.setTitle(nfc("Lời chứng chứng thực"))
    c.setSubject(cert.code)
    c.setCreator("counter_app")
    width, height = A4
    if stamps.layout == "overlay":
        bw, bh = 80 * mm, 38 * mm
        for lines, footer in blocks:
            _draw_block(c, stamps.overlay_x_mm * mm, stamps.overlay_y_mm * mm, bw, bh, lines, footer)
            _mark(c, job)
            c.showPage()
    else:
        lw, lh = stamps.label_width_mm * mm, stamps.label_height_mm * mm
        per_page = stamps.columns * stamps.rows
        for i, (lines, footer) in enumerate(blocks):
            slot = i % per_page
            if i and slot == 0:
                _mark(c, job)
                c.showPage()
            col, row = slot % stamps.columns, slot // stamps.columns
            x = stamps.margin_left_mm * mm + col * lw
            y = height - stamps.margin_top_mm * mm - (row + 1) * lh
            _draw_block(c, x, y, lw, lh, lines, footer)
        _mark(c, job)
        c.showPage()
    c.save()
    return buffer.getvalue()


def _mark(c: Canvas, job: PrintJob) -> None:
    """Reprints and previews say so at the foot of every sheet (never inside a block)."""
    if job.mark is Mark.ORIGINAL:
        return
    label = "BẢN IN LẠI" if job.mark is Mark.REPRINT else "BẢN XEM TRƯỚC"
    c.saveState()
    c.setFillColor(colors.red)
    c.setFont(BOLD, 8)
    c.drawRightString(A4[0] - 5 * mm, 3 * mm, nfc(label))
    c.restoreState()


class CertReceiptRenderer(FormRenderer):
    kind = "cert_receipt"

    def issued_at(self):
        return self.d.received_at

    def story(self) -> list:
        cert: Certification = self.job.certification
        s, w = self.s, self.width
        a = self.d.applicant
        cols = self.form["columns"]
        rows = [[Paragraph(f"<b>{esc(c)}</b>", s.center) for c in cols]]
        for item in cert.items:
            number = "ĐÃ HỦY" if item.void else (f"{item.number:02d} – quyển {item.book}" if item.number else
                                                  "chờ cấp số")
            rows.append([str(item.position), Paragraph(esc(item.document), s.body), str(item.pages),
                         str(item.copies), Paragraph(esc(number), s.center), f"{item.fee:,}".replace(",", ".")])
        table = self.grid(rows, [w * 0.07, w * 0.38, w * 0.1, w * 0.09, w * 0.2, w * 0.16],
                          extra_style=[("ALIGN", (2, 1), (3, -1), "CENTER"), ("ALIGN", (5, 1), (5, -1), "RIGHT")])
        story = [self.header(), self.title(), Spacer(1, 2 * mm),
                 self.line("code", code=self.d.code), self.line("requester", name=a.full_name)]
        if a.id_number:
            story.append(self.line("id_number", id_number=a.id_number))
        story += [self.line("kind", kind=cert.kind.label_vi),
                  self.line("received", time=time_text(self.d.received_at, self.common)),
                  self.line("due", time=time_text(self.d.due_at, self.common))]
        if cert.extension_days:
            story.append(self.line("extension", days=str(cert.extension_days), reason=cert.extension_reason))
        if cert.exemption_reason:
            story.append(self.line("exemption", reason=cert.exemption_reason))
        story += [Spacer(1, 2 * mm), table, Spacer(1, 1.5 * mm),
                  self.line("total", amount=money(cert.fee_total, self.common))]
        if self.d.status == "returned":
            story.append(self.line("returned"))
        story += [Spacer(1, 3 * mm), self.signatures(self.form["signatures"], [a.full_name, self.d.receiving_officer],
                                                     space=14 * mm)]
        return story


def render(job: PrintJob, form_set: FormSet) -> bytes:
    if job.form is FormKind.STAMPS:
        return render_stamps(job, form_set)
    return CertReceiptRenderer(job, form_set).render()


# -- the register book ---------------------------------------------------------------------------
def _book_rows(entries: list[RegisterEntry], kind: CertKind, form: dict) -> list[list[str]]:
    rows = []
    for e in entries:
        who = e.applicant_name if kind is CertKind.COPY else f"{e.applicant_name}, {e.applicant_id or ''}".strip(", ")
        note = form["void_note"].format(reason=e.void_reason or "") if e.void else ""
        if e.state == "reserved":
            note = "Đã cấp số, chờ quầy xác nhận"
        rows.append([f"{e.number:02d}", e.day.strftime("%d/%m/%Y"), who, e.document, e.officer, str(e.copies),
                     f"{e.fee:,}".replace(",", "."), note])
    return rows


def render_certbook_pdf(entries: list[RegisterEntry], register_type: str, settings: CounterSettings,
                        first: date, last: date, closed: tuple | None = None) -> bytes:
    """A4 landscape, the columns of the register, one line per number (voids kept and marked)."""
    from counter_app.printing.register import _GridPainter

    register_fonts()
    kind = kind_of_register(register_type)
    form = load_form_set(settings.forms.form_set).form("certbook")
    cols = form["copy_columns" if kind is CertKind.COPY else "signature_columns"]
    fractions = [0.08, 0.09, 0.17, 0.22, 0.14, 0.09, 0.09, 0.12]
    page = landscape(A4)
    left, right, top_m, bottom_m = 15 * mm, 10 * mm, 12 * mm, 12 * mm
    usable = page[0] - left - right
    widths = [usable * f for f in fractions]
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=page, initialFontName=FAMILY)
    c.setTitle(nfc(kind.register_title))
    c.setCreator("counter_app")
    books = sorted({e.book for e in entries}) or [f"01/{first.year}"]

    def heading() -> float:
        y = page[1] - top_m
        c.setFont(BOLD, 9)
        for line in settings.forms.header_lines[:1]:
            c.drawString(left, y, nfc(line.upper()))
        y -= 16
        c.setFont(BOLD, 14)
        c.drawCentredString(page[0] / 2, y, nfc(kind.register_title))
        y -= 14
        c.setFont(FAMILY, 10)
        c.drawCentredString(page[0] / 2, y, nfc(", ".join(form["book_line"].format(book=b, register_type=register_type)
                                                         for b in books)))
        y -= 12
        c.setFont(ITALIC, 9)
        c.drawCentredString(page[0] / 2, y, nfc(form["period"].format(first=f"{first:%d/%m/%Y}", last=f"{last:%d/%m/%Y}")))
        return y - 8

    keys = ["number", "day", "applicant", "document", "officer", "copies", "fee", "note"]
    painter = _GridPainter(c, [{"title": t, "key": k} for t, k in zip(cols, keys)], widths, left, heading(),
                           bottom_m + 10)
    painter.left_aligned = {"applicant", "document", "officer", "note"}

    def new_page() -> float:
        c.showPage()
        return page[1] - top_m

    y = painter.head(painter.top)
    y = painter.rows([dict(zip(keys, r)) for r in _book_rows(entries, kind, form)], y, new_page)
    live = [e for e in entries if not e.void]
    c.setFont(ITALIC, 9)
    total = form["total"].format(entries=len(entries), voids=len(entries) - len(live),
                                 copies=sum(e.copies for e in live),
                                 fees=f"{sum(e.fee for e in live):,}".replace(",", "."))
    if y < bottom_m + 30:
        c.showPage()
        y = page[1] - top_m
    c.drawString(left, y - 14, nfc(total))
    if closed:
        closed_at, count = closed
        c.drawString(left, y - 28, nfc(form["closing"].format(date=f"{closed_at:%d/%m/%Y}", count=count)))
    c.showPage()
    c.save()
    return buffer.getvalue()


def write_certbook_xlsx(entries: list[RegisterEntry], register_type: str, settings: CounterSettings,
                        first: date, last: date, path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    kind = kind_of_register(register_type)
    form = load_form_set(settings.forms.form_set).form("certbook")
    wb = Workbook()
    ws = wb.active
    ws.title = register_type.replace("/", "-")[:31]
    ws.append([nfc(kind.register_title)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([nfc(form["period"].format(first=f"{first:%d/%m/%Y}", last=f"{last:%d/%m/%Y}"))])
    ws.append([nfc(c) for c in form["copy_columns" if kind is CertKind.COPY else "signature_columns"]] + ["Quyển số"])
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for e, row in zip(entries, _book_rows(entries, kind, form)):
        ws.append([e.number, e.day, row[2], row[3], row[4], e.copies, e.fee, row[7], f"{e.book}-{register_type}"])
        ws.cell(ws.max_row, 2).number_format = "DD/MM/YYYY"
    for col, width in zip("ABCDEFGHI", (10, 12, 28, 40, 22, 10, 12, 30, 18)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A4"
    wb.save(path)


# -- daily closing -------------------------------------------------------------------------------
def render_closing_pdf(report: ClosingReport, settings: CounterSettings) -> bytes:
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    register_fonts()
    from counter_app.printing.layout import Styles

    s = Styles(10)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=15 * mm, topMargin=20 * mm,
                            bottomMargin=20 * mm, title=nfc("Chốt sổ chứng thực trong ngày"), creator="counter_app")
    who = ", ".join(x for x in (f"cán bộ {report.officer}" if report.officer else "",
                                f"quầy {report.desk}" if report.desk is not None else "") if x) or "toàn cơ quan"
    rows = [["", "Quầy ghi nhận", "Sổ chứng thực"],
            ["Lượt yêu cầu", str(report.requests), ""],
            ["Số chứng thực (không tính số đã hủy)", str(report.certifications), str(report.register_certifications)],
            ["Số bản sao/giấy tờ đã chứng thực", str(report.copies), str(report.register_copies)],
            ["Số trang đã chứng thực", str(report.pages), ""],
            ["Phí, lệ phí đã thu (đồng)", f"{report.fees:,}".replace(",", "."),
             f"{report.register_fees:,}".replace(",", ".")],
            ["Số chứng thực đã hủy", str(report.voids), ""],
            ["Yêu cầu chờ cấp số", str(report.awaiting_numbers), ""]]
    table = Table([[Paragraph(esc(str(x)), s.body) for x in r] for r in rows], colWidths=[75 * mm, 45 * mm, 45 * mm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONT", (0, 0), (-1, -1), FAMILY)]))
    verdict = ("Khớp với sổ chứng thực." if report.balanced else
               "KHÔNG KHỚP với sổ chứng thực: kiểm tra lại trước khi nộp tiền và ký sổ.")
    story = [Paragraph(esc(settings.agency.name.upper()), s.header_bold), Spacer(1, 6 * mm),
             Paragraph("<b>CHỐT SỔ CHỨNG THỰC TRONG NGÀY</b>", s.title),
             Paragraph(esc(f"Ngày {report.day:%d/%m/%Y} – {who}"), s.center), Spacer(1, 5 * mm), table,
             Spacer(1, 4 * mm), Paragraph(f"<b>{esc(verdict)}</b>", s.body), Spacer(1, 12 * mm),
             Paragraph("<b>NGƯỜI LẬP</b>", s.center_bold)]
    doc.build(story)
    return buffer.getvalue()


def write_closing_xlsx(report: ClosingReport, settings: CounterSettings, path) -> None:
    """The daily closing as a sheet for the accountant: the desk's figures next to the register's."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = f"Chot {report.day:%d-%m-%Y}"
    ws.append([nfc(f"{settings.agency.name} – chốt sổ chứng thực ngày {report.day:%d/%m/%Y}")])
    ws["A1"].font = Font(bold=True)
    ws.append(["Cán bộ", report.officer or "(tất cả)", "Quầy", report.desk if report.desk is not None else "(tất cả)"])
    ws.append(["", "Quầy ghi nhận", "Sổ chứng thực"])
    for label, mine, register in (("Lượt yêu cầu", report.requests, None),
                                  ("Số chứng thực", report.certifications, report.register_certifications),
                                  ("Số bản", report.copies, report.register_copies), ("Số trang", report.pages, None),
                                  ("Phí, lệ phí (đồng)", report.fees, report.register_fees),
                                  ("Số đã hủy", report.voids, None), ("Chờ cấp số", report.awaiting_numbers, None)):
        ws.append([nfc(label), mine, register])
    ws.append(["Khớp với sổ", "có" if report.balanced else "KHÔNG"])
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 16
    wb.save(path)
