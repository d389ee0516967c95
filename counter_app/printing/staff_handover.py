"""The day's hand-over list between the reception officer (the postal employee operating the
counter) and the commune's specialist officers: every dossier handed over that day, with a column
for the receiver's signature on each line, and the signatures of both sides at the foot.

No state template exists for this list. Its columns follow Thanh Hóa's «Danh sách bàn giao hồ sơ»
(shared domain.md §14: TT, Mã hồ sơ, Nội dung, Số lượng, Chủ hồ sơ, Ngày nhận, Hẹn trả, signatures)
with the hand-over's time and the receiver by name, since one list can go to several specialists."""

from __future__ import annotations

import io
from datetime import date, datetime

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from counter_app.core.calendar import TZ
from counter_app.core.model import Dossier
from counter_app.core.settings import CounterSettings
from counter_app.core.staff import HandoverDirection, Person, StaffHandover
from counter_app.printing.fonts import FAMILY, register_fonts
from counter_app.printing.layout import MARGINS, Styles, esc, office_header
from counter_app.printing.templates import load_form_set

TITLE = "DANH SÁCH BÀN GIAO HỒ SƠ"
SUBTITLE = {HandoverDirection.TO_SPECIALIST: "Bộ phận tiếp nhận giao công chức chuyên môn giải quyết",
            HandoverDirection.TO_COUNTER: "Công chức chuyên môn giao bộ phận tiếp nhận để trả kết quả"}
HEAD = ["TT", "Mã hồ sơ", "Nội dung hồ sơ", "Số lượng (bộ)", "Họ tên chủ hồ sơ", "Ngày nhận hồ sơ",
        "Hẹn trả kết quả", "Giờ giao", "Người giao", "Người nhận", "Người nhận ký", "Ghi chú"]
PARTS = [10, 40, 40, 13, 28, 20, 20, 11, 30, 26, 20, 12]


def person_text(p: Person) -> str:
    return f"{p.name} ({p.organisation})" if p.organisation else p.name


def _short(at: datetime | None) -> str:
    return at.astimezone(TZ).strftime("%H:%M %d/%m/%Y") if at else ""


def render_staff_handover_pdf(day: date, lines: list[tuple[StaffHandover, Dossier]], settings: CounterSettings,
                              direction: HandoverDirection = HandoverDirection.TO_SPECIALIST) -> bytes:
    register_fonts()
    common = load_form_set(settings.forms.form_set).common
    s = Styles(11)
    page = landscape(A4)
    left, right, top, bottom = MARGINS["A4"]
    left = right = 15 * mm  # a landscape list: the binding margin of a letter is not needed
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=page, leftMargin=left, rightMargin=right, topMargin=top,
                            bottomMargin=bottom, initialFontName=FAMILY, title=TITLE, author=settings.forms.unit_name)
    width = page[0] - left - right
    p = lambda text: Paragraph(esc(text), s.cell)  # noqa: E731
    rows: list[list] = [[Paragraph(esc(h), s.cell_bold) for h in HEAD]]
    for i, (h, d) in enumerate(lines, 1):
        rows.append([str(i), p(d.code), p(d.procedure_name), str(d.sets), p(d.applicant.full_name),
                     p(_short(d.received_at)), p(_short(d.due_at)), h.handed_at.astimezone(TZ).strftime("%H:%M"),
                     p(person_text(h.giver)), p(person_text(h.receiver)), "", ""])
    if not lines:
        rows.append(["", p("Không có hồ sơ nào được bàn giao trong ngày."), *[""] * (len(HEAD) - 2)])
    table = Table(rows, colWidths=[width * w / sum(PARTS) for w in PARTS], repeatRows=1)
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONT", (0, 0), (-1, -1), FAMILY, 10),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (0, 1), (0, -1), "CENTER"),
             ("ALIGN", (3, 1), (3, -1), "CENTER"), ("ALIGN", (7, 1), (7, -1), "CENTER"),
             ("TOPPADDING", (0, 1), (-1, -1), 3 * mm), ("BOTTOMPADDING", (0, 1), (-1, -1), 3 * mm)]
    if not lines:
        style.append(("SPAN", (1, 1), (-1, 1)))
    table.setStyle(TableStyle(style))
    givers = list(dict.fromkeys(person_text(h.giver) for h, _ in lines))
    receivers = list(dict.fromkeys(person_text(h.receiver) for h, _ in lines))
    hint = common["sign_hint"]
    sides = (("BÊN GIAO", givers), ("BÊN NHẬN", receivers))
    sign = Table([[[Paragraph(t, s.center_bold), Paragraph(esc(hint), s.center_italic), Spacer(1, 20 * mm),
                    *[Paragraph(f"<b>{esc(n)}</b>", s.center) for n in names]] for t, names in sides]],
                 colWidths=[width / 2] * 2)
    sign.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), FAMILY)]))
    total = sum(d.sets for _, d in lines)
    story = [office_header(width, settings.forms, common, s, day), Spacer(1, 4 * mm),
             Paragraph(TITLE, s.title),
             Paragraph(f"<i>({esc(SUBTITLE[direction])}, ngày {day:%d/%m/%Y})</i>", s.center), Spacer(1, 3 * mm),
             Paragraph(esc(f"Số hồ sơ bàn giao: {len(lines)} hồ sơ ({total} bộ)."), s.body), Spacer(1, 2 * mm),
             table, Spacer(1, 5 * mm), sign]
    doc.build(story)
    return buffer.getvalue()
