"""Tamper evidence on a real SQLite file: ``check`` finds rows edited, deleted or inserted behind the
application's back, and a store the application wrote itself passes."""

import json
import shutil
import sqlite3
import uuid as uuidlib
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from counter_app.app import CounterApp
from counter_app.core import protocol
from counter_app.storage.maintenance import check_database
from tests.conftest import ROOT, outbox_count, request

MIGRATIONS = ROOT / "migrations"
FIXTURES = ROOT / "tests" / "migrations" / "fixtures"


def deliver_all(app) -> list[dict]:
    """Push everything as the server would accept it; returns the bodies claim() built."""
    with app.uow() as uow:
        batch = uow.outbox.claim(app.clock.now(), timedelta(minutes=2))
        uow.outbox.settle([{"uuid": e["uuid"], "result": protocol.ACCEPTED} for e in batch], app.clock.now())
        uow.commit()
    return batch


@pytest.fixture
def store(app, clock):
    """Intake, return, reschedule and a province status change, as the application writes them."""
    returned = app.intake.receive(request())
    app.actions.forward(returned.code, "Cán bộ A")
    app.actions.result_ready(returned.code, "Cán bộ B")
    app.actions.return_result(returned.code, "Cán bộ A", receiver_name="Trần Văn Bình", fees_collected_vnd=0)
    later = app.intake.receive(request())
    app.actions.forward(later.code, "Cán bộ A")
    app.actions.reschedule(later.code, "Cán bộ A", datetime(2026, 6, 19, 9, 0), "Chờ xác minh")
    pulled = app.intake.receive(request())
    app.actions.forward(pulled.code, "Cán bộ A")
    deliver_all(app)
    with app.uow() as uow:
        outcome = uow.remote.apply_status(7, {"code": pulled.code, "uuid": str(uuidlib.uuid4()),
                                              "status": "result_ready", "at": "2026-06-10T10:00:00+07:00",
                                              "note": "Đã có kết quả"})
        uow.commit()
    assert outcome == "applied"
    return {"returned": returned.code, "later": later.code, "pulled": pulled.code}


def sql(app, statement: str, params=()) -> list[tuple]:
    con = sqlite3.connect(app.db.path)
    try:
        rows = con.execute(statement, params).fetchall()
        con.commit()
        return rows
    finally:
        con.close()


def check(app):
    return check_database(Path(app.db.path).parent, MIGRATIONS)


def test_a_store_written_by_the_application_passes(app, store):
    report = check(app)
    assert report.ok, report.problems
    assert any("9 sự kiện đã kiểm tra" in n for n in report.notes)
    assert "Chưa có chuỗi" not in report.text()


def test_what_claim_pushes_is_the_chain_stored_at_write_time(app, store):
    app.intake.receive(request())
    [body] = [b for b in deliver_all(app)]
    stored = dict(sql(app, "SELECT o.device_seq, e.chain_hash FROM outbox o JOIN dossier_event e "
                           "ON e.uuid = o.event_uuid"))
    assert protocol.payload_hash(body) == stored[body["device_seq"]]
    assert body["prev_hash"] == stored[body["device_seq"] - 1]
    assert sql(app, "SELECT prev_hash FROM outbox WHERE device_seq = 1") == [(protocol.CHAIN_GENESIS,)]


@pytest.mark.parametrize("column, value", [
    ("applicant_name", "Nguyễn Văn Bình"),
    ("id_number", "052090999999"),
    ("status", "returned"),
    ("due_at", "2026-07-30 09:15:00.000000"),
])
def test_a_dossier_row_edited_directly_is_found(app, store, column, value):
    code = store["later"]
    sql(app, f"UPDATE dossier SET {column} = ? WHERE code = ?", (value, code))
    problems = check(app).problems
    assert len(problems) == 1 and code in problems[0] and "bị sửa trực tiếp" in problems[0]


def test_a_pulled_status_edited_back_is_found(app, store):
    code = store["pulled"]
    sql(app, "UPDATE dossier SET status = 'processing' WHERE code = ?", (code,))
    assert [p for p in check(app).problems if code in p]


def test_a_fee_line_edited_is_found(app, store):
    code = store["later"]
    sql(app, "INSERT INTO dossier_fee (dossier_id, position, name, amount_vnd) "
             "SELECT id, 9, 'Phí thêm', 1000 FROM dossier WHERE code = ?", (code,))
    assert [p for p in check(app).problems if code in p]


