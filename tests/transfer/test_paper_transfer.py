"""Issue 15 items 3 (paper side) and 6: paper files received here for another agency, their
hand-over list and deadline, the transfer sheet, the Sổ theo dõi hồ sơ phi địa giới, the register's
filters and the ready-made lists."""

from datetime import date, datetime

import pytest

from counter_app.core.admin import make_agency
from counter_app.core.calendar import TZ
from counter_app.core.errors import ValidationError
from counter_app.core.lifecycle import PAPER_TRANSFER
from counter_app.core.model import Channel, DocumentKind, DocumentLine, ReturnMethod
from counter_app.core.postal import PostalIntake
from counter_app.core.prints import FormKind
from counter_app.core.transfer import paper_deadline
from counter_app.printing.forms import render
from counter_app.printing.register import render_register_pdf
from counter_app.printing.transfer import render_transfer_list_pdf
from tests.conftest import outbox_count, receivable_anywhere, request
from tests.printing.conftest import Pdf, assert_clean_fonts
from tests.storage.test_input_rules import table_counts

B, C = "H52.102", "H52.103"
DOCS = [DocumentLine("Tờ khai đăng ký khai sinh", DocumentKind.ORIGINAL, 1),
        DocumentLine("Giấy chứng sinh", DocumentKind.ORIGINAL, 1),
        DocumentLine("Giấy chứng nhận kết hôn của cha mẹ", DocumentKind.CERTIFIED_COPY, 2),
        DocumentLine("Căn cước của người đi đăng ký", DocumentKind.PHOTOCOPY, 1)]


@pytest.fixture
def regional(app):
    app.setup.add_served_agency(make_agency(B, "UBND xã Bình Nghi", own=False))
    app.setup.add_served_agency(make_agency(C, "UBND xã Tây Vinh", own=False))
    receivable_anywhere(app)  # the tests' procedure may be received for B and C
    return app


def names(app):
    return {a.code: a.name for a in app.ctx.agencies}


def test_the_deadline_is_one_working_day_on_the_receiving_calendar_and_after_15h_counts_from_the_next_day(app):
    cal = app.ctx.calendar
    wed_morning = datetime(2026, 6, 10, 9, 15, tzinfo=TZ)
    assert paper_deadline(wed_morning, cal) == datetime(2026, 6, 11, 9, 15, tzinfo=TZ)
    at_15 = datetime(2026, 6, 10, 15, 0, 30, tzinfo=TZ)  # 15:00 itself is before the cut-off
    assert paper_deadline(at_15, cal) == datetime(2026, 6, 11, 15, 0, tzinfo=TZ)
    after_15 = datetime(2026, 6, 10, 15, 1, tzinfo=TZ)
    assert paper_deadline(after_15, cal) == datetime(2026, 6, 12, 7, 30, tzinfo=TZ)
    friday = datetime(2026, 6, 12, 10, 0, tzinfo=TZ)  # the weekend does not count
    assert paper_deadline(friday, cal) == datetime(2026, 6, 15, 10, 0, tzinfo=TZ)
    saturday = datetime(2026, 6, 13, 9, 0, tzinfo=TZ)
    assert paper_deadline(saturday, cal) == datetime(2026, 6, 16, 7, 30, tzinfo=TZ)


