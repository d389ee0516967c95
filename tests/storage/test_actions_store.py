"""The life cycle against the store: each action is one transaction with its event and outbox row."""

import json
from datetime import datetime

import pytest
from counter_app.storage.cipher import open_store

from counter_app.core.calendar import TZ
from counter_app.core.errors import IllegalTransition, NotFound, ValidationError
from tests.conftest import outbox_count, receivable_anywhere, request


def history(app, code):
    return [(e.kind, e.status_before, e.status_after) for e in app.queries.get(code).events]


def test_full_life_cycle_records_every_step(app, clock):
    d = app.intake.receive(request())
    app.actions.forward(d.code, "Cán bộ A", "H52.101.01")
    clock.set("2026-06-11T09:00")
    app.actions.request_supplement(d.code, "Cán bộ B", "Thiếu bản sao CCCD", ["Bản sao CCCD"])
    clock.set("2026-06-12T08:00")
    supplied = app.actions.supplied(d.code, "Cán bộ A")
    assert supplied.due_at == datetime(2026, 6, 17, 8, 0, tzinfo=TZ)  # restarted from the complete dossier
    app.actions.result_ready(d.code, "Cán bộ B")
    returned = app.actions.return_result(d.code, "Cán bộ A", receiver_name="Trần Văn Bình",
                                         receiver_id="052090123456", rating=5, fees_collected_vnd=50_000)
    assert returned.status == "returned"
    assert history(app, d.code) == [
        ("received", None, "received"),
        ("forwarded", "received", "processing"),
        ("supplement_requested", "processing", "supplement_requested"),
        ("supplied", "supplement_requested", "processing"),
        ("result_ready", "processing", "result_ready"),
        ("returned", "result_ready", "returned"),
    ]
    events = app.queries.get(d.code).events
    assert events[2].payload == {"reason": "Thiếu bản sao CCCD", "documents": ["Bản sao CCCD"]}
    assert events[5].payload["rating"] == 5 and events[5].officer == "Cán bộ A"
    assert outbox_count(app) == 6
    con = open_store(app.db.path)
    uuids = [r[0] for r in con.execute("SELECT event_uuid FROM outbox ORDER BY device_seq")]
    assert uuids == [e.uuid for e in events]


def test_illegal_action_writes_nothing(app):
    d = app.intake.receive(request())
    before = outbox_count(app)
    with pytest.raises(IllegalTransition, match="Không thể trả kết quả"):
        app.actions.return_result(d.code, "Cán bộ A")
    assert app.queries.get(d.code).status == "received"
    assert outbox_count(app) == before


def test_reschedule_once_with_reason_and_later_due(app, clock):
    d = app.intake.receive(request())
    app.actions.forward(d.code, "Cán bộ A")
    with pytest.raises(ValidationError, match="sau ngày hẹn cũ"):
        app.actions.reschedule(d.code, "Cán bộ A", datetime(2026, 6, 12, 9, 0), "Chờ xác minh")
    with pytest.raises(ValidationError, match="lý do"):
        app.actions.reschedule(d.code, "Cán bộ A", datetime(2026, 6, 19, 9, 0), "  ")
    r = app.actions.reschedule(d.code, "Cán bộ A", datetime(2026, 6, 19, 9, 0), "Chờ xác minh")
    assert r.due_at == datetime(2026, 6, 19, 9, 0, tzinfo=TZ) and r.reschedule_count == 1
    stored = app.queries.get(d.code)
    assert stored.due_at == r.due_at and stored.reschedule_count == 1
    assert stored.events[-1].payload["old_due_at"] == "2026-06-15T09:15:00+07:00"
    with pytest.raises(IllegalTransition, match="tối đa 1"):
        app.actions.reschedule(d.code, "Cán bộ A", datetime(2026, 6, 26, 9, 0), "Lần nữa")


def test_stop_and_withdraw_need_the_right_status(app):
    a = app.intake.receive(request())
    with pytest.raises(ValidationError):
        app.actions.stop(a.code, "Cán bộ A", "")
    assert app.actions.stop(a.code, "Cán bộ A", "Người nộp không bổ sung").status == "stopped"
    with pytest.raises(IllegalTransition):
        app.actions.withdraw(a.code, "Cán bộ A")
    b = app.intake.receive(request())
    assert app.actions.withdraw(b.code, "Cán bộ A", "Công dân xin rút").status == "withdrawn"


