"""Hand-over records with the post: the list of a batch, its signing (the legal submission time),
results sent by post and their delivery outcome, and what a signed list still lacks."""

from datetime import date, datetime

import pytest

from counter_app.core.calendar import TZ
from counter_app.core.errors import IllegalTransition, ValidationError
from counter_app.core.lifecycle import POSTAL_HANDOVER
from counter_app.core.model import Channel, DocumentKind, DocumentLine
from counter_app.core.postal import Direction, PostalIntake
from counter_app.printing.handover import render_handover_pdf
from tests.conftest import request
from tests.printing.conftest import Pdf, assert_clean_fonts

A, B, C = "RR123456785VN", "EE876543216VN", "RR111111115VN"


def by_post(app, item, **kw):
    return app.intake.receive(request(channel=Channel.POST, postal=PostalIntake(item, employee="Phạm Văn Bưu"), **kw))


def test_incoming_record_lists_each_dossier_and_signing_sets_the_submission_time(app, clock):
    docs = [DocumentLine("Tờ khai", DocumentKind.ORIGINAL, 1), DocumentLine("Giấy khai sinh", DocumentKind.CERTIFIED_COPY, 2)]
    first = by_post(app, A, documents=docs)
    second = by_post(app, B)
    assert first.due_at == datetime(2026, 6, 15, 9, 15, tzinfo=TZ)  # 3 working days from receipt, Wed 10/6
    batch, dossiers = app.postal.prepare(Direction.IN, date(2026, 6, 10), "Cán bộ A", extra_items=[C])
    assert [(x.item, x.dossier_code) for x in batch.items] == [(A, first.code), (B, second.code), (C, None)]
    pdf = Pdf(render_handover_pdf(batch, dossiers, app.ctx.settings))
    assert_clean_fonts(pdf)  # Vietnamese text in the embedded serif, never a base-14 font
    text = pdf.text()
    assert "BIÊN BẢN GIAO NHẬN HỒ SƠ" in text and batch.code in text
    for expected in (A, B, C, "Chưa tiếp nhận", "ĐẠI DIỆN BƯU CHÍNH (BÊN GIAO)", "CÁN BỘ TIẾP NHẬN (BÊN NHẬN)"):
        assert expected in text
    assert f"{A} {first.code}".replace(" ", "") in text.replace(" ", "")

    clock.set("2026-06-11T10:00")
    signed = app.postal.sign(batch.code, "Cán bộ A", signed_at=datetime(2026, 6, 11, 8, 0), postal_employee="Phạm Văn Bưu")
    assert signed.signed_at == datetime(2026, 6, 11, 8, 0, tzinfo=TZ)
    after = app.queries.get(first.code)
    # Due date counted from the signing (Thu 11/6 08:00 + 3 working days), not from the receipt.
    assert after.due_at == datetime(2026, 6, 16, 8, 0, tzinfo=TZ)
    event = after.events[-1]
    assert event.kind == POSTAL_HANDOVER and event.status_before == event.status_after == "received"
    assert event.payload["submitted_at"] == "2026-06-11T08:00:00+07:00" and event.payload["item"] == A
    with pytest.raises(ValidationError, match="đã ký"):
        app.postal.sign(batch.code, "Cán bộ A")
    reprint = Pdf(render_handover_pdf(*app.postal.get(batch.code), app.ctx.settings)).text()
    assert "Phạm Văn Bưu" in reprint and "08 giờ 00 phút, ngày 11/06/2026" in reprint


def test_a_signed_list_is_reconciled_until_every_item_is_received(app, clock):
    by_post(app, A)
    batch, _ = app.postal.prepare(Direction.IN, date(2026, 6, 10), "Cán bộ A", extra_items=[C])
    assert app.postal.unaccounted() == []  # an unsigned list proves nothing yet
    app.postal.sign(batch.code, "Cán bộ A")
    missing = app.postal.unaccounted()
    assert [(m.batch, m.item, m.dossier_code) for m in missing] == [(batch.code, C, None)]
    late = by_post(app, C)
    assert app.postal.unaccounted() == []
    # The late dossier is not put on another list of the day: it is already on the signed one.
    with pytest.raises(ValidationError, match="Không có hồ sơ nào"):
        app.postal.prepare(Direction.IN, date(2026, 6, 10), "Cán bộ A")
    assert late.postal_item == C


