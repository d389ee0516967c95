from datetime import date, datetime

import pytest

from counter_app.core.errors import ValidationError
from counter_app.core.formats import (
    fmt_date, fmt_datetime, fmt_time_long, group_digits, parse_date, parse_datetime, parse_vnd, vnd,
)

AT = datetime(2026, 6, 10, 8, 5)


@pytest.mark.parametrize("amount, text", [(0, "0 đồng"), (5_000, "5.000 đồng"), (10_000, "10.000 đồng"),
                                          (1_234_567, "1.234.567 đồng"), (-2_000, "-2.000 đồng")])
def test_money_is_written_with_dots_and_dong(amount, text):
    assert vnd(amount) == text
    assert group_digits(amount) + " đồng" == text


@pytest.mark.parametrize("text, amount", [("10.000 đồng", 10_000), ("10.000", 10_000), ("10000đ", 10_000),
                                          ("1.234.567 VND", 1_234_567), (" 0 ", 0)])
def test_money_is_read_back(text, amount):
    assert parse_vnd(text) == amount


@pytest.mark.parametrize("text", ["10,5", "mười nghìn", "1.23", ""])
def test_bad_money_is_refused(text):
    with pytest.raises(ValidationError, match="sai định dạng"):
        parse_vnd(text)


@pytest.mark.parametrize("func, value, text", [
    (fmt_date, date(2026, 6, 1), "01/06/2026"),
    (fmt_date, None, ""),
    (fmt_datetime, AT, "10/06/2026 08:05"),
    (fmt_datetime, None, ""),
    (fmt_time_long, AT, "08 giờ 05 phút, ngày 10/06/2026"),
    (fmt_time_long, None, "—"),
])
def test_writing(func, value, text):
    assert func(value) == text


@pytest.mark.parametrize("text, day", [("10/06/2026", date(2026, 6, 10)), ("1/6/2026", date(2026, 6, 1)),
                                       (" 2026-06-10 ", date(2026, 6, 10)), ("29/02/2024", date(2024, 2, 29))])
def test_dates_are_read_in_both_shapes(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize("text, day", [("10/06/2026 08:05", AT), ("2026-06-10T08:05", AT),
                                       ("2026-06-10 08:05", AT), ("10/06/2026  8:05", AT)])
def test_times_are_read_in_both_shapes(text, day):
    assert parse_datetime(text) == day


@pytest.mark.parametrize("func, text, message", [
    (parse_date, "31/02/1990", "không tồn tại"),
    (parse_date, "29/02/2023", "không tồn tại"),
    (parse_date, "2026-13-01", "không tồn tại"),
    (parse_date, "10-06-2026", "sai định dạng"),
    (parse_date, "10/06/26", "sai định dạng"),
    (parse_date, "", "sai định dạng"),
    (parse_datetime, "10/06/2026 25:00", "không tồn tại"),
    (parse_datetime, "30/02/2026 08:00", "không tồn tại"),
    (parse_datetime, "10/06/2026", "sai định dạng"),
    (parse_datetime, "2026-06-10T8h", "sai định dạng"),
])
def test_bad_dates_say_whether_the_shape_or_the_day_is_wrong(func, text, message):
    with pytest.raises(ValidationError) as info:
        func(text)
    assert message in info.value.message and f"«{text.strip()}»" in info.value.message


def test_an_impossible_date_says_how_it_was_read():
    with pytest.raises(ValidationError, match="DD/MM/YYYY"):
        parse_date("31/02/1990")