def test_waiting_files_are_listed_per_agency_late_after_a_working_day_and_leave_the_list_when_handed_over(
        regional, clock):
    app = regional
    for_b = app.intake.receive(request(competent_agency=B, documents=DOCS))
    for_c = app.intake.receive(request(competent_agency=C))
    own = app.intake.receive(request())  # decided here: no paper goes anywhere
    online = app.intake.receive(request(competent_agency=B, channel=Channel.ONLINE))  # no paper file
    refused = app.intake.refuse(request(competent_agency=B), "Hồ sơ thiếu giấy chứng sinh")
    waiting = app.transfers.waiting()
    assert [x.code for x in waiting] == [for_b.code, for_c.code]
    assert not any(x.late for x in waiting)
    assert [x.code for x in app.transfers.waiting(B)] == [for_b.code]
    clock.set("2026-06-11T09:16")  # one working day and a minute after the receipt
    assert [x.code for x in app.transfers.late()] == [for_b.code, for_c.code]

    clock.set("2026-06-11T09:45")
    before = outbox_count(app)
    batch = app.transfers.record(B, "Cán bộ A", "Lê Văn Nhận", handed_at=datetime(2026, 6, 11, 9, 30))
    assert batch.dossier_codes == (for_b.code,) and batch.code == f"BG-{B}-20260611-01-1"
    assert outbox_count(app) == before + 1  # the event goes to the province with the list
    event = app.queries.get(for_b.code).events[-1]
    assert event.kind == PAPER_TRANSFER and event.status_before == event.status_after == "received"
    assert event.payload == {"batch": batch.code, "to_agency": B, "handed_at": "2026-06-11T09:30:00+07:00",
                             "giver": "Cán bộ A", "receiver": "Lê Văn Nhận",
                             "deadline": "2026-06-11T09:15:00+07:00", "late": True}
    assert [x.code for x in app.transfers.waiting()] == [for_c.code]
    for code in (own.code, online.code, refused.code):
        assert code not in [x.code for x in app.transfers.waiting()]


@pytest.mark.parametrize("kw, fragment", [
    (dict(receiver=" "), "người nhận"),
    (dict(to="H99.999"), "không thuộc"),
    (dict(codes=["H52.101-260610-019999"]), "Không tìm thấy"),
    (dict(handed_at=datetime(2026, 6, 10, 8, 0)), "trước lúc tiếp nhận"),
    (dict(handed_at=datetime(2026, 6, 12, 8, 0)), "tương lai"),
])
def test_bad_hand_overs_are_refused_and_write_nothing(regional, kw, fragment):
    app = regional
    app.intake.receive(request(competent_agency=B))
    before = table_counts(app)
    args = dict(to=B, receiver="Lê Văn Nhận", codes=(), handed_at=None) | kw
    with pytest.raises(Exception, match=fragment):
        app.transfers.record(args["to"], "Cán bộ A", args["receiver"], args["codes"], handed_at=args["handed_at"])
    assert table_counts(app) == before
    assert len(app.transfers.waiting()) == 1


def test_a_file_goes_over_once_and_only_to_its_own_agency(regional):
    app = regional
    d = app.intake.receive(request(competent_agency=B))
    own = app.intake.receive(request())
    with pytest.raises(ValidationError, match="không bàn giao cho UBND xã Tây Vinh"):
        app.transfers.record(C, "Cán bộ A", "Người nhận", [d.code])
    with pytest.raises(ValidationError, match="do UBND xã Định Mỹ giải quyết"):
        app.transfers.record(B, "Cán bộ A", "Người nhận", [own.code])
    online = app.intake.receive(request(competent_agency=B, channel=Channel.ONLINE))
    with pytest.raises(ValidationError, match="không có hồ sơ giấy chờ bàn giao"):
        app.transfers.record(B, "Cán bộ A", "Người nhận", [online.code])
    first = app.transfers.record(B, "Cán bộ A", "Người nhận", [d.code])
    with pytest.raises(ValidationError, match=f"đã bàn giao .*{first.code}"):
        app.transfers.record(B, "Cán bộ A", "Người nhận", [d.code])
    with pytest.raises(ValidationError, match="Không có hồ sơ nào chờ bàn giao"):
        app.transfers.record(B, "Cán bộ A", "Người nhận")


