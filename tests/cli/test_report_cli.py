"""Issue 16: `counter-app report` from a fresh data folder: JSON keys, XLSX and PDF read back,
bad input refused in Vietnamese with a non-zero exit."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from tests.cli.test_cli import run, run_json
from tests.conftest import pdf_text

KEYS = {"total", "catalogue_size", "procedures_with_dossiers", "by_procedure", "volume_bands", "online_levels",
        "timeliness", "satisfaction", "by_status", "by_channel", "certification", "by_agency", "planning"}


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("report") / "data"
    run_json(d, "init", "--agency-code", "H52.101", "--agency-name", "UBND xã Định Mỹ", "--province", "Gia Lai")
    codes = [run_json(d, "intake", "--procedure", "1.001612", "--name", "Nguyễn Văn Ấn")["code"] for _ in range(2)]
    codes.append(run_json(d, "intake", "--procedure", "1.001193", "--name", "Trần Thị Bình")["code"])
    run(d, "result-ready", codes[0])
    run(d, "return", codes[0], "--receiver-name", "Nguyễn Văn Ấn", "--rating", "1")
    return d


def period(year: int = 2026) -> list[str]:
    return ["--from", f"{year}-01-01", "--to", f"{year}-12-31"]


def test_json_has_the_issues_keys_and_figures(data):
    r = run_json(data, "report", *period())
    assert KEYS <= set(r)
    assert r["total"] == 3 and r["catalogue_size"] == 90 and r["procedures_with_dossiers"] == 2
    assert [(p["code"], p["count"], p["share"]) for p in r["by_procedure"]] == [
        ("1.001612", 2, round(2 / 3, 6)), ("1.001193", 1, round(1 / 3, 6))]
    assert set(r["volume_bands"]) == {">=10000", "1000-9999", "100-999", "10-99", "1-9"}
    assert r["volume_bands"]["1-9"] == 2
    assert set(r["online_levels"]) == {"full", "partial", "paper"}
    assert all(set(v) == {"procedures", "dossiers"} for v in r["online_levels"].values())
    assert sum(v["dossiers"] for v in r["online_levels"].values()) == 3
    assert r["satisfaction"]["rated"] == 1 and r["satisfaction"]["dissatisfied"] == 1
    assert r["satisfaction"]["ratio"] == 0.0  # the only finished dossier was rated 1
    assert r["by_agency"][0]["agency"] == "H52.101" and r["by_agency"][0]["name"] == "UBND xã Định Mỹ"
    assert run_json(data, "report", *period(2025))["total"] == 0


def test_text_output_is_vietnamese_tables(data):
    out = run(data, "report", *period()).stdout
    assert "BÁO CÁO TÌNH HÌNH TIẾP NHẬN" in out and "Tổng số hồ sơ tiếp nhận" in out
    assert "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC" in out and "66,67 %" in out


def test_xlsx_one_sheet_per_table_with_vietnamese_headers(data, tmp_path):
    out = tmp_path / "bao-cao.xlsx"
    run(data, "report", *period(), "--out", str(out))
    book = load_workbook(out)
    assert book.sheetnames == ["Tổng hợp", "Theo thủ tục", "Nhóm số lượng", "Mức độ trực tuyến", "Tiến độ",
                               "Hài lòng", "Chứng thực", "Theo cơ quan", "Kế hoạch cải cách"]
    sheet = book["Theo thủ tục"]
    assert [c.value for c in sheet[4]][:5] == ["STT", "Mã TTHC", "Tên thủ tục", "Số hồ sơ", "Tỷ lệ"]
    assert [c.value for c in sheet[5]][:5] == [1, "1.001612", "Đăng ký thành lập hộ kinh doanh", 2, round(2 / 3, 6)]
    assert sheet.cell(row=5, column=5).number_format == "0.00%"
    assert book["Tổng hợp"]["B5"].value == 3  # "Tổng số hồ sơ tiếp nhận" under the header row


def test_pdf_carries_the_same_tables(data, tmp_path):
    out = tmp_path / "bao-cao.pdf"
    run(data, "report", *period(), "--out", str(out))
    text = pdf_text(out)
    for expected in ("BÁO CÁO TÌNH HÌNH TIẾP NHẬN, GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", "UBND xã Định Mỹ",
                     "Kỳ báo cáo: hồ sơ tiếp nhận từ ngày 01/01/2026 đến ngày 31/12/2026",
                     "Đăng ký thành lập hộ kinh doanh", "66,67 %", "Thủ tục theo nhóm số lượng hồ sơ",
                     "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC (QĐ 766)", "Bảng phục vụ kế hoạch cải cách"):
        assert expected in text, expected


@pytest.mark.parametrize("args, message", [
    (["--from", "2026-12-31", "--to", "2026-01-01"], "Ngày cuối kỳ"),
    (["--from", "31/12/2026", "--to", "2026-12-31"], "YYYY-MM-DD"),
    (period() + ["--agency", "H52.999"], "H52.999"),
    (period() + ["--out", "bao-cao.docx"], ".xlsx hoặc .pdf"),
])
def test_bad_input_is_refused_and_writes_nothing(data, tmp_path, args, message):
    args = [a if a != "bao-cao.docx" else str(tmp_path / a) for a in args]
    result = run(data, "report", *args, ok=False)
    assert result.returncode != 0 and message in result.stderr
    assert not list(tmp_path.iterdir())


def test_a_level_decision_counts_from_its_date(tmp_path):
    from datetime import date, timedelta

    d = tmp_path / "data"
    run_json(d, "init", "--agency-code", "H52.101", "--agency-name", "UBND xã Định Mỹ", "--province", "Gia Lai")
    received = date.fromisoformat(run_json(d, "intake", "--procedure", "1.001612", "--name", "Nguyễn Văn Ấn")
                                  ["received_at"][:10])
    upgrade = (received + timedelta(days=1)).isoformat()
    out = run_json(d, "catalogue", "level", "1.001612", "full", "--from", upgrade, "--decision", "QĐ 12/QĐ-UBND")
    assert out["online_levels"] == [{"level": "full", "from": upgrade, "decision": "QĐ 12/QĐ-UBND"}]
    # A period ending on the decision's first day counts the procedure as full online…
    after = run_json(d, "report", "--from", received.isoformat(), "--to", upgrade)
    assert after["online_levels"]["full"] == {"procedures": 1, "dossiers": 1}
    # …one ending the day before, at its stated (catalogue) level, partial.
    before = run_json(d, "report", "--from", received.isoformat(), "--to", received.isoformat())
    assert before["online_levels"]["full"]["procedures"] == 0
    assert before["online_levels"]["partial"] == {"procedures": 1, "dossiers": 1}
    bad = run(d, "catalogue", "level", "1.999999", "full", "--from", "2026-01-01", ok=False)
    assert bad.returncode != 0 and "1.999999" in bad.stderr
