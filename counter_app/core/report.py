"""The report the province plans its reform from: volumes per procedure, volume bands, online
levels, timeliness and satisfaction as the national scorecard counts them (QĐ 766/QĐ-TTg), and the
certified-copy desk. Pure: the counter feeds it the dossiers of its SQLite store, the provincial
server those of its materialised state, and both get the same figures under the same JSON keys.

What is counted (docs/decisions.md, "Reports"):
- the dossiers *received* in the period (``start``..``end``, both days included);
- *finished*: the result was ready (or handed over) — early when finished on a day before the due
  day, late when finished after the due time, on time otherwise;
- *open and overdue*: still being processed (not waiting for the applicant's supplement) and past
  the due time at ``as_of`` (the period's end, or now when the period has not ended);
- processing time: working days of the competent agency's calendar from the day of receipt to the
  day the result was ready (0: the same day);
- satisfaction, QĐ 766: (finished − finished late or rated dissatisfied) / finished, where
  "dissatisfied" is a rating at or below the setting ``report.dissatisfied_at_most``;
- a procedure's online level is the one in force on the period's last day (core.online_levels).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import median
from typing import Any, NamedTuple

from counter_app.core.calendar import WorkingCalendar
from counter_app.core.lifecycle import Status
from counter_app.core.model import Channel, OnlineLevel, Procedure
from counter_app.core.online_levels import level_on

BANDS: tuple[tuple[str, int, int | None], ...] = (
    (">=10000", 10_000, None), ("1000-9999", 1_000, 9_999), ("100-999", 100, 999), ("10-99", 10, 99),
    ("1-9", 1, 9),
)
BAND_LABELS_VI = {">=10000": "Từ 10.000 hồ sơ", "1000-9999": "1.000 – 9.999", "100-999": "100 – 999",
                  "10-99": "10 – 99", "1-9": "1 – 9"}
OPEN = frozenset({Status.RECEIVED.value, Status.PROCESSING.value, Status.SUPPLEMENT_REQUESTED.value})
# The applicant's turn: the processing clock waits for the supplement, so it is never "overdue".
_PAUSED = Status.SUPPLEMENT_REQUESTED.value
_POST = Channel.POST.value  # also ReturnMethod.POST's value
PROGRESS_EVERY = 20_000
# A five-year report is the most anyone plans from; a longer period is a typo in a year. The counter
# and the provincial server both refuse it.
MAX_PERIOD_DAYS = 366 * 5


def band_of(count: int) -> str:
    for key, low, high in BANDS:
        if count >= low and (high is None or count <= high):
            return key
    raise ValueError(f"no volume band for {count}")


def share(part: int, whole: int) -> float | None:
    """A share rounded to six places (what JSON, XLSX and the tests compare), None of nothing."""
    return round(part / whole, 6) if whole else None


class DossierFact(NamedTuple):
    """One dossier as the report sees it (the columns both stores have). A named tuple: a year is
    hundreds of thousands of them, and a frozen dataclass's ``__init__`` took a second of it."""

    code: str
    procedure_code: str
    procedure_name: str
    receiving_agency: str
    competent_agency: str
    channel: str
    return_method: str
    status: str
    received_at: datetime
    due_at: datetime | None
    finished_at: datetime | None
    returned_at: datetime | None = None
    rating: int | None = None
    reschedules: int = 0


@dataclass(frozen=True)
class CertificationFigures:
    """The certified-copy desk: requests, original documents certified, copies, pages, fees."""

    requests: int = 0
    documents: int = 0
    copies: int = 0
    pages: int = 0
    fees_vnd: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"requests": self.requests, "documents": self.documents, "copies": self.copies,
                "pages": self.pages, "fees_vnd": self.fees_vnd}


@dataclass(frozen=True)
class ReportInput:
    start: date
    end: date
    catalogue: Mapping[str, Procedure]  # every procedure the store knows, by code
    catalogue_size: int  # the procedures in the catalogue (active ones)
    calendar: WorkingCalendar
    as_of: datetime
    agency: str | None = None
    agency_names: Mapping[str, str] = field(default_factory=dict)
    location_free: frozenset[str] = frozenset()  # procedures location-independent on ``end``
    dissatisfied_at_most: int = 2
    certification: CertificationFigures = CertificationFigures()


class _WorkingDays:
    """Working days between two dates in O(1): a running count per day from ``origin``, grown on
    demand, for one agency's calendar (hundreds of thousands of dossiers, a few hundred days)."""

    def __init__(self, calendar: WorkingCalendar, origin: date) -> None:
        self._cal = calendar
        self._origin = origin
        self._running = [0]  # working days in (origin, origin + i]

    def _at(self, day: date) -> int:
        i = (day - self._origin).days
        while len(self._running) <= i:
            nxt = self._origin + timedelta(days=len(self._running))
            self._running.append(self._running[-1] + self._cal.is_working_day(nxt))
        return self._running[i]

    def between(self, start: date, end: date) -> int:
        """Working days in (start, end], as ``WorkingCalendar.working_days_between``."""
        if end <= start:
            return 0
        if start < self._origin:  # received before the period: not on the running count
            return self._cal.working_days_between(start, end)
        return self._at(end) - self._at(start)