def test_return_validates_receiver_and_rating(app):
    d = app.intake.receive(request())
    app.actions.result_ready(d.code, "Cán bộ A")
    with pytest.raises(ValidationError):
        app.actions.return_result(d.code, "Cán bộ A", rating=6)
    with pytest.raises(ValidationError):
        app.actions.return_result(d.code, "Cán bộ A", receiver_id="123")
    assert app.queries.get(d.code).status == "result_ready"


def test_unknown_code(app):
    with pytest.raises(NotFound, match="Không tìm thấy"):
        app.actions.forward("H52.101-260610-019999", "Cán bộ A")


def test_catalogue_reimport_updates_in_place_and_never_deletes_a_used_procedure(app, tmp_path):
    d = app.intake.receive(request("1.001612"))
    procedures = [p for p in app.catalogue.procedures() if p.code in ("1.001612", "1.001193")]
    from counter_app.core.catalogue import export_catalogue, parse_catalogue

    doc = export_catalogue(procedures)
    for p in doc["procedures"]:
        p["working_days"] = 4
    doc["procedures"] = [p for p in doc["procedures"] if p["code"] == "1.001193"]  # 1.001612 left out
    report = app.catalogue.import_procedures(parse_catalogue(doc), replace=True)
    assert report.updated == ["1.001193"]
    assert report.closed == ["1.001612"]  # used by a dossier: closed, not deleted
    assert len(report.deleted) == 88
    remaining = {p.code: p for p in app.catalogue.procedures()}
    assert set(remaining) == {"1.001193", "1.001612"}
    assert not remaining["1.001612"].active and remaining["1.001193"].working_days == 4
    assert app.queries.get(d.code).procedure_code == "1.001612"
    with pytest.raises(ValidationError, match="ngừng áp dụng"):
        app.intake.receive(request("1.001612"))
    again = app.catalogue.import_procedures(parse_catalogue(json.loads(json.dumps(doc))))
    assert again.unchanged == ["1.001193"]


def test_procedure_without_time_limit_cannot_be_received(app):
    with pytest.raises(ValidationError, match="chưa có thời hạn"):
        app.intake.receive(request("2.002516"))  # the portal did not settle its time limit


def test_a_return_away_from_the_return_point_needs_a_reason(app):
    """Issue 15 item 3: the result chosen to be returned at another counter (here: the competent
    commune's) may still be handed over here, but only with a recorded reason."""
    from counter_app.core.admin import make_agency

    app.setup.add_served_agency(make_agency("H52.102", "UBND xã Định Hòa", "Gia Lai", own=False))
    receivable_anywhere(app)
    d = app.intake.receive(request(competent_agency="H52.102", return_agency="H52.102"))
    app.actions.result_ready(d.code, "Cán bộ A")
    before = outbox_count(app)
    assert app.actions.return_point_elsewhere(d.code) == "H52.102"
    with pytest.raises(ValidationError, match="Phải ghi rõ lý do trả kết quả tại quầy này .nơi trả đã chọn: H52.102"):
        app.actions.return_result(d.code, "Cán bộ A", reason="   ")
    assert outbox_count(app) == before and app.queries.get(d.code).status == "result_ready"
    returned = app.actions.return_result(d.code, "Cán bộ A", reason="Công dân ở gần quầy này hơn")
    assert returned.events[-1].payload["reason"] == "Công dân ở gần quầy này hơn"
    assert returned.events[-1].payload["off_return_point"] == "H52.102"


def test_a_return_at_the_return_point_asks_no_reason(app):
    from counter_app.core.admin import make_agency

    app.setup.add_served_agency(make_agency("H52.102", "UBND xã Định Hòa", "Gia Lai", own=False))
    receivable_anywhere(app)
    here = app.intake.receive(request(competent_agency="H52.102"))  # returned here by default
    app.actions.result_ready(here.code, "Cán bộ A")
    assert app.actions.return_point_elsewhere(here.code) is None
    returned = app.actions.return_result(here.code, "Cán bộ A")
    assert "reason" not in returned.events[-1].payload and returned.status == "returned"