def test_an_event_payload_edited_is_found(app, store):
    [(seq,)] = sql(app, "SELECT o.device_seq FROM outbox o JOIN dossier_event e ON e.uuid = o.event_uuid "
                        "WHERE e.kind = 'returned'")
    sql(app, "UPDATE dossier_event SET payload = json_set(payload, '$.receiver_name', 'Người khác') "
             "WHERE kind = 'returned'")
    problems = check(app).problems
    assert len(problems) == 1 and f"Sự kiện số {seq} (hồ sơ" in problems[0] and "bị sửa" in problems[0]


def _delete_event(app, seq: int) -> None:
    [(uuid,)] = sql(app, "SELECT event_uuid FROM outbox WHERE device_seq = ?", (seq,))
    sql(app, "DELETE FROM outbox WHERE device_seq = ?", (seq,))
    sql(app, "DELETE FROM dossier_event WHERE uuid = ?", (uuid,))


def test_an_event_deleted_from_the_middle_is_found(app, store):
    _delete_event(app, 6)
    problems = check(app).problems
    assert any("Thiếu sự kiện số 6 " in p for p in problems), problems


def test_the_last_event_deleted_is_found(app, store):
    [(last,)] = sql(app, "SELECT max(device_seq) FROM outbox")
    _delete_event(app, last)
    problems = check(app).problems
    assert any(f"Thiếu sự kiện số {last}, sự kiện cuối cùng" in p for p in problems), problems


def test_an_outbox_row_deleted_alone_is_found(app, store):
    sql(app, "DELETE FROM outbox WHERE device_seq = 2")
    problems = check(app).problems
    assert any("không còn dòng trong hàng đợi" in p for p in problems), problems


def test_a_forged_event_inserted_is_found(app, store):
    code = store["later"]
    [(dossier_id, status)] = sql(app, "SELECT id, status FROM dossier WHERE code = ?", (code,))
    forged = str(uuidlib.uuid4())
    [(last,)] = sql(app, "SELECT max(device_seq) FROM outbox")
    sql(app, "INSERT INTO dossier_event (uuid, dossier_id, kind, at, officer, status_before, status_after, payload) "
             "VALUES (?, ?, 'withdrawn', '2026-06-10 11:00:00.000000', 'Cán bộ A', ?, 'withdrawn', ?)",
        (forged, dossier_id, status, json.dumps({"reason": "giả"})))
    sql(app, "INSERT INTO outbox (event_uuid, device_seq, dossier_code, state, created_at, attempts) "
             "VALUES (?, ?, ?, 'pending', '2026-06-10 11:00:00.000000', 0)", (forged, last + 1, code))
    problems = check(app).problems
    assert any(f"sự kiện số {last + 1}" in p.lower() and "bị chèn" in p for p in problems), problems


def test_a_forged_event_with_a_made_up_hash_is_found(app, store):
    code = store["later"]
    [(dossier_id, status)] = sql(app, "SELECT id, status FROM dossier WHERE code = ?", (code,))
    forged = str(uuidlib.uuid4())
    [(last,)] = sql(app, "SELECT max(device_seq) FROM outbox")
    [(head,)] = sql(app, "SELECT e.chain_hash FROM outbox o JOIN dossier_event e ON e.uuid = o.event_uuid "
                         "WHERE o.device_seq = ?", (last,))
    sql(app, "INSERT INTO dossier_event (uuid, dossier_id, kind, at, officer, status_before, status_after, payload, "
             "state_hash, chain_hash) VALUES (?, ?, 'printed', '2026-06-10 11:00:00.000000', 'Cán bộ A', ?, ?, '{}', "
             "?, ?)", (forged, dossier_id, status, status, "a" * 64, "b" * 64))
    sql(app, "INSERT INTO outbox (event_uuid, device_seq, dossier_code, state, created_at, attempts, prev_hash) "
             "VALUES (?, ?, ?, 'pending', '2026-06-10 11:00:00.000000', 0, ?)", (forged, last + 1, code, head))
    sql(app, "UPDATE device_counter SET value = value + 1 WHERE name = 'outbox_event_seq'")
    problems = check(app).problems
    assert any(f"sự kiện số {last + 1}" in p.lower() and "bị sửa" in p for p in problems), problems
    assert any(code in p and "bị sửa trực tiếp" in p for p in problems), problems


