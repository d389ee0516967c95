"""The province's report (issue 16 item 3): the counter's report (``counter_app.core.report``) over
every dossier the server materialised, across all agencies or for one competent agency.

What the server reads, and from where (docs/decisions.md, "Reports on the provincial server"):
- the dossiers *received* in the period: ``dossier.received_at`` (the counter's local time, ISO 8601
  with the +07:00 offset, so its first ten characters are the day of receipt) — one streamed query
  with only the columns the report needs; channel and return method from the intake's ``data``;
- finished: the first applied ``result_ready`` event (as the counter's ``dossier_outcome`` keeps the
  first finish), else ``result_ready_at`` (a status the province set: no event row), else
  ``returned_at``; the rating from the first applied ``returned`` event; the reschedules counted
  from the applied ``rescheduled`` events — each one grouped query joined to the stream;
- the catalogue the counters hold: the bundled file laid over with the published entries (latest
  per code); the location-independent list and the calendar (overrides, swaps) as published;
- the certified-copy desk from the intakes' ``certification`` payload and the numbering and voiding
  notes that followed it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, aliased

from counter_app.core import protocol
from counter_app.core.calendar import TZ, CalendarOverride, OverrideKind, WorkingCalendar
from counter_app.core.catalogue import parse_catalogue, parse_procedure
from counter_app.core.certification import CertKind
from counter_app.core.certify import NUMBERED, VOIDED
from counter_app.core.errors import ValidationError
from counter_app.core.lifecycle import Action
from counter_app.core.location_free import is_location_independent, parse_list
from counter_app.core.model import Procedure
from counter_app.core.report import (
    MAX_PERIOD_DAYS, CertificationFigures, DossierFact, ReportInput, build_report,
)
from counter_app.core.swaps import merge_swaps, parse_swaps
from provincial_server.models import Agency, Change, Dossier, Event

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
BUNDLED_CATALOGUE = RESOURCES / "catalogue" / "commune-procedures.json"
BUNDLED_SWAPS = RESOURCES / "calendar" / "vn-swaps.json"
SETTING = "report_dissatisfied_at_most"  # counter_app.core.setting_defs
STREAM_ROWS = 5_000
CERT_CODES = tuple(k.procedure_code for k in CertKind)


@dataclass
class ProvinceCalendar(WorkingCalendar):
    """Every agency's calendar in one: ``for_agency`` gives the one its counters work by (the
    override and swap lists published for it, or for every counter, whichever came last)."""

    per_agency: Mapping[str, WorkingCalendar] = field(default_factory=dict)

    def for_agency(self, agency_code: str | None) -> WorkingCalendar:
        own = self.per_agency.get(agency_code) if agency_code else None
        return own if own is not None else WorkingCalendar(self.hours, self.overrides, agency_code, self.swaps)


class ReportError(ValueError):
    """Bad parameters (Vietnamese message): the CLI prints it and exits non-zero."""


def parse_day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise ReportError(f"{option} phải là ngày dạng YYYY-MM-DD (nhận được «{value}»).") from None


def period(start: str, end: str) -> tuple[date, date]:
    a, b = parse_day(start, "--from"), parse_day(end, "--to")
    if a > b:
        raise ReportError(f"Ngày bắt đầu {a:%d/%m/%Y} sau ngày kết thúc {b:%d/%m/%Y}.")
    if (b - a).days > MAX_PERIOD_DAYS:  # as on the counter (core/reports.py)
        raise ReportError("Kỳ báo cáo dài quá 5 năm: hãy kiểm tra lại năm đã nhập.")
    return a, b


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return None  # the server stores what validation let through; an unreadable time is "unknown"
    return at if at.tzinfo is not None else at.replace(tzinfo=TZ)


def _in_period(stmt, start: date, end: date, agency: str | None):
    """Received on ``start``..``end``: compared as text, the stored times start with the local day."""
    stmt = stmt.where(Dossier.received_at >= start.isoformat(),
                      Dossier.received_at < (end + timedelta(days=1)).isoformat())
    return stmt.where(Dossier.competent_agency == agency) if agency else stmt


def _events_of_period(kind: str, agg, start: date, end: date, agency: str | None):
    """One grouped query: per dossier received in the period, ``agg`` over its applied ``kind`` events."""
    stmt = (select(Event.dossier_code.label("code"), agg.label("value"))
            .join(Dossier, Dossier.code == Event.dossier_code)
            .where(Event.kind == kind, Event.applied.is_(True)))
    return _in_period(stmt, start, end, agency).group_by(Event.dossier_code).subquery()


def facts(session: Session, start: date, end: date, agency: str | None = None) -> Iterator[DossierFact]:
    """The dossiers received in the period, streamed (server-side cursor on PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        # A cursor makes PostgreSQL plan for the first 10 % of rows: nested loops over the grouped
        # event subqueries, which took over 13 minutes for 300,000 dossiers; planned for every row,
        # hash joins read them in seconds.
        session.execute(text("SET LOCAL cursor_tuple_fraction = 1.0"))
    ready = _events_of_period(Action.RESULT_READY.value, func.min(Event.at), start, end, agency)
    moved = _events_of_period(Action.RESCHEDULE.value, func.count(), start, end, agency)
    first_return = _events_of_period(Action.RETURN.value, func.min(Event.seq), start, end, agency)
    returned = aliased(Event)
    stmt = (select(Dossier.code, Dossier.procedure_code, Dossier.procedure_name, Dossier.receiving_agency,
                   Dossier.competent_agency, Dossier.data["channel"].as_string(),
                   Dossier.data["return_method"].as_string(), Dossier.status, Dossier.received_at, Dossier.due_at,
                   Dossier.result_ready_at, Dossier.returned_at, ready.c.value, moved.c.value,
                   returned.body["payload"]["rating"])
            .outerjoin(ready, ready.c.code == Dossier.code)
            .outerjoin(moved, moved.c.code == Dossier.code)
            .outerjoin(first_return, first_return.c.code == Dossier.code)
            .outerjoin(returned, returned.seq == first_return.c.value))
    stmt = _in_period(stmt, start, end, agency).execution_options(yield_per=STREAM_ROWS)
    for (code, proc, proc_name, receiving, competent, channel, return_method, status, received, due, ready_at,
         returned_at, first_ready, reschedules, rating) in session.execute(stmt):
        received_at = _moment(received)
        if received_at is None:
            continue
        finished = _moment(first_ready) or _moment(ready_at) or _moment(returned_at)
        yield DossierFact(
            code=code, procedure_code=proc, procedure_name=proc_name, receiving_agency=receiving,
            competent_agency=competent, channel=channel or "counter", return_method=return_method or "counter",
            status=status, received_at=received_at, due_at=_moment(due), finished_at=finished,
            returned_at=_moment(returned_at),
            rating=rating if isinstance(rating, int) and not isinstance(rating, bool) and 1 <= rating <= 5 else None,
            reschedules=int(reschedules or 0))


def count(session: Session, start: date, end: date, agency: str | None = None) -> int:
    return session.scalar(_in_period(select(func.count()).select_from(Dossier), start, end, agency)) or 0


# -- what the province published ------------------------------------------------------------------
def _published(session: Session, kind: str, agency: str | None) -> Iterator[tuple[str | None, Any]]:
    """(agency, data) of the published changes of ``kind`` that reach ``agency``'s counters (when
    None: those published for every counter), oldest first."""
    stmt = select(Change.agency, Change.data).where(Change.kind == kind).order_by(Change.seq)
    mine = Change.agency.is_(None)
    stmt = stmt.where(mine | (Change.agency == agency) if agency else mine)
    yield from session.execute(stmt)


def catalogue(session: Session, agency: str | None = None) -> dict[str, Procedure]:
    """What the counters hold: the bundled catalogue, each published entry laid over it (the latest
    per code wins, as each counter applies them in order). An entry the counters would refuse is
    skipped as they skip it."""
    procedures = {p.code: p for p in parse_catalogue(json.loads(BUNDLED_CATALOGUE.read_text("utf-8")))} \
        if BUNDLED_CATALOGUE.exists() else {}
    for _, data in _published(session, protocol.CHANGE_CATALOGUE, agency):
        try:
            p = parse_procedure(data, f"Thủ tục {data.get('code') if isinstance(data, dict) else '?'}")
        except ValidationError:
            continue
        procedures[p.code] = p
    return procedures


def location_free(session: Session, procedures: dict[str, Procedure], codes: set[str], day: date,
                  agency: str | None = None) -> frozenset[str]:
    """Procedures location-independent on ``day`` per the latest published list (the catalogue's
    flag while none is published, as on a counter)."""
    entries: list = []
    for _, data in _published(session, protocol.CHANGE_LOCATION_FREE, agency):
        try:
            entries = parse_list(data)
        except ValidationError:
            continue
    out = {c for c, p in procedures.items() if is_location_independent(p, entries, day)}
    if entries:
        out |= {c for c in codes if c not in procedures and any(
            e.procedure_code == c and e.in_force(day) for e in entries)}
    return frozenset(out)


def _overrides(data: Any) -> tuple[CalendarOverride, ...] | None:
    rows = data.get("overrides") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        return None
    try:
        return tuple(CalendarOverride(date.fromisoformat(str(r["day"])), OverrideKind(r["kind"]),
                                      r.get("agency_code") or None, r.get("note") or "") for r in rows)
    except (KeyError, TypeError, ValueError):
        return None  # a counter refuses the list as a whole too


def calendar(session: Session) -> tuple[WorkingCalendar, str]:
    """The calendar each agency's counters work by: the national one (the ``holidays`` library and
    the bundled swaps), the province's published swaps laid over, and the override list each agency
    received last (a counter replaces its list with each one it pulls). And how it was made, in
    Vietnamese, for the report's header."""
    bundled = parse_swaps(json.loads(BUNDLED_SWAPS.read_text("utf-8"))) if BUNDLED_SWAPS.exists() else ()
    swaps: dict[str | None, tuple[int, Any]] = {}
    overrides: dict[str | None, tuple[int, tuple[CalendarOverride, ...]]] = {}
    for seq, agency, kind, data in session.execute(
            select(Change.seq, Change.agency, Change.kind, Change.data)
            .where(Change.kind.in_((protocol.CHANGE_SWAPS, protocol.CHANGE_CALENDAR))).order_by(Change.seq)):
        if kind == protocol.CHANGE_SWAPS:
            try:
                swaps[agency] = (seq, parse_swaps(data))
            except ValidationError:
                continue
        elif (parsed := _overrides(data)) is not None:
            overrides[agency] = (seq, parsed)

    def latest(table: dict, code: str | None, empty):
        found = [v for k, v in table.items() if k is None or k == code]
        return max(found, key=lambda v: v[0])[1] if found else empty

    def build(code: str | None) -> WorkingCalendar:
        return WorkingCalendar(overrides=latest(overrides, code, ()), agency_code=code,
                               swaps=merge_swaps(bundled, latest(swaps, code, ())))

    agencies = {k for k in (*swaps, *overrides) if k is not None}
    cal = ProvinceCalendar(overrides=latest(overrides, None, ()), swaps=merge_swaps(bundled, latest(swaps, None, ())),
                           per_agency={code: build(code) for code in agencies})
    if not swaps and not overrides:
        return cal, "lịch quốc gia (tỉnh chưa phát hành ngày nghỉ, ngày làm bù riêng)"
    parts = []
    if swaps:
        parts.append("danh sách đổi ngày nghỉ do tỉnh phát hành")
    if overrides:
        n = len({o.day for _, olist in overrides.values() for o in olist})
        parts.append(f"{n} ngày điều chỉnh do tỉnh phát hành")
    return cal, "lịch quốc gia cùng " + " và ".join(parts)


def certification(session: Session, start: date, end: date, agency: str | None = None) -> CertificationFigures:
    """The certified-copy desk, as a counter's closing report counts it: each certification request
    received in the period; its items that hold a register number and were not voided; their copies,
    pages (pages × copies) and fees. The numbers come with the intake, or later in a
    ``certificate_numbered`` note; a ``certificate_voided`` note voids one number."""
    intake = _in_period(select(Dossier.code, Event.body["payload"]["certification"])
                        .join(Event, Event.uuid == Dossier.intake_uuid)
                        .where(Dossier.procedure_code.in_(CERT_CODES)), start, end, agency)
    items: dict[str, dict[int, dict[str, Any]]] = {}
    for code, cert in session.execute(intake.execution_options(yield_per=STREAM_ROWS)):
        if isinstance(cert, dict) and isinstance(cert.get("items"), list):
            items[code] = {i.get("position"): dict(i) for i in cert["items"] if isinstance(i, dict)}
    notes = _in_period(select(Event.dossier_code, Event.kind, Event.body["payload"])
                       .join(Dossier, Dossier.code == Event.dossier_code)
                       .where(Event.kind.in_((NUMBERED, VOIDED)), Event.applied.is_(True),
                              Dossier.procedure_code.in_(CERT_CODES)), start, end, agency).order_by(Event.seq)
    for code, kind, payload in session.execute(notes.execution_options(yield_per=STREAM_ROWS)):
        request = items.get(code)
        if request is None or not isinstance(payload, dict):
            continue
        if kind == NUMBERED:
            for n in payload.get("numbers") or []:
                if isinstance(n, dict) and n.get("position") in request:
                    request[n["position"]]["number"] = n.get("number")
        else:
            for item in request.values():
                if item.get("number") is not None and item.get("number") == payload.get("number"):
                    item["void"] = True
    live = [i for request in items.values() for i in request.values()
            if i.get("number") is not None and not i.get("void")]

    def total(key: str, times: str | None = None) -> int:
        return sum(_int(i.get(key)) * (_int(i.get(times)) if times else 1) for i in live)

    return CertificationFigures(requests=len(items), documents=len(live), copies=total("copies"),
                                pages=total("pages", "copies"), fees_vnd=total("fee"))


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def dissatisfied_at_most(session: Session, agency: str | None = None) -> int | None:
    """The QĐ 766 threshold the province published to the counters (setting
    ``report_dissatisfied_at_most``), the latest that reaches ``agency``'s (every) counter."""
    found = None
    for _, data in _published(session, protocol.CHANGE_SETTINGS, agency):
        value = (data.get("values") or {}).get(SETTING) if isinstance(data, dict) else None
        if value is not None:
            found = value
    try:
        return int(found) if found is not None else None
    except (TypeError, ValueError):
        return None


def agency_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Agency.code, Agency.name)).all())


