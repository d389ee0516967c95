"""Reading the previous system's CSV: header, every row rule, and the line numbers bad rows are reported on."""

from __future__ import annotations

import unicodedata
from datetime import datetime, time

import pytest

from counter_app.core.calendar import TZ
from counter_app.core.errors import ValidationError
from counter_app.core.history_import import COLUMNS, HistoricalDossier, HistoryFile, ImportRules, RowProblem, decode
from counter_app.core.lifecycle import Status
from counter_app.core.model import Channel
from tests.conftest import PROVINCES

RULES = ImportRules(
    catalogue={"2.000815": "Chứng thực bản sao từ bản chính", "1.001193": "Đăng ký khai sinh"},
    own_agency="H52.101", agencies=frozenset({"H52.101", "H52.102"}), provinces=PROVINCES,
    now=datetime(2026, 6, 10, 9, 15, tzinfo=TZ),
    # A Saturday-morning session closes at 11:30: the calendar decides, not a constant.
    closing_time=lambda day: time(11, 30) if day.weekday() == 5 else time(17, 0),
)
GOOD = {"code": "H52.101-240105-0001", "procedure_code": "2.000815", "received_at": "2024-01-05T08:10",
        "due_at": "2024-01-05", "finished_at": "", "returned_at": "2024-01-05T09:00", "status": "returned",
        "channel": "", "applicant_name": "Nguyễn Văn Ấn", "id_number": "052090123456"}


def csv_text(*rows: dict, columns=COLUMNS) -> str:
    def cell(v: str) -> str:
        return f'"{v}"' if any(c in v for c in ',"\n') else v

    return "\n".join([",".join(columns), *(",".join(cell(r.get(c, "")) for c in columns) for r in rows)]) + "\n"


def read(text: str) -> list[HistoricalDossier | RowProblem]:
    return list(HistoryFile(text, RULES, "ho-so.csv").rows())


def one(**changes) -> HistoricalDossier | RowProblem:
    (item,) = read(csv_text({**GOOD, **changes}))
    return item


def problem(**changes) -> str:
    item = one(**changes)
    assert isinstance(item, RowProblem), item
    assert item.line == 2
    return item.reason_vi


def test_a_good_row_becomes_a_historical_dossier():
    d = one()
    assert isinstance(d, HistoricalDossier)
    assert (d.line, d.code, d.procedure_name) == (2, "H52.101-240105-0001", "Chứng thực bản sao từ bản chính")
    assert d.status is Status.RETURNED and d.channel is Channel.COUNTER  # empty channel: at the counter
    assert d.received_at == datetime(2024, 1, 5, 8, 10, tzinfo=TZ)
    assert d.returned_at == d.finished_at == datetime(2024, 1, 5, 9, tzinfo=TZ)  # finished when handed over
    assert (d.competent_agency, d.receiving_agency) == ("H52.101", "H52.101")
    assert d.id_number == "052090123456"


def test_utf8_with_and_without_bom_and_anything_else_refused():
    text = csv_text(GOOD)
    assert decode(b"\xef\xbb\xbf" + text.encode(), "a.csv") == decode(text.encode(), "a.csv") == text
    with pytest.raises(ValidationError, match="UTF-8"):
        decode(text.encode("cp1258", errors="replace").replace(b"Nguy", b"\xd0\xfe"), "a.csv")


def test_header_in_any_order_extra_columns_warned_missing_ones_refused():
    columns = ("ghi_chu", *reversed(COLUMNS))
    f = HistoryFile(csv_text({**GOOD, "ghi_chu": "x"}, columns=columns), RULES, "a.csv")
    assert f.warnings == ["Bỏ qua các cột không dùng đến: ghi_chu."]
    assert isinstance(next(f.rows()), HistoricalDossier)
    with pytest.raises(ValidationError, match="thiếu cột: due_at, id_number"):
        HistoryFile(csv_text(GOOD, columns=[c for c in COLUMNS if c not in ("due_at", "id_number")]), RULES, "a.csv")
    with pytest.raises(ValidationError, match="trống"):
        HistoryFile("", RULES, "a.csv")
    with pytest.raises(ValidationError, match="trùng tên: code"):
        HistoryFile(csv_text(GOOD, columns=(*COLUMNS, "Code")), RULES, "a.csv")


