"""Issue 16 item 3 end to end: real counters push intakes, results and returns with ratings through
the running server, whose report counts them as the counters' own reports do; and a procedure's
online level history travels from the province's catalogue to the counters."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime

from counter_app.core.calendar import TZ
from tests.conftest import FixedClock
from tests.sync.conftest import AGENCY_A, AGENCY_B, AGENCY_R
from tests.sync.servers import ROOT

DAY = date(2026, 6, 10)


def test_what_counters_pushed_is_what_the_province_reports(any_province, make_counter):
    from provincial_server.reports import province_report

    clock = FixedClock(datetime(2026, 6, 10, 9, 15, tzinfo=TZ))
    commune = make_counter(any_province, AGENCY_A, "commune", clock=clock)
    regional = make_counter(any_province, AGENCY_R, "regional", clock=clock)
    other = make_counter(any_province, AGENCY_B, "other", clock=clock)
    mine = commune.receive(4)
    regional.receive(1, competent_agency=AGENCY_A)
    (b_code,) = other.receive(1)
    actions = commune.app.actions
    for code, rating in zip(mine[:3], (5, 2, None)):
        actions.result_ready(code, "Cán bộ A")
        actions.return_result(code, "Cán bộ A", receiver_name="Nguyễn Văn Ấn", rating=rating)
    due = commune.app.queries.get(mine[3]).due_at
    actions.reschedule(mine[3], "Cán bộ A", datetime.combine(due.date().replace(day=due.day + 7), due.time(), TZ),
                       "Chờ xác minh")
    for counter in (commune, regional, other, commune):  # the last pull brings A the regional intake
        assert counter.sync().ok
    with any_province.db.read() as s:
        report, _ = province_report(s, DAY, DAY)
        only_a, _ = province_report(s, DAY, DAY, agency=AGENCY_A)
    assert report["total"] == 6 and only_a["total"] == 5
    assert report["by_status"]["returned"] == 3 and report["by_status"]["received"] == 3
    assert report["satisfaction"]["rated"] == 2 and report["satisfaction"]["by_rating"]["2"] == 1
    assert report["satisfaction"]["dissatisfied"] == 1 and report["satisfaction"]["finished"] == 3
    assert report["timeliness"]["rescheduled_dossiers"] == 1 and report["timeliness"]["reschedules"] == 1
    assert [(a["agency"], a["total"], a["finished"]) for a in report["by_agency"]] == [(AGENCY_A, 5, 3),
                                                                                      (AGENCY_B, 1, 0)]
    assert report["by_agency"][0]["name"] == "UBND xã Định Mỹ"
    plan = next(r for r in only_a["planning"] if r["code"] == "1.001612")
    assert (plan["count"], plan["other_counter_share"]) == (5, 0.2)  # one of five received at the centre
    # The counter of agency A counts the same dossiers the same way (only the catalogue's flags and
    # the planning table's location column differ: that counter marked the procedure itself).
    own = commune.app.reports.build(DAY, DAY, AGENCY_A)
    for key in ("total", "by_status", "by_channel", "timeliness", "satisfaction", "volume_bands", "online_levels",
                "by_procedure", "certification", "by_agency"):
        assert only_a[key] == own[key], key


def _publish(province, tmp_path, items) -> subprocess.CompletedProcess:
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps({"procedures": items}, ensure_ascii=False), "utf-8")
    return subprocess.run([sys.executable, "-m", "provincial_server", "--db", province.db.url, "publish-catalogue",
                           str(path)], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_the_online_level_history_reaches_the_counters(province, make_counter, tmp_path):
    from counter_app.core.model import OnlineLevel
    from counter_app.core.online_levels import level_on

    counter = make_counter(province)
    procedure = next(p for p in counter.app.catalogue.procedures() if p.code == "1.001612")
    entry = {"code": procedure.code, "name": procedure.name, "field": procedure.field, "working_days": 3,
             "online_level": "partial",
             "online_levels": [{"level": "full", "from": "2026-07-01", "decision": "QĐ 1234/QĐ-UBND"},
                               {"level": "paper", "from": "2025-01-01", "decision": "QĐ 12/QĐ-UBND"}]}
    refused = _publish(province, tmp_path, [entry | {"online_levels": [{"level": "toàn trình", "from": "2026-07-01"}]}])
    assert refused.returncode == 2 and "không hợp lệ" in refused.stderr
    refused = _publish(province, tmp_path, [entry, {"code": "1.000894", "name": "x"}])  # one bad entry: none go
    assert refused.returncode == 2 and "thiếu trường" in refused.stderr
    assert counter.sync().pulled == 0
    done = _publish(province, tmp_path, [entry])
    assert done.returncode == 0, done.stderr
    report = counter.sync()
    assert report.ok and report.applied.get("catalogue:updated") == 1, report.applied
    pulled = next(p for p in counter.app.catalogue.procedures() if p.code == "1.001612")
    assert [c["level"] for c in pulled.extra["online_levels"]] == ["paper", "full"]  # kept, in date order
    assert level_on(pulled, date(2026, 6, 30)) is OnlineLevel.PAPER
    assert level_on(pulled, date(2026, 7, 1)) is OnlineLevel.FULL
    with province.db.read() as s:
        from provincial_server.reports import catalogue

        assert level_on(catalogue(s)["1.001612"], date(2026, 7, 1)) is OnlineLevel.FULL