def test_events_from_before_the_chain_are_information_not_problems(tmp_path, clock):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(FIXTURES / "schema-0001.sqlite", data / "counter.sqlite")
    app = CounterApp.open(data, clock)
    try:
        code = next(r.code for r in app.queries.list() if r.status == "processing")
        app.actions.result_ready(code, "Cán bộ B")
        app.intake.receive(request())
    finally:
        app.close()
    report = check_database(data, MIGRATIONS)
    assert report.ok, report.problems
    assert any(n.startswith("Chưa có chuỗi") and "hồ sơ" in n for n in report.notes), report.notes
    assert any("2 sự kiện đã kiểm tra" in n for n in report.notes), report.notes


def test_the_check_command_names_the_edited_dossier_without_a_traceback(app, store):
    from tests.cli.test_cli import run

    code = store["returned"]
    sql(app, "UPDATE dossier SET applicant_name = 'Người khác' WHERE code = ?", (code,))
    data = Path(app.db.path).parent
    app.close()
    result = run(data, "check", ok=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"Hồ sơ {code} đã bị sửa trực tiếp" in result.stdout
    report = json.loads(run(data, "check", "--json", ok=False).stdout)
    assert not report["ok"] and any(code in p for p in report["problems"]) and report["notes"]


IMPORTED = "H52.102-260601-010001"


def _import_dossier(app) -> str:
    with app.uow() as uow:
        outcome = uow.remote.import_dossier({"status": "result_ready", "events": [
            {"uuid": str(uuidlib.uuid4()), "kind": "received", "at": "2026-06-01T08:00:00+07:00",
             "officer": "Cán bộ xã Định Hòa", "status_after": "received", "payload": {}}],
            "dossier": {"code": IMPORTED, "procedure_code": "1.001612", "procedure_name": "Đăng ký khai sinh",
                        "receiving_agency": "H52.102", "competent_agency": "H52.101",
                        "received_at": "2026-06-01T08:00:00+07:00", "due_at": "2026-06-03T08:00:00+07:00",
                        "applicant": {"full_name": "Lê Thị Cúc", "id_number": "052190000001"},
                        "documents": [{"name": "Tờ khai", "kind": "original", "count": 1}],
                        "fees": [{"name": "Lệ phí", "amount_vnd": 10000}]}})
        uow.commit()
    assert outcome == "added"
    return IMPORTED


def test_a_dossier_imported_for_return_is_bound_to_its_state(app, store):
    code = _import_dossier(app)
    report = check(app)
    assert report.ok, report.problems
    sql(app, "UPDATE dossier_fee SET amount_vnd = 0 WHERE dossier_id = (SELECT id FROM dossier WHERE code = ?)",
        (code,))
    problems = check(app).problems
    assert len(problems) == 1 and code in problems[0], problems


def test_a_wholesale_rewrite_is_summarised_not_listed_line_by_line(app, store, monkeypatch):
    from counter_app.storage import chain

    monkeypatch.setattr(chain, "MAX_PROBLEM_LINES", 2)
    sql(app, "UPDATE dossier SET applicant_name = 'Người khác'")
    problems = check(app).problems
    assert len(problems) == 3 and problems[-1] == "… và 1 vấn đề khác về chuỗi sự kiện."


def test_routed_events_and_a_moved_return_point_are_bound_to_the_state(app, store):
    """Issue 15 item 3: another counter's events recorded here (no outbox row) and the province's
    move of the return point each bind the dossier's new state; an edit after them is caught."""
    code = _import_dossier(app)
    before = outbox_count(app)
    with app.uow() as uow:
        ready = uow.remote.apply_event(11, {"code": code, "agency": "H52.102", "status": "returned", "due_at": None,
                                            "event": {"uuid": str(uuidlib.uuid4()), "kind": "returned",
                                                      "at": "2026-06-02T09:00:00+07:00", "officer": "Cán bộ xã",
                                                      "status_before": "result_ready", "status_after": "returned",
                                                      "payload": {"receiver_name": "Lê Thị Cúc"}}})
        moved = uow.remote.import_dossier({"status": "returned", "events": [], "dossier": {
            "code": code, "return_agency": "H52.102"}})
        uow.commit()
    assert (ready, moved) == ("applied", "moved")
    d = app.queries.get(code)
    assert d.status == "returned" and d.return_agency == "H52.102"
    assert d.events[-2].payload["routed_from"] == "H52.102" and d.events[-1].kind == "province_status"
    assert outbox_count(app) == before  # nothing to send back: it came from the server
    assert check(app).ok, check(app).problems
    sql(app, "UPDATE dossier SET return_agency = 'H52.999' WHERE code = ?", (code,))
    assert any(code in p for p in check(app).problems)