def test_line_numbers_count_the_header_blank_lines_and_quoted_newlines():
    rows = [GOOD, {**GOOD, "code": "H52.101-240105-0002", "applicant_name": "Trần Thị\nBích"},
            {**GOOD, "code": "", "status": "received"}]
    text = csv_text(*rows).replace("\nH52.101-240105-0002", "\n\nH52.101-240105-0002")  # a blank line first
    items = read(text)
    assert [type(i).__name__ for i in items] == ["HistoricalDossier", "HistoricalDossier", "RowProblem"]
    assert items[1].line == 4 and items[1].applicant_name == "Trần Thị Bích"  # line 3 is blank
    assert items[2].line == 6  # the name took lines 4 and 5
    assert items[2].text_vi() == "dòng 6: thiếu mã hồ sơ (cột code)."


def test_a_code_twice_keeps_the_first_and_reports_the_second():
    items = read(csv_text(GOOD, {**GOOD, "applicant_name": "Người khác"}))
    assert isinstance(items[0], HistoricalDossier)
    assert items[1] == RowProblem(3, "H52.101-240105-0001", "mã hồ sơ trùng với dòng 2 (chỉ nhập lần xuất hiện đầu).")


def test_code_rules():
    assert one(code="h52.101-240105-0001").code == "H52.101-240105-0001"
    assert "không hợp lệ" in problem(code="H52 101 0001")
    assert "không hợp lệ" in problem(code="X" * 61)


def test_the_competent_agency_comes_from_a_known_code_prefix():
    assert one(code="H52.102-240105-0007").competent_agency == "H52.102"  # served by this counter
    d = one(code="OLD-2024-0007")
    assert (d.competent_agency, d.receiving_agency) == ("H52.101", "H52.101")  # unknown: the own agency


def test_procedure_and_received_at_are_required_and_checked():
    assert "thiếu mã thủ tục" in problem(procedure_code="")
    assert "không có trong danh mục" in problem(procedure_code="9.999999")
    assert "thiếu thời điểm tiếp nhận" in problem(received_at="")
    assert "ISO 8601" in problem(received_at="05/01/2024")
    assert "trước năm 2000" in problem(received_at="1999-12-31")
    assert "tương lai" in problem(received_at="2026-06-11", due_at="", status="received", returned_at="")


def test_times_with_offsets_and_date_only_values():
    d = one(received_at="2024-01-05T01:10:00Z", returned_at="2024-01-05 09:00:00+07:00")
    assert d.received_at == datetime(2024, 1, 5, 8, 10, tzinfo=TZ) and d.received_at.utcoffset().seconds == 7 * 3600
    assert d.returned_at == datetime(2024, 1, 5, 9, tzinfo=TZ)
    d = one(received_at="2024-01-05", returned_at="2024-01-08")
    assert d.received_at == datetime(2024, 1, 5, 0, 0, tzinfo=TZ)  # start of the day
    assert d.due_at == datetime(2024, 1, 5, 17, 0, tzinfo=TZ)  # a due day: by the close of office hours
    assert one(received_at="2024-01-06T08:00", due_at="2024-01-06", returned_at="2024-01-06T09:00").due_at == \
        datetime(2024, 1, 6, 11, 30, tzinfo=TZ)  # that day's session closes at 11:30


def test_time_order():
    assert "due_at) trước" in problem(due_at="2024-01-04")
    assert "finished_at) trước thời điểm tiếp nhận" in problem(finished_at="2024-01-05T08:00")
    assert "returned_at) trước thời điểm có kết quả" in problem(finished_at="2024-01-05T10:00")


