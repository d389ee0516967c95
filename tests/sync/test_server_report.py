"""Issue 16 item 3: the counter's report over the server's materialised state, across the province.

A synthetic month seeded into the server's tables (tests/sync/report_seed.py) on SQLite and the real
PostgreSQL, every figure asserted; the CLI's JSON and exit codes; the JSON keys are the counter's."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, datetime

import pytest

from counter_app.core.calendar import TZ
from tests.sync.report_seed import A, B, DEACTIVATED, P1, P2, P3, P4, P5, R, publish_reference, seed_month
from tests.sync.servers import ROOT

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


@pytest.fixture(params=["sqlite", "postgresql"])
def seeded(request, tmp_path):
    from provincial_server.db import ServerDatabase
    from provincial_server.service import ProvincialService

    url = (request.getfixturevalue("postgres").new_database() if request.param == "postgresql"
           else f"sqlite:///{tmp_path / 'province.sqlite'}")
    db = ServerDatabase(url)
    db.upgrade()
    service = ProvincialService(db)
    service.add_agency(A, "UBND xã Định Mỹ", "Gia Lai")
    service.add_agency(B, "UBND xã Định Hòa", "Gia Lai")
    service.add_agency(R, "Trung tâm PVHCC khu vực 1", "Gia Lai", serves=[A, B])
    publish_reference(service)
    with db.transaction() as s:
        seed_month(s)
    yield db
    db.dispose()


def _report(db, agency=None, worst=None):
    from provincial_server.reports import province_report

    with db.read() as s:
        return province_report(s, *MARCH, agency=agency, worst=worst, now=datetime(2026, 11, 1, tzinfo=TZ))


def test_every_figure_of_a_seeded_month(seeded):
    report, calendar_note = _report(seeded)
    assert "2 ngày điều chỉnh" not in calendar_note and "1 ngày điều chỉnh do tỉnh phát hành" in calendar_note
    assert report["period"] == {"from": "2026-03-01", "to": "2026-03-31", "as_of": "2026-03-31T23:59:59+07:00"}
    assert report["agency"] is None
    assert report["total"] == 11_111  # the two dossiers received in February and April are not counted
    assert report["by_status"] == {"received": 100, "refused": 100, "processing": 300, "supplement_requested": 200,
                                   "withdrawn": 0, "stopped": 0, "result_ready": 10, "returned": 10_401}
    assert report["by_channel"] == {"counter": 10_711, "post": 300, "online": 100}
    assert report["catalogue_size"] == 89  # the bundled 90, one withdrawn by the province
    assert report["procedures_with_dossiers"] == 5
    rows = report["by_procedure"]
    assert [(r["code"], r["count"], r["share"], r["band"], r["online_level"]) for r in rows] == [
        (P1, 10_000, round(10_000 / 11_111, 6), ">=10000", "full"),  # partial, full from 15/3, paper from 10/4
        (P2, 1_000, round(1_000 / 11_111, 6), "1000-9999", "partial"),
        (P3, 100, round(100 / 11_111, 6), "100-999", "paper"),
        (P4, 10, round(10 / 11_111, 6), "10-99", "partial"),
        (P5, 1, round(1 / 11_111, 6), "1-9", "paper")]
    assert rows[0]["name"] == "Đăng ký khai sinh"  # from the catalogue
    assert [(r["finished"], r["early"], r["on_time"], r["late"], r["average_working_days"]) for r in rows] == [
        (10_000, 6_000, 3_000, 1_000, 2.5), (400, 400, 0, 0, 0.0),  # 3/3 is a day off at B
        (0, 0, 0, 0, None), (10, 0, 0, 0, 0.0), (1, 0, 1, 0, 0.0)]
    assert report["volume_bands"] == {">=10000": 1, "1000-9999": 1, "100-999": 1, "10-99": 1, "1-9": 1}
    assert report["volume_band_dossiers"] == {">=10000": 10_000, "1000-9999": 1_000, "100-999": 100, "10-99": 10,
                                              "1-9": 1}
    assert report["online_levels"] == {"full": {"procedures": 1, "dossiers": 10_000},
                                       "partial": {"procedures": 2, "dossiers": 1_010},
                                       "paper": {"procedures": 2, "dossiers": 101}}
    assert report["timeliness"] == {
        "finished": 10_411, "early": 6_400, "on_time": 3_001, "late": 1_000, "finished_without_due": 10,
        "open": 600, "open_overdue": 300, "on_time_share": round(9_401 / 10_401, 6),
        "average_working_days": round(25_000 / 10_411, 2), "rescheduled_dossiers": 30, "reschedules": 40}
    assert report["satisfaction"] == {
        "rated": 401, "by_rating": {"1": 41, "2": 60, "3": 50, "4": 100, "5": 150}, "dissatisfied_at_most": 2,
        "dissatisfied": 101, "finished": 10_411, "late_or_dissatisfied": 1_101, "ratio": round(9_310 / 10_411, 6)}
    assert report["certification"] == {"requests": 1, "documents": 2, "copies": 5, "pages": 8, "fees_vnd": 10_000}
    assert report["by_agency"] == [
        {"agency": A, "name": "UBND xã Định Mỹ", "total": 10_101, "procedures_with_dossiers": 3, "finished": 10_001,
         "early": 6_000, "on_time": 3_001, "late": 1_000, "open_overdue": 0, "on_time_share": round(9_001 / 10_001, 6),
         "satisfaction_ratio": round(9_000 / 10_001, 6)},
        {"agency": B, "name": "UBND xã Định Hòa", "total": 1_010, "procedures_with_dossiers": 2, "finished": 410,
         "early": 400, "on_time": 0, "late": 0, "open_overdue": 300, "on_time_share": 1.0,
         "satisfaction_ratio": round(310 / 410, 6)}]
    planning = {r["code"]: r for r in report["planning"]}
    assert len(planning) == 89 and DEACTIVATED not in planning
    assert [(r["code"], r["count"]) for r in report["planning"][:5]] == [(P1, 10_000), (P2, 1_000), (P3, 100),
                                                                        (P4, 10), (P5, 1)]
    keys = ("online_level", "location_independent", "postal_allowed", "postal_share", "other_counter_share",
            "median_working_days")
    assert [tuple(planning[c][k] for k in keys) for c in (P1, P2, P3, P4, P5)] == [
        ("full", False, True, 0.05, 0.1, 2),
        ("partial", False, True, 0.3, 0.0, 0),  # off the list from 20/3
        ("paper", True, False, 0.0, 1.0, None),
        ("partial", False, True, 0.0, 0.0, 0),
        ("paper", False, True, 0.0, 0.0, 0)]
    idle = planning["1.000894"]
    assert (idle["count"], idle["postal_share"], idle["median_working_days"]) == (0, None, None)


def test_one_agency_and_the_dissatisfaction_threshold(seeded):
    report, _ = _report(seeded, agency=B, worst=3)
    assert (report["agency"], report["total"], report["procedures_with_dossiers"]) == (B, 1_010, 2)
    assert [a["agency"] for a in report["by_agency"]] == [B]
    assert report["certification"]["requests"] == 0
    assert (report["satisfaction"]["dissatisfied"], report["satisfaction"]["ratio"]) == (150, round(260 / 410, 6))


def test_the_json_keys_are_the_counters(seeded):
    """The same keys at every level as the counter's report (core.report.build_report on its facts)."""
    from counter_app.core.calendar import WorkingCalendar
    from counter_app.core.report import DossierFact, ReportInput, build_report

    one = DossierFact("X", P1, "n", A, A, "counter", "counter", "returned", datetime(2026, 3, 2, tzinfo=TZ),
                      None, datetime(2026, 3, 2, tzinfo=TZ))
    counter = build_report([one], ReportInput(start=MARCH[0], end=MARCH[1], catalogue={}, catalogue_size=0,
                                              calendar=WorkingCalendar(), as_of=datetime(2026, 4, 1, tzinfo=TZ)))
    server, _ = _report(seeded)

    def shape(value):
        if isinstance(value, dict):
            return {k: shape(v) for k, v in value.items()}
        if isinstance(value, list):
            return [shape(value[0])] if value else []
        return None

    assert shape(server) == shape(counter)
    assert shape(server)["by_procedure"] != [] and shape(server)["certification"] == {
        "requests": None, "documents": None, "copies": None, "pages": None, "fees_vnd": None}


