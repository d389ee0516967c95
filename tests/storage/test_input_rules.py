"""Issue 12, item 4: the rules on input that the window and the command line both get from core."""

from datetime import date, datetime

import pytest
from counter_app.storage.cipher import open_store

from counter_app.core.admin import NeedsConfirmation
from counter_app.core.calendar import TZ
from counter_app.core.catalogue import parse_catalogue
from counter_app.core.errors import StorageError, ValidationError
from counter_app.core.text import ascii_digits, clean
from tests.conftest import applicant, receivable_anywhere, request


def table_counts(app):
    con = open_store(app.db.path)
    try:
        return [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("dossier", "dossier_event", "outbox", "procedure")]
    finally:
        con.close()


@pytest.mark.parametrize("typed", ["０５２０９０１２３４５６", "٠٥٢٠٩٠١٢٣٤٥٦", "۰۵۲۰۹۰۱۲۳۴۵۶", "052 090 123 456"])
def test_id_numbers_in_other_digits_are_stored_in_ascii_and_found(app, typed):
    d = app.intake.receive(request(applicant=applicant(id_number=typed, phone="０９１２３４５６７８")))
    assert d.applicant.id_number == "052090123456" and d.applicant.phone == "0912345678"
    assert [s.code for s in app.queries.search("052090123456")] == [d.code]
    assert [s.code for s in app.queries.search("０５２０９０１２３４５６")] == [d.code]


def test_clean_refuses_what_is_not_text():
    assert ascii_digits("Số ５, ٣") == "Số 5, 3" and clean("  Thôn ２ ") == "Thôn 2"
    with pytest.raises(ValidationError, match="UTF-8"):
        clean("Nguy\udcc5n")
    with pytest.raises(ValidationError, match="chuỗi ký tự"):
        clean(7)


def test_a_receipt_time_long_past_needs_a_reason_recorded_in_the_event(app, clock):
    long_ago = datetime(2026, 4, 1, 9, 0, tzinfo=TZ)  # clock: 10/06/2026
    before = table_counts(app)
    with pytest.raises(ValidationError, match="--backdate-reason"):
        app.intake.receive(request(received_at=long_ago))
    with pytest.raises(ValidationError, match="--backdate-reason"):
        app.intake.receive(request(received_at=long_ago, backdate_reason="   "))
    with pytest.raises(ValidationError, match="2000"):
        app.intake.receive(request(received_at=datetime(1, 1, 1, 8, 0), backdate_reason="nhập bù"))
    assert table_counts(app) == before
    recent = app.intake.receive(request(received_at=datetime(2026, 5, 20, 9, 0, tzinfo=TZ)))
    assert "backdate_reason" not in recent.events[0].payload
    d = app.intake.receive(request(received_at=long_ago, backdate_reason="Nhập bù sổ giấy tháng 4"))
    assert d.received_at == long_ago
    assert app.queries.get(d.code).events[0].payload["backdate_reason"] == "Nhập bù sổ giấy tháng 4"


@pytest.mark.parametrize("dob, fragment", [(date(1800, 5, 1), "1900"), (date(2027, 1, 1), "tương lai")])
def test_dates_of_birth_before_1900_or_ahead_are_refused(app, dob, fragment):
    before = table_counts(app)
    with pytest.raises(ValidationError, match=fragment):
        app.intake.receive(request(applicant=applicant(id_number=None, date_of_birth=dob, gender=None)))
    assert table_counts(app) == before


def test_the_competent_agency_must_be_one_this_counter_serves(app):
    from counter_app.core.admin import make_agency

    before = table_counts(app)
    with pytest.raises(ValidationError, match="không thuộc các cơ quan"):
        app.intake.receive(request(competent_agency="H99.999"))
    assert table_counts(app) == before
    app.setup.add_served_agency(make_agency("H52.200", "Phòng Tư pháp", own=False))
    receivable_anywhere(app)
    assert app.intake.receive(request(competent_agency="H52.200")).competent_agency == "H52.200"


@pytest.mark.parametrize("kw, fragment", [
    (dict(sets=10**20), "Số bộ"), (dict(sets=0), "Số bộ"),
])
def test_numbers_out_of_range_are_refused(app, kw, fragment):
    with pytest.raises(ValidationError, match=fragment):
        app.intake.receive(request(**kw))
    with pytest.raises(ValidationError, match="--limit"):
        app.queries.search("Ấn", limit=10**20)


def test_replace_import_that_would_close_or_delete_needs_confirmation(app):
    before = table_counts(app)
    one = parse_catalogue({"procedures": [{"code": "1.001612", "name": "Đăng ký hộ kinh doanh",
                                            "field": "Kinh doanh", "working_days": 3}]})
    with pytest.raises(NeedsConfirmation) as refused:
        app.catalogue.import_procedures(one, replace=True, confirmed=False)
    assert len(refused.value.codes) == before[3] - 1 and "--yes" in refused.value.message
    assert table_counts(app) == before
    report = app.catalogue.import_procedures(one, replace=True, confirmed=True)
    assert len(report.deleted) == before[3] - 1 and table_counts(app)[3] == 1
    # Nothing would be closed or deleted any more: no confirmation needed.
    app.catalogue.import_procedures(one, replace=True, confirmed=False)


def test_a_full_disk_is_a_storage_error_and_nothing_is_written(app, monkeypatch):
    import sqlite3

    from sqlalchemy import event

    before = table_counts(app)

    def full(conn, cursor, statement, *_):
        if statement.lstrip().upper().startswith("INSERT"):
            raise sqlite3.OperationalError("database or disk is full")

    event.listen(app.db.engine, "before_cursor_execute", full)
    try:
        with pytest.raises(StorageError, match="Ổ đĩa đã đầy"):
            app.intake.receive(request())
    finally:
        event.remove(app.db.engine, "before_cursor_execute", full)
    assert table_counts(app) == before
    assert app.intake.receive(request()).code  # space freed: the next intake works
