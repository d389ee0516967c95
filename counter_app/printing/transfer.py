"""Paper files received here for another agency (domain.md §14, Thanh Hóa's templates): the
per-dossier «Giấy bàn giao hồ sơ» (parts I GIAO HỒ SƠ and II NHẬN KẾT QUẢ) and the batch
«Danh sách bàn giao hồ sơ» signed by both sides and confirmed by the counter."""

from __future__ import annotations

import io
from datetime import datetime

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle

from counter_app.core.calendar import TZ
from counter_app.core.lifecycle import PAPER_TRANSFER
from counter_app.core.model import DocumentKind, Dossier, ReturnMethod
from counter_app.core.prints import FormKind
from counter_app.core.settings import CounterSettings
from counter_app.core.text import nfc
from counter_app.core.transfer import TransferBatch
from counter_app.printing.fonts import BOLD, FAMILY, ITALIC, register_fonts
from counter_app.printing.handover import signature_row
from counter_app.printing.layout import PAPER, FormRenderer, Styles, esc, office_header, running_name, time_text
from counter_app.printing.templates import FormSet, load_form_set

_KIND_COLUMN = {DocumentKind.ORIGINAL: 2, DocumentKind.CERTIFIED_COPY: 3, DocumentKind.PHOTOCOPY: 4}


def transfer_event(d: Dossier, batch: str | None = None):
    """The dossier's paper hand-over (of ``batch`` when given), or None."""
    return next((e for e in reversed(d.events) if e.kind == PAPER_TRANSFER
                 and (batch is None or e.payload.get("batch") == batch)), None)


def _handed(event) -> datetime | None:
    return datetime.fromisoformat(event.payload["handed_at"]) if event and event.payload.get("handed_at") else None


