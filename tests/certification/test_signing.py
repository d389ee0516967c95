"""Issue 14: who signs, the day of certification, the signature statement, nothing foreign on a
certified copy, the year-end closing, and office footers. Real SQLite stores, real PDFs read back."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from counter_app.core.calendar import TZ
from counter_app.core.certification import CertKind
from counter_app.core.errors import ValidationError
from counter_app.core.prints import FormKind
from counter_app.core.settings import apply_setting
from counter_app.printing.forms import render
from tests.certification.test_desk import cert_request
from tests.conftest import outbox_count

CHAIR = ("Nguyễn Văn Chủ", "Chủ tịch UBND xã Định Mỹ")
DEPUTY = ("Trần Thị Phó", "Phó Chủ tịch UBND xã Định Mỹ")


@pytest.fixture
def desk(app):
    signers = app.ctx.settings.cert_signers.added(*CHAIR, date(2026, 1, 1), None)
    signers = signers.added(*DEPUTY, date(2026, 1, 1), date(2026, 6, 30))
    app.setup.save_settings(replace(app.ctx.settings, cert_signers=signers))
    return app


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def stamps(app, code: str, *, preview: bool = False) -> bytes:
    pdf, job = app.prints.prepare(code, FormKind.STAMPS, "Cán bộ A", render, preview=preview)
    if not preview:
        app.prints.record(job)
    return pdf


# -- 1. who signs ----------------------------------------------------------------------------------
def test_the_signer_not_the_desk_officer_is_in_the_register_and_the_officer_stays_in_history(desk, clock):
    _, cert = desk.certification.certify(cert_request(("Giấy khai sinh", 1, 2)))
    with pytest.raises(ValidationError, match="không có trong danh sách"):
        desk.certification.sign(cert.code, "Cán bộ A", "Cán bộ A")
    events = outbox_count(desk)
    signed = desk.certification.sign(cert.code, "trần thị phó", "Cán bộ A")  # matched without case
    assert (signed.signer_name, signed.signer_title) == DEPUTY and outbox_count(desk) == events + 1
    entry = desk.certification.book(CertKind.COPY, date(2026, 6, 1), date(2026, 6, 30))[0]
    assert (entry.signer_name, entry.signer_title, entry.signed_on) == (*DEPUTY, date(2026, 6, 10))
    last = desk.queries.get(cert.code).events[-1]
    assert last.kind == "certificate_signed" and last.officer == "Cán bộ A"
    assert last.payload["signer_name"] == DEPUTY[0]
    with pytest.raises(ValidationError, match="đã được ký"):
        desk.certification.sign(cert.code, CHAIR[0], "Cán bộ A")


def test_a_signer_signs_only_within_the_dates_the_office_set(desk, clock):
    clock.set("2026-07-01T09:00")
    _, cert = desk.certification.certify(cert_request(("A", 1, 1)))
    assert [s.name for s in desk.certification.signers()] == [CHAIR[0]]
    with pytest.raises(ValidationError, match="không còn/chưa được giao"):
        desk.certification.sign(cert.code, DEPUTY[0], "Cán bộ A")
    assert desk.certification.sign(cert.code, CHAIR[0], "Cán bộ A").signer_title == CHAIR[1]


# -- 2. the day of certification --------------------------------------------------------------------
def test_late_request_carries_its_signing_day_and_prints_only_a_preview_until_signed(desk, clock):
    clock.set("2026-06-10T15:20")
    _, cert = desk.certification.certify(cert_request(("Học bạ", 3, 1), extension_days=1,
                                                      extension_reason="Nhiều trang"))
    assert [c.code for c in desk.certification.awaiting_signature()] == [cert.code]
    with pytest.raises(ValidationError, match="chỉ in được bản xem trước"):
        stamps(desk, cert.code)
    preview = text_of(stamps(desk, cert.code, preview=True))
    assert "BẢN XEM TRƯỚC" in preview and CHAIR[0] not in preview
    clock.set("2026-06-12T08:10")
    desk.certification.sign(cert.code, CHAIR[0], "Cán bộ A")
    assert desk.certification.awaiting_signature() == []
    text = text_of(stamps(desk, cert.code))
    assert "Ngày 12 tháng 6 năm 2026" in text and "Ngày 10 tháng 6" not in text and "BẢN XEM TRƯỚC" not in text
    assert "CHỦ TỊCH UBND XÃ ĐỊNH MỸ" in text and text.endswith(f"{CHAIR[0]} {cert.code} · Bản 1/1")


def test_same_day_work_is_signed_in_one_step_before_the_copies_go_back(desk):
    before = outbox_count(desk)
    with pytest.raises(ValidationError, match="không có trong danh sách"):
        desk.certification.certify(cert_request(("A", 1, 1), signer="Cán bộ A"))
    assert outbox_count(desk) == before and desk.certification.book(CertKind.COPY, date(2026, 1, 1),
                                                                    date(2026, 12, 31)) == []
    _, cert = desk.certification.certify(cert_request(("A", 1, 1), signer=CHAIR[0], return_now=True))
    assert cert.signed and cert.signed_at.date() == date(2026, 6, 10) and cert.signer_name == CHAIR[0]
    assert desk.certification.awaiting_signature() == []
    assert [e.kind for e in desk.queries.get(cert.code).events] == [
        "received", "certificate_signed", "result_ready", "returned"]


def test_signing_time_cannot_precede_receipt(desk, clock):
    _, cert = desk.certification.certify(cert_request(("A", 1, 1)))
    with pytest.raises(ValidationError, match="sau lúc tiếp nhận"):
        desk.certification.sign(cert.code, CHAIR[0], "Cán bộ A", at=datetime(2026, 6, 9, 10, 0, tzinfo=TZ))


# -- 3. the signature statement ---------------------------------------------------------------------
def test_signature_statement_has_the_content_the_law_requires(desk):
    _, cert = desk.certification.certify(cert_request(("Giấy ủy quyền", 2, 1), kind=CertKind.SIGNATURE,
                                                      signer=DEPUTY[0]))
    text = text_of(stamps(desk, cert.code))
    applicant = desk.queries.get(cert.code).applicant
    for part in ("Ngày 10 tháng 6 năm 2026", "mười tháng sáu năm hai nghìn không trăm hai mươi sáu",
                 "Tại UBND xã Định Mỹ", f"Tôi, {DEPUTY[0]}, {DEPUTY[1]}", "CHỨNG THỰC",
                 f"Ông/bà {applicant.full_name}, giấy tờ tùy thân số {applicant.id_number}",
                 "đã ký/điểm chỉ trước mặt tôi", "cam đoan hoàn toàn chịu trách nhiệm về nội dung",
                 "Số chứng thực: 01 Quyển số: 01/2026-SCT/CK,ĐC", "PHÓ CHỦ TỊCH UBND XÃ ĐỊNH MỸ"):
        assert part in text, part
    assert text.index("PHÓ CHỦ TỊCH UBND XÃ ĐỊNH MỸ") < text.rindex(DEPUTY[0])  # name under the signature


# -- 4. nothing foreign on a certified copy ---------------------------------------------------------
def _chars(pdf: bytes):
    """(text, x, y) of every string drawn, in points from the page's bottom-left corner."""
    out = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=lambda t, cm, tm, *_: out.append((t, tm[4] * cm[0] + cm[4],
                                                                         tm[5] * cm[3] + cm[5])) if t.strip() else None)
    return out