def _cli(db, *args):
    return subprocess.run([sys.executable, "-m", "provincial_server", "--db", db.url, *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_the_cli_prints_json_tables_and_refuses_bad_input(seeded):
    done = _cli(seeded, "report", "--from", "2026-03-01", "--to", "2026-03-31", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["total"], data["timeliness"]["late"], data["certification"]["pages"]) == (11_111, 1_000, 8)
    assert data == _report(seeded)[0] | {"period": data["period"]}  # "now" is the real clock here
    text = _cli(seeded, "report", "--from", "2026-03-01", "--to", "2026-03-31", "--agency", A)
    assert text.returncode == 0, text.stderr
    assert re.search(r"Tổng số hồ sơ tiếp nhận +10\.101\n", text.stdout) and "UBND xã Định Mỹ" in text.stdout
    assert re.search(r"1\.001193 +Đăng ký khai sinh +10\.000 +99,00 %", text.stdout)
    assert "Toàn trình" in text.stdout and "1 ngày điều chỉnh do tỉnh phát hành" in text.stdout
    planning = _cli(seeded, "planning", "--from", "2026-03-01", "--to", "2026-03-31", "--sort",
                    "other_counter_share", "--json")
    assert planning.returncode == 0, planning.stderr
    rows = json.loads(planning.stdout)
    assert [r["code"] for r in rows[:2]] == [P3, P1]  # 100 %, then 10 %
    shown = _cli(seeded, "planning", "--from", "2026-03-01", "--to", "2026-03-31", "--sort", "median_working_days")
    assert shown.returncode == 0 and "Trung vị thời gian" in shown.stdout
    assert shown.stdout.index(P1) < shown.stdout.index(P2)  # 2 days before 0
    for args, message in ((("--from", "2026-13-01", "--to", "2026-03-31"), "YYYY-MM-DD"),
                          (("--from", "2026-04-01", "--to", "2026-03-31"), "sau ngày kết thúc"),
                          (("--from", "2016-03-01", "--to", "2026-03-31"), "quá 5 năm"),
                          (("--from", "2026-03-01", "--to", "2026-03-31", "--dissatisfied-at-most", "6"), "từ 1 đến 5"),
                          (("--from", "2026-03-01", "--to", "2026-03-31", "--agency", "H99.999"), "Không có cơ quan"),
                          (("--from", "2026-03-01", "--to", "2026-03-31", "--out", "x.docx"), ".xlsx")):
        bad = _cli(seeded, "report", *args)
        assert bad.returncode == 2 and message in bad.stderr, bad.stderr
        assert bad.stdout == ""
    assert _cli(seeded, "planning", "--from", "2026-03-01", "--to", "2026-03-31", "--sort", "x").returncode == 2


def test_the_report_and_the_planning_table_are_written_to_xlsx_and_pdf(seeded, tmp_path):
    from openpyxl import load_workbook

    from tests.conftest import pdf_text

    xlsx, pdf, plan = tmp_path / "tinh.xlsx", tmp_path / "tinh.pdf", tmp_path / "ke-hoach.xlsx"
    for args in (("report", "--out", str(xlsx)), ("report", "--out", str(pdf)),
                 ("planning", "--sort", "other_counter_share", "--out", str(plan))):
        done = _cli(seeded, *args, "--from", "2026-03-01", "--to", "2026-03-31")
        assert done.returncode == 0 and "Đã ghi" in done.stdout, done.stderr
    book = load_workbook(xlsx)
    assert {"Tổng hợp", "Theo thủ tục", "Theo cơ quan", "Kế hoạch cải cách"} <= set(book.sheetnames)
    values = [[c.value for c in row] for row in book["Theo cơ quan"].iter_rows()]
    assert [A, "UBND xã Định Mỹ", 10_101] in [row[:3] for row in values]
    assert [B, "UBND xã Định Hòa", 1_010] in [row[:3] for row in values]
    text = pdf_text(pdf)
    assert "Toàn tỉnh" in text and "11.111" in text and "UBND xã Định Hòa" in text
    rows = [[c.value for c in row] for row in load_workbook(plan)["Kế hoạch cải cách"].iter_rows()]
    codes = [r[0] for r in rows if r[0] in (P1, P2, P3)]
    assert codes[:2] == [P3, P1]  # sorted as asked: received elsewhere 100 %, then 10 %
    assert planning_refused(seeded, tmp_path)


def planning_refused(db, tmp_path) -> bool:
    """The planning table goes to XLSX only; nothing is written for another suffix."""
    bad = _cli(db, "planning", "--from", "2026-03-01", "--to", "2026-03-31", "--out", str(tmp_path / "k.pdf"))
    return bad.returncode == 2 and ".xlsx" in bad.stderr and not (tmp_path / "k.pdf").exists()


def test_the_threshold_the_province_published_is_used(seeded):
    from provincial_server.service import ProvincialService

    ProvincialService(seeded).publish("settings", {"report_dissatisfied_at_most": "3"})
    report, _ = _report(seeded)
    assert (report["satisfaction"]["dissatisfied_at_most"], report["satisfaction"]["dissatisfied"]) == (3, 151)
    assert _report(seeded, worst=1)[0]["satisfaction"]["dissatisfied"] == 41  # the CLI option wins
    ProvincialService(seeded).publish("settings", {"report_dissatisfied_at_most": "1"}, agency=B)
    assert _report(seeded)[0]["satisfaction"]["dissatisfied_at_most"] == 3  # B's counters only
    only_b = _report(seeded, agency=B)[0]["satisfaction"]
    assert (only_b["dissatisfied_at_most"], only_b["dissatisfied"]) == (1, 40)
