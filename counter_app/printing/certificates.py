"""Certification prints: the certification receipt, the register book (PDF and XLSX) and the daily
closing (the statements themselves: ``cert_stamps``). The receipt and the closing are the office's
own documents: no circular's form number in their footers."""

from __future__ import annotations

import io
from datetime import date, datetime

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Spacer

from counter_app.core.calendar import TZ
from counter_app.core.certification import Certification, CertKind, ClosingReport, RegisterEntry, kind_of_register
from counter_app.core.prints import FormKind, PrintJob
from counter_app.core.settings import CounterSettings
from counter_app.core.text import nfc
from counter_app.printing.cert_stamps import render_stamps
from counter_app.printing.fonts import BOLD, FAMILY, ITALIC, register_fonts
from counter_app.printing.layout import FormRenderer, esc, money, time_text
from counter_app.printing.templates import FormSet, load_form_set


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
def signer_cell(e: RegisterEntry, form: dict) -> str:
    """Column (5): the signer with the title. Lines signed before signers were recorded keep the
    name written then; a line not yet signed says so."""
    if e.signer_name:
        return f"{e.signer_name}, {e.signer_title}" if e.signer_title else e.signer_name
    return e.officer if e.signed_on else form["awaiting_signature"]


def _book_rows(entries: list[RegisterEntry], kind: CertKind, form: dict) -> list[list[str]]:
    rows = []
    for e in entries:
        who = e.applicant_name if kind is CertKind.COPY else f"{e.applicant_name}, {e.applicant_id or ''}".strip(", ")
        note = form["void_note"].format(reason=e.void_reason or "") if e.void else ""
        if e.state == "reserved":
            note = "Đã cấp số, chờ quầy xác nhận"
        day = e.signed_on.strftime("%d/%m/%Y") if e.signed_on else form["awaiting_signature"]
        rows.append([f"{e.number:02d}", day, who, e.document, signer_cell(e, form), str(e.copies),
                     f"{e.fee:,}".replace(",", "."), note])
    return rows


def _day_words(day: date) -> str:
    return f"{day.day:02d} tháng {day.month:02d} năm {day.year}"


def _cover(c: Canvas, page, settings: CounterSettings, form: dict, kind: CertKind, register_type: str,
           books: list[str], entries: list[RegisterEntry], closed: dict | None) -> None:
    """The book's cover (forms.md §8): agency, title, book number, opened and closed dates."""
    common = load_form_set(settings.forms.form_set).common
    days = [e.signed_on or e.day for e in entries]
    values = dict(country=common["country"], motto=common["motto"], agency=settings.agency.name.upper(),
                  title=kind.register_title, book=", ".join(books), register_type=register_type,
                  opened=_day_words(min(days)) if days else form["cover_blank_date"],
                  closed=_day_words(closed["closed_at"].date()) if closed else form["cover_blank_date"])
    y = page[1] - 30 * mm
    for i, line in enumerate(form["cover"]):
        text = nfc(line.format(**values))
        font, size = (BOLD, 12) if i < 1 or "{agency}" in line else (FAMILY, 12)
        if "{title}" in line:
            font, size = BOLD, 22
            y -= 25 * mm
        elif "{book}" in line:
            font, size = BOLD, 14
        elif "{motto}" in line:
            font = BOLD
        c.setFont(font, size)
        c.drawCentredString(page[0] / 2, y, text)
        y -= size * 1.6 if text else 10 * mm
    c.showPage()


def render_certbook_pdf(entries: list[RegisterEntry], register_type: str, settings: CounterSettings,
                        first: date, last: date, closed: dict | None = None) -> bytes:
    """A4 landscape: a cover, then the columns of the register with the (1)…(8) row, one line per
    number (voids kept and marked); a closed register ends with its closing line and the signer's
    signature-and-seal block. ``closed``: ``CertificationService.register_closing``."""
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
    _cover(c, page, settings, form, kind, register_type, books, entries, closed)

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
        y = _closing_block(c, page, form, closed, left, y - 28, top_m)
    c.showPage()
    c.save()
    return buffer.getvalue()


def _closing_block(c: Canvas, page, form: dict, closed: dict, left: float, y: float, top_m: float) -> float:
    """The year-end closing line with the count, and the block the signer signs and seals."""
    lines = [form["closing"].format(date=f"{closed['closed_at']:%d/%m/%Y}", count=closed["count"])]
    if closed.get("reason"):
        lines.append(form["closing_early"].format(reason=closed["reason"]))
    name, _, title = (closed.get("signer") or "").partition("|")
    block = [t.format(name=name or "……………………", title=(title or "……………………").upper()) for t in form["closing_signer"]]
    if y < 55 * mm:
        c.showPage()
        y = page[1] - top_m
    c.setFont(BOLD, 10)
    for line in lines:
        c.drawString(left, y, nfc(line))
        y -= 14
    x = page[0] * 0.72
    y -= 6
    for line in block:
        if not line:
            y -= 22 * mm  # signature and seal
            continue
        c.setFont(ITALIC if line.startswith("(") else BOLD, 10)
        c.drawCentredString(x, y, nfc(line))
        y -= 13
    return y


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
    books = sorted({e.book for e in entries}) or [f"01/{first.year}"]
    ws.append([nfc(", ".join(form["book_line"].format(book=b, register_type=register_type) for b in books))])
    cols = form["copy_columns" if kind is CertKind.COPY else "signature_columns"]
    ws.append([nfc(c) for c in cols])
    ws.append([f"({i})" for i in range(1, len(cols) + 1)])  # as the printed book
    for r in (4, 5):
        for cell in ws[r]:
            cell.font = Font(bold=r == 4, italic=r == 5)
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for e, row in zip(entries, _book_rows(entries, kind, form)):
        ws.append([e.number, e.signed_on or row[1], row[2], row[3], row[4], e.copies, e.fee, row[7]])
        if e.signed_on:
            ws.cell(ws.max_row, 2).number_format = "DD/MM/YYYY"
    for col, width in zip("ABCDEFGH", (10, 12, 28, 40, 30, 10, 12, 30)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A6"
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
    common = load_form_set(settings.forms.form_set).common

    def footer(canvas, _doc) -> None:
        canvas.saveState()
        canvas.setFont(ITALIC, 6.5)
        canvas.setFillColor(colors.grey)
        canvas.drawString(25 * mm, 8 * mm, nfc(common["office_footer"].format(time=f"{datetime.now(TZ):%H:%M %d/%m/%Y}")))
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
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