def test_status_values_codes_and_labels():
    assert one(status="10").status is Status.RETURNED
    assert one(status="Đã trả kết quả").status is Status.RETURNED
    assert one(status="DA TRA KET QUA").status is Status.RETURNED
    assert one(status="4", returned_at="").status is Status.PROCESSING
    assert one(status="Yêu cầu bổ sung", returned_at="").status is Status.SUPPLEMENT_REQUESTED
    assert one(status="result_ready", returned_at="", finished_at="2024-01-05T16:00").status is Status.RESULT_READY
    assert one(status="từ chối tiếp nhận", returned_at="").status is Status.REFUSED
    assert "mã 1" in problem(status="1", returned_at="")
    assert "không hợp lệ" in problem(status="đang chờ")
    assert "thiếu trạng thái" in problem(status="")


def test_status_and_step_times_must_agree():
    assert "cần thời điểm trả" in problem(returned_at="")
    assert "trạng thái là «Đang xử lý»" in problem(status="processing")
    assert "chưa giải quyết xong" in problem(status="processing", returned_at="", finished_at="2024-01-05T10:00")
    assert "không có kết quả giải quyết" in problem(status="stopped", returned_at="", finished_at="2024-01-05T10:00")
    assert "cần thời điểm có kết quả" in problem(status="result_ready", returned_at="")
    d = one(finished_at="2024-01-05T08:30")
    assert d.finished_at == datetime(2024, 1, 5, 8, 30, tzinfo=TZ)  # given: kept, not the return time


def test_channels():
    assert one(channel="Bưu chính").channel is Channel.POST
    assert one(channel="TRỰC TUYẾN").channel is Channel.ONLINE
    assert one(channel="trực tiếp").channel is Channel.COUNTER
    assert one(channel="post").channel is Channel.POST
    assert "kênh nộp" in problem(channel="fax")


def test_applicant_name_is_required_nfc_and_cleaned_and_the_id_checked():
    decomposed = unicodedata.normalize("NFD", "  Nguyễn   Thị Ánh ")
    assert one(applicant_name=decomposed).applicant_name == "Nguyễn Thị Ánh"
    assert "thiếu họ tên" in problem(applicant_name="  ")
    assert one(id_number="").id_number is None
    assert one(id_number="052 090 123 456").id_number == "052090123456"
    assert "12 chữ số" in problem(id_number="12345")
    assert "Mã tỉnh" in problem(id_number="099090123456")


def test_a_short_row_is_a_problem_but_trailing_unused_cells_may_be_left_off():
    text = ",".join(COLUMNS) + ",ghi_chu\n" + ",".join(GOOD[c] for c in COLUMNS) + "\n" + "H52.101-1,2.000815\n"
    items = read(text)
    assert isinstance(items[0], HistoricalDossier)
    assert items[1].line == 3 and "chỉ có 2 ô" in items[1].reason_vi


def test_an_optional_rating_column_is_read_at_the_return_only():
    with_rating = (*COLUMNS, "rating")
    (d,) = read(csv_text({**GOOD, "rating": "4"}, columns=with_rating))
    assert isinstance(d, HistoricalDossier) and d.rating == 4
    assert HistoryFile(csv_text(GOOD, columns=with_rating), RULES, "x.csv").warnings == []
    (d,) = read(csv_text({**GOOD, "rating": ""}, columns=with_rating))
    assert d.rating is None
    (bad,) = read(csv_text({**GOOD, "rating": "6"}, columns=with_rating))
    assert isinstance(bad, RowProblem) and "từ 1 đến 5" in bad.reason_vi
    (bad,) = read(csv_text({**GOOD, "status": "processing", "returned_at": "", "rating": "5"}, columns=with_rating))
    assert isinstance(bad, RowProblem) and "chưa trả kết quả" in bad.reason_vi
    assert one().rating is None  # without the column
