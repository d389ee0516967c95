"""The bulk writer of imported dossiers against a real store: the values it writes by hand read back
through the ORM exactly, the state hashes verify, and committed batches are announced."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy.dialects import sqlite

from counter_app.core.calendar import TZ
from counter_app.startup import check_store
from counter_app.storage.history_import import stored
from counter_app.storage.models import DossierRow

HEADER = "code,procedure_code,received_at,due_at,finished_at,returned_at,status,channel,applicant_name,id_number"


def test_times_are_written_as_the_orm_column_writes_them():
    dialect = sqlite.dialect()
    orm = DossierRow.__table__.c.received_at.type.dialect_impl(dialect).bind_processor(dialect)
    for value in (datetime(2024, 1, 5, 8, 10, tzinfo=TZ), datetime(2024, 12, 31, 23, 59, 59, 999_999, tzinfo=TZ),
                  datetime(2024, 3, 1, 1, 2, 3, tzinfo=timezone.utc), datetime(2024, 3, 1, tzinfo=timezone(timedelta(hours=9)))):
        assert stored(value) == orm(value)
    assert stored(None) is None


def test_imported_dossiers_read_back_verify_and_are_announced(app, tmp_path):
    seen = []
    app.changes.subscribe(seen.append)
    rows = [f"H52.101-2401{d:02d}-{i:04d},1.001612,2024-01-{d:02d}T08:{i % 60:02d}:07,2024-01-{d + 3:02d},"
            f",,processing,,Phạm Thị Mai {i},052090123456" for d in range(2, 5) for i in range(1, 7)]
    path = tmp_path / "cu.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    batches = []
    result = app.history.import_file(str(path), "Trần Văn Quản", progress=lambda r: batches.append(r.imported))
    assert (result.rows, result.imported, result.already_present, result.problems) == (18, 18, 0, [])
    assert batches == [18]
    assert any(c.dossiers for c in seen)  # written by raw statements, still announced to the window

    d = app.queries.get("H52.101-240103-0005")
    assert d.received_at == datetime(2024, 1, 3, 8, 5, 7, tzinfo=TZ)
    assert d.due_at == datetime(2024, 1, 6, 17, 0, tzinfo=TZ)
    assert (d.desk, d.receiving_officer, d.applicant.full_name, d.return_method.value) == (
        0, "Hệ thống cũ", "Phạm Thị Mai 5", "counter")
    (event,) = d.events
    assert (event.kind, event.officer, event.status_before, event.status_after) == (
        "imported", "Trần Văn Quản", None, "processing")
    assert event.payload == {"source": "cu.csv", "line": 12, "note": "nhập từ tệp cu.csv, dòng 12"}
    assert check_store(app.data_dir).ok

    # An edit of an imported row behind the app's back is caught like any other dossier's.
    import sqlite3

    con = sqlite3.connect(app.db.path)
    con.execute("UPDATE dossier SET applicant_name = 'Người khác' WHERE code = 'H52.101-240103-0005'")
    con.commit()
    con.close()
    report = check_store(app.data_dir)
    assert not report.ok and any("H52.101-240103-0005" in p for p in report.problems)


def test_an_imported_code_in_the_counters_own_format_is_never_issued_again(app, tmp_path):
    from tests.conftest import request

    path = tmp_path / "today.csv"
    path.write_text(f"{HEADER}\nH52.101-260610-010007,1.001612,2026-06-10T08:00,,,,received,,Lê Văn Tám,\n"
                    "H52.101-260610-990002,1.001612,2026-06-10T08:01,,,,received,,Lê Văn Chín,\n", encoding="utf-8")
    assert app.history.import_file(str(path), "Trần Văn Quản").imported == 2
    # Same prefix, day and desk slot 1 as the import's first code: the counter goes on after it.
    assert app.intake.receive(request()).code == "H52.101-260610-010008"
