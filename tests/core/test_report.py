"""Issue 16: the report's figures from dossiers of known distribution, every figure asserted."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from counter_app.core.calendar import TZ, WorkingCalendar
from counter_app.core.errors import ValidationError
from counter_app.core.catalogue import parse_procedure
from counter_app.core.model import OnlineLevel, Procedure
from counter_app.core.online_levels import level_on
from counter_app.core.report import (
    CertificationFigures, DossierFact, ReportInput, band_of, build_report,
)
from counter_app.core.report_tables import format_cell, report_tables

START, END = date(2024, 1, 1), date(2024, 12, 31)
AS_OF = datetime(2024, 12, 31, 23, 59, 59, tzinfo=TZ)


def at(day: str, clock: str = "08:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}:00").replace(tzinfo=TZ)


def proc(code: str, level: str = "paper", **extra) -> Procedure:
    item = {"code": code, "name": f"Thủ tục {code}", "field": "Hộ tịch", "working_days": 3, "online_level": level,
            **extra}
    return parse_procedure(item, "test")


def fact(code: str, n: int, *, procedure: str = "1.000001", status: str = "returned", received: datetime | None = None,
         due: datetime | None = None, finished: datetime | None = None, rating: int | None = None,
         channel: str = "counter", receiving: str = "A", competent: str = "A", reschedules: int = 0,
         return_method: str = "counter") -> DossierFact:
    received = received or at("2024-03-04")
    return DossierFact(f"{code}-{n}", procedure, f"Thủ tục {procedure}", receiving, competent, channel, return_method,
                       status, received, due, finished, finished if status == "returned" else None, rating, reschedules)


def inputs(catalogue: list[Procedure], **kw) -> ReportInput:
    values = dict(start=START, end=END, catalogue={p.code: p for p in catalogue}, catalogue_size=len(catalogue),
                  calendar=WorkingCalendar(), as_of=AS_OF, agency_names={"A": "UBND xã A", "B": "UBND xã B"})
    values.update(kw)
    return ReportInput(**values)


def test_volume_bands_put_every_procedure_with_dossiers_in_exactly_one_band():
    assert [band_of(n) for n in (1, 9, 10, 99, 100, 999, 1000, 9999, 10000, 126509)] == [
        "1-9", "1-9", "10-99", "10-99", "100-999", "100-999", "1000-9999", "1000-9999", ">=10000", ">=10000"]
    with pytest.raises(ValueError):
        band_of(0)


def test_a_province_year_of_known_distribution():
    """Eight procedures with 10000, 1000, 999, 100, 99, 10, 9 and 1 dossiers (12,218 in all), two
    with none; online levels stated, upgraded within the year, and upgraded only after it."""
    counts = {"1.000001": 10000, "1.000002": 1000, "1.000003": 999, "1.000004": 100, "1.000005": 99,
              "1.000006": 10, "1.000007": 9, "1.000008": 1}
    catalogue = [
        proc("1.000001", "paper", online_levels=[{"level": "full", "from": "2024-07-01", "decision": "QĐ 1/QĐ-UBND"}]),
        proc("1.000002", "partial"),
        # Upgraded only in 2025: counted at its level during 2024 (the stated level before its history).
        proc("1.000003", "partial", online_levels=[{"level": "full", "from": "2025-03-01"}]),
        proc("1.000004", "full"),
        proc("1.000005", "full", online_levels=[{"level": "partial", "from": "2024-02-01"},
                                                {"level": "paper", "from": "2024-12-31"}]),
        proc("1.000006", "paper"), proc("1.000007", "partial"), proc("1.000008", "paper"),
        proc("1.000009", "full"), proc("1.000010", "paper"),
    ]
    facts = [fact("X", i, procedure=code) for code, n in counts.items() for i in range(n)]
    r = build_report(facts, inputs(catalogue))
    assert r["total"] == 12218
    assert r["catalogue_size"] == 10
    assert r["procedures_with_dossiers"] == 8
    assert [p["code"] for p in r["by_procedure"]] == list(counts)  # sorted by count, largest first
    assert [p["count"] for p in r["by_procedure"]] == list(counts.values())
    assert r["by_procedure"][0]["share"] == round(10000 / 12218, 6)
    assert sum(p["count"] for p in r["by_procedure"]) == r["total"]
    assert r["volume_bands"] == {">=10000": 1, "1000-9999": 1, "100-999": 2, "10-99": 2, "1-9": 2}
    assert r["volume_band_dossiers"] == {">=10000": 10000, "1000-9999": 1000, "100-999": 1099, "10-99": 109,
                                         "1-9": 10}
    # Level on 31/12/2024: .001 full (from 1/7), .003 partial (its 2025 upgrade not yet), .005 paper (from 31/12).
    assert r["online_levels"] == {
        "full": {"procedures": 2, "dossiers": 10000 + 100},
        "partial": {"procedures": 3, "dossiers": 1000 + 999 + 9},
        "paper": {"procedures": 3, "dossiers": 99 + 10 + 1},
    }
    assert sum(v["procedures"] for v in r["online_levels"].values()) == r["procedures_with_dossiers"]
    planning = {p["code"]: p for p in r["planning"]}
    assert len(planning) == 10 and planning["1.000009"]["count"] == 0
    assert planning["1.000001"]["online_level"] == "full" and planning["1.000010"]["online_level"] == "paper"


def test_a_report_for_the_first_half_counts_the_levels_in_force_then():
    catalogue = [proc("1.000001", "paper", online_levels=[{"level": "full", "from": "2024-07-01"}])]
    r = build_report([fact("X", 1)], inputs(catalogue, end=date(2024, 6, 30)))
    assert r["online_levels"]["paper"] == {"procedures": 1, "dossiers": 1}
    assert level_on(catalogue[0], date(2024, 7, 1)) is OnlineLevel.FULL
    assert level_on(catalogue[0], date(2024, 6, 30)) is OnlineLevel.PAPER


def test_level_history_is_validated_where_the_catalogue_is_read():
    with pytest.raises(ValidationError, match="online_levels"):
        proc("1.000001", online_levels=[{"level": "toan trinh", "from": "2024-07-01"}])
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        proc("1.000001", online_levels=[{"level": "full", "from": "1/7/2024"}])
    with pytest.raises(ValidationError, match="cùng ngày"):
        proc("1.000001", online_levels=[{"level": "full", "from": "2024-07-01"},
                                        {"level": "paper", "from": "2024-07-01"}])


def test_timeliness_satisfaction_and_working_days():
    """Due Thursday 7/3/2024 16:00 for dossiers received Monday 4/3 08:00 (three working days)."""
    due = at("2024-03-07", "16:00")
    facts = [
        fact("E", 1, due=due, finished=at("2024-03-05", "10:00"), rating=5),   # early, 1 working day
        fact("E", 2, due=due, finished=at("2024-03-06", "10:00"), rating=1),   # early, dissatisfied
        fact("O", 1, due=due, finished=at("2024-03-07", "15:59")),             # on time (the due day)
        fact("O", 2, due=due, finished=at("2024-03-07", "16:00"), rating=2),   # on time to the minute, dissatisfied
        fact("L", 1, due=due, finished=at("2024-03-07", "16:01"), rating=5),   # late by a minute
        fact("L", 2, due=due, finished=at("2024-03-12", "09:00"), rating=1,    # late and dissatisfied: once
             reschedules=1, status="result_ready"),
        fact("N", 1, due=None, finished=at("2024-03-04", "09:00")),            # no due time recorded: 0 days
        fact("P", 1, due=due, status="processing"),                            # open and overdue
        fact("P", 2, due=at("2025-01-10", "16:00"), status="processing", received=at("2024-12-30")),  # open, not yet due
        fact("S", 1, due=due, status="supplement_requested", reschedules=2),    # the applicant's turn: not overdue
        fact("R", 1, status="refused", channel="post"),
        fact("W", 1, status="withdrawn", channel="online"),
    ]
    r = build_report(facts, inputs([proc("1.000001")], dissatisfied_at_most=2))
    assert r["by_status"] == {"received": 0, "refused": 1, "processing": 2, "supplement_requested": 1,
                              "withdrawn": 1, "stopped": 0, "result_ready": 1, "returned": 6}
    assert r["by_channel"] == {"counter": 10, "post": 1, "online": 1}
    t = r["timeliness"]
    assert (t["finished"], t["early"], t["on_time"], t["late"], t["finished_without_due"]) == (7, 2, 2, 2, 1)
    assert (t["open"], t["open_overdue"]) == (3, 1)
    assert t["on_time_share"] == round(4 / 6, 6)
    assert (t["rescheduled_dossiers"], t["reschedules"]) == (2, 3)
    # Working days from Monday 4/3: 1, 2, 3, 3, 3, 6 (Tue 12/3 across a weekend), 0.
    assert t["average_working_days"] == round((1 + 2 + 3 + 3 + 3 + 6 + 0) / 7, 2)
    s = r["satisfaction"]
    assert s["rated"] == 5 and s["by_rating"] == {"1": 2, "2": 1, "3": 0, "4": 0, "5": 2}
    assert s["dissatisfied"] == 3
    # QĐ 766: (finished − late or dissatisfied) / finished = (7 − {E2, O2, L1, L2}) / 7.
    assert (s["finished"], s["late_or_dissatisfied"], s["ratio"]) == (7, 4, round(3 / 7, 6))
    row = r["by_procedure"][0]
    assert (row["finished"], row["early"], row["on_time"], row["late"]) == (7, 2, 2, 2)


def test_a_stricter_threshold_counts_fewer_dissatisfied():
    due = at("2024-03-07", "16:00")
    facts = [fact("A", i, due=due, finished=at("2024-03-05"), rating=r) for i, r in enumerate((1, 2, 3, 5))]
    assert build_report(facts, inputs([proc("1.000001")], dissatisfied_at_most=1))["satisfaction"]["ratio"] == 0.75
    assert build_report(facts, inputs([proc("1.000001")], dissatisfied_at_most=3))["satisfaction"]["ratio"] == 0.25


def test_agencies_planning_and_certification():
    due = at("2024-03-07", "16:00")
    catalogue = [proc("1.000001", "partial", postal_allowed=True), proc("1.000002", "paper", postal_allowed=False)]
    facts = [
        fact("A", 1, due=due, finished=at("2024-03-05")),                               # 1 day
        fact("A", 2, due=due, finished=at("2024-03-07"), channel="post"),               # 3 days
        fact("A", 3, due=due, finished=at("2024-03-06"), receiving="B", return_method="post"),  # 2 days, other counter
        fact("B", 1, procedure="1.000002", competent="B", due=due, finished=at("2024-03-08")),  # B's, late
    ]
    r = build_report(facts, inputs(catalogue, location_free=frozenset({"1.000001"}),
                                   certification=CertificationFigures(3, 5, 9, 20, 62_000)))
    assert r["by_agency"] == [
        {"agency": "A", "name": "UBND xã A", "total": 3, "procedures_with_dossiers": 1, "finished": 3, "early": 2,
         "on_time": 1, "late": 0, "open_overdue": 0, "on_time_share": 1.0, "satisfaction_ratio": 1.0},
        {"agency": "B", "name": "UBND xã B", "total": 1, "procedures_with_dossiers": 1, "finished": 1, "early": 0,
         "on_time": 0, "late": 1, "open_overdue": 0, "on_time_share": 0.0, "satisfaction_ratio": 0.0},
    ]
    p1, p2 = r["planning"]
    assert p1 == {"code": "1.000001", "name": "Thủ tục 1.000001", "count": 3, "online_level": "partial",
                  "location_independent": True, "postal_allowed": True, "postal_share": round(2 / 3, 6),
                  "other_counter_share": round(1 / 3, 6), "median_working_days": 2}
    assert (p2["code"], p2["location_independent"], p2["postal_allowed"], p2["median_working_days"]) == (
        "1.000002", False, False, 4)
    assert r["certification"] == {"requests": 3, "documents": 5, "copies": 9, "pages": 20, "fees_vnd": 62_000}


def test_progress_is_reported_and_ends_at_one():
    seen: list[float] = []
    facts = [fact("X", i) for i in range(45_000)]
    build_report(facts, inputs([proc("1.000001")]), total_hint=len(facts), progress=seen.append)
    assert seen == [20_000 / 45_000, 40_000 / 45_000, 1.0]


def test_the_tables_carry_every_figure_in_vietnamese():
    due = at("2024-03-07", "16:00")
    r = build_report([fact("A", 1, due=due, finished=at("2024-03-05"), rating=4)], inputs([proc("1.000001")]))
    tables = {t.key: t for t in report_tables(r)}
    assert list(tables) == ["Tổng hợp", "Theo thủ tục", "Nhóm số lượng", "Mức độ trực tuyến", "Tiến độ", "Hài lòng",
                            "Chứng thực", "Theo cơ quan", "Kế hoạch cải cách"]
    assert all(len(k) <= 31 for k in tables)  # Excel's limit for a sheet name
    row = tables["Theo thủ tục"].rows[0]
    assert row[:5] == (1, "1.000001", "Thủ tục 1.000001", 1, 1.0)
    assert format_cell(0.123456, "share") == "12,35 %" and format_cell(12218, "int") == "12.218"
    assert format_cell(0.00004, "share") == "< 0,01 %" and format_cell(None, "int") == "–"
