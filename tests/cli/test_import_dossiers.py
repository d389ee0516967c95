"""``counter-app import-dossiers``: the previous system's dossiers from CSV, end to end in a fresh data folder."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.cli.test_cli import run, run_json, table_counts

HEADER = "code,procedure_code,received_at,due_at,finished_at,returned_at,status,channel,applicant_name,id_number"
GOOD = [
    "H52.101-240105-0001,2.000815,2024-01-05T08:10,2024-01-05,,2024-01-05T09:00,returned,,Nguyễn Văn Ấn,052090123456",
    # a served agency's dossier, still open at the old system, its name on two lines in a quoted cell
    'H52.102-240108-0002,1.001193,2024-01-08 10:00,2024-01-12,,,Đang xử lý,Bưu chính,"Đặng Thị\nHuyền",',
    "CU-2024-0003,1.001612,2024-02-01,2024-02-06,2024-02-05T16:00,,9,trực tuyến,Ksor H'Hen,",
]
BAD = [
    "H52.101-240105-0004,9.999999,2024-01-05,,,,received,,Lê Văn Tám,",  # line 6: unknown procedure
    "H52.101-240105-0005,2.000815,2024-01-05,,,,returned,,Lê Văn Chín,",  # line 7: returned without time
]


def write(path, rows, *, bom=True, header=HEADER):
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + "\n".join([header, *rows, ""]).encode("utf-8"))
    return path


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("import") / "data"
    run_json(d, "init", "--agency-code", "H52.101", "--agency-name", "UBND xã Định Mỹ", "--province", "Gia Lai",
             "--serves", "H52.102=UBND xã Định Hòa")
    return d


def outcomes(data):
    con = sqlite3.connect(data / "counter.sqlite")
    try:
        return {code: row for code, *row in con.execute(
            "SELECT d.code, o.finished_at, o.returned_at, o.imported_at IS NOT NULL, o.import_source "
            "FROM dossier_outcome o JOIN dossier d ON d.id = o.dossier_id")}
    finally:
        con.close()


def test_good_rows_imported_bad_rows_listed_and_a_reimport_adds_nothing(data, tmp_path):
    csv = write(tmp_path / "ho-so-2024.csv", GOOD + BAD)
    first = run(data, "import-dossiers", str(csv), ok=False)
    assert first.returncode == 4, first.stderr  # rows skipped: its own exit code, good rows still in
    out = first.stdout
    assert "đã nhập 3, đã có từ trước 0, bỏ qua 2 dòng lỗi" in out
    assert "dòng 6 (mã H52.101-240105-0004): thủ tục «9.999999» không có trong danh mục" in out
    assert "dòng 7 (mã H52.101-240105-0005): trạng thái «Đã trả kết quả» cần thời điểm trả" in out
    assert table_counts(data) == [3, 3, 0]  # dossiers, their «imported» events, and no outbox row
    assert outcomes(data) == {
        "H52.101-240105-0001": ["2024-01-05 09:00:00.000000", "2024-01-05 09:00:00.000000", 1, "ho-so-2024.csv"],
        "H52.102-240108-0002": [None, None, 1, "ho-so-2024.csv"],
        "CU-2024-0003": ["2024-02-05 16:00:00.000000", None, 1, "ho-so-2024.csv"],
    }

    again = run(data, "import-dossiers", str(csv), "--json", ok=False)
    assert again.returncode == 4
    result = json.loads(again.stdout)
    assert (result["rows"], result["imported"], result["already_present"], result["skipped"]) == (5, 0, 3, 2)
    assert [p["line"] for p in result["problems"]] == [6, 7]
    assert table_counts(data) == [3, 3, 0]

    check = run(data, "check", "--json")
    assert json.loads(check.stdout)["ok"] is True


def test_imported_dossiers_are_found_shown_and_kept_off_the_paper_lists(data):
    shown = run_json(data, "show", "H52.102-240108-0002")
    assert (shown["status"], shown["channel"], shown["applicant_name"]) == ("processing", "post", "Đặng Thị Huyền")
    assert (shown["competent_agency"], shown["receiving_agency"]) == ("H52.102", "H52.101")
    assert shown["due_at"] == "2024-01-12T17:00:00+07:00"  # a due day means by the close of that day
    (event,) = shown["events"]
    assert (event["kind"], event["status_before"], event["status_after"]) == ("imported", None, "processing")
    assert (event["payload"]["source"], event["payload"]["line"]) == ("ho-so-2024.csv", 3)
    text = run(data, "show", "CU-2024-0003").stdout
    assert "nhập từ hệ thống cũ" in text and "nhập từ tệp ho-so-2024.csv, dòng 5" in text
    assert "(Cán bộ CLI)" in text  # the officer who imported

    found = run_json(data, "search", "dang thi huyen")  # FTS, without diacritics
    assert [s["code"] for s in found] == ["H52.102-240108-0002"]
    assert [s["code"] for s in run_json(data, "search", "ksor h hen")] == ["CU-2024-0003"]
    # Not received at a desk here: no paper file waits to go to H52.102.
    assert run_json(data, "lists", "waiting-transfer") == []


def test_an_officer_acts_on_an_imported_open_dossier(data):
    assert run_json(data, "result-ready", "H52.102-240108-0002")["status"] == "result_ready"
    assert run_json(data, "return", "H52.102-240108-0002", "--receiver-name", "Đặng Thị Huyền")["status"] == "returned"
    assert table_counts(data) == [3, 5, 2]  # the two new events are this device's: chained and queued
    finished, returned, imported, _ = outcomes(data)["H52.102-240108-0002"]
    assert finished is not None and returned is not None and imported == 1
    assert json.loads(run(data, "check", "--json").stdout)["ok"] is True


def test_an_all_good_file_exits_zero(tmp_path):
    data = tmp_path / "data"
    run_json(data, "init", "--agency-code", "H52.101", "--agency-name", "UBND xã Định Mỹ")
    out = run_json(data, "import-dossiers", str(write(tmp_path / "a.csv", GOOD[:1], bom=False)))
    assert (out["imported"], out["skipped"], out["problems"]) == (1, 0, [])
    assert run_json(data, "import-dossiers", str(tmp_path / "a.csv"))["already_present"] == 1


@pytest.mark.parametrize("case", ["missing file", "not utf-8", "missing column", "directory"])
def test_an_unreadable_file_or_a_bad_header_writes_nothing(data, tmp_path, case):
    path = tmp_path / "x.csv"
    if case == "not utf-8":
        path.write_bytes((HEADER + "\n" + GOOD[0] + "\n").encode("utf-8").replace("ễ".encode(), b"\xe1\xbb"))
        path.write_bytes(path.read_bytes().replace("Ấ".encode(), "Ấ".encode("utf-16-le")))
    elif case == "missing column":
        write(path, ["H52.101-240105-0009,2.000815,2024-01-05,,,,received,,Lê Văn Tám"],
              header=HEADER.replace(",id_number", ""))
    elif case == "directory":
        path.mkdir()
    before = table_counts(data)
    result = run(data, "import-dossiers", str(path), "--json", ok=False)
    assert result.returncode == 1
    error = json.loads(result.stderr)
    assert {"missing file": "Không tìm thấy tệp", "not utf-8": "không phải văn bản UTF-8",
            "missing column": "thiếu cột: id_number", "directory": "là một thư mục"}[case] in error["error"]
    assert table_counts(data) == before
