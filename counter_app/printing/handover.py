"""Biên bản giao nhận hồ sơ / kết quả with the post (QĐ 45/2016/QĐ-TTg Art. 7(3); TT 17/2017
Art. 5): the list of a batch, each dossier with its item number and its originals and copies, and
the signature blocks of both sides. No state template exists: the columns follow what Art. 7(3)
requires and Thanh Hóa's «Danh sách bàn giao hồ sơ» (docs/shared domain.md §14)."""

from __future__ import annotations

import io
from datetime import datetime

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from counter_app.core.calendar import TZ
from counter_app.core.model import DocumentKind, Dossier
from counter_app.core.postal import Direction, PostalBatch
from counter_app.core.settings import CounterSettings
from counter_app.core.text import nfc
from counter_app.printing.fonts import FAMILY, register_fonts
from counter_app.printing.layout import MARGINS, Styles, esc, office_header
from counter_app.printing.templates import load_form_set

TITLES = {Direction.IN: "BIÊN BẢN GIAO NHẬN HỒ SƠ", Direction.OUT: "BIÊN BẢN GIAO NHẬN KẾT QUẢ"}
SIDES = {Direction.IN: ("ĐẠI DIỆN BƯU CHÍNH (BÊN GIAO)", "CÁN BỘ TIẾP NHẬN (BÊN NHẬN)"),
         Direction.OUT: ("CÁN BỘ TRẢ KẾT QUẢ (BÊN GIAO)", "ĐẠI DIỆN BƯU CHÍNH (BÊN NHẬN)")}


def signature_row(blocks: list[tuple[str, str | None]], width: float, s: Styles, hint: str) -> Table:
    """The signature blocks of a hand-over list side by side: title, hint, room to sign, name
    (shared by the lists with the post and the paper lists to competent agencies)."""
    sign = Table([[[Paragraph(esc(t), s.center_bold), Paragraph(esc(hint), s.center_italic), Spacer(1, 22 * mm),
                    Paragraph(f"<b>{esc(n or '')}</b>", s.center)] for t, n in blocks]],
                 colWidths=[width / len(blocks)] * len(blocks))
    sign.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), FAMILY)]))
    return sign


def _copies(d: Dossier) -> tuple[int, int]:
    originals = sum(x.count for x in d.documents if x.kind is DocumentKind.ORIGINAL)
    return originals, sum(x.count for x in d.documents if x.kind is not DocumentKind.ORIGINAL)


def _rows(batch: PostalBatch, dossiers: dict[str, Dossier], s: Styles) -> tuple[list[list], list[float]]:
    p = lambda text: Paragraph(esc(text), s.cell)  # noqa: E731
    if batch.direction is Direction.IN:
        head = ["TT", "Số hiệu bưu gửi", "Mã hồ sơ", "Chủ hồ sơ", "Thủ tục", "Bản chính", "Bản sao", "Ghi chú"]
        rows = []
        for i, x in enumerate(batch.items, 1):
            d = dossiers.get(x.dossier_code or "")
            if d is None:
                rows.append([str(i), x.item, "", "", "", "", "", p("Chưa tiếp nhận")])
                continue
            originals, copies = _copies(d)
            rows.append([str(i), x.item, p(d.code), p(d.applicant.full_name), p(d.procedure_name), str(originals),
                         str(copies), ""])
        return [[Paragraph(esc(h), s.cell_bold) for h in head], *rows], [8, 27, 32, 30, 45, 13, 13, 17]
    head = ["TT", "Số hiệu bưu gửi", "Mã hồ sơ", "Người nhận", "Địa chỉ nhận", "Thu khi phát (đồng)", "Ghi chú"]
    rows = []
    for i, x in enumerate(batch.items, 1):
        d = dossiers.get(x.dossier_code or "")
        posted = next((e.payload for e in reversed(d.events) if e.payload.get("item") == x.item
                       and e.kind == "result_posted"), {}) if d else {}
        cod = posted.get("cod_vnd")
        rows.append([str(i), x.item, p(x.dossier_code or ""), p(posted.get("recipient") or ""),
                     p(posted.get("address") or ""), f"{cod:,}".replace(",", ".") if cod else "", ""])
    return [[Paragraph(esc(h), s.cell_bold) for h in head], *rows], [8, 27, 32, 30, 50, 20, 18]


def render_handover_pdf(batch: PostalBatch, dossiers: dict[str, Dossier], settings: CounterSettings,
                        printed_at: datetime | None = None) -> bytes:
    register_fonts()
    form_set = load_form_set(settings.forms.form_set)
    common = form_set.common
    s = Styles(12)
    left, right, top, bottom = MARGINS["A4"]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=left, rightMargin=right, topMargin=top,
                            bottomMargin=bottom, initialFontName=FAMILY, title=TITLES[batch.direction],
                            author=settings.forms.unit_name)
    width = A4[0] - left - right
    printed = (printed_at or datetime.now(TZ)).astimezone(TZ)
    rows, parts = _rows(batch, dossiers, s)
    widths = [width * w / sum(parts) for w in parts]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONT", (0, 0), (-1, -1), FAMILY, 10),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (0, 1), (0, -1), "CENTER")]))
    when = batch.signed_at or printed
    total_sets = sum(d.sets for d in dossiers.values()) if batch.direction is Direction.IN else len(batch.items)
    intro = [
        f"Số biên bản: {batch.code}. {batch.direction.label_vi} ngày {batch.day:%d/%m/%Y}.",
        f"Hôm nay, vào lúc {when:%H} giờ {when:%M} phút, ngày {when:%d/%m/%Y}, tại {settings.forms.unit_name}, "
        "chúng tôi gồm:",
        f"- Bên bưu chính: ông/bà {batch.postal_employee or '……………………………………'}, nhân viên bưu chính;",
        f"- Bên Bộ phận một cửa: ông/bà {batch.signed_by or batch.officer};",
        f"Cùng kiểm tra và giao nhận {len(batch.items)} bưu gửi ({total_sets} bộ) theo danh sách dưới đây:",
    ]
    closing = ("Hai bên đã kiểm tra số lượng, tình trạng niêm phong và thành phần hồ sơ theo danh sách trên. "
               "Thời điểm ký biên bản này là thời điểm nộp hồ sơ (Điều 7 Quyết định 45/2016/QĐ-TTg). "
               "Biên bản lập thành 02 bản, mỗi bên giữ 01 bản.") if batch.direction is Direction.IN else (
        "Hai bên đã kiểm tra số lượng kết quả theo danh sách trên. Biên bản lập thành 02 bản, mỗi bên giữ 01 bản.")
    giver, receiver = SIDES[batch.direction]
    names = ((batch.postal_employee, batch.signed_by or batch.officer) if batch.direction is Direction.IN
             else (batch.signed_by or batch.officer, batch.postal_employee))
    sign = signature_row([(giver, names[0]), (receiver, names[1])], width, s, common["sign_hint"])
    story = [office_header(width, settings.forms, common, s, when.date()), Spacer(1, 4 * mm),
             Paragraph(esc(TITLES[batch.direction]), s.title), Spacer(1, 3 * mm)]
    story += [Paragraph(esc(nfc(line)), s.body) for line in intro]
    story += [Spacer(1, 2 * mm), table, Spacer(1, 3 * mm), Paragraph(esc(closing), s.body), Spacer(1, 4 * mm), sign]
    doc.build(story)
    return buffer.getvalue()
