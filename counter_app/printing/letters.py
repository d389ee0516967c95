"""The letters (Mẫu 03 refusal, Mẫu 04 apology/extension, 2025 Mẫu 05 stop notice), laid out as
Decree 30/2020 administrative documents: A4 with its margins, a 13 pt body, "Số: …" from the
office's outgoing-document sequence, the issuing unit in the header being the one that speaks in
the body and signs, and "Nơi nhận" in 11 pt upright under its 12 pt bold italic heading."""

from __future__ import annotations

import re
from datetime import datetime

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from counter_app.core.calendar import TZ
from counter_app.core.lifecycle import Action
from counter_app.core.prints import FormKind
from counter_app.core.text import fold
from counter_app.printing.fonts import FAMILY
from counter_app.printing.layout import FormRenderer, esc, office_header, time_text, vn_date

_UBND = re.compile(r"^(UBND|ỦY BAN NHÂN DÂN|Ủy ban nhân dân)\b", re.IGNORECASE)


def full_name(name: str) -> str:
    """Decree 30 writes the issuing body's name in full: "UBND xã Định Mỹ" → "Ủy ban nhân dân xã Định Mỹ"."""
    return _UBND.sub("Ủy ban nhân dân", name.strip(), count=1)


class LetterRenderer(FormRenderer):
    """A4 at 13 pt whatever the slips' paper; each letter answers one event of the history and
    carries that event's date and the number its first print took."""

    font_size = 13
    action: Action

    def __init__(self, job, form_set) -> None:
        super().__init__(job, form_set)
        self.s.title = ParagraphStyle("ltitle", parent=self.s.title, fontSize=14, leading=14 * 1.2)

    def paper(self) -> str:
        return "A4"

    @property
    def event(self):
        return self.job.last_event(self.action)

    def issued_at(self) -> datetime:
        return self.event.at if self.event else self.job.printed_at

    def suffix(self) -> str:
        return self.f.letter_suffix

    def number_text(self) -> str:
        out = self.job.outgoing
        number = f"{out.number:02d}" if out else "……"  # Decree 30: numbers below 10 take a leading 0
        line = self.form.get("number_line") or self.common["letter_number_line"]
        return line.format(number=number, suffix=self.suffix())


class RefusalRenderer(LetterRenderer):
    """Mẫu 03: the counter refuses at intake; the counter's unit heads it, speaks and signs."""

    kind = FormKind.REFUSAL.value
    action = Action.REFUSE

    def suffix(self) -> str:
        return self.f.number_suffix

    def issued_at(self) -> datetime:
        return self.d.received_at

    def story(self) -> list:
        s, v = self.s, self.applicant_values()
        event = self.event
        reason = event.payload.get("reason", "") if event else ""
        return [self.header(), self.title(), Spacer(1, 3 * mm),
                Paragraph(f"<b>{esc(v['unit'])}</b>:", s.body),
                self.line("applicant", name=v["name"]), self.line("address", address=v["address"]),
                self.line("contact", phone=v["phone"], email=v["email"]),
                self.line("request", procedure=v["procedure"]), self.line("code", code=v["code"]),
                Paragraph(self.text("decision", unit=v["unit"]), s.first_line),
                *[Paragraph(f"<b>{esc(line)}</b>", s.indent) for line in reason.splitlines() or [""]],
                Spacer(1, 2 * mm), Paragraph(self.text("closing"), s.first_line), Spacer(1, 6 * mm),
                self.signatures(self.form["signatures"], [self.d.receiving_officer], space=25 * mm)]


class HeadLetterRenderer(LetterRenderer):
    """Letters the head of the issuing body signs (apology, stop notice): that body heads the
    letter, is the one the body text speaks for, and signs ("TM. …" over the head's title)."""

    def issuer(self) -> str:
        return self.f.issuer_name or full_name(self.job.settings.agency.name)

    def agency_name(self) -> str:
        return self.issuer()

    def header(self, *, number: bool = True, extra_left=(), extra_right=()):
        # The office's header lines stay as the parent body, except those naming the issuer itself.
        own = {fold(self.issuer()), fold(self.job.settings.agency.name)}
        parents = tuple(line for line in self.f.header_lines if fold(line) not in own)
        return office_header(self.width, self.f, self.common, self.s, self.issued_at().astimezone(TZ).date(),
                             self.number_text() if number else None, extra_left, extra_right,
                             parent_lines=parents, unit=self.issuer())

    def letter_end(self) -> list:
        s = self.s
        recipients = [Paragraph(esc(self.form["recipients_title"]), s.recipients_title)]
        recipients += [Paragraph(esc(r), s.recipients) for r in self.form["recipients"]]
        sign = self.signatures(self.form["signatures"], [self.f.head_name or None], hint=self.common["seal_hint"],
                               space=25 * mm, for_line=self.f.head_for)
        table = Table([[recipients, sign._cellvalues[0][1]]], colWidths=[self.width * 0.45, self.width * 0.55])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("FONT", (0, 0), (-1, -1), FAMILY)]))
        return [Spacer(1, 4 * mm), table]

    def opening(self) -> list:
        s, v, d = self.s, self.applicant_values(), self.d
        received = vn_date(d.received_at.astimezone(TZ).date())
        return [self.header(), self.title(), Spacer(1, 1 * mm),
                Paragraph(self.text("addressee", name=v["name"]), s.center_bold),
                Paragraph(self.text("addressee_detail", address=v["address"], phone=v["phone"]), s.center),
                Spacer(1, 3 * mm),
                Paragraph(self.text("intro", date=f"{received['day']}/{d.received_at.astimezone(TZ):%m/%Y}",
                                    unit=v["unit"], name=v["name"]), s.first_line),
                self.line("code", s.indent, code=v["code"]), self.line("request", s.indent, procedure=v["procedure"])]


class ApologyRenderer(HeadLetterRenderer):
    """2018 Mẫu 04 Phiếu xin lỗi và hẹn lại ngày trả kết quả; 2025 Mẫu 04 Văn bản xin lỗi và đề nghị
    gia hạn thời gian giải quyết: original due time, reason, new due time."""

    kind = FormKind.APOLOGY.value
    action = Action.RESCHEDULE

    def story(self) -> list:
        s, event = self.s, self.event
        old_due = datetime.fromisoformat(event.payload["old_due_at"]) if event.payload.get("old_due_at") else None
        new_due = datetime.fromisoformat(event.payload["new_due_at"]) if event.payload.get("new_due_at") else None
        agency = self.agency_name()
        return [*self.opening(),
                self.line("old_due", s.indent, time=time_text(old_due, self.common)),
                Paragraph(self.text("late", agency=agency), s.first_line),
                Paragraph(self.text("reason", reason=event.payload.get("reason")), s.first_line),
                Paragraph(self.text("apology", agency=agency), s.first_line),
                Paragraph(self.text("new_due", time=time_text(new_due, self.common)), s.first_line),
                Paragraph(self.text("closing"), s.first_line), *self.letter_end()]


class StopNoticeRenderer(HeadLetterRenderer):
    """2025 Mẫu 05 Thông báo dừng giải quyết hồ sơ (not in the 2018 set)."""

    kind = FormKind.STOP.value
    action = Action.STOP

    def story(self) -> list:
        s, event = self.s, self.event
        return [*self.opening(), Paragraph(self.text("decision", agency=self.agency_name()), s.first_line),
                Paragraph(f"<b>{esc(event.payload.get('reason', ''))}</b>", s.indent),
                Paragraph(self.text("closing"), s.first_line), *self.letter_end()]
