"""Issue 14 item 12: the government's published days-off swaps as dated data over the library."""

import json
from datetime import date, datetime

import pytest

from counter_app.core.calendar import TZ, CalendarOverride, OverrideKind, WorkingCalendar
from counter_app.core.errors import ValidationError
from counter_app.core.swaps import PublishedSwap, merge_swaps, parse_swaps
from tests.conftest import ROOT

DATA = json.loads((ROOT / "resources" / "calendar" / "vn-swaps.json").read_text("utf-8"))
SWAPS = parse_swaps(DATA)
CAL = WorkingCalendar(swaps=SWAPS)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def swap(swap_id: str) -> PublishedSwap:
    return next(s for s in SWAPS if s.id == swap_id)


# One case per swap published for 2025 and 2026 (domain.md §6 and §13); none invented.
PUBLISHED = {
    "2025-30-4": (date(2025, 5, 2), date(2025, 4, 26), False,
                  ("2025-04-29T10:00", 3, "2025-05-07T10:00"), ("2025-04-25T09:00", 1, "2025-04-26T09:00")),
    "2026-tet-duong-lich": (date(2026, 1, 2), date(2026, 1, 10), True,
                            ("2025-12-31T10:00", 1, "2026-01-05T10:00"), ("2026-01-09T09:00", 1, "2026-01-10T09:00")),
    "2026-quoc-khanh": (date(2026, 8, 31), date(2026, 8, 22), False,
                        ("2026-08-28T10:00", 1, "2026-09-03T10:00"), ("2026-08-21T10:00", 1, "2026-08-22T10:00")),
}


def test_the_data_holds_exactly_the_published_swaps():
    assert {s.id: (s.day_off, s.working_day, s.verified) for s in SWAPS} == {
        k: v[:3] for k, v in PUBLISHED.items()}


@pytest.mark.parametrize("swap_id", PUBLISHED)
def test_each_published_swap_is_applied_with_its_source(swap_id):
    off, work, verified, over_day_off, onto_working_day = PUBLISHED[swap_id]
    s = swap(swap_id)
    assert s.source and (verified or "Chưa đối chiếu" in s.source)  # unverified ones say so
    assert not CAL.is_working_day(off) and CAL.is_working_day(work)
    assert CAL.holiday_name(off) == s.name and CAL.holiday_name(work) is None  # the day off cites the swap
    for received, days, due in (over_day_off, onto_working_day):
        assert CAL.due_at(at(received), days) == at(due)


def test_the_2026_new_year_swap_is_not_in_the_library():
    """Why the data exists: without it, Friday 2/1/2026 counts as a working day."""
    library = WorkingCalendar()
    assert library.is_working_day(date(2026, 1, 2)) and not library.is_working_day(date(2026, 1, 10))
    assert library.due_at(at("2025-12-31T10:00"), 1) == at("2026-01-02T10:00")
    assert CAL.due_at(at("2025-12-31T15:30"), 0) == at("2026-01-05T17:00")  # after the cut-off, over the swap
    assert CAL.for_agency("H52.999").is_working_day(date(2026, 1, 10))  # kept for another agency too


def test_office_overrides_still_win_over_published_swaps():
    closed = CalendarOverride(date(2026, 1, 10), OverrideKind.DAY_OFF, note="Xã không làm bù")
    cal = WorkingCalendar(overrides=(closed,), swaps=SWAPS)
    assert not cal.is_working_day(date(2026, 1, 10))
    assert cal.due_at(at("2026-01-09T09:00"), 1) == at("2026-01-12T09:00")


def test_a_province_list_replaces_by_id_adds_and_withdraws():
    province = parse_swaps({"swaps": [
        {"id": "2026-quoc-khanh", "cancelled": True},
        {"id": "2027-tet-duong-lich", "day_off": "2027-01-02", "working_day": None, "name": "Thử",
         "source": "Văn bản thử", "verified": True}]})
    merged = merge_swaps(SWAPS, province)
    assert {s.id for s in merged} == {"2025-30-4", "2026-tet-duong-lich", "2027-tet-duong-lich"}
    # A province entry on the same day as a bundled one wins, whatever its id.
    moved = parse_swaps([{"id": "tet-2026-sua", "day_off": "2026-01-02", "working_day": "2026-01-17",
                          "name": "Sửa", "source": "Văn bản sửa"}])
    cal = WorkingCalendar(swaps=merge_swaps(SWAPS, moved))
    assert cal.is_working_day(date(2026, 1, 17)) and not cal.is_working_day(date(2026, 1, 10))


@pytest.mark.parametrize("bad, message", [
    ({"swaps": {"id": "x"}}, "danh sách"),
    ([{"id": "x", "day_off": "02/01/2026", "source": "VB"}], "YYYY-MM-DD"),
    ([{"id": "x", "day_off": "2026-01-02", "working_day": "2026-01-10"}], "văn bản"),
    ([{"id": "x", "source": "VB"}], "ngày nghỉ hoặc ngày làm bù"),
    ([{"id": "x", "day_off": "2026-01-02", "source": "VB", "verified": "yes"}], "true hoặc false"),
    ([{"id": "x", "day_off": "2026-01-02", "source": "VB"}, {"id": "x", "day_off": "2026-01-05", "source": "VB"}],
     "lặp"),
    ([{"id": "x", "day_off": "2026-01-02", "source": "VB"}, {"id": "y", "working_day": "2026-01-02", "source": "VB"}],
     "hai mục"),
])
def test_bad_swap_lists_are_refused_in_vietnamese(bad, message):
    with pytest.raises(ValidationError, match=message):
        parse_swaps(bad)
