"""IntakeService against a real SQLite file: what a committed intake leaves behind."""

import threading
import unicodedata

import pytest
from counter_app.storage.cipher import open_store

from counter_app.core.errors import NotFound, ValidationError
from counter_app.core.model import DocumentKind, DocumentLine, ReturnMethod
from counter_app.storage import dossiers as dossier_store
from tests.conftest import applicant, request


def counts(app) -> dict[str, int]:
    con = open_store(app.db.path)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("dossier", "dossier_event", "outbox", "dossier_document", "code_sequence")}
    finally:
        con.close()


def test_connection_pragmas(app):
    with app.db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_receive_commits_dossier_event_and_outbox_together(app):
    d = app.intake.receive(request())
    assert d.code == "H52.101-260610-010001"
    assert d.status == "received"
    assert d.due_at.isoformat() == "2026-06-15T09:15:00+07:00"  # 3 working days after Wed 10/6
    assert d.register.book == "01/2026" and d.register.serial == 1
    stored = app.queries.get(d.code)
    assert stored.applicant == d.applicant
    assert stored.documents == d.documents and stored.fees == d.fees
    assert [e.kind for e in stored.events] == ["received"]
    con = open_store(app.db.path)
    (uuid, seq, state), = con.execute("SELECT event_uuid, device_seq, state FROM outbox").fetchall()
    assert uuid == stored.events[0].uuid and seq == 1 and state == "pending"
    assert stored.events[0].payload["dossier"]["code"] == d.code


def test_failure_after_insert_leaves_nothing(app, monkeypatch):
    before = counts(app)

    def broken(self, row, event):
        raise RuntimeError("disk full while writing the outbox")

    monkeypatch.setattr(dossier_store.SqlDossierRepository, "_append_event", broken)
    with pytest.raises(RuntimeError):
        app.intake.receive(request())
    assert counts(app) == before


@pytest.mark.parametrize("change", [
    dict(procedure_code="9.999999"),
    dict(applicant=applicant(full_name="   ")),
    dict(applicant=applicant(id_number="003090123456")),
    dict(applicant=applicant(phone="12345")),
    dict(documents=[DocumentLine("", DocumentKind.ORIGINAL, 1)]),
    dict(documents=[DocumentLine("Tờ khai", DocumentKind.ORIGINAL, 0)]),
    dict(return_method=ReturnMethod.POST, applicant=applicant(address=None)),
])
def test_bad_input_writes_nothing(app, change):
    before = counts(app)
    with pytest.raises((ValidationError, NotFound)) as err:
        app.intake.receive(request(**change))
    assert err.value.message  # a Vietnamese message for the officer
    assert counts(app) == before


def test_text_is_stored_nfc_and_searchable_without_diacritics(app):
    nfd = unicodedata.normalize("NFD", "Đặng Thị Hường")
    d = app.intake.receive(request(applicant=applicant(full_name=nfd, id_number=None, gender=None)))
    assert unicodedata.is_normalized("NFC", app.queries.get(d.code).applicant.full_name)
    for query in ("dang thi huong", "DANG huong", "Đặng Hường", "dan huo"):
        assert [r.code for r in app.queries.search(query)] == [d.code], query
    assert app.queries.search("nguyen") == []


def test_search_by_code_id_and_phone(app):
    a = app.intake.receive(request())
    b = app.intake.receive(request(applicant=applicant(full_name="Trần Thị Bích", id_number="052195000123",
                                                       gender=None, date_of_birth=None, phone="0987654321")))
    assert [r.code for r in app.queries.search(a.code.lower())] == [a.code]
    assert [r.code for r in app.queries.search("052195000123")] == [b.code]
    assert [r.code for r in app.queries.search("0987 654 321")] == [b.code]
    assert [r.code for r in app.queries.search("+84987654321")] == [b.code]
    assert {r.code for r in app.queries.search("0912345678")} == {a.code}
    rows = app.queries.search("tran thi")
    assert rows[0].id_number == "052195000123"  # the dataclass keeps it; faces mask it


def test_list_filters_by_status_and_date(app, clock):
    first = app.intake.receive(request())
    clock.set("2026-06-11T10:00")
    second = app.intake.receive(request())
    app.actions.forward(second.code, "Cán bộ A")
    assert [r.code for r in app.queries.list()] == [second.code, first.code]
    assert [r.code for r in app.queries.list(status="received")] == [first.code]
    from datetime import datetime

    from counter_app.core.calendar import TZ

    day = datetime(2026, 6, 11, tzinfo=TZ)
    assert [r.code for r in app.queries.list(received_from=day)] == [second.code]
    assert [r.code for r in app.queries.search("nguyen", status="processing")] == [second.code]


