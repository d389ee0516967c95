"""One renderer per official slip, fed a :class:`PrintJob` (core dataclasses, never ORM rows)."""

from __future__ import annotations

import io
from datetime import datetime
from functools import lru_cache

from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.qr import QrCode
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable, Frame, KeepInFrame, KeepTogether, Paragraph, Spacer, Table, TableStyle,
)

from counter_app.core.lifecycle import STAFF_HANDOVER, Action
from counter_app.core.model import DocumentKind, ReturnMethod
from counter_app.core.prints import FormKind, PrintJob
from counter_app.core.staff import HandoverDirection, counter_operator, handovers_of
from counter_app.core.text import nfc
from counter_app.printing.fonts import FAMILY
from counter_app.printing.layout import FormRenderer, Styles, esc, money, time_text
from counter_app.printing.letters import ApologyRenderer, RefusalRenderer, StopNoticeRenderer
from counter_app.printing.templates import FormSet, load_form_set
from counter_app.printing.transfer import TransferSheetRenderer

class _QrOnce(QrCode):
    """A QR flowable that encodes its value once: choosing the best mask costs ~12 ms, and both
    copies of a receipt (and a reprint right after a preview) carry the same code."""

    def __init__(self, value: str, **kw) -> None:
        super().__init__(value, **kw)
        self.qr = _encoded(value, self.qrLevel)

    def draw(self) -> None:
        qr, self.qr.make = self.qr, lambda: None  # already made
        try:
            super().draw()
        finally:
            del qr.make


@lru_cache(maxsize=64)
def _encoded(value: str, level: str):
    from reportlab.graphics.barcode import qrencoder

    qr = qrencoder.QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, level))
    qr.addData(value)
    qr.make()
    return qr


_KIND_COLUMN = {DocumentKind.ORIGINAL: 2, DocumentKind.CERTIFIED_COPY: 3, DocumentKind.PHOTOCOPY: 4}


