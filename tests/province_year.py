"""A synthetic province-year of commune dossiers with known distributions, as the previous system
would export it (issue 16's CSV), and the figures a report of it must give, tallied while writing.

Shaped on the 2024 figures of the issue: a catalogue of 160 procedures of which 98 have dossiers,
in volume bands of 4 / 8 / 13 / 22 / 51 procedures (the issue's 49 in the last band would leave its
98 two short; the bands here add up), 40 full online, 37 partial and 21 paper-only among those in
use, and the largest procedure the certified copies (about 45 % in the province; here 36 %, so
that the bands' minimums still fit in a test-sized year of 69,077 dossiers).

Every dossier is received on a Monday whose week has no holiday, at 08:00, due on Thursday at
16:00 (three working days), so its processing time in working days is its finishing weekday's
distance from Monday; the outcome follows its index (``OUTCOMES``)."""

from __future__ import annotations

import csv
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import holidays

BANDS = {
    ">=10000": [25_000, 10_300, 10_200, 10_000],
    "1000-9999": [1_000 + 100 * k for k in range(7, -1, -1)],
    "100-999": [100 + 10 * k for k in range(12, -1, -1)],
    "10-99": [10 + k for k in range(21, -1, -1)],
    "1-9": [9 - i % 9 for i in range(51)],
}
CATALOGUE_SIZE, LEVELS = 160, {"full": 40, "partial": 37, "paper": 21}
COLUMNS = ["code", "procedure_code", "received_at", "due_at", "finished_at", "returned_at", "status", "channel",
           "applicant_name", "id_number", "rating"]
# index % 20 → (status, finishing weekday offset from Monday or None, timeliness)
OUTCOMES = {**{r: ("returned", 1 + r % 2, "early") for r in range(12)},
            12: ("returned", 3, "on_time"), 13: ("returned", 3, "on_time"), 14: ("returned", 3, "on_time"),
            15: ("returned", 4, "late"), 16: ("result_ready", 2, "early"), 17: ("processing", None, "overdue"),
            18: ("supplement_requested", None, "waiting"), 19: ("withdrawn", None, None)}
FINISH_CLOCK = {1: "10:00", 2: "10:00", 3: "15:00", 4: "09:00"}


def procedure_code(n: int) -> str:
    return f"1.{100_000 + n:06d}"


def rating(index: int) -> int | None:
    r = index % 20
    if OUTCOMES[r][0] != "returned" or r % 3 == 0:
        return None
    return 1 if r == 1 else 2 if r == 10 else 5 if r % 2 else 4


def channel(index: int) -> str:
    return "post" if index % 7 == 0 else "online" if index % 7 == 1 else "counter"


def quiet_mondays(year: int) -> list[date]:
    """Mondays whose Monday–Friday are all working days (no holiday, no substitute day)."""
    off = holidays.country_holidays("VN", years=year)
    day = date(year, 1, 1) + timedelta(days=(7 - date(year, 1, 1).weekday()) % 7)
    out = []
    while day.year == year:
        if all(day + timedelta(days=k) not in off for k in range(5)) and day + timedelta(days=4) < date(year, 12, 31):
            out.append(day)
        day += timedelta(days=7)
    return out


@dataclass
class Expected:
    total: int = 0
    by_procedure: dict[str, int] = field(default_factory=dict)
    by_status: Counter = field(default_factory=Counter)
    by_channel: Counter = field(default_factory=Counter)
    levels: dict[str, dict[str, int]] = field(default_factory=dict)
    timeliness: Counter = field(default_factory=Counter)
    working_days: list[int] = field(default_factory=list)
    ratings: Counter = field(default_factory=Counter)
    late_or_dissatisfied: int = 0


def write_catalogue(path: Path) -> dict[str, str]:
    """160 procedures; the first 98 (the ones with dossiers) at the issue's levels. Returns code → level."""
    counts = [n for band in BANDS.values() for n in band]
    level_of: dict[str, str] = {}
    order = [lv for lv, k in LEVELS.items() for _ in range(k)]
    random.Random(16).shuffle(order)  # every band gets procedures of every level
    procedures = []
    for n in range(1, CATALOGUE_SIZE + 1):
        code = procedure_code(n)
        level = order[n - 1] if n <= len(counts) else "paper"
        level_of[code] = level
        name = "Chứng thực bản sao từ bản chính giấy tờ, văn bản" if n == 1 else f"Thủ tục hành chính cấp xã số {n}"
        procedures.append({"code": code, "name": name, "field": "Chứng thực" if n == 1 else "Hộ tịch",
                           "working_days": 3, "fee_vnd": 0, "online_level": level, "documents": []})
    path.write_text(json.dumps({"procedures": procedures}, ensure_ascii=False), encoding="utf-8")
    return level_of


def write_year(path: Path, level_of: dict[str, str], year: int = 2024, *, bom: bool = True) -> Expected:
    counts = [n for band in BANDS.values() for n in band]
    mondays = quiet_mondays(year)
    exp = Expected(levels={lv: {"procedures": 0, "dossiers": 0} for lv in LEVELS})
    index = 0
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(COLUMNS)
        for n, count in enumerate(counts, 1):
            code = procedure_code(n)
            exp.by_procedure[code] = count
            exp.levels[level_of[code]]["procedures"] += 1
            exp.levels[level_of[code]]["dossiers"] += count
            for _ in range(count):
                monday = mondays[index % len(mondays)]
                status, offset, outcome = OUTCOMES[index % 20]
                finished = "" if offset is None else \
                    f"{monday + timedelta(days=offset)}T{FINISH_CLOCK[offset]}:00+07:00"
                returned = f"{monday + timedelta(days=offset)}T16:30:00+07:00" if status == "returned" else ""
                out.writerow([f"H52.101-{monday:%y%m%d}-9{index:06d}", code, f"{monday}T08:00:00+07:00",
                              f"{monday + timedelta(days=3)}T16:00:00+07:00", finished, returned, status,
                              channel(index), f"Nguyễn Văn Ấn {index}", "", rating(index) or ""])
                exp.total += 1
                exp.by_status[status] += 1
                exp.by_channel[channel(index)] += 1
                if outcome:
                    exp.timeliness[outcome] += 1
                if offset is not None:
                    exp.working_days.append(offset)
                stars = rating(index)
                if stars is not None:
                    exp.ratings[stars] += 1
                if offset is not None and (outcome == "late" or (stars is not None and stars <= 2)):
                    exp.late_or_dissatisfied += 1
                index += 1
    return exp
