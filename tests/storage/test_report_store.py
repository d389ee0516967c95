"""Issue 16: the counter's report from its real SQLite store, dossiers made through the services.

``dossier_outcome`` is what the report reads; it is kept by one flush hook from every event,
whichever path wrote it, so the tests drive each path and compare with a rebuild from the events."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from counter_app.core.certification import CertItemInput
from counter_app.core.certify import CertRequest
from counter_app.core.errors import ValidationError
from counter_app.storage.cipher import open_store
from tests.conftest import applicant, request
from tests.migrations.seed import insert_dossier, insert_procedure, migrate_to

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def outcomes(app) -> dict[str, tuple]:
    con = open_store(app.db.path)
    try:
        return {code: tuple(rest) for code, *rest in con.execute(
            "SELECT d.code, o.finished_at, o.returned_at, o.rating FROM dossier_outcome o "
            "JOIN dossier d ON d.id = o.dossier_id ORDER BY d.code")}
    finally:
        con.close()


def rebuilt(app) -> dict[str, tuple]:
    """The same table recomputed from the events alone (what migration 0016 does)."""
    from counter_app.storage.outcomes import rebuild

    with app.uow() as uow:
        rebuild(uow.session)
        uow.commit()
    return outcomes(app)


def test_each_path_that_finishes_or_returns_a_dossier_records_its_outcome(app, clock):
    returned = app.intake.receive(request())
    app.actions.forward(returned.code, "Cán bộ A")
    clock.set("2026-06-11T10:00:00")
    app.actions.result_ready(returned.code, "Cán bộ A")
    clock.set("2026-06-12T14:30:00")
    app.actions.return_result(returned.code, "Cán bộ A", receiver_name="Nguyễn Văn Ấn", rating=2)

    posted = app.intake.receive(request())
    app.actions.result_ready(posted.code, "Cán bộ A")
    clock.set("2026-06-15T09:00:00")
    app.postal.post_result(posted.code, "Cán bộ A", item="EE876543216VN", recipient="Nguyễn Văn Ấn",
                           address="Thôn 1")
    clock.set("2026-06-17T09:00:00")
    app.postal.undelivered(posted.code, "Cán bộ A", attempts=2, reason="Vắng nhà")  # still finished on 12/6

    waiting = app.intake.receive(request())
    got = outcomes(app)
    assert got[returned.code] == ("2026-06-11 10:00:00.000000", "2026-06-12 14:30:00.000000", 2)
    assert got[posted.code] == ("2026-06-12 14:30:00.000000", None, None)
    assert waiting.code not in got
    assert rebuilt(app) == got


def test_the_service_reports_what_the_store_holds(app, clock):
    early = app.intake.receive(request())  # Wednesday 10/6 09:15, due three working days later
    app.actions.result_ready(early.code, "Cán bộ A")
    app.actions.return_result(early.code, "Cán bộ A", receiver_name="Nguyễn Văn Ấn", rating=5)
    late = app.intake.receive(request())
    clock.at = late.due_at + timedelta(minutes=5)
    app.actions.result_ready(late.code, "Cán bộ A")
    open_late = app.intake.receive(request())  # received now, due in three working days
    clock.at = open_late.due_at + timedelta(days=1)
    dossier, cert = app.certification.certify(CertRequest(applicant=applicant(), officer="Cán bộ A", items=(
        CertItemInput("Giấy khai sinh", 3, 2), CertItemInput("Bằng tốt nghiệp", 1, 1))))

    seen: list[float] = []
    r = app.reports.build(*YEAR, progress=seen.append)
    assert r["total"] == 4 and seen[-1] == 1.0
    assert r["by_status"]["returned"] == 1 and r["by_status"]["result_ready"] == 1
    t = r["timeliness"]
    assert (t["finished"], t["early"], t["on_time"], t["late"], t["open"], t["open_overdue"]) == (2, 1, 0, 1, 2, 1)
    assert r["satisfaction"]["rated"] == 1 and r["satisfaction"]["ratio"] == 0.5  # one of two finished was late
    assert {p["code"]: p["count"] for p in r["by_procedure"]} == {"1.001612": 3, dossier.procedure_code: 1}
    # Pages are those of the copies certified: 2 copies of 3 pages and one of 1 page.
    assert r["certification"] == {"requests": 1, "documents": 2, "copies": 3, "pages": 7,
                                  "fees_vnd": cert.fee_total}
    assert r["catalogue_size"] == len(app.catalogue.procedures(include_closed=False)) == 90
    assert app.reports.build(date(2025, 1, 1), date(2025, 12, 31))["total"] == 0
    assert app.reports.build(*YEAR, agency="H52.101")["total"] == 4


def test_bad_periods_and_agencies_are_refused_in_vietnamese(app):
    with pytest.raises(ValidationError, match="Ngày cuối kỳ"):
        app.reports.build(date(2026, 12, 31), date(2026, 1, 1))
    with pytest.raises(ValidationError, match="5 năm"):
        app.reports.build(date(2000, 1, 1), date(2026, 1, 1))
    with pytest.raises(ValidationError, match="H52.999"):
        app.reports.build(*YEAR, agency="H52.999")


def test_the_upgrade_fills_the_outcomes_from_the_existing_history(tmp_path):
    """0016 on a store with history: the same figures as the hook would have kept."""
    db = tmp_path / "counter.sqlite"
    migrate_to(db, "0015")
    con = sqlite3.connect(db)
    insert_procedure(con, "1.001612", location_independent=False)
    for i in (1, 2, 3):
        insert_dossier(con, i, f"H52.101-260601-01000{i}", "1.001612")
    events = [  # dossier, kind, at, before, after, payload
        (1, "received", "2026-06-01 08:00:00.000000", None, "received", "{}"),
        (1, "result_ready", "2026-06-02 10:00:00.000000", "received", "result_ready", "{}"),
        (1, "result_posted", "2026-06-03 10:00:00.000000", "result_ready", "result_ready", "{}"),
        (1, "returned", "2026-06-05 15:00:00.000000", "result_ready", "returned", '{"rating": 4}'),
        (2, "received", "2026-06-01 08:00:00.000000", None, "received", "{}"),
        (2, "returned", "2026-06-01 08:30:00.000000", "result_ready", "returned", '{"rating": null}'),
        (3, "received", "2026-06-01 08:00:00.000000", None, "received", "{}"),
    ]
    for n, (dossier, kind, when, before, after, payload) in enumerate(events):
        con.execute("INSERT INTO dossier_event (uuid, dossier_id, kind, at, officer, status_before, status_after, "
                    "payload) VALUES (?, ?, ?, ?, 'Lan', ?, ?, ?)", (f"u{n}", dossier, kind, when, before, after, payload))
    con.commit()
    con.close()
    migrate_to(db, "0016")
    con = sqlite3.connect(db)
    assert con.execute("SELECT dossier_id, finished_at, returned_at, rating FROM dossier_outcome "
                       "ORDER BY dossier_id").fetchall() == [
        (1, "2026-06-02 10:00:00.000000", "2026-06-05 15:00:00.000000", 4),
        (2, "2026-06-01 08:30:00.000000", "2026-06-01 08:30:00.000000", None)]
    assert con.execute("SELECT count(*) FROM dossier_event").fetchone() == (7,)
    con.close()
