"""The page frame every form shares: paper, styles, the two-column header block, signature
blocks, reprint/preview marks and the small footer. Renderers subclass :class:`FormRenderer`
(pretix style: geometry in class attributes, the story built in ``story()``)."""

from __future__ import annotations

import io
from abc import ABC, abstractmethod
from datetime import date, datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate, Flowable, Frame, HRFlowable, PageTemplate, Paragraph, Spacer, Table, TableStyle,
)

from counter_app.core.calendar import TZ
from counter_app.core.formats import fmt_date, group_digits
from counter_app.core.prints import Mark, PrintJob
from counter_app.core.settings import FormSettings
from counter_app.core.text import fold, nfc
from counter_app.printing.fonts import BOLD, BOLD_ITALIC, FAMILY, ITALIC, register_fonts
from counter_app.printing.templates import FormSet

PAPER = {"A5": A5, "A4": A4, "A4-landscape": landscape(A4)}


def esc(text: object) -> str:
    """NFC and XML-escaped, ready for a Paragraph (ReportLab does no shaping: NFD would misdraw)."""
    return escape(nfc(str(text)))


def vn_date(day: date) -> dict[str, str]:
    """Decree 30/2020 style: days below 10 and months 1–2 take a leading zero."""
    return {"day": f"{day.day:02d}", "month": f"{day.month:02d}" if day.month <= 2 else str(day.month),
            "year": str(day.year)}


def money(amount: int, common: dict) -> str:
    return common["currency"].format(amount=group_digits(amount))


def time_text(value: datetime | None, common: dict) -> str:
    if value is None:
        return common["empty"]
    value = value.astimezone(TZ)
    return common["time_format"].format(hour=f"{value:%H}", minute=f"{value:%M}", date=fmt_date(value))


class Styles:
    def __init__(self, size: float) -> None:
        lead = size * 1.15
        # Decree 30: the national name 12–13 pt beside a 13–14 pt body; the A5 slips scale it down.
        head = size - (1 if size >= 12 else 1.5)
        self.body = ParagraphStyle("body", fontName=FAMILY, fontSize=size, leading=lead, alignment=TA_JUSTIFY)
        self.left = ParagraphStyle("left", parent=self.body, alignment=TA_LEFT)
        self.indent = ParagraphStyle("indent", parent=self.body, leftIndent=size * 1.2)
        self.first_line = ParagraphStyle("first", parent=self.body, firstLineIndent=size * 2)
        self.center = ParagraphStyle("center", parent=self.body, alignment=TA_CENTER)
        self.center_bold = ParagraphStyle("cbold", parent=self.center, fontName=BOLD)
        self.center_italic = ParagraphStyle("citalic", parent=self.center, fontName=ITALIC)
        self.title = ParagraphStyle("title", parent=self.center_bold, fontSize=size + 1.5,
                                    leading=(size + 1.5) * 1.25, spaceBefore=size * 0.5, spaceAfter=size * 0.1)
        self.header = ParagraphStyle("header", parent=self.center, fontSize=head, leading=head * 1.2)
        self.header_bold = ParagraphStyle("hbold", parent=self.header, fontName=BOLD)
        self.motto = ParagraphStyle("motto", parent=self.header_bold, fontSize=head + 1, leading=(head + 1) * 1.2)
        self.cell = ParagraphStyle("cell", parent=self.left, fontSize=size - 1.5, leading=(size - 1.5) * 1.2)
        self.cell_center = ParagraphStyle("ccell", parent=self.cell, alignment=TA_CENTER)
        self.cell_bold = ParagraphStyle("bcell", parent=self.cell_center, fontName=BOLD)
        self.small_italic = ParagraphStyle("note", parent=self.body, fontName=ITALIC, fontSize=size - 2,
                                           leading=(size - 2) * 1.2)
        # "Nơi nhận" (Decree 30): the heading 12 pt bold italic, the list 11 pt upright.
        self.recipients_title = ParagraphStyle("rtitle", parent=self.left, fontName=BOLD_ITALIC,
                                               fontSize=min(12, size - 1), leading=min(12, size - 1) * 1.15)
        self.recipients = ParagraphStyle("rlist", parent=self.left, fontSize=min(11, size - 2),
                                         leading=min(11, size - 2) * 1.15)