class ReceiptRenderer(FormRenderer):
    """Mẫu 01: two copies (Liên 1: Lưu, Liên 2: Giao khách hàng), as two A4 pages (the default),
    two A5 pages, or the two halves of one A4 landscape sheet (setting ``receipt_layout``). Each
    copy keeps its body and signatures on one page: smaller type first, the whole copy shrunk last."""

    kind = FormKind.RECEIPT.value

    def issued_at(self) -> datetime:
        return self.d.received_at

    def barcode(self) -> Code128:
        return Code128(self.d.code, barHeight=8 * mm, barWidth=0.19 * mm, humanReadable=True, fontName=FAMILY,
                       fontSize=6.5, quiet=False)

    def copy_line(self, label: str) -> Paragraph:
        return Paragraph(f"<i>({esc(label)})</i>", self.s.center)

    def title_with_qr(self, copy_line: Flowable) -> Table:
        """Title, code and copy line, with the QR of the code (or of the look-up URL) beside them."""
        code, s = self.d.code, self.s
        url = self.f.lookup_url.replace("{code}", code) if self.f.lookup_url else code
        qr = _QrOnce(url, width=18 * mm, height=18 * mm, qrLevel="M", qrBorder=1)
        block = [self.title(), Paragraph(self.text("code", code=code), s.center),
                 copy_line]
        table = Table([[block, qr]], colWidths=[self.width - 19 * mm, 19 * mm])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                                   ("FONT", (0, 0), (-1, -1), FAMILY)]))
        return table

    def documents_table(self) -> Table:
        s, form = self.s, self.form
        copy_fees = self.job.procedure is not None and self.job.procedure.fee_rule.value == "certified_copy_pages"
        if copy_fees:
            head = [Paragraph(esc(h), s.cell_bold) for h in form["copy_table"]]
            rows = [head]
            fees = list(self.d.fees)
            for i, doc in enumerate(self.d.documents, 1):
                fee = money(fees[i - 1].amount_vnd, self.common) if i - 1 < len(fees) else ""
                rows.append([str(i), Paragraph(esc(doc.name), s.cell), str(doc.pages or ""), str(doc.count), fee])
            w = self.width
            return self.grid(rows, [w * 0.08, w * 0.44, w * 0.13, w * 0.12, w * 0.23],
                             extra_style=[("ALIGN", (0, 0), (0, -1), "CENTER"), ("ALIGN", (2, 1), (3, -1), "CENTER")])
        t = form["table"]
        head1 = [Paragraph(esc(t[0]), s.cell_bold), Paragraph(esc(t[1]), s.cell_bold),
                 Paragraph(esc(form["table_group"]), s.cell_bold), "", ""]
        head2 = ["", "", *(Paragraph(esc(h), s.cell_bold) for h in t[2:])]
        rows = [head1, head2]
        for i, doc in enumerate(self.d.documents, 1):
            row = [str(i), Paragraph(esc(doc.name), s.cell), "", "", ""]
            row[_KIND_COLUMN[doc.kind]] = str(doc.count)
            rows.append(row)
        w = self.width
        return self.grid(rows, [w * 0.08, w * 0.50, w * 0.14, w * 0.14, w * 0.14], header_rows=2, extra_style=[
            ("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)), ("SPAN", (2, 0), (4, 0)),
            ("ALIGN", (0, 0), (0, -1), "CENTER"), ("ALIGN", (2, 2), (-1, -1), "CENTER")])

    def copy_story(self, copy_line: Flowable) -> list:
        s, d, job = self.s, self.d, self.job
        a = d.applicant
        proc = job.procedure
        cutoff = job.settings.hours.cutoff
        story = [self.header(number=False, extra_left=[self.barcode()]), self.title_with_qr(copy_line),
                 Spacer(1, 1.5 * mm),
                 self.line("unit", unit=self.unit_name())]
        operator = counter_operator(d)
        if operator:  # the post operates the counter for the commune (QĐ 468): both are named
            story.append(self.line("operator", name=operator.get("officer") or d.receiving_officer,
                                   organisation=operator["organisation"], unit=self.job.agency_name(d.receiving_agency)))
        story.append(self.line("applicant", name=a.full_name))
        if a.id_number:
            story.append(self.line("id_number", id_number=a.id_number))
        story += [self.line("address", address=a.address), self.line("contact", phone=a.phone, email=a.email),
                  self.line("request", procedure=d.procedure_name),
                  self.line("documents"), self.documents_table(), Spacer(1, 1.5 * mm),
                  self.line("sets", sets=d.sets)]
        days = proc.working_days if proc else None
        if days == 0:
            story.append(self.line("time_limit_same_day", cutoff=f"{cutoff.hour} giờ"
                                   + (f" {cutoff.minute} phút" if cutoff.minute else "")))
        else:
            story.append(self.line("time_limit", days=days))
        story += [self.line("received", time=time_text(d.received_at, self.common)),
                  self.line("due", time=time_text(self.original_due(), self.common))]
        if d.return_method is ReturnMethod.POST:
            story.append(self.line("return_post", address=d.return_address))
        else:
            story.append(self.line("return_counter", place=self.return_place()))
        story.append(self.line("fees", amount=money(d.total_fee_vnd, self.common) if d.fees else "Không"))
        if d.register:
            story.append(self.line("register", book=d.register.book, serial=d.register.serial))
        if d.postal_item:
            story.append(self.line("channel_post", item=d.postal_item))
        story += [Spacer(1, 1.5 * mm),
                  self.signatures(self.form["signatures"], [a.full_name, d.receiving_officer],
                                  space=(18 if self.paper() == "A4" else 10) * mm),
                  Spacer(1, 1 * mm), Paragraph(f"<b><i>{esc(self.form['note_title'])}</i></b>", s.small_italic)]
        story += [Paragraph(FormSet.fill(esc(line), counter=esc(self.counter_name())), s.small_italic)
                  for line in self.form["note"]]
        return story

    def return_place(self) -> str:
        """This counter's result place, or another agency's counter by its current name (the
        agency table holds today's name, whatever the unit was called when it was chosen)."""
        code = self.d.return_agency
        if not code or code == self.job.settings.agency.code:
            return self.unit_name()
        return self.job.agency_name(code)

    def original_due(self) -> datetime | None:
        """The appointment the receipt gave at intake: a reprint after an apology still shows it
        (the new time is on the apology letter, not on a rewritten receipt)."""
        first = self.d.events[0] if self.d.events else None
        due = ((first.payload.get("dossier") or {}).get("due_at") if first and first.status_before is None
               else None)
        return datetime.fromisoformat(due) if due else self.d.due_at

    def paper(self) -> str:
        return "A4" if self.f.receipt_layout == "a4_pages" else "A5"  # the halves of A4 are A5 each

    def story(self) -> list:
        return self.copy_story(self.copy_line(self.form["copies"][0]))

    def _sheet(self) -> tuple[tuple[float, float], list[float]]:
        """Page size and the x offset of each copy: a page each, or the two halves of A4 landscape."""
        if self.f.receipt_layout == "a4_halves":
            page = landscape(A4)
            return page, [0.0, page[0] / 2]
        return self.pagesize, [0.0, 0.0]

    def _fitted(self, width: float, height: float) -> tuple[list, _Slot | None]:
        """One copy's story at the largest size, down to 2 pt below the paper's, whose height fits
        the page, so that a copy's body and signatures never part; ``None`` for the marker when
        even the smallest does not fit (the copy is then shrunk as a whole)."""
        base = self.font_size
        for size in (base, base - 0.5, base - 1, base - 1.5, base - 2):
            self.font_size, self.s = size, Styles(size)
            marker = _Slot(self.copy_line(self.form["copies"][0]))
            story = self.copy_story(marker)
            if _height(story, width, height) <= height:
                return story, marker
        return [], None

    def render(self) -> bytes:
        """The copies differ only in their "(Liên …)" line, so one copy is laid out once as a PDF
        form XObject and stamped on each page (or half sheet) with its own line: half the layout
        work and half the file."""
        page, offsets = self._sheet()
        halves = offsets[1] != offsets[0]
        left, right, top, bottom = self.margins
        width = (page[0] / 2 if halves else page[0]) - left - right
        height = page[1] - top - bottom
        story, marker = self._fitted(width, height)
        buffer = io.BytesIO()
        c = Canvas(buffer, pagesize=page, initialFontName=FAMILY)
        c.setTitle(nfc(self.form["title"]))
        c.setSubject(self.d.code)
        c.setCreator("counter_app")
        if marker is not None:
            c.beginForm("copy")
            _frame(left, bottom, width, height).addFromList(story, c)
            c.endForm()
        for i, label in enumerate(self.form["copies"]):
            c.saveState()
            c.translate(offsets[i], 0)
            if marker is None:  # too long even in small type: each copy shrunk whole onto its page
                shrunk = KeepInFrame(width, height, self.copy_story(self.copy_line(label)), mode="shrink")
                _frame(left, bottom, width, height).addFromList([shrunk], c)
            else:
                c.doForm("copy")
                line = self.copy_line(label)
                line.wrap(marker.width, marker.height)
                line.drawOn(c, marker.x, marker.y)
            c.restoreState()
            if not halves or i == len(offsets) - 1:
                self.decorate(c, None)
                c.showPage()
        c.save()
        return buffer.getvalue()


def _frame(x: float, y: float, width: float, height: float) -> Frame:
    return Frame(x, y, width, height, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


def _height(story: list, width: float, height: float) -> float:
    """The height a story takes in a frame of ``width`` (space before the first flowable dropped)."""
    total = 0.0
    for i, f in enumerate(story):
        total += f.wrap(width, height)[1] + f.getSpaceAfter() + (f.getSpaceBefore() if i else 0)
    return total


class _Slot(Flowable):
    """Takes the place of a flowable and remembers where it landed, so it can be drawn later."""

    def __init__(self, like: Flowable) -> None:
        super().__init__()
        self.like = like
        self.x = self.y = 0.0

    def wrap(self, avail_width: float, avail_height: float):
        self.width, self.height = avail_width, self.like.wrap(avail_width, avail_height)[1]
        return self.width, self.height

    def draw(self) -> None:
        self.x, self.y = self.canv.absolutePosition(0, 0)


class SupplementRenderer(FormRenderer):
    """Mẫu 02: what to add, why, and whom to ask; signed by the officer who guided (NGƯỜI HƯỚNG DẪN)."""

    kind = FormKind.SUPPLEMENT.value

    def issued_at(self) -> datetime:
        return self.job.last_event(Action.REQUEST_SUPPLEMENT).at

    def numbered(self, lines: list[str]) -> list[Paragraph]:
        return [Paragraph(f"{i}. {esc(line)}", self.s.indent) for i, line in enumerate(lines, 1)]

    def story(self) -> list:
        v = self.applicant_values()
        event = self.job.last_event(Action.REQUEST_SUPPLEMENT)
        items = event.payload.get("documents") or []
        reason = event.payload.get("reason", "")
        story = [self.header(), self.title(), Spacer(1, 2 * mm),
                 self.line("unit", unit=v["unit"]), self.line("applicant", name=v["name"]),
                 self.line("code", code=v["code"]), self.line("request", procedure=v["procedure"]),
                 self.line("address", address=v["address"]), self.line("contact", phone=v["phone"], email=v["email"]),
                 self.line("items")]
        # A reason typed on several lines keeps them: one numbered line each. Without a list of
        # documents the reason is what to complete, listed once.
        reasons = [line for line in reason.splitlines() if line.strip()] or [reason]
        story += self.numbered(items or reasons)
        if items and len(reasons) > 1:
            story += [self.line("reason_list"), *self.numbered(reasons)]
        elif items:
            story.append(self.line("reason", reason=reason))
        story += [self.line("closing", contact=self.f.contact or event.officer),
                  Spacer(1, 4 * mm), self.signatures(self.form["signatures"], [event.officer])]
        return story


class ControlSheetRenderer(FormRenderer):
    """Phiếu kiểm soát quá trình giải quyết hồ sơ: hand-over blocks filled from the history, each
    marked before/on/after the due time; blank blocks follow for hand-overs still to come."""

    kind = FormKind.CONTROL.value
    _HANDOVERS = {  # event kind -> (giver, taker) with None meaning the competent agency
        Action.FORWARD.value: ("counter", None),
        Action.REQUEST_SUPPLEMENT.value: (None, "counter"),
        Action.SUPPLIED.value: ("counter", None),
        Action.RESULT_READY.value: (None, "counter"),
    }

    def mark(self, at: datetime) -> str:
        due, marks = self.d.due_at, self.form["marks"]
        if due is None:
            return ""
        if at.date() < due.date():
            return marks["early"]
        return marks["on_time"] if at <= due else marks["late"]

    def block(self, giver: str, taker: str, when: str, result: str) -> list[list]:
        s, f = self.s, self.form
        name = [Paragraph(self.fill(f["give"], unit=giver), s.cell), Paragraph(self.fill(f["take"], unit=taker), s.cell)]
        signs = [[Paragraph(f"<b>{esc(f[k])}</b>", s.cell_center), Paragraph(f"<i>{esc(f['sign'])}</i>", s.cell_center)]
                 for k in ("giver", "taker")]
        return [[name, Paragraph(esc(when), s.cell_center), "", Paragraph(esc(result), s.cell_center), ""],
                ["", signs[0], signs[1], "", ""]]

    @staticmethod
    def fill(template: str, **values) -> str:
        return FormSet.fill(esc(template), **{k: f"<b>{esc(v)}</b>" for k, v in values.items()})

    def story(self) -> list:
        s, d, f = self.s, self.d, self.form
        counter = FormSet.fill(f["counter_unit"], counter=self.counter_name())
        competent = self.job.agency_name(d.competent_agency)
        unit = {"counter": counter, None: competent}
        staff = iter(handovers_of(d))
        blocks = []
        for event in d.events:
            if event.kind in self._HANDOVERS:
                giver, taker = self._HANDOVERS[event.kind]
                blocks.append(self.block(unit[giver], unit[taker], time_text(event.at, self.common), self.mark(event.at)))
            elif event.kind == STAFF_HANDOVER:  # by name: the reception officer may work for the post
                h = next(staff)
                sides = (counter, competent) if h.direction is HandoverDirection.TO_SPECIALIST else (competent, counter)
                blocks.append(self.block(*(f"{u} – {p.name}" + (f" ({p.organisation})" if p.organisation else "")
                                           for u, p in zip(sides, (h.giver, h.receiver))),
                                         time_text(h.handed_at, self.common), self.mark(h.handed_at)))
        while len(blocks) < f.get("min_blocks", 4):
            blocks.append(self.block("", "", f["time_blank"], ""))
        t = f["table"]
        rows = [[Paragraph(esc(t[0]), s.cell_bold), Paragraph(esc(t[1]), s.cell_bold), "",
                 Paragraph(esc(t[2]), s.cell_bold), Paragraph(esc(t[3]), s.cell_bold)]]
        style = [("SPAN", (1, 0), (2, 0)), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        for b in blocks:
            top = len(rows)
            rows += b
            style += [("SPAN", (0, top), (0, top + 1)), ("SPAN", (1, top), (2, top)),
                      ("SPAN", (3, top), (3, top + 1)), ("SPAN", (4, top), (4, top + 1)),
                      ("BOTTOMPADDING", (1, top + 1), (2, top + 1), 9 * mm)]
        w = self.width
        table = self.grid(rows, [w * 0.25, w * 0.25, w * 0.25, w * 0.15, w * 0.10], extra_style=style)
        table.splitByRow = True
        v = self.applicant_values()
        partner = ", ".join(sorted({e.payload.get("to_agency") for e in d.events if e.payload.get("to_agency")}))
        return [self.header(number=False), self.title(), Paragraph(self.text("code", code=d.code), s.center),
                Spacer(1, 2 * mm), self.line("attached", name=v["name"]),
                self.line("received", time=time_text(d.received_at, self.common)),
                self.line("due", time=time_text(d.due_at, self.common)),
                self.line("competent", agency=competent), self.line("partner", partner=partner or None),
                Spacer(1, 2 * mm), table, Spacer(1, 2 * mm),
                KeepTogether([Paragraph(esc(line), s.small_italic) for line in f["note"]])]


RENDERERS: dict[FormKind, type[FormRenderer]] = {
    FormKind.RECEIPT: ReceiptRenderer,
    FormKind.SUPPLEMENT: SupplementRenderer,
    FormKind.REFUSAL: RefusalRenderer,
    FormKind.APOLOGY: ApologyRenderer,
    FormKind.STOP: StopNoticeRenderer,
    FormKind.CONTROL: ControlSheetRenderer,
    FormKind.TRANSFER: TransferSheetRenderer,
}


def render(job: PrintJob) -> bytes:
    """The renderer the PrintService is handed: the job's form in the office's chosen form set."""
    if job.form in (FormKind.STAMPS, FormKind.CERT_RECEIPT):
        from counter_app.printing import certificates

        return certificates.render(job, load_form_set(job.settings.forms.form_set))
    return RENDERERS[job.form](job, load_form_set(job.settings.forms.form_set)).render()
