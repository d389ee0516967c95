"""How money, dates and times are written and read, for every face (window, command line, print).

Money is always "10.000 đồng". Dates are read both as the counter writes them (``DD/MM/YYYY``)
and as files and scripts write them (ISO ``YYYY-MM-DD``), so one parser serves typed input,
command arguments and imported files alike. A wrong shape and an impossible date (31/02/1990)
get different messages: the officer fixes the first by retyping, the second by checking the paper.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from counter_app.core.errors import ValidationError

MONEY_UNIT = "đồng"
DATE_FORMAT = "%d/%m/%Y"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"
TIME_LONG_FORMAT = "%H giờ %M phút, ngày %d/%m/%Y"

_DMY = r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})"
_ISO = r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
_HM = r"(?P<H>\d{1,2}):(?P<M>\d{2})"
# (shape, how it is named in the message): saying how an impossible date was read shows a swapped
# day and month at once.
_DATE_SHAPES = ((re.compile(f"{_DMY}$"), "DD/MM/YYYY"), (re.compile(f"{_ISO}$"), "YYYY-MM-DD"))
_DATETIME_SHAPES = ((re.compile(rf"{_DMY}\s+{_HM}$"), "DD/MM/YYYY HH:MM"),
                    (re.compile(rf"{_ISO}[T ]{_HM}$"), "YYYY-MM-DDTHH:MM"))
_MONEY_RE = re.compile(r"(\d{1,3}(?:\.\d{3})+|\d+)(?:\s*(?:đồng|đ|VND|vnđ))?$", re.IGNORECASE)


# -- money ---------------------------------------------------------------------------------------
def group_digits(amount: int) -> str:
    """10000 → "10.000" (Vietnamese thousands separator), for templates that add the unit themselves."""
    return f"{amount:,}".replace(",", ".")


def vnd(amount: int) -> str:
    return f"{group_digits(amount)} {MONEY_UNIT}"


def parse_vnd(text: str) -> int:
    """"10.000 đồng", "10.000", "10000đ" → 10000; a clear error otherwise."""
    match = _MONEY_RE.match(text.strip())
    if not match:
        raise ValidationError(f"Số tiền «{text}» sai định dạng: viết như 10.000 hoặc 10.000 đồng.",
                              "expected an amount like 10.000 đồng")
    return int(match.group(1).replace(".", ""))


# -- writing -------------------------------------------------------------------------------------
def fmt_date(value: date | None, empty: str = "") -> str:
    return value.strftime(DATE_FORMAT) if value else empty


def fmt_datetime(value: datetime | None, empty: str = "") -> str:
    return value.strftime(DATETIME_FORMAT) if value else empty


def fmt_time_long(value: datetime | None, empty: str = "—") -> str:
    """"08 giờ 30 phút, ngày 10/06/2026": how receipts and dossier details state a time."""
    return value.strftime(TIME_LONG_FORMAT) if value else empty


# -- reading -------------------------------------------------------------------------------------
def _match(text: str, shapes) -> tuple[re.Match | None, str]:
    for shape, name in shapes:
        match = shape.match(text)
        if match:
            return match, name
    return None, ""


def parse_date(text: str) -> date:
    """``DD/MM/YYYY`` or ``YYYY-MM-DD`` → date."""
    text = (text or "").strip()
    match, shape = _match(text, _DATE_SHAPES)
    if match is None:
        raise ValidationError(f"Ngày «{text}» sai định dạng: viết DD/MM/YYYY (hoặc YYYY-MM-DD).",
                              "expected DD/MM/YYYY or YYYY-MM-DD")
    try:
        return date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        raise ValidationError(f"Ngày «{text}» không tồn tại (đọc theo {shape}).", "no such date") from None


def parse_datetime(text: str) -> datetime:
    """``DD/MM/YYYY HH:MM`` or ``YYYY-MM-DDTHH:MM`` → naive datetime (the caller knows the zone)."""
    text = (text or "").strip()
    match, shape = _match(text, _DATETIME_SHAPES)
    if match is None:
        raise ValidationError(f"Thời điểm «{text}» sai định dạng: viết DD/MM/YYYY HH:MM "
                              "(hoặc YYYY-MM-DDTHH:MM).", "expected DD/MM/YYYY HH:MM or YYYY-MM-DDTHH:MM")
    try:
        return datetime(int(match["y"]), int(match["m"]), int(match["d"]), int(match["H"]), int(match["M"]))
    except ValueError:
        raise ValidationError(f"Thời điểm «{text}» không tồn tại (đọc theo {shape}).",
                              "no such date or time") from None


MAX_JSON_DEPTH = 32  # catalogue and calendar files nest 4 levels; anything deeper is not ours


def json_depth(value) -> int:
    """How deeply lists and objects nest in ``value`` (iteratively: no recursion to exhaust)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in (item.values() if isinstance(item, dict) else item))
    return deepest


def parse_json_text(text: str, what: str):
    """JSON from a file the officer chose, or a Vietnamese error naming ``what`` it should be."""
    import json

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"{what} không phải JSON hợp lệ.", str(exc)) from None
    except RecursionError:
        raise ValidationError(f"{what} lồng nhau quá sâu, không phải tệp của phần mềm.",
                              "JSON nested too deeply") from None
    if json_depth(data) > MAX_JSON_DEPTH:
        raise ValidationError(f"{what} lồng nhau quá sâu, không phải tệp của phần mềm.",
                              f"JSON deeper than {MAX_JSON_DEPTH}")
    return data