class _Tally:
    """The running figures of one group of dossiers (the whole report, or one agency)."""

    def __init__(self) -> None:
        self.total = 0
        self.by_procedure: Counter[str] = Counter()
        self.by_status: Counter[str] = Counter()
        self.by_channel: Counter[str] = Counter()
        self.finished = self.early = self.on_time = self.late = self.no_due = 0
        self.open = self.open_overdue = self.rescheduled = self.reschedules = 0
        self.rated = self.dissatisfied = self.bad = 0
        self.ratings: Counter[int] = Counter()
        self.days: dict[str, list[int]] = defaultdict(list)
        self.proc_timeliness: dict[str, Counter[str]] = defaultdict(Counter)
        self.other_counter: Counter[str] = Counter()
        self.postal: Counter[str] = Counter()

    def add(self, f: DossierFact, days: _WorkingDays, as_of: datetime, worst: int) -> tuple[str | None, bool, bool]:
        """Count one dossier; returns (timeliness outcome or None, open and overdue, late or
        dissatisfied) for the agency's lighter tally."""
        code = f.procedure_code
        self.total += 1
        self.by_procedure[code] += 1
        self.by_status[f.status] += 1
        self.by_channel[f.channel] += 1
        if f.receiving_agency != f.competent_agency:
            self.other_counter[code] += 1
        if f.channel == _POST or f.return_method == _POST:
            self.postal[code] += 1
        if f.reschedules:
            self.rescheduled += 1
            self.reschedules += f.reschedules
        outcome, overdue, dissatisfied = None, False, False
        rating = f.rating
        if rating is not None:
            self.rated += 1
            self.ratings[rating] += 1
            if rating <= worst:
                self.dissatisfied += 1
                dissatisfied = True
        finished = f.finished_at
        if finished is not None:
            self.finished += 1
            due = f.due_at
            if due is None:
                self.no_due, outcome = self.no_due + 1, "no_due"
            elif finished > due:
                self.late, outcome = self.late + 1, "late"
            elif finished.date() < due.date():
                self.early, outcome = self.early + 1, "early"
            else:
                self.on_time, outcome = self.on_time + 1, "on_time"
            self.proc_timeliness[code][outcome] += 1
            self.days[code].append(days.between(f.received_at.date(), finished.date()))
            if outcome == "late" or dissatisfied:
                self.bad += 1
        elif f.status in OPEN:
            self.open += 1
            if f.status != _PAUSED and f.due_at is not None and f.due_at < as_of:
                self.open_overdue += 1
                overdue = True
        return outcome, overdue, finished is not None and (outcome == "late" or dissatisfied)

    def timeliness(self) -> dict[str, Any]:
        with_due = self.early + self.on_time + self.late
        all_days = [d for ds in self.days.values() for d in ds]
        return {
            "finished": self.finished, "early": self.early, "on_time": self.on_time, "late": self.late,
            "finished_without_due": self.no_due, "open": self.open, "open_overdue": self.open_overdue,
            "on_time_share": share(self.early + self.on_time, with_due),
            "average_working_days": round(sum(all_days) / len(all_days), 2) if all_days else None,
            "rescheduled_dossiers": self.rescheduled, "reschedules": self.reschedules,
        }

    def satisfaction(self, worst: int) -> dict[str, Any]:
        return {
            "rated": self.rated, "by_rating": {str(r): self.ratings.get(r, 0) for r in range(1, 6)},
            "dissatisfied_at_most": worst, "dissatisfied": self.dissatisfied,
            "finished": self.finished, "late_or_dissatisfied": self.bad,
            "ratio": share(self.finished - self.bad, self.finished),
        }


class _AgencyTally:
    """What the per-agency rows show, from the whole tally's verdict on each dossier."""

    def __init__(self) -> None:
        self.total = self.finished = self.early = self.on_time = self.late = self.open_overdue = self.bad = 0
        self.procedures: set[str] = set()

    def note(self, code: str, outcome: str | None, overdue: bool, bad: bool) -> None:
        self.total += 1
        self.procedures.add(code)
        if outcome is not None:
            self.finished += 1
            if outcome == "early":
                self.early += 1
            elif outcome == "on_time":
                self.on_time += 1
            elif outcome == "late":
                self.late += 1
        self.open_overdue += overdue
        self.bad += bad

    def row(self, code: str, name: str) -> dict[str, Any]:
        return {"agency": code, "name": name, "total": self.total, "procedures_with_dossiers": len(self.procedures),
                "finished": self.finished, "early": self.early, "on_time": self.on_time, "late": self.late,
                "open_overdue": self.open_overdue,
                "on_time_share": share(self.early + self.on_time, self.early + self.on_time + self.late),
                "satisfaction_ratio": share(self.finished - self.bad, self.finished)}