def test_codes_and_register_numbers_run_on_and_refusals_get_codes(app, clock):
    codes = [app.intake.receive(request()).code for _ in range(3)]
    refused = app.intake.refuse(request(), "Hồ sơ không thuộc thẩm quyền")
    assert codes == [f"H52.101-260610-01000{i}" for i in (1, 2, 3)]
    assert refused.code == "H52.101-260610-010004" and refused.status == "refused"
    assert refused.register is None and refused.due_at is None
    assert app.queries.get(refused.code).events[0].payload["reason"] == "Hồ sơ không thuộc thẩm quyền"
    clock.set("2026-06-11T08:00")
    nxt = app.intake.receive(request())
    assert nxt.code == "H52.101-260611-010001"
    assert nxt.register.serial == 4  # the register runs on through the year


def test_certified_copy_fees_from_pages(app):
    docs = [DocumentLine("Giấy khai sinh", DocumentKind.ORIGINAL, 2, 1),
            DocumentLine("Sổ đỏ", DocumentKind.ORIGINAL, 1, 5)]
    d = app.intake.receive(request("2.000815", documents=docs))
    assert [f.amount_vnd for f in d.fees] == [4_000, 7_000]
    assert d.due_at.isoformat() == "2026-06-10T17:00:00+07:00"  # same day, before the cut-off
    with pytest.raises(ValidationError, match="số trang"):
        app.intake.receive(request("2.000815"))


@pytest.mark.parametrize("received, due", [
    ("2026-06-10T15:00:40", "2026-06-10T17:00:00+07:00"),  # at 15:00: "sau 15 giờ" means after, same day
    ("2026-06-10T15:01", "2026-06-11T17:00:00+07:00"),  # after the cut-off: the next working day
])
def test_same_day_dossier_at_the_cutoff(app, clock, received, due):
    clock.set(received)
    docs = [DocumentLine("Giấy khai sinh", DocumentKind.ORIGINAL, 2, 1)]
    assert app.intake.receive(request("2.000815", documents=docs)).due_at.isoformat() == due


def test_cccd_qr_fills_the_applicant(app):
    qr = "052195000123||TRẦN THỊ BÍCH|12031995|Nữ|Thôn 2, xã Định Mỹ, Gia Lai|01072024"
    from counter_app.core.intake import ApplicantInput

    d = app.intake.receive(request(applicant=ApplicantInput(), cccd_qr=qr))
    a = d.applicant
    assert (a.full_name, a.id_number, a.date_of_birth.isoformat(), a.gender.value) == (
        "TRẦN THỊ BÍCH", "052195000123", "1995-03-12", "Nữ")


def test_concurrent_writers_never_share_a_code(app):
    codes, errors = [], []

    def worker():
        try:
            for _ in range(25):
                codes.append(app.intake.receive(request()).code)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(codes) == len(set(codes)) == 75
    con = open_store(app.db.path)
    seqs = [r[0] for r in con.execute("SELECT device_seq FROM outbox ORDER BY device_seq")]
    assert seqs == list(range(1, 76))


def test_every_stored_string_is_nfc(app):
    nfd = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731 - what some Vietnamese keyboards send
    d = app.intake.receive(request(
        applicant=applicant(full_name=nfd("Đặng Thị Hường"), address=nfd("Thôn Phú Mỹ, xã Định Mỹ"),
                            id_number=None, gender=None),
        documents=[DocumentLine(nfd("Tờ khai đề nghị"), DocumentKind.ORIGINAL, 1)],
        officer=nfd("Cán bộ Lê Thị Ánh")))
    app.actions.request_supplement(d.code, nfd("Cán bộ Lê Thị Ánh"), nfd("Thiếu giấy ủy quyền"),
                                   [nfd("Giấy ủy quyền có chứng thực")])
    con = open_store(app.db.path)
    tables = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'dossier_fts%'")]
    checked = 0
    for table in tables:
        for row in con.execute(f"SELECT * FROM {table}"):
            for value in row:
                if isinstance(value, str):
                    checked += 1
                    assert unicodedata.is_normalized("NFC", value), (table, value)
    assert checked > 100


def test_idle_maintenance_merges_the_index_and_checkpoints(app):
    for _ in range(30):
        app.intake.receive(request())
    report = app.idle_maintenance()
    assert report["done"] and report["checkpointed"] >= 0
    con = open_store(app.db.path)
    con.execute("INSERT INTO dossier_fts(dossier_fts, rank) VALUES('integrity-check', 1)")
    assert len(app.queries.search("nguyen van an")) == 30


def test_the_published_new_year_2026_swap_moves_due_dates(app, clock):
    """Friday 2/1/2026 off (Văn bản 12729/VPCP-KGVX), which the holidays library does not know: three
    working days from Wednesday 31/12/2025 are 5, 6 and 7 January."""
    clock.set("2025-12-31T10:00")
    assert app.intake.receive(request()).due_at.isoformat() == "2026-01-07T10:00:00+07:00"
    assert app.ctx.calendar.is_working_day(__import__("datetime").date(2026, 1, 10))  # the make-up Saturday