def province_report(session: Session, start: date, end: date, *, agency: str | None = None,
                    worst: int | None = None, now: datetime | None = None,
                    progress: Callable[[float], None] | None = None) -> tuple[dict[str, Any], str]:
    """The report and how its calendar was made (Vietnamese). ``worst``: ratings at or below it count
    as dissatisfied (default: the province's published setting ``report_dissatisfied_at_most``, else 2).
    ``as_of`` (what "still open and overdue" is measured at): the period's last second, or now."""
    names = agency_names(session)
    if agency and agency not in names:
        raise ReportError(f"Không có cơ quan {agency} trên máy chủ.")
    if worst is None:
        worst = dissatisfied_at_most(session, agency) or 2
    if not 1 <= worst <= 5:
        raise ReportError("Mức đánh giá «không hài lòng» phải từ 1 đến 5.")
    procedures = catalogue(session, agency)
    codes = set(session.scalars(_in_period(select(Dossier.procedure_code).distinct(), start, end, agency)))
    cal, calendar_note = calendar(session)
    now = now or datetime.now(TZ)
    inp = ReportInput(
        start=start, end=end, catalogue=procedures, catalogue_size=sum(1 for p in procedures.values() if p.active),
        calendar=cal, as_of=min(datetime.combine(end, time(23, 59, 59), TZ), now), agency=agency,
        agency_names=names, location_free=location_free(session, procedures, codes, end, agency),
        dissatisfied_at_most=worst, certification=certification(session, start, end, agency))
    total = count(session, start, end, agency) if progress is not None else None
    return build_report(facts(session, start, end, agency), inp, total_hint=total, progress=progress), calendar_note