def test_the_transfer_sheet_carries_the_dossier_and_after_the_hand_over_who_gave_and_received_it(regional, clock):
    app = regional
    d = app.intake.receive(request(competent_agency=B, documents=DOCS))
    with pytest.raises(ValidationError, match="không có hồ sơ giấy phải bàn giao"):
        app.prints.produce(app.intake.receive(request()).code, FormKind.TRANSFER, "Cán bộ A", render)
    blank = Pdf(app.prints.produce(d.code, FormKind.TRANSFER, "Cán bộ A", render)[0])
    assert_clean_fonts(blank)
    text = blank.text()
    for expected in ("GIẤY BÀN GIAO HỒ SƠ", f"Mã hồ sơ: {d.code}", "Chủ hồ sơ: Nguyễn Văn Ấn",
                     "Ngày nhận hồ sơ: 09 giờ 15 phút, ngày 10/06/2026", "Thời hạn giải quyết theo quy định:",
                     "Ngày hẹn trả kết quả:", "Trả kết quả về UBND xã Định Mỹ chậm nhất",
                     "Bản chính", "Bản chứng thực", "Bản photo", "Giấy chứng nhận kết hôn của cha mẹ",
                     "I. GIAO HỒ SƠ", "Cơ quan, đơn vị nhận: UBND xã Bình Nghi", "II. NHẬN KẾT QUẢ",
                     "NGƯỜI GIAO", "NGƯỜI NHẬN"):
        assert expected in text, expected
    assert "Lê Văn Nhận" not in text
    clock.set("2026-06-10T14:00")
    batch = app.transfers.record(B, "Cán bộ A", "Lê Văn Nhận")
    after = Pdf(app.prints.produce(d.code, FormKind.TRANSFER, "Cán bộ A", render)[0]).text()
    assert "Thời gian giao nhận: 14 giờ 00 phút, ngày 10/06/2026" in after
    assert f"Theo danh sách bàn giao số: {batch.code}" in after and "Lê Văn Nhận" in after
    assert "BẢN IN LẠI" in after  # the second print of the sheet
    assert [e.payload["form"] for e in app.queries.get(d.code).events if e.kind == "printed"] == ["transfer"] * 2


def test_the_batch_list_has_the_columns_the_hand_over_and_marks_a_late_file_and_a_reprint(regional, clock):
    app = regional
    early = app.intake.receive(request(competent_agency=B, documents=DOCS))
    clock.set("2026-06-11T10:00")
    fresh = app.intake.receive(request(competent_agency=B, sets=2))
    clock.set("2026-06-11T10:30")
    batch = app.transfers.record(B, "Cán bộ A", "Lê Văn Nhận")
    got, dossiers = app.transfers.get(batch.code)
    assert got == batch and [d.code for d in dossiers] == [early.code, fresh.code]
    pdf = Pdf(render_transfer_list_pdf(got, dossiers, app.ctx.settings, names(app)))
    assert_clean_fonts(pdf)
    text = pdf.text()
    for expected in ("DANH SÁCH BÀN GIAO HỒ SƠ", f"Số danh sách: {batch.code}",
                     "Cơ quan giải quyết (bên nhận): UBND xã Bình Nghi",
                     "Thời gian bàn giao: 10 giờ 30 phút, ngày 11/06/2026", "Số lượng hồ sơ: 2 hồ sơ (3 bộ)",
                     "Mã hồ sơ", "Nội dung hồ sơ", "Họ tên chủ hồ sơ", "Số điện thoại", "Ngày nhận hồ sơ",
                     "Hẹn trả kết quả", "Ngày nhận kết quả", "Trả kết quả", "Bên giao (ký)", "Bên nhận (ký)",
                     "BÊN GIAO", "BÊN NHẬN", "XÁC NHẬN CỦA TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", "Cán bộ A",
                     "Lê Văn Nhận", "0912345678"):
        assert expected in text, expected
    assert text.count("quá hạn bàn giao") == 1  # the file received the day before, not today's
    assert "BẢN IN LẠI" not in text
    reprint = Pdf(render_transfer_list_pdf(got, dossiers, app.ctx.settings, names(app), reprint=True)).text()
    assert "BẢN IN LẠI" in reprint


