"""The postal service operating the counter: an officer of the postal unit, the receipt naming the
operator and the commune, the hand-overs between the reception officer and the specialists (each
an event with its outbox row, printed on the control sheet), and the day's hand-over list."""

from datetime import date, datetime

import pytest

from counter_app.core.errors import NotFound, ValidationError
from counter_app.core.lifecycle import STAFF_HANDOVER
from counter_app.core.officers import Operator
from counter_app.core.staff import HandoverDirection, counter_operator
from counter_app.printing.staff_handover import render_staff_handover_pdf
from tests.conftest import outbox_count, request
from counter_app.core.prints import FormKind
from counter_app.printing.forms import render
from tests.printing.conftest import Pdf, assert_clean_fonts

POST = "Bưu điện xã Định Mỹ"
PW = "mật-khẩu-2026"


@pytest.fixture
def printer(app):
    """A recorded print of a form, read back (each print is an event: a second one is a reprint)."""
    return lambda code, form: (Pdf(app.prints.produce(code, FormKind(form), "Phạm Thị An", render)[0]),)


@pytest.fixture
def postal_officer(app):
    return app.officers.add(Operator("root"), "an.bd", "Phạm Thị An", PW, organisation=f"  {POST} ")


def test_an_account_belongs_to_the_postal_unit_and_can_leave_it(app, postal_officer):
    assert postal_officer.organisation == POST  # cleaned
    assert app.officers.authenticate("an.bd", PW).organisation == POST
    assert app.officers.account_named("Phạm Thị An").username == "an.bd"
    assert app.officers.account_named("AN.BD").organisation == POST
    assert app.officers.account_named("Ai đó") is None
    assert app.officers.set_organisation(Operator("root"), "an.bd", "").organisation is None
    assert app.officers.get("an.bd").organisation is None
    with pytest.raises(ValidationError, match="dài quá"):
        app.officers.set_organisation(Operator("root"), "an.bd", "x" * 201)
    with pytest.raises(NotFound):
        app.officers.set_organisation(Operator("root"), "nobody", POST)


def test_the_receipt_names_the_operator_and_the_commune_and_a_reprint_says_the_same(app, postal_officer, printer):
    d = app.intake.receive(request(officer="Phạm Thị An", operator=POST))
    assert counter_operator(app.queries.get(d.code)) == {"organisation": POST, "officer": "Phạm Thị An"}
    first = printer(d.code, "receipt")[0]
    assert_clean_fonts(first)
    line = "Người tiếp nhận: Phạm Thị An – Bưu điện xã Định Mỹ (tiếp nhận thay UBND xã Định Mỹ)"
    assert first.text().count(line) == 2  # both copies
    # The account leaves the postal unit: the dossier still says who operated the counter.
    app.officers.set_organisation(Operator("root"), "an.bd", None)
    reprint = printer(d.code, "receipt")[0].text()
    assert "BẢN IN LẠI" in reprint and line in reprint
    own = app.intake.receive(request())  # the commune's own officer: no operator line
    assert counter_operator(own) is None
    assert "tiếp nhận thay" not in printer(own.code, "receipt")[0].text()


def test_a_hand_over_is_one_event_per_dossier_with_its_outbox_row_in_one_transaction(app, clock, postal_officer):
    d1, d2 = app.intake.receive(request(officer="Phạm Thị An", operator=POST)), app.intake.receive(request())
    before = outbox_count(app)
    clock.set("2026-06-10T14:00")
    done = app.staff.record([d1.code, d2.code.lower()], "Phạm Thị An", giver="an.bd", receiver="Lê Văn Cường",
                            handed_at=datetime(2026, 6, 10, 13, 30))
    assert outbox_count(app) == before + 2
    assert [h.dossier_code for h in done] == [d1.code, d2.code]
    h = done[0]
    assert (h.giver.name, h.giver.organisation, h.receiver.name, h.receiver.organisation) == (
        "Phạm Thị An", POST, "Lê Văn Cường", None)
    event = app.queries.get(d1.code).events[-1]
    assert event.kind == STAFF_HANDOVER and event.status_before == event.status_after == "received"
    assert event.payload["handed_at"] == "2026-06-10T13:30:00+07:00" and event.payload["direction"] == "to_specialist"
    # One bad dossier in the hand-over: nothing is written for the others either.
    refused = app.intake.refuse(request("1.004222"), "Không thuộc thẩm quyền")
    count = outbox_count(app)
    with pytest.raises(ValidationError, match="Từ chối tiếp nhận"):
        app.staff.record([d1.code, refused.code], "Phạm Thị An", giver="an.bd", receiver="Lê Văn Cường")
    assert outbox_count(app) == count and len(app.queries.get(d1.code).events) == len(d1.events) + 1
    for bad, match in ((dict(giver="an.bd", receiver="Phạm Thị An"), "hai người khác nhau"),
                       (dict(giver="", receiver="Lê Văn Cường"), "người giao"),
                       (dict(giver="an.bd", receiver="Lê Văn Cường", handed_at=datetime(2026, 6, 11, 9, 0)), "tương lai"),
                       (dict(giver="an.bd", receiver="Lê Văn Cường", handed_at=datetime(2026, 6, 9, 9, 0)),
                        "trước khi tiếp nhận")):
        with pytest.raises(ValidationError, match=match):
            app.staff.record([d2.code], "Phạm Thị An", **bad)
    with pytest.raises(ValidationError, match="Chưa chọn"):
        app.staff.record([], "Phạm Thị An", giver="an.bd", receiver="Lê Văn Cường")
    with pytest.raises(NotFound):
        app.staff.record(["H52.101-260610-9999"], "Phạm Thị An", giver="an.bd", receiver="Lê Văn Cường")
    assert outbox_count(app) == count


