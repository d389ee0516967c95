"""Working-day calendar and due times.

Three layers, the later winning: public holidays, substituted days off and make-up working
Saturdays from the ``holidays`` package (Vietnam); the government's published swaps as dated data
(``core.swaps``: the bundled file, updated by the province), because the package lags behind the
announcements; an office's own overrides stored in its database (extra days off, make-up working
days, Saturday-morning sessions, per agency or for all).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from counter_app.core.errors import ValidationError
from counter_app.core.swaps import PublishedSwap

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class OverrideKind(str, enum.Enum):
    DAY_OFF = "day_off"  # extra day off (e.g. a provincial decision)
    WORKING_DAY = "working_day"  # make-up working day
    MORNING_SESSION = "morning_session"  # Saturday-morning service: open, but not a counted working day


@dataclass(frozen=True)
class CalendarOverride:
    day: date
    kind: OverrideKind
    agency_code: str | None = None  # None: applies to every agency served here
    note: str = ""


@dataclass(frozen=True)
class OfficeHours:
    morning_start: time = time(7, 30)
    morning_end: time = time(11, 30)
    afternoon_start: time = time(13, 30)
    afternoon_end: time = time(17, 0)
    # Same-day results: received *after* this, due the next working day. Decree 23/2015 Art. 7 says
    # "sau 15 giờ", so a request received at 15:00 itself is still before the cut-off.
    cutoff: time = time(15, 0)

    def __post_init__(self) -> None:
        order = [self.morning_start, self.morning_end, self.afternoon_start, self.afternoon_end]
        if order != sorted(order) or len(set(order)) != 4:
            raise ValidationError(
                "Giờ làm việc không hợp lệ: buổi sáng phải kết thúc trước buổi chiều.",
                "office hours must be increasing",
            )

    def clamp(self, t: time, *, morning_only: bool = False) -> time:
        """Move a clock time into office hours (before opening → opening; lunch → afternoon start)."""
        end = self.morning_end if morning_only else self.afternoon_end
        if t < self.morning_start:
            return self.morning_start
        if t > end:
            return end
        if self.morning_end < t < self.afternoon_start:
            return self.afternoon_start
        return t


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year)


@dataclass
class WorkingCalendar:
    hours: OfficeHours = field(default_factory=OfficeHours)
    overrides: tuple[CalendarOverride, ...] = ()
    agency_code: str | None = None
    swaps: tuple[PublishedSwap, ...] = ()

    def __post_init__(self) -> None:
        self._swapped: dict[date, tuple[bool, str]] = {}  # day → (is a working day, why)
        for s in self.swaps:
            if s.day_off is not None:
                self._swapped[s.day_off] = (False, s.name or s.id)
            if s.working_day is not None:
                self._swapped[s.working_day] = (True, s.name or s.id)
        self._by_day: dict[date, OverrideKind] = {}
        # Agency-specific overrides win over office-wide ones for the same day.
        for o in sorted(self.overrides, key=lambda o: o.agency_code is not None):
            if o.agency_code is None or o.agency_code == self.agency_code:
                self._by_day[o.day] = o.kind

    def for_agency(self, agency_code: str | None) -> WorkingCalendar:
        return WorkingCalendar(self.hours, self.overrides, agency_code, self.swaps)

    def holiday_name(self, day: date) -> str | None:
        swapped = self._swapped.get(day)
        if swapped is not None:
            return None if swapped[0] else swapped[1]
        return _public_holidays(day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        kind = self._by_day.get(day)
        if kind is OverrideKind.DAY_OFF or kind is OverrideKind.MORNING_SESSION:
            return False
        if kind is OverrideKind.WORKING_DAY:
            return True
        swapped = self._swapped.get(day)
        if swapped is not None:
            return swapped[0]
        return _public_holidays(day.year).is_working_day(day)

    def is_morning_session(self, day: date) -> bool:
        return self._by_day.get(day) is OverrideKind.MORNING_SESSION

    def is_open(self, day: date) -> bool:
        return self.is_working_day(day) or self.is_morning_session(day)

    def closing_time(self, day: date) -> time:
        return self.hours.morning_end if self.is_morning_session(day) else self.hours.afternoon_end

    def next_working_day(self, day: date) -> date:
        for _ in range(400):  # a year of closures would be a data error, not a calendar
            day += timedelta(days=1)
            if self.is_working_day(day):
                return day
        raise ValidationError("Lịch làm việc không có ngày làm việc nào trong một năm tới.",
                              "no working day within 400 days")

    def nth_working_day_after(self, day: date, n: int) -> date:
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how many working days later ``end`` is."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def due_at(self, received_at: datetime, working_days: int) -> datetime:
        """The appointment time for a dossier received at ``received_at``.

        ``working_days == 0``: by the end of office hours the same day, or the next working day
        when received after the cut-off (strictly after: at 15:00 is the same day) or on a day
        the office is closed.
        ``working_days == N > 0``: the N-th working day after the day of receipt (that day is not
        counted), at the receipt's clock time clamped into office hours. A dossier received on a
        day that is not a working day is treated as received at opening of the next working day.
        """
        if working_days < 0:
            raise ValidationError("Thời hạn giải quyết không được âm.", "negative working days")
        if received_at.tzinfo is None:
            raise ValidationError("Thời điểm tiếp nhận phải có múi giờ.", "naive datetime")
        local = received_at.astimezone(TZ)
        # The receipt prints the time to the minute ("15 giờ 00 phút"): every second of the minute
        # 15:00 is "at 15:00" for the applicant holding it, so compare whole minutes.
        day, clock = local.date(), local.time().replace(second=0, microsecond=0)
        if working_days == 0:
            if self.is_open(day) and clock <= self.hours.cutoff and clock < self.closing_time(day):
                return datetime.combine(day, self.closing_time(day), TZ)
            nxt = self.next_working_day(day)
            return datetime.combine(nxt, self.closing_time(nxt), TZ)
        if not self.is_working_day(day):
            day, clock = self.next_working_day(day), self.hours.morning_start
        due_day = self.nth_working_day_after(day, working_days)
        return datetime.combine(due_day, self.hours.clamp(clock), TZ)


def now_local() -> datetime:
    return datetime.now(TZ).replace(microsecond=0)