def _procedure_name(code: str, inp: ReportInput, names: Mapping[str, str]) -> str:
    p = inp.catalogue.get(code)
    return p.name if p is not None else names.get(code, code)


def build_report(facts: Iterable[DossierFact], inp: ReportInput, *, total_hint: int | None = None,
                 progress: Callable[[float], None] | None = None) -> dict[str, Any]:
    """The report as a JSON-ready dict (see the module docstring for what each figure counts)."""
    whole, per_agency = _Tally(), defaultdict(_AgencyTally)
    calendars: dict[str, _WorkingDays] = {}
    names: dict[str, str] = {}
    worst = inp.dissatisfied_at_most
    for n, f in enumerate(facts, 1):
        days = calendars.get(f.competent_agency)
        if days is None:
            days = calendars[f.competent_agency] = _WorkingDays(inp.calendar.for_agency(f.competent_agency),
                                                                inp.start)
        names.setdefault(f.procedure_code, f.procedure_name)
        per_agency[f.competent_agency].note(f.procedure_code, *whole.add(f, days, inp.as_of, worst))
        if progress is not None and n % PROGRESS_EVERY == 0:
            progress(min(n / total_hint, 0.99) if total_hint else 0.5)
    report = _assemble(whole, inp, names)
    report["by_agency"] = [t.row(code, inp.agency_names.get(code, code))
                           for code, t in sorted(per_agency.items(), key=lambda kv: (-kv[1].total, kv[0]))]
    if progress is not None:
        progress(1.0)
    return report


def _assemble(t: _Tally, inp: ReportInput, names: Mapping[str, str]) -> dict[str, Any]:
    ranked = sorted(t.by_procedure.items(), key=lambda kv: (-kv[1], kv[0]))
    bands = {key: 0 for key, _, _ in BANDS}
    band_dossiers = {key: 0 for key, _, _ in BANDS}
    levels = {lv.value: {"procedures": 0, "dossiers": 0} for lv in OnlineLevel}
    level_of: dict[str, str] = {}
    for code, count in ranked:
        bands[band_of(count)] += 1
        band_dossiers[band_of(count)] += count
        p = inp.catalogue.get(code)
        level = (level_on(p, inp.end) if p is not None else OnlineLevel.PAPER).value
        level_of[code] = level
        levels[level]["procedures"] += 1
        levels[level]["dossiers"] += count
    by_procedure = []
    for code, count in ranked:
        outcomes, days = t.proc_timeliness.get(code, Counter()), t.days.get(code, [])
        by_procedure.append({
            "code": code, "name": _procedure_name(code, inp, names), "count": count, "share": share(count, t.total),
            "band": band_of(count), "online_level": level_of[code], "finished": sum(outcomes.values()),
            "early": outcomes["early"], "on_time": outcomes["on_time"], "late": outcomes["late"],
            "average_working_days": round(sum(days) / len(days), 2) if days else None,
        })
    return {
        "period": {"from": inp.start.isoformat(), "to": inp.end.isoformat(), "as_of": inp.as_of.isoformat()},
        "agency": inp.agency,
        "total": t.total,
        "by_status": {s.value: t.by_status.get(s.value, 0) for s in Status},
        "by_channel": {c.value: t.by_channel.get(c.value, 0) for c in Channel},
        "catalogue_size": inp.catalogue_size,
        "procedures_with_dossiers": len(ranked),
        "by_procedure": by_procedure,
        "volume_bands": bands,
        "volume_band_dossiers": band_dossiers,
        "online_levels": levels,
        "timeliness": t.timeliness(),
        "satisfaction": t.satisfaction(inp.dissatisfied_at_most),
        "certification": inp.certification.as_dict(),
        "planning": _planning(t, inp, names, level_of),
    }


def _planning(t: _Tally, inp: ReportInput, names: Mapping[str, str], level_of: Mapping[str, str]) -> list[dict]:
    """Per procedure of the catalogue (and any other with dossiers): what the reform weighs."""
    codes = {c for c, p in inp.catalogue.items() if p.active} | set(t.by_procedure)
    rows = []
    for code in codes:
        p, count, days = inp.catalogue.get(code), t.by_procedure.get(code, 0), t.days.get(code, [])
        level = level_of.get(code) or (level_on(p, inp.end) if p is not None else OnlineLevel.PAPER).value
        rows.append({
            "code": code, "name": _procedure_name(code, inp, names), "count": count, "online_level": level,
            "location_independent": code in inp.location_free,
            "postal_allowed": bool(p.postal_allowed) if p is not None else False,
            "postal_share": share(t.postal.get(code, 0), count),
            "other_counter_share": share(t.other_counter.get(code, 0), count),
            "median_working_days": median(days) if days else None,
        })
    return sorted(rows, key=lambda r: (-r["count"], r["code"]))