def test_the_control_sheet_prints_each_hand_over_by_name(app, clock, postal_officer, printer):
    d = app.intake.receive(request(officer="Phạm Thị An", operator=POST))
    clock.set("2026-06-10T15:00")
    app.staff.record([d.code], "Phạm Thị An", giver="an.bd", receiver="Lê Văn Cường",
                     handed_at=datetime(2026, 6, 10, 14, 5))
    clock.set("2026-06-12T10:00")
    app.staff.record([d.code], "Lê Văn Cường", giver="Lê Văn Cường", receiver="an.bd",
                     direction=HandoverDirection.TO_COUNTER)
    text = printer(d.code, "control")[0].text()
    for expected in ("Giao: Trung tâm Phục vụ hành chính công – Phạm Thị An (Bưu điện xã Định Mỹ)",
                     "Nhận: UBND xã Định Mỹ – Lê Văn Cường", "14 giờ 05 phút, ngày 10/06/2026",
                     "Giao: UBND xã Định Mỹ – Lê Văn Cường",
                     "Nhận: Trung tâm Phục vụ hành chính công – Phạm Thị An (Bưu điện xã Định Mỹ)",
                     "10 giờ 00 phút, ngày 12/06/2026"):
        assert expected in text, expected
    # Both before the due time (Mon 15/6): each block marked early, besides the column's heading.
    assert text.count("Trước hạn") == 1 + 2 and "Quá hạn" not in text


def test_the_daily_list_holds_the_days_hand_overs_to_the_specialists(app, clock, postal_officer, tmp_path):
    d1 = app.intake.receive(request(officer="Phạm Thị An", operator=POST))
    d2 = app.intake.receive(request("1.001193", officer="Phạm Thị An", operator=POST))
    clock.set("2026-06-11T08:30")
    # Recorded the next morning, handed over the evening before: it belongs on the 10th's list.
    app.staff.record([d1.code], "Phạm Thị An", giver="an.bd", receiver="Lê Văn Cường",
                     handed_at=datetime(2026, 6, 10, 16, 45))
    app.staff.record([d2.code], "Phạm Thị An", giver="an.bd", receiver="Đỗ Thị Hoa")
    app.staff.record([d1.code], "Lê Văn Cường", giver="Lê Văn Cường", receiver="an.bd",
                     direction=HandoverDirection.TO_COUNTER)
    tenth = app.staff.of_day(date(2026, 6, 10))
    assert [(h.dossier_code, h.receiver.name) for h, _ in tenth] == [(d1.code, "Lê Văn Cường")]
    eleventh = app.staff.of_day(date(2026, 6, 11))
    assert [(h.dossier_code, h.receiver.name) for h, _ in eleventh] == [(d2.code, "Đỗ Thị Hoa")]
    assert [h.direction for h, _ in app.staff.of_day(date(2026, 6, 11), None)] == [
        HandoverDirection.TO_SPECIALIST, HandoverDirection.TO_COUNTER]
    pdf = Pdf(render_staff_handover_pdf(date(2026, 6, 11), eleventh, app.ctx.settings))
    assert_clean_fonts(pdf)
    text = pdf.text()
    for expected in ("DANH SÁCH BÀN GIAO HỒ SƠ", "ngày 11/06/2026", "Đỗ Thị Hoa", "Phạm Thị An (Bưu điện xã Định Mỹ)",
                     "Người nhận ký", "BÊN GIAO", "BÊN NHẬN", "Số hồ sơ bàn giao: 1 hồ sơ (1 bộ)", "Đăng ký khai sinh"):
        assert expected in text, expected
    assert d2.code in text.replace(" ", "") and d1.code not in text.replace(" ", "")
    assert pdf.size_mm() == (297, 210)
    empty = Pdf(render_staff_handover_pdf(date(2026, 6, 9), [], app.ctx.settings)).text()
    assert "Không có hồ sơ nào được bàn giao trong ngày." in empty
