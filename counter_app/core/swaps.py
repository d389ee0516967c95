"""Published swaps of days off and make-up working days (đổi ngày nghỉ / làm bù) as dated data.

The government announces each year which weekday civil servants take off around a holiday and
which Saturday they work instead. The ``holidays`` package lags behind (it lacks the 2026 New Year
swap), so the announced swaps ship as data (``resources/calendar/vn-swaps.json``), each with the
document that announced it and whether that document was checked; the province can publish a
newer list (change kind ``calendar_swaps``). The calendar applies them over the library, and an
office's own overrides over both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from counter_app.core.errors import ValidationError
from counter_app.core.text import clean


@dataclass(frozen=True)
class PublishedSwap:
    id: str  # stable key: a province's list replaces the bundled entry with the same id
    day_off: date | None  # the weekday given off (None: only a make-up working day)
    working_day: date | None  # the Saturday/Sunday worked instead (None: only a day off)
    name: str
    source: str  # the announcing document, or why it is not verified
    verified: bool = False  # False: the announcing document was not checked; treat as provisional
    # A province withdrawing a bundled entry. Only the entry goes: where the holidays library holds
    # the same swap, the library's view remains (an office override undoes that).
    cancelled: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "day_off": self.day_off.isoformat() if self.day_off else None,
                "working_day": self.working_day.isoformat() if self.working_day else None,
                "name": self.name, "source": self.source, "verified": self.verified, "cancelled": self.cancelled}


def _day(row: dict, key: str, where: str) -> date | None:
    value = row.get(key)
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(f"{where}: «{key}» phải là ngày dạng YYYY-MM-DD.", f"{key}={value!r}") from None


def _text(row: dict, key: str, where: str, *, required: bool) -> str:
    value = row.get(key)
    if value is not None and not isinstance(value, str):
        raise ValidationError(f"{where}: «{key}» phải là chuỗi ký tự.", f"{key}={value!r}")
    text = clean(value or "")
    if required and not text:
        raise ValidationError(f"{where}: thiếu «{key}» (văn bản công bố việc đổi ngày).", f"missing {key}")
    return text


def _flag(row: dict, key: str, where: str) -> bool:
    value = row.get(key, False)
    if not isinstance(value, bool):
        raise ValidationError(f"{where}: «{key}» phải là true hoặc false.", f"{key}={value!r}")
    return value


def parse_swaps(data: Any) -> tuple[PublishedSwap, ...]:
    """``{"swaps": [...]}`` or the bare list, each ``{id, day_off, working_day, name, source,
    verified?, cancelled?}``; refused with a Vietnamese message naming the entry."""
    rows = data.get("swaps") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise ValidationError("Danh sách đổi ngày nghỉ phải là một danh sách.", "bad swaps root")
    out: list[PublishedSwap] = []
    for i, row in enumerate(rows, 1):
        where = f"Mục đổi ngày thứ {i}"
        if not isinstance(row, dict):
            raise ValidationError(f"{where} không hợp lệ.", "bad swap row")
        swap_id = _text(row, "id", where, required=True)
        cancelled = _flag(row, "cancelled", where)
        off, work = _day(row, "day_off", where), _day(row, "working_day", where)
        if not cancelled and off is None and work is None:
            raise ValidationError(f"{where} ({swap_id}): cần ngày nghỉ hoặc ngày làm bù.", "empty swap")
        if off is not None and off == work:
            raise ValidationError(f"{where} ({swap_id}): ngày nghỉ và ngày làm bù trùng nhau.", "same day")
        out.append(PublishedSwap(swap_id, off, work, _text(row, "name", where, required=False),
                                 _text(row, "source", where, required=not cancelled),
                                 _flag(row, "verified", where), cancelled))
    ids = [s.id for s in out]
    if len(ids) != len(set(ids)):
        raise ValidationError("Danh sách đổi ngày nghỉ có mã (id) bị lặp.", "duplicate swap id")
    _check_days(out)
    return tuple(out)


def _check_days(swaps: Iterable[PublishedSwap]) -> None:
    seen: dict[date, str] = {}
    for s in swaps:
        if s.cancelled:
            continue
        for day in (s.day_off, s.working_day):
            if day is None:
                continue
            if day in seen:
                raise ValidationError(f"Ngày {day:%d/%m/%Y} có trong hai mục đổi ngày ({seen[day]}, {s.id}).",
                                      "day in two swaps")
            seen[day] = s.id


def merge_swaps(bundled: Iterable[PublishedSwap], published: Iterable[PublishedSwap]) -> tuple[PublishedSwap, ...]:
    """The bundled list with the province's entries laid over it by ``id``; withdrawn ones dropped.
    A bundled entry touching a day the province's list also names gives way to the province (never
    an error here: this runs when the counter opens)."""
    published = tuple(published)
    days = {d for s in published if not s.cancelled for d in (s.day_off, s.working_day) if d is not None}
    ids = {s.id for s in published}
    kept = [s for s in bundled if s.id not in ids and not ({s.day_off, s.working_day} & days)]
    return tuple(s for s in (*kept, *published) if not s.cancelled)
