"""Due dates across the real 2025–2026 calendar (holidays package + office overrides)."""

from datetime import date, datetime, time

import pytest

from counter_app.core.calendar import TZ, CalendarOverride, OfficeHours, OverrideKind, WorkingCalendar
from counter_app.core.errors import ValidationError


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


CASES = [
    # (received, working days, expected due, why)
    ("2025-04-29T10:00", 3, "2025-05-07T10:00", "30/4, 1/5 and the substituted 2/5 are off, then a weekend"),
    ("2025-04-25T09:00", 1, "2025-04-26T09:00", "Saturday 26/4/2025 is a make-up working day"),
    ("2025-04-29T15:30", 0, "2025-05-05T17:00", "after the 15:00 cut-off just before the holiday"),
    ("2025-04-29T14:59", 0, "2025-04-29T17:00", "before the cut-off: same day, end of office hours"),
    ("2025-04-29T15:00", 0, "2025-04-29T17:00", "at exactly 15:00: not after the cut-off, same day"),
    ("2025-04-29T15:00:59", 0, "2025-04-29T17:00", "still the minute 15:00 printed on the receipt"),
    ("2025-04-29T15:01", 0, "2025-05-05T17:00", "15:01 is after the cut-off, before the holiday"),
    ("2026-02-13T10:00", 2, "2026-02-24T10:00", "Tết 2026: 16–20/2 off"),
    ("2026-02-13T15:01", 0, "2026-02-23T17:00", "same-day procedure after the cut-off before Tết"),
    ("2026-04-24T09:00", 1, "2026-04-28T09:00", "Hùng Kings 2026 falls on Sunday, observed Monday 27/4"),
    ("2026-04-24T09:00", 3, "2026-05-04T09:00", "Hùng Kings observed, then 30/4 and 1/5, then a weekend"),
    ("2026-11-23T10:00", 1, "2026-11-25T10:00", "24/11 Vietnam Culture Day, a holiday from 2026"),
    ("2026-11-23T16:00", 0, "2026-11-25T17:00", "after the cut-off, the next day is the 24/11 holiday"),
    ("2026-08-21T10:00", 1, "2026-08-22T10:00", "Saturday 22/8/2026 is worked in exchange for 31/8"),
    ("2026-08-28T10:00", 1, "2026-09-03T10:00", "31/8 substituted, 1–2/9 National Day"),
    ("2026-06-13T10:00", 2, "2026-06-17T07:30", "received on a Saturday: as if at opening on Monday"),
    ("2026-06-14T10:00", 0, "2026-06-15T17:00", "same-day procedure received on a Sunday"),
    ("2026-06-10T12:00", 1, "2026-06-11T13:30", "received in the lunch break: clamped to the afternoon"),
    ("2026-06-10T06:50", 1, "2026-06-11T07:30", "received before opening: clamped to opening"),
    ("2026-06-10T17:40", 1, "2026-06-11T17:00", "received after closing: clamped to closing"),
    ("2026-06-10T07:00", 0, "2026-06-10T17:00", "same-day procedure received before opening"),
    ("2026-06-10T10:00", 5, "2026-06-17T10:00", "an ordinary week"),
]


@pytest.mark.parametrize("received, days, expected, why", CASES, ids=[c[3] for c in CASES])
def test_due_at_real_calendar(received, days, expected, why):
    assert WorkingCalendar().due_at(at(received), days) == at(expected), why


def test_due_at_is_in_vietnam_time_whatever_the_input_zone():
    from zoneinfo import ZoneInfo

    received = datetime(2026, 6, 10, 3, 0, tzinfo=ZoneInfo("UTC"))  # 10:00 in Hà Nội
    due = WorkingCalendar().due_at(received, 1)
    assert due == at("2026-06-11T10:00") and due.utcoffset().total_seconds() == 7 * 3600


OVERRIDE_CASES = [
    (CalendarOverride(date(2026, 6, 11), OverrideKind.DAY_OFF), "2026-06-10T10:00", 1, "2026-06-12T10:00"),
    (CalendarOverride(date(2026, 6, 13), OverrideKind.WORKING_DAY), "2026-06-10T10:00", 3, "2026-06-13T10:00"),
    (CalendarOverride(date(2026, 6, 13), OverrideKind.MORNING_SESSION), "2026-06-13T09:00", 0,
     "2026-06-13T11:30"),
    (CalendarOverride(date(2026, 6, 13), OverrideKind.MORNING_SESSION), "2026-06-13T09:00", 1,
     "2026-06-16T07:30"),
    (CalendarOverride(date(2026, 6, 13), OverrideKind.MORNING_SESSION), "2026-06-12T10:00", 1,
     "2026-06-15T10:00"),
    # An office closure on a public holiday's make-up Saturday wins over the library.
    (CalendarOverride(date(2026, 8, 22), OverrideKind.DAY_OFF), "2026-08-21T10:00", 1, "2026-08-24T10:00"),
]


@pytest.mark.parametrize("override, received, days, expected", OVERRIDE_CASES)
def test_due_at_with_office_overrides(override, received, days, expected):
    assert WorkingCalendar(overrides=(override,)).due_at(at(received), days) == at(expected)


def test_agency_specific_override_applies_only_to_that_agency():
    closure = CalendarOverride(date(2026, 6, 11), OverrideKind.DAY_OFF, agency_code="H52.101")
    cal = WorkingCalendar(overrides=(closure,), agency_code="H52.101")
    assert cal.due_at(at("2026-06-10T10:00"), 1) == at("2026-06-12T10:00")
    assert cal.for_agency("H52.102").due_at(at("2026-06-10T10:00"), 1) == at("2026-06-11T10:00")


def test_configurable_hours_and_cutoff():
    hours = OfficeHours(time(8), time(12), time(13), time(17, 30), cutoff=time(16))
    cal = WorkingCalendar(hours=hours)
    assert cal.due_at(at("2026-06-10T15:30"), 0) == at("2026-06-10T17:30")
    assert cal.due_at(at("2026-06-10T16:00"), 0) == at("2026-06-10T17:30")  # at the cut-off: not after it
    assert cal.due_at(at("2026-06-10T16:01"), 0) == at("2026-06-11T17:30")
    assert cal.due_at(at("2026-06-13T10:00"), 1) == at("2026-06-16T08:00")


def test_bad_input_is_refused():
    with pytest.raises(ValidationError):
        WorkingCalendar().due_at(at("2026-06-10T10:00"), -1)
    with pytest.raises(ValidationError):
        WorkingCalendar().due_at(datetime(2026, 6, 10, 10), 1)
    with pytest.raises(ValidationError):
        OfficeHours(time(13), time(12), time(14), time(17))


def test_working_days_between():
    cal = WorkingCalendar()
    assert cal.working_days_between(date(2025, 4, 29), date(2025, 5, 7)) == 3
    assert cal.holiday_name(date(2026, 11, 24))