def _centred_rule(width: float) -> HRFlowable:
    return HRFlowable(width=width, thickness=0.7, color=colors.black, spaceBefore=3, spaceAfter=3, hAlign="CENTER")


def _text_width(paragraph: Paragraph, column: float) -> float:
    """The width of a paragraph's widest line once wrapped into ``column``."""
    paragraph.wrap(column, 10_000)
    return max(paragraph.getActualLineWidths0() or [0.0])


def _balanced(text: str, style: ParagraphStyle, column: float) -> tuple[Flowable, float]:
    """A name too long for its column, wrapped onto as few lines as the column needs but of even
    length ("TRUNG TÂM PHỤC VỤ / HÀNH CHÍNH CÔNG", not one word left alone on the second line);
    returns the flowable and the width of its widest line."""
    p = Paragraph(text, style)
    p.wrap(column, 10_000)
    lines = len(p.blPara.lines)
    if lines <= 1:
        return p, _text_width(p, column)
    lo, hi = column / lines, column
    while hi - lo > 0.5:
        mid = (lo + hi) / 2
        q = Paragraph(text, style)
        q.wrap(mid, 10_000)
        lo, hi = (lo, mid) if len(q.blPara.lines) <= lines else (mid, hi)
    p = Paragraph(text, style)
    box = Table([[p]], colWidths=[hi + 1], hAlign="CENTER")
    box.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FAMILY),  # else the table names base-14 Helvetica
                             ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                             ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return box, _text_width(p, hi + 1)


def office_header(width: float, forms: FormSettings, common: dict, s: Styles, printed_on: date,
                  number_text: str | None = None, extra_left=(), extra_right=(), *,
                  parent_lines: tuple[str, ...] | None = None, unit: str | None = None) -> Table:
    """The header block: left, the issuing unit (parent lines, the bold unit, its rule, "Số: …");
    right, the national name, the motto with its rule, the italic place-and-date line. Decree 30:
    each rule sits centred under what it rules, the motto's as long as the motto, the unit's a
    third to a half of the unit's line. A letter names its issuer through ``parent_lines``/``unit``."""
    left_w, right_w = width * 0.45, width * 0.55
    lines = forms.header_lines if parent_lines is None else parent_lines
    left = [Paragraph(esc(line.upper()), s.header) for line in lines]
    unit_box, unit_width = _balanced(esc((unit or forms.unit_name).upper()), s.header_bold, left_w)
    left += [unit_box, _centred_rule(unit_width * 0.4)]
    if number_text:
        left.append(Paragraph(esc(number_text), s.header))
    date_line = common["date_line"].format(place=forms.place_name or "……", **vn_date(printed_on))
    motto = Paragraph(esc(common["motto"]), s.motto)
    right = [Paragraph(esc(common["country"]), s.header_bold), motto, _centred_rule(_text_width(motto, right_w)),
             Paragraph(esc(date_line), ParagraphStyle("d", parent=s.center_italic, fontSize=s.motto.fontSize))]
    table = Table([[left + list(extra_left), right + list(extra_right)]], colWidths=[left_w, right_w])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("FONT", (0, 0), (-1, -1), FAMILY)]))
    return table


def running_name(unit: str, common: dict) -> str:
    """A unit's name as written in a sentence (the header prints it in capitals)."""
    for upper, name in common.get("counter_names", {}).items():
        if fold(unit).startswith(fold(upper)):
            return name
    return unit[:1] + unit[1:].lower() if unit.isupper() else unit