def test_the_cross_boundary_register_and_the_register_filters(regional, clock):
    app = regional
    for_b = app.intake.receive(request(competent_agency=B))
    for_c = app.intake.receive(request(competent_agency=C, return_method=ReturnMethod.POST,
                                       return_address="12 Lê Lợi"))
    own = app.intake.receive(request())
    by_post = app.intake.receive(request(channel=Channel.POST, postal=PostalIntake("RR123456785VN")))
    clock.set("2026-06-10T16:00")
    batch = app.transfers.record(B, "Cán bộ A", "Lê Văn Nhận")
    reg = app.tracking_register
    day = date(2026, 6, 10)
    assert [x.code for x in reg.lines(day, day, cross=True)] == [for_b.code, for_c.code]
    assert [x.code for x in reg.lines(day, day, competent=B)] == [for_b.code]
    assert [x.code for x in reg.lines(day, day, competent="UBND xã Tây Vinh")] == [for_c.code]  # by name
    assert [x.code for x in reg.lines(day, day, channel="post")] == [by_post.code]
    assert [x.code for x in reg.lines(day, day, receiving="H52.101", channel="counter")] == [
        for_b.code, for_c.code, own.code]
    assert reg.lines(day, day, receiving=B) == []
    with pytest.raises(ValidationError, match="Kênh"):
        reg.lines(day, day, channel="fax")
    lines = reg.lines(day, day, cross=True)
    assert (lines[0].paper_batch, lines[0].competent_agency) == (batch.code, "UBND xã Bình Nghi")
    pdf = Pdf(render_register_pdf(lines, app.ctx.settings, day, day, "register_cross"))
    assert_clean_fonts(pdf)
    text = pdf.text()
    for expected in ("SỔ THEO DÕI HỒ SƠ PHI ĐỊA GIỚI", "do cơ quan khác giải quyết", "Cơ quan giải quyết",
                     "Chuyển hồ sơ giấy (số danh sách)", "Nơi trả kết quả", "UBND xã Bình Nghi", "UBND xã Tây Vinh",
                     "Bưu chính", "16:00", "(13)"):
        assert expected in text, expected
    assert batch.code.replace("-", "") in text.replace("-", "").replace(" ", "")
    assert own.code not in text and by_post.code not in text
    filtered = Pdf(render_register_pdf(reg.lines(day, day, channel="post"), app.ctx.settings, day, day,
                                       subtitle="(kênh: qua bưu chính công ích)")).text()
    assert "SỔ THEO DÕI HỒ SƠ" in filtered and "(kênh: qua bưu chính công ích)" in filtered


def test_ready_made_lists_awaiting_results_and_results_with_the_post(regional, clock):
    app = regional
    here = app.intake.receive(request(competent_agency=B))
    elsewhere = app.intake.receive(request(competent_agency=B, return_agency=C))  # returned at C's counter
    own = app.intake.receive(request())
    assert [x.code for x in app.transfers.awaiting_result()] == [here.code]
    app.actions.forward(here.code, "Cán bộ A", "Công chức xã Bình Nghi")
    assert [x.code for x in app.transfers.awaiting_result()] == [here.code]
    app.actions.result_ready(here.code, "Cán bộ A")
    assert app.transfers.awaiting_result() == []
    assert elsewhere.code not in [x.code for x in app.transfers.awaiting_result()]
    app.actions.result_ready(own.code, "Cán bộ A")
    assert app.transfers.with_post() == []
    app.postal.post_result(here.code, "Cán bộ A", item="EE876543216VN", recipient="Nguyễn Văn Ấn",
                           address="Thôn 1, xã Định Mỹ")
    app.postal.post_result(own.code, "Cán bộ A", item="RR123456785VN", recipient="Nguyễn Văn Ấn",
                           address="Thôn 1, xã Định Mỹ")
    posted = app.transfers.with_post()
    assert [(x.code, x.detail["item"]) for x in posted] == [(here.code, "EE876543216VN"), (own.code, "RR123456785VN")]
    app.postal.delivered(here.code, "Cán bộ A")
    app.postal.undelivered(own.code, "Cán bộ A", attempts=2)
    assert app.transfers.with_post() == []
