"""Issue 16, done when: a year of a province's commune dossiers imported from CSV produces the
statistics table, exactly, as JSON, in XLSX and in PDF (the screen: tests/ui/test_report_window.py).

The year (tests/province_year.py) is written with its figures tallied as it is written; the report
is computed from the imported store by a fresh `counter-app` process."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from tests.cli.test_cli import run, run_json
from tests.conftest import pdf_text
from tests.province_year import BANDS, CATALOGUE_SIZE, write_catalogue, write_year

YEAR = ["--from", "2024-01-01", "--to", "2024-12-31"]


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    root = tmp_path_factory.mktemp("province-year")
    data = root / "data"
    run_json(data, "init", "--agency-code", "H52.101", "--agency-name", "UBND xã Định Mỹ", "--province", "Gia Lai")
    level_of = write_catalogue(root / "catalogue.json")
    run(data, "catalogue", "import", str(root / "catalogue.json"), "--replace", "--yes")
    expected = write_year(root / "year.csv", level_of)
    imported = run_json(data, "import-dossiers", str(root / "year.csv"))
    assert imported["imported"] == expected.total and not imported["problems"]
    return data, expected, run_json(data, "report", *YEAR), root


def test_every_figure_of_the_json(year):
    _, exp, r, _ = year
    assert r["total"] == exp.total == sum(exp.by_procedure.values())
    assert r["catalogue_size"] == CATALOGUE_SIZE
    assert r["procedures_with_dossiers"] == 98
    assert {p["code"]: p["count"] for p in r["by_procedure"]} == exp.by_procedure
    counts = [p["count"] for p in r["by_procedure"]]
    assert counts == sorted(counts, reverse=True)
    assert all(p["share"] == round(p["count"] / exp.total, 6) for p in r["by_procedure"])
    assert r["by_procedure"][0]["name"] == "Chứng thực bản sao từ bản chính giấy tờ, văn bản"
    assert r["volume_bands"] == {band: len(counts) for band, counts in BANDS.items()}
    assert r["volume_band_dossiers"] == {band: sum(counts) for band, counts in BANDS.items()}
    assert r["online_levels"] == exp.levels
    assert {k: v for k, v in r["by_status"].items() if v} == dict(exp.by_status)
    assert r["by_channel"] == dict(exp.by_channel)
    t, tally = r["timeliness"], exp.timeliness
    assert (t["early"], t["on_time"], t["late"]) == (tally["early"], tally["on_time"], tally["late"])
    assert t["finished"] == len(exp.working_days) == tally["early"] + tally["on_time"] + tally["late"]
    assert (t["open"], t["open_overdue"]) == (tally["overdue"] + tally["waiting"], tally["overdue"])
    assert t["on_time_share"] == round((tally["early"] + tally["on_time"]) / t["finished"], 6)
    assert t["average_working_days"] == round(sum(exp.working_days) / len(exp.working_days), 2)
    s = r["satisfaction"]
    assert s["by_rating"] == {str(k): exp.ratings.get(k, 0) for k in range(1, 6)}
    assert s["rated"] == sum(exp.ratings.values())
    assert s["dissatisfied"] == exp.ratings[1] + exp.ratings[2]
    assert s["late_or_dissatisfied"] == exp.late_or_dissatisfied
    assert s["ratio"] == round((t["finished"] - exp.late_or_dissatisfied) / t["finished"], 6)
    assert len(r["planning"]) == CATALOGUE_SIZE
    assert sum(p["count"] for p in r["planning"]) == exp.total


def test_the_xlsx_holds_the_same_figures(year):
    data, exp, r, root = year
    out = root / "bao-cao-2024.xlsx"
    run(data, "report", *YEAR, "--out", str(out))
    book = load_workbook(out)
    summary = {row[0].value: row[1].value for row in book["Tổng hợp"].iter_rows(min_row=5)}
    assert summary["Tổng số hồ sơ tiếp nhận"] == exp.total
    assert summary["Số thủ tục trong danh mục"] == CATALOGUE_SIZE and summary["Số thủ tục có hồ sơ"] == 98
    bands = [[c.value for c in row] for row in book["Nhóm số lượng"].iter_rows(min_row=5)]
    assert bands == [["Từ 10.000 hồ sơ", 4, sum(BANDS[">=10000"])], ["1.000 – 9.999", 8, sum(BANDS["1000-9999"])],
                     ["100 – 999", 13, sum(BANDS["100-999"])], ["10 – 99", 22, sum(BANDS["10-99"])],
                     ["1 – 9", 51, sum(BANDS["1-9"])]]
    levels = [[c.value for c in row] for row in book["Mức độ trực tuyến"].iter_rows(min_row=5)]
    assert levels == [[label, exp.levels[k]["procedures"], exp.levels[k]["dossiers"]]
                      for label, k in (("Toàn trình", "full"), ("Một phần", "partial"), ("Chỉ trực tiếp", "paper"))]
    rows = list(book["Theo thủ tục"].iter_rows(min_row=5, values_only=True))
    assert len(rows) == 98 and {row[1]: row[3] for row in rows} == exp.by_procedure
    ratio = {row[0]: row[1] for row in book["Hài lòng"].iter_rows(min_row=5, values_only=True)}
    assert ratio["Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC (QĐ 766)"] == r["satisfaction"]["ratio"]
    assert len(list(book["Kế hoạch cải cách"].iter_rows(min_row=5))) == CATALOGUE_SIZE


def test_the_pdf_prints_the_same_figures(year):
    data, exp, r, root = year
    out = root / "bao-cao-2024.pdf"
    run(data, "report", *YEAR, "--out", str(out))
    text = pdf_text(out)
    total = f"{exp.total:,}".replace(",", ".")
    share = f"{r['satisfaction']['ratio'] * 100:.2f} %".replace(".", ",")
    for expected in (f"Tổng số hồ sơ tiếp nhận {total}", "Từ 10.000 hồ sơ 4 55.500", "1 – 9 51",
                     f"Toàn trình 40 {exp.levels['full']['dossiers']:,}".replace(",", "."),
                     f"Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC (QĐ 766) {share}",
                     "Chứng thực bản sao từ bản chính giấy tờ, văn bản"):
        assert expected in text, expected
