"""The bulk desk on one machine (it holds its own register): numbers, voids, the book, closing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime

import pytest
from counter_app.storage.cipher import open_store

from counter_app.core.calendar import TZ
from counter_app.core.certification import CertItemInput, CertKind
from counter_app.core.certify import CertRequest
from counter_app.core.errors import ValidationError
from counter_app.core.intake import ApplicantInput
from tests.conftest import ROOT, applicant, outbox_count


def cert_request(*docs, **kw) -> CertRequest:
    items = tuple(CertItemInput(*d) for d in docs) or (CertItemInput("Giấy khai sinh", 1, 2),)
    return CertRequest(applicant=applicant(), items=items, officer=kw.pop("officer", "Cán bộ A"), **kw)


def register_numbers(app) -> list[tuple[int, str]]:
    con = open_store(app.db.path)
    try:
        return con.execute("SELECT number, state FROM cert_entry WHERE register_type='SCT/BS' ORDER BY number").fetchall()
    finally:
        con.close()


def register_numbers_raw(path) -> list:
    con = open_store(path)
    try:
        return con.execute("SELECT number FROM cert_entry").fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        con.close()


def test_one_number_per_original_shared_by_its_copies(app):
    before = outbox_count(app)
    dossier, cert = app.certification.certify(cert_request(("Giấy khai sinh", 1, 3), ("Sổ hộ khẩu", 300, 1),
                                                            ("Bằng tốt nghiệp", 3, 2)))
    assert [i.number for i in cert.items] == [1, 2, 3]
    assert {i.book for i in cert.items} == {"01/2026"}
    assert [i.fee for i in cert.items] == [6_000, 200_000, 10_000] and cert.fee_total == 216_000
    assert dossier.procedure_code == "2.000815" and outbox_count(app) == before + 1
    _, second = app.certification.certify(cert_request(("CCCD", 2, 1)))
    assert [i.number for i in second.items] == [4]  # the next visit continues, never restarts


def test_void_keeps_the_number_in_the_register(app):
    _, cert = app.certification.certify(cert_request(("A", 1, 1), ("B", 1, 1)))
    events = outbox_count(app)
    voided = app.certification.void(cert.code, 2, "Cấp nhầm bản chính", "Cán bộ A")
    assert voided.items[1].void and voided.fee_total == 2_000
    assert register_numbers(app) == [(1, "issued"), (2, "void")]
    assert outbox_count(app) == events + 1  # the void is an event that syncs
    with pytest.raises(ValidationError):
        app.certification.void(cert.code, 2, "lần nữa", "Cán bộ A")
    with pytest.raises(ValidationError):
        app.certification.void(cert.code, 1, "  ", "Cán bộ A")
    _, nxt = app.certification.certify(cert_request(("C", 1, 1)))
    assert nxt.items[0].number == 3
    book = app.certification.book(CertKind.COPY, date(2026, 1, 1), date(2026, 12, 31))
    assert [(e.number, e.void) for e in book] == [(1, False), (2, True), (3, False)]


def test_books_fill_up_and_numbers_continue_then_a_new_year_starts_at_01(app, clock):
    from counter_app.core.settings import apply_setting

    app.setup.save_settings(apply_setting(app.ctx.settings, "cert_book_size", "2"))
    _, cert = app.certification.certify(cert_request(("A", 1, 1), ("B", 1, 1), ("C", 1, 1)))
    assert [(i.number, i.book) for i in cert.items] == [(1, "01/2026"), (2, "01/2026"), (3, "02/2026")]
    clock.set("2026-12-31T16:30")
    assert app.certification.close_year(CertKind.COPY, 2026) == 3
    with pytest.raises(ValidationError, match="đã khóa"):
        app.certification.certify(cert_request(("D", 1, 1)))
    clock.set("2027-01-04T08:30")
    _, new_year = app.certification.certify(cert_request(("D", 1, 1)))
    assert (new_year.items[0].number, new_year.items[0].book) == (1, "01/2027")


def test_signature_register_is_separate(app):
    _, copy = app.certification.certify(cert_request(("A", 1, 1)))
    _, sig = app.certification.certify(cert_request(("Giấy ủy quyền", 2, 1), kind=CertKind.SIGNATURE))
    assert sig.register_type == "SCT/CK,ĐC" and sig.items[0].number == 1 and sig.fee_total == 10_000
    assert sig.kind.procedure_code == "2.000884"


def test_exemption_extension_and_same_visit_return(app):
    with pytest.raises(ValidationError, match="lý do"):
        app.certification.certify(cert_request(extension_days=1))
    dossier, cert = app.certification.certify(cert_request(
        ("A", 5, 2), exemption_reason="Người có công với cách mạng", extension_days=2,
        extension_reason="Nhiều bản sao", return_now=True))
    assert cert.fee_total == 0 and cert.exemption_reason == "Người có công với cách mạng"
    assert cert.due_at == datetime(2026, 6, 12, 17, 0, tzinfo=TZ)  # Wednesday + 2 working days
    assert dossier.status == "returned"
    assert [e.kind for e in app.queries.get(cert.code).events] == ["received", "result_ready", "returned"]


def test_a_request_at_exactly_15_00_is_due_the_same_day(app, clock):
    clock.set("2026-06-10T15:00")
    _, cert = app.certification.certify(cert_request())
    assert cert.due_at == datetime(2026, 6, 10, 17, 0, tzinfo=TZ)
    clock.set("2026-06-10T15:01")
    _, later = app.certification.certify(cert_request())
    assert later.due_at == datetime(2026, 6, 11, 17, 0, tzinfo=TZ)


def test_bad_input_writes_nothing(app):
    before = outbox_count(app)
    for bad in (cert_request(("", 1, 1)), cert_request(("A", 0, 1)), cert_request(("A", 1, 0)),
                CertRequest(applicant=ApplicantInput(full_name=""), items=(CertItemInput("A"),), officer="x")):
        with pytest.raises(ValidationError):
            app.certification.certify(bad)
    assert outbox_count(app) == before and register_numbers(app) == []


def test_daily_closing_balances_with_the_register(app, clock):
    app.certification.certify(cert_request(("A", 3, 2), ("B", 1, 1)))
    _, c2 = app.certification.certify(cert_request(("C", 2, 1), officer="Cán bộ B"))
    app.certification.void(c2.code, 3, "nhầm", "Cán bộ B")
    report = app.certification.closing(date(2026, 6, 10))
    assert (report.requests, report.certifications, report.copies, report.voids) == (2, 2, 3, 1)
    assert report.pages == 3 * 2 + 1 and report.fees == 10_000 + 2_000 and report.balanced
    mine = app.certification.closing(date(2026, 6, 10), officer="Cán bộ A")
    assert (mine.requests, mine.certifications, mine.register_certifications) == (1, 2, 2) and mine.balanced


def test_a_desk_killed_mid_request_leaves_no_gap(app, tmp_path):
    """SIGKILL while certifying in a loop: every number in the register belongs to a committed
    request, and the numbers run 1..N with no gap and no double."""
    app.close()
    env = {**os.environ, "COUNTER_APP_OFFICER": "Cán bộ A", "PYTHONIOENCODING": "utf-8"}
    script = ("import sys;from counter_app.cli import main\n"
              "for i in range(400):\n"
              "    main(['certify','--name','Lê Văn Tám','--document','Giấy khai sinh|pages=2|copies=2',"
              "'--document','Sổ hộ khẩu|pages=12|copies=1','--data-dir',sys.argv[1]])\n")
    proc = subprocess.Popen([sys.executable, "-c", script, str(app.data_dir)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not register_numbers_raw(app.db.path):
        time.sleep(0.05)
    time.sleep(0.7)  # well into the loop: the kill lands mid-request more often than not
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    con = open_store(app.db.path)
    try:
        numbers = [n for (n,) in con.execute("SELECT number FROM cert_entry ORDER BY number")]
        items = con.execute("SELECT count(*) FROM cert_item WHERE number IS NOT NULL").fetchone()[0]
        orphans = con.execute("SELECT count(*) FROM cert_entry e LEFT JOIN cert_item i ON i.dossier_code = "
                              "e.dossier_code AND i.number = e.number WHERE i.id IS NULL").fetchone()[0]
    finally:
        con.close()
    assert numbers and numbers == list(range(1, len(numbers) + 1))
    assert items == len(numbers) and orphans == 0