# Decree 30/2020 margins on A4 (left 30–35, right 15–20, top and bottom 20–25 mm), scaled for A5.
MARGINS = {"A4": (30 * mm, 15 * mm, 20 * mm, 20 * mm), "A5": (15 * mm, 10 * mm, 10 * mm, 11 * mm)}
FONT_SIZES = {"A4": 12.0, "A5": 9.5}


class FormRenderer(ABC):
    """Renders one form for a :class:`PrintJob` into PDF bytes."""

    kind = ""
    font_size: float | None = None  # None: by paper (FONT_SIZES)

    def __init__(self, job: PrintJob, form_set: FormSet) -> None:
        register_fonts()
        self.job = job
        self.set = form_set
        self.common = form_set.common
        self.form = form_set.form(self.kind)
        self.d = job.dossier
        self.f = job.settings.forms
        paper = self.paper()
        self.pagesize = PAPER[paper]
        self.margins = MARGINS.get(paper, MARGINS["A4"])  # left, right, top, bottom
        self.font_size = self.font_size or FONT_SIZES.get(paper, FONT_SIZES["A4"])
        self.s = Styles(self.font_size)

    def paper(self) -> str:
        """The form's own paper (letters: A4), else the office's setting for slips."""
        return self.form.get("paper") or self.f.paper.upper()

    # -- helpers --------------------------------------------------------------------------------
    @property
    def width(self) -> float:
        return self.pagesize[0] - self.margins[0] - self.margins[1]

    def line(self, key: str, style: ParagraphStyle | None = None, **values) -> Paragraph:
        return Paragraph(self.text(key, **values), style or self.s.body)

    def text(self, key: str, **values) -> str:
        """A template line with its values escaped and bold (labels regular, values bold)."""
        bold = {k: f"<b>{esc(v)}</b>" for k, v in values.items() if v not in (None, "")}
        return FormSet.fill(esc(self.form["lines"][key]), **bold)

    def applicant_values(self) -> dict:
        a = self.d.applicant
        return dict(name=a.full_name, address=a.address, phone=a.phone, email=a.email, code=self.d.code,
                    procedure=self.d.procedure_name, unit=self.unit_name(), id_number=a.id_number)

    def unit_name(self) -> str:
        return self.f.result_place or self.job.settings.agency.name

    def counter_name(self) -> str:
        """The counter as the header names it, in running text ("Trung tâm Phục vụ hành chính
        công"), so that no line names a unit the header does not."""
        return running_name(self.f.unit_name, self.common)

    def agency_name(self) -> str:
        return self.job.settings.agency.name

    def number_text(self) -> str:
        suffix = self.form.get("number_suffix") or self.f.number_suffix
        return self.common["number_line"].format(number=self.d.code, suffix=suffix)

    # -- blocks --------------------------------------------------------------------------------
    def issued_at(self) -> datetime:
        """The date the document carries: that of the act it records, so a reprint matches the
        original; renderers override it."""
        return self.job.printed_at

    def header(self, *, number: bool = True, extra_left=(), extra_right=()) -> Table:
        return office_header(self.width, self.f, self.common, self.s, self.issued_at().astimezone(TZ).date(),
                             self.number_text() if number else None, extra_left, extra_right,
                             parent_lines=self.issuer_lines())

    def issuer_lines(self) -> tuple[str, ...] | None:
        """A dossier received for another agency (a shared counter, phi địa giới) is issued in the
        name of the agency that decides it, by its current name; the bold unit line stays this
        counter's, which received it. None: the configured header."""
        d = getattr(self, "d", None)
        competent = getattr(d, "competent_agency", None)
        if not competent or competent == self.job.settings.agency.code:
            return None
        return (self.job.agency_name(competent).upper(),)

    def title(self, text: str | None = None) -> Paragraph:
        return Paragraph(esc(text or self.form["title"]), self.s.title)

    def signatures(self, titles: list[str], names: list[str | None] | None = None, *,
                   hint: str | None = None, space: float = 18 * mm, for_line: str = "") -> Table:
        """Signature blocks side by side (one block sits on the right half); ``for_line`` ("TM. …")
        goes above the title of a head signing for a collective body."""
        names = names or [None] * len(titles)
        hint = hint or self.common["sign_hint"]
        cells = []
        for title, name in zip(titles, names):
            title = FormSet.fill(title, head_title=self.f.head_title)
            above = [Paragraph(esc(for_line), self.s.center_bold)] if for_line else []
            cells.append([*above, Paragraph(esc(title), self.s.center_bold), Paragraph(esc(hint), self.s.center_italic),
                          Spacer(1, space), Paragraph(f"<b>{esc(name)}</b>" if name else "", self.s.center)])
        if len(cells) == 1:
            cells.insert(0, "")
        table = Table([cells], colWidths=[self.width / len(cells)] * len(cells))
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), FAMILY)]))
        return table

    def grid(self, rows: list[list], widths: list[float], header_rows: int = 1, extra_style=()) -> Table:
        table = Table(rows, colWidths=widths, repeatRows=header_rows)
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), FAMILY, self.font_size - 1.5),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2.5), ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            *extra_style,
        ]))
        return table

    # -- page decoration -----------------------------------------------------------------------
    def decorate(self, canvas, doc) -> None:
        canvas.saveState()
        w, h = canvas._pagesize
        common = self.common
        printed = f"{self.job.printed_at.astimezone(TZ):%H:%M %d/%m/%Y}"
        # The office's own documents (a certification receipt) follow no circular's form: their
        # footer must not cite one.
        footer = (common["office_footer"].format(time=printed) if self.form.get("office_document") else
                  common["footer"].format(number=self.form["number"], set_name=self.set.name, time=printed))
        canvas.setFont(ITALIC, 6.5)
        canvas.setFillColor(colors.grey)
        canvas.drawString(self.margins[0], 6 * mm, nfc(footer))
        mark = self.job.mark
        if mark is not Mark.ORIGINAL:
            label = common["reprint"] if mark is Mark.REPRINT else common["preview"]
            if mark is Mark.REPRINT and self.job.print_number > 1:
                label = f"{label} (lần {self.job.print_number - 1})"
            canvas.setFont(BOLD, 9)
            canvas.setFillColor(colors.red)
            canvas.setStrokeColor(colors.red)
            tw = canvas.stringWidth(nfc(label), BOLD, 9)
            canvas.rect(w - self.margins[1] - tw - 6, h - 8 * mm, tw + 6, 5 * mm, stroke=1, fill=0)
            canvas.drawString(w - self.margins[1] - tw - 3, h - 8 * mm + 1.5 * mm, nfc(label))
            if mark is Mark.PREVIEW:
                canvas.setFillColor(colors.Color(0.6, 0.6, 0.6, alpha=0.35))
                canvas.setFont(BOLD, 40 if w < 500 else 60)
                canvas.translate(w / 2, h / 2)
                canvas.rotate(45)
                canvas.drawCentredString(0, 0, nfc(common["preview"]))
        canvas.restoreState()

    def doc(self, buffer: io.BytesIO) -> BaseDocTemplate:
        """A one-frame document whose frame is the margins themselves: SimpleDocTemplate pads its
        frame by 6 pt, which put the text 2 mm inside the margins and the full-width tables out of line."""
        left, right, top, bottom = self.margins
        doc = BaseDocTemplate(buffer, pagesize=self.pagesize, leftMargin=left, rightMargin=right,
                              topMargin=top, bottomMargin=bottom, initialFontName=FAMILY,
                              title=nfc(self.form["title"]), author=nfc(self.job.settings.agency.name),
                              subject=self.d.code, creator="counter_app")
        frame = Frame(left, bottom, doc.width, doc.height, leftPadding=0, rightPadding=0, topPadding=0,
                      bottomPadding=0)
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self.decorate)])
        return doc

    @abstractmethod
    def story(self) -> list:
        """The flowables of the form, top to bottom."""

    def render(self) -> bytes:
        buffer = io.BytesIO()
        self.doc(buffer).build(self.story())
        return buffer.getvalue()