def test_overlay_prints_only_the_statement_even_on_a_reprint(desk):
    desk.setup.save_settings(apply_setting(desk.ctx.settings, "stamps.layout", "overlay"))
    _, cert = desk.certification.certify(cert_request(("A", 1, 3), signer=CHAIR[0]))
    stamps(desk, cert.code)
    reprint = text_of(stamps(desk, cert.code))
    assert reprint.count("CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH") == 3
    for foreign in ("BẢN IN LẠI", cert.code, "Bản 1/3", "Bản 3/3"):
        assert foreign not in reprint


def test_label_sheets_carry_codes_and_reprint_marks_inside_a_printer_safe_margin(desk):
    _, cert = desk.certification.certify(cert_request(("A", 1, 24), ("B", 1, 2), signer=CHAIR[0]))
    stamps(desk, cert.code)
    pdf = stamps(desk, cert.code)
    text = text_of(pdf)
    assert "BẢN IN LẠI" in text and f"{cert.code} · Bản 1/24" in text
    safe = 5 * 72 / 25.4
    width, height = 595.27, 841.89
    chars = _chars(pdf)
    assert chars and all(safe - 0.5 <= x <= width - safe and safe - 0.5 <= y <= height - safe for _, x, y in chars)


# -- 5. year-end closing ---------------------------------------------------------------------------
def test_year_end_closing_is_refused_early_unless_forced_with_a_reason(desk, clock):
    desk.certification.certify(cert_request(("A", 1, 1), signer=CHAIR[0]))
    with pytest.raises(ValidationError, match="31/12/2026"):
        desk.certification.close_year(CertKind.COPY, 2026)
    with pytest.raises(ValidationError, match="lý do"):
        desk.certification.close_year(CertKind.COPY, 2026, force=True)
    assert desk.certification.register_closing(CertKind.COPY, 2026) is None
    assert desk.certification.close_year(CertKind.COPY, 2026, force=True, reason="Sáp nhập xã") == 1
    closing = desk.certification.register_closing(CertKind.COPY, 2026)
    assert closing["reason"] == "Sáp nhập xã" and closing["signer"] == "|".join(CHAIR)