class TransferSheetRenderer(FormRenderer):
    """Giấy bàn giao hồ sơ: goes with the paper file to the competent agency; part I is signed when
    the file changes hands (filled in once the hand-over is recorded), part II when the result
    comes back."""

    kind = FormKind.TRANSFER.value
    font_size = 11.0

    def issued_at(self) -> datetime:
        return _handed(transfer_event(self.d)) or self.job.printed_at

    def issuer_lines(self) -> tuple[str, ...] | None:
        # The receiving centre hands the file over: the sheet is its own, not the competent agency's.
        return None

    def documents_table(self) -> Table:
        s, form, w = self.s, self.form, self.width
        t = form["table"]
        rows = [[Paragraph(esc(t[0]), s.cell_bold), Paragraph(esc(t[1]), s.cell_bold),
                 Paragraph(esc(form["table_group"]), s.cell_bold), "", ""],
                ["", "", *(Paragraph(esc(h), s.cell_bold) for h in t[2:])]]
        for i, doc in enumerate(self.d.documents, 1):
            row = [str(i), Paragraph(esc(doc.name), s.cell), "", "", ""]
            row[_KIND_COLUMN[doc.kind]] = str(doc.count)
            rows.append(row)
        return self.grid(rows, [w * 0.08, w * 0.50, w * 0.14, w * 0.14, w * 0.14], header_rows=2, extra_style=[
            ("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)), ("SPAN", (2, 0), (4, 0)),
            ("ALIGN", (0, 0), (0, -1), "CENTER"), ("ALIGN", (2, 2), (-1, -1), "CENTER")])

    def return_place(self) -> str:
        d = self.d
        if d.return_method is ReturnMethod.POST:  # the result comes back here and goes out by post
            return self.counter_name()
        return self.job.agency_name(d.return_agency or d.receiving_agency)

    def story(self) -> list:
        s, d, f = self.s, self.d, self.form
        event = transfer_event(d)
        competent = self.job.agency_name(d.competent_agency)
        counter = FormSet.fill(f["lines"]["counter_unit"], counter=self.counter_name())
        days = self.job.procedure.working_days if self.job.procedure else None
        blank = self.form.get("time_blank") or "…… giờ …… phút, ngày …… tháng …… năm ……"
        p = event.payload if event else {}
        story = [self.header(number=False), self.title(), Paragraph(self.text("code", code=d.code), s.center),
                 Spacer(1, 2 * mm), self.line("procedure", procedure=d.procedure_name),
                 self.line("applicant", name=d.applicant.full_name), self.line("address", address=d.applicant.address),
                 self.line("phone", phone=d.applicant.phone),
                 self.line("received", time=time_text(d.received_at, self.common)),
                 self.line("time_limit", days=None if days is None else
                           f["lines"]["same_day"] if days == 0 else FormSet.fill(f["lines"]["days"], days=days)), self.line("due", time=time_text(d.due_at, self.common)),
                 self.line("return_by", place=self.return_place(), time=time_text(d.due_at, self.common)),
                 Spacer(1, 2 * mm), self.documents_table(), Spacer(1, 3 * mm),
                 Paragraph(f"<b>{esc(f['lines']['part_give'])}</b>", s.left),
                 self.line("giver_unit", unit=counter), self.line("taker_unit", unit=competent),
                 self.line("handed", time=time_text(_handed(event), self.common) if event else blank),
                 self.line("list", batch=p.get("batch")), self.line("confirm", counter=counter),
                 self.signatures(f["signatures"], [p.get("giver"), p.get("receiver")], space=14 * mm),
                 Spacer(1, 2 * mm), Paragraph(f"<b>{esc(f['lines']['part_result'])}</b>", s.left),
                 self.line("giver_unit", unit=competent), self.line("taker_unit", unit=self.return_place()),
                 Paragraph(esc(FormSet.fill(f["lines"]["handed"], time=blank)), s.body),
                 self.line("result"), self.line("note"),
                 self.signatures(f["signatures"], space=14 * mm), Spacer(1, 2 * mm),
                 Paragraph(esc(f["lines"]["copies"]), s.small_italic)]
        return story


def render_transfer_list_pdf(batch: TransferBatch, dossiers: list[Dossier], settings: CounterSettings,
                             agency_names: dict[str, str], *, reprint: bool = False,
                             printed_at: datetime | None = None) -> bytes:
    """Danh sách bàn giao hồ sơ of one recorded hand-over, A4 landscape; a reprint says so."""
    register_fonts()
    form_set = load_form_set(settings.forms.form_set)
    form, common = form_set.form("transfer_list"), form_set.common
    lines = form["lines"]
    s = Styles(11)
    pagesize = PAPER[form.get("paper", "A4-landscape")]
    left, right, top, bottom = 15 * mm, 12 * mm, 12 * mm, 12 * mm
    width = pagesize[0] - left - right
    printed = (printed_at or datetime.now(TZ)).astimezone(TZ)
    counter = running_name(settings.forms.unit_name, common)

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(ITALIC, 6.5)
        canvas.setFillColor(colors.grey)
        canvas.drawString(left, 6 * mm, nfc(common["office_footer"].format(time=f"{printed:%H:%M %d/%m/%Y}")))
        canvas.drawRightString(pagesize[0] - right, 6 * mm, nfc(f"{batch.code} · Trang {canvas.getPageNumber()}"))
        if reprint:
            canvas.setFont(BOLD, 9)
            canvas.setFillColor(colors.red)
            canvas.drawRightString(pagesize[0] - right, pagesize[1] - 8 * mm, nfc(common["reprint"]))
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=pagesize, leftMargin=left, rightMargin=right, topMargin=top,
                          bottomMargin=bottom, initialFontName=FAMILY, title=nfc(form["title"]),
                          author=nfc(settings.agency.name), subject=batch.code, creator="counter_app")
    doc.addPageTemplates([PageTemplate(id="page", frames=[Frame(left, bottom, width, doc.height, 0, 0, 0, 0)],
                                       onPage=decorate)])
    p = lambda text: Paragraph(esc(text or ""), s.cell)  # noqa: E731
    c = lambda text: Paragraph(esc(text or ""), s.cell_center)  # noqa: E731
    cols = form["columns"]
    head1 = [Paragraph(esc(h), s.cell_bold) for h in cols[:10]] + [Paragraph(esc(form["group"]), s.cell_bold), "",
                                                                   Paragraph(esc(cols[12]), s.cell_bold)]
    head2 = [""] * 10 + [Paragraph(esc(cols[10]), s.cell_bold), Paragraph(esc(cols[11]), s.cell_bold), ""]
    rows = [head1, head2]

    def when(value: datetime | None) -> str:
        return f"{value.astimezone(TZ):%d/%m/%Y %H:%M}" if value else ""

    for i, d in enumerate(dossiers, 1):
        event = transfer_event(d, batch.code)
        note = lines["late"] if event and event.payload.get("late") else ""
        rows.append([str(i), p(d.code), p(d.procedure_name), str(d.sets), p(d.applicant.full_name),
                     p(d.applicant.address), p(d.applicant.phone), c(when(d.received_at)), c(when(d.due_at)),
                     "", "", "", p(note)])
    parts = [7, 30, 38, 11, 26, 32, 20, 18, 18, 17, 15, 15, 17]
    table = Table(rows, colWidths=[width * w / sum(parts) for w in parts], repeatRows=2)
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONT", (0, 0), (-1, -1), FAMILY, 9.5),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (0, 2), (0, -1), "CENTER"),
             ("ALIGN", (3, 2), (3, -1), "CENTER"), ("SPAN", (10, 0), (11, 0)), ("SPAN", (12, 0), (12, 1)),
             ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]
    style += [("SPAN", (k, 0), (k, 1)) for k in range(10)]
    table.setStyle(TableStyle(style))
    agency = agency_names.get(batch.to_agency, batch.to_agency)
    intro = [FormSet.fill(esc(lines["number"]), batch=f"<b>{esc(batch.code)}</b>"),
             FormSet.fill(esc(lines["agency"]), agency=f"<b>{esc(agency)}</b>"),
             FormSet.fill(esc(lines["giver_unit"]), unit=f"<b>{esc(counter)}</b>"),
             FormSet.fill(esc(lines["handed"]), time=f"<b>{esc(time_text(batch.handed_at, common))}</b>"),
             FormSet.fill(esc(lines["count"]), count=f"<b>{len(dossiers)}</b>",
                          sets=f"<b>{sum(d.sets for d in dossiers)}</b>")]
    titles = [FormSet.fill(t, counter_upper=settings.forms.unit_name.upper()) for t in form["signatures"]]
    sign = signature_row(list(zip(titles, (batch.giver, batch.receiver, None))), width, s, common["sign_hint"])
    story = [office_header(width, settings.forms, common, s, batch.handed_at.astimezone(TZ).date()),
             Spacer(1, 2 * mm), Paragraph(esc(form["title"]), s.title), Spacer(1, 2 * mm),
             *(Paragraph(line, s.left) for line in intro), Spacer(1, 2 * mm), table, Spacer(1, 3 * mm),
             Paragraph(esc(lines["closing"]), s.body), Spacer(1, 3 * mm), sign]
    doc.build(story)
    return buffer.getvalue()