def test_results_by_post_delivered_or_brought_back(app, clock):
    d1 = app.intake.receive(request())
    d2 = app.intake.receive(request())
    for d in (d1, d2):
        app.actions.result_ready(d.code, "Cán bộ A")
    with pytest.raises(ValidationError, match="chưa được giao cho bưu chính"):
        app.postal.delivered(d1.code, "Cán bộ A")
    clock.set("2026-06-12T09:00")
    for d, item in ((d1, A), (d2, B)):
        posted = app.postal.post_result(d.code, "Cán bộ A", item=item, recipient="Nguyễn Văn Ấn",
                                        address="Thôn 1, xã Định Mỹ", cod_vnd=15_000)
        assert posted.status == "result_ready" and posted.events[-1].payload["item"] == item
    with pytest.raises(ValidationError, match="đang ở bưu chính"):
        app.postal.post_result(d1.code, "Cán bộ A", item=C, recipient="X", address="Y")
    batch, dossiers = app.postal.prepare(Direction.OUT, date(2026, 6, 12), "Cán bộ A")
    assert [x.item for x in batch.items] == [A, B]
    text = Pdf(render_handover_pdf(batch, dossiers, app.ctx.settings)).text()
    assert "BIÊN BẢN GIAO NHẬN KẾT QUẢ" in text and "15.000" in text and "Thôn 1, xã Định Mỹ" in text
    app.postal.sign(batch.code, "Cán bộ A", postal_employee="Phạm Văn Bưu")
    assert {m.dossier_code for m in app.postal.unaccounted()} == {d1.code, d2.code}

    done = app.postal.delivered(d1.code, "Cán bộ A", receiver_name="Nguyễn Văn Ấn")
    assert done.status == "returned"
    assert done.events[-1].payload["item"] == A and done.events[-1].payload["fees_collected_vnd"] == 15_000
    with pytest.raises(ValidationError, match="ít nhất 2 lần"):
        app.postal.undelivered(d2.code, "Cán bộ A", attempts=1)
    back = app.postal.undelivered(d2.code, "Cán bộ A", attempts=2, reason="Không có người nhận")
    assert back.status == "result_ready"  # chờ trả at the counter again
    assert app.postal.unaccounted() == []
    with pytest.raises(IllegalTransition):
        app.postal.post_result(d1.code, "Cán bộ A", item=C, recipient="X", address="Y")
    line = next(x for x in app.tracking_register.lines(date(2026, 6, 1), date(2026, 6, 30)) if x.code == d1.code)
    assert line.returned_at is not None and line.receiver_name == "Nguyễn Văn Ấn"


def test_the_province_accepts_the_postal_events():
    from provincial_server.validation import EVENT_KINDS, Invalid, _check_transition

    assert {"postal_handover", "result_posted", "postal_undelivered"} <= EVENT_KINDS
    _check_transition("result_posted", "result_ready", "result_ready")
    _check_transition("postal_handover", "received", "received")
    with pytest.raises(Invalid):
        _check_transition("result_posted", "processing", "result_ready")


def test_cli_handover_print_sign_and_pending(tmp_path):
    from tests.cli.test_cli import run, run_json

    data = tmp_path / "data"
    run_json(data, "init", "--agency-code", "H52.101", "--agency-name", "UBND xã Định Mỹ", "--province", "Gia Lai",
             "--desk", "1")
    d = run_json(data, "intake", "--procedure", "1.001612", "--name", "Nguyễn Văn Ấn", "--channel", "post",
                 "--postal-item", A, "--received-at", "2026-06-10T09:15",
                 "--backdate-reason", "nhập bù sổ giấy")
    out = tmp_path / "bb.pdf"
    printed = run_json(data, "handover", "--channel", "post", "--date", "2026-06-10", "--direction", "in",
                       "--item", C, "--out", str(out))
    assert [x["item"] for x in printed["items"]] == [A, C]
    text = Pdf(out.read_bytes()).text()
    assert "BIÊN BẢN GIAO NHẬN HỒ SƠ" in text and A in text and d["code"].replace(" ", "") in text.replace(" ", "")
    signed = run_json(data, "handover", "sign", printed["batch"], "--at", "2026-06-11T08:00",
                      "--postal-employee", "Phạm Văn Bưu")
    assert signed["signed_at"] == "2026-06-11T08:00:00+07:00"
    assert run_json(data, "show", d["code"])["due_at"] == "2026-06-16T08:00:00+07:00"
    pending = run_json(data, "handover", "pending")
    assert [(p["item"], p["dossier_code"]) for p in pending] == [(C, None)]
    reprint = tmp_path / "bb2.pdf"
    run_json(data, "handover", "print", printed["batch"], "--out", str(reprint))
    assert "Phạm Văn Bưu" in Pdf(reprint.read_bytes()).text()  # the signed list, reprinted with its signer
    again = run(data, "handover", "sign", printed["batch"], ok=False)
    assert again.returncode == 1 and "đã ký" in again.stderr