def test_closed_book_has_a_cover_the_total_and_the_signers_block(desk, clock):
    from counter_app.printing.certificates import render_certbook_pdf

    desk.certification.certify(cert_request(("A", 1, 2), ("B", 1, 1), signer=CHAIR[0]))
    clock.set("2026-12-31T16:00")
    assert desk.certification.close_year(CertKind.COPY, 2026, signer=CHAIR[0]) == 2
    entries = desk.certification.book(CertKind.COPY, date(2026, 1, 1), date(2026, 12, 31))
    pdf = render_certbook_pdf(entries, "SCT/BS", desk.ctx.settings, date(2026, 1, 1), date(2026, 12, 31),
                              desk.certification.register_closing(CertKind.COPY, 2026))
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]
    assert "Quyển số: 01/2026-SCT/BS" in pages[0]
    assert "Mở ngày 10 tháng 06 năm 2026" in pages[0] and "Khóa ngày 31 tháng 12 năm 2026" in pages[0]
    last = pages[-1]
    assert "Sổ khóa ngày 31/12/2026: 2 số chứng thực (từ số 01 đến số 02)" in last
    assert "NGƯỜI KÝ CHỨNG THỰC CHỦ TỊCH UBND XÃ ĐỊNH MỸ (Ký, ghi rõ họ tên và đóng dấu)" in last
    assert last.endswith(CHAIR[0])


# -- 6. office documents ---------------------------------------------------------------------------
def test_receipt_and_daily_closing_cite_no_circular_form(desk):
    from counter_app.printing.certificates import render_closing_pdf

    _, cert = desk.certification.certify(cert_request(("A", 1, 1), signer=CHAIR[0]))
    receipt, _ = desk.prints.prepare(cert.code, FormKind.CERT_RECEIPT, "Cán bộ A", render)
    closing = render_closing_pdf(desk.certification.closing(date(2026, 6, 10)), desk.ctx.settings)
    for pdf in (receipt, closing):
        text = text_of(pdf)
        assert "In lúc" in text and "Mẫu số" not in text and "Thông tư" not in text
