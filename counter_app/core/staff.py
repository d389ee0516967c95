"""The postal service operating the counter (QĐ 468/QĐ-TTg; QĐ 45/2016/QĐ-TTg): who operated it
for a dossier, and the hand-overs between the reception officer (a postal employee acting for the
commune) and the commune's specialist officers, which the control sheet (phiếu kiểm soát) records
block by block and the counter lists day by day for both sides to sign."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from counter_app.core.calendar import TZ
from counter_app.core.context import CounterContext, new_event_uuid
from counter_app.core.errors import ValidationError
from counter_app.core.lifecycle import STAFF_HANDOVER, TERMINAL, Status
from counter_app.core.model import Dossier, DossierEvent
from counter_app.core.ports import Clock, UnitOfWork
from counter_app.core.serialize import iso
from counter_app.core.text import clean, fold


class HandoverDirection(str, enum.Enum):
    TO_SPECIALIST = "to_specialist"  # the reception officer gives the dossier to the specialist
    TO_COUNTER = "to_counter"        # the specialist gives it (with its result) back to the counter

    @property
    def label_vi(self) -> str:
        return {"to_specialist": "bộ phận tiếp nhận giao công chức chuyên môn",
                "to_counter": "công chức chuyên môn giao bộ phận tiếp nhận"}[self.value]


@dataclass(frozen=True)
class Person:
    name: str
    organisation: str | None = None  # None: the commune's own staff


@dataclass(frozen=True)
class StaffHandover:
    dossier_code: str
    direction: HandoverDirection
    handed_at: datetime
    giver: Person
    receiver: Person
    recorded_by: str

    @classmethod
    def from_event(cls, code: str, event: DossierEvent) -> StaffHandover:
        p = event.payload
        return cls(code, HandoverDirection(p["direction"]), datetime.fromisoformat(p["handed_at"]),
                   Person(p["giver"], p.get("giver_organisation")), Person(p["receiver"], p.get("receiver_organisation")),
                   event.officer)


def counter_operator(d: Dossier) -> dict[str, Any] | None:
    """Who operated the counter for this dossier when it was not the commune's own staff
    ({"organisation", "officer"}), as its intake event recorded it: a reprint says the same even
    after the account is renamed or leaves the postal unit."""
    first = d.events[0] if d.events else None
    if first is None or first.status_before is not None:
        return None
    operator = first.payload.get("operator")
    return operator if isinstance(operator, dict) and operator.get("organisation") else None


def handovers_of(d: Dossier) -> list[StaffHandover]:
    return [StaffHandover.from_event(d.code, e) for e in d.events if e.kind == STAFF_HANDOVER]


def _moment(value: datetime | None, now: datetime) -> datetime:
    if value is None:
        return now.replace(microsecond=0)
    value = value.replace(tzinfo=TZ) if value.tzinfo is None else value.astimezone(TZ)
    if value > now + timedelta(minutes=5):
        raise ValidationError("Thời điểm bàn giao ở tương lai.", "hand-over time in the future")
    return value.replace(microsecond=0)


class StaffHandoverService:
    def __init__(self, uow_factory: Callable[[], UnitOfWork], ctx: CounterContext, clock: Clock) -> None:
        self._uow = uow_factory
        self._ctx = ctx
        self._clock = clock

    @staticmethod
    def _person(uow: UnitOfWork, text: str, what: str) -> Person:
        """An account named by its login or its full name gives its name and organisation; any
        other name (a specialist without an account here) is taken as the commune's staff."""
        text = clean(text)
        if not text:
            raise ValidationError(f"Phải ghi rõ {what}.", f"{what} missing")
        found = uow.officers.get(text.lower())
        if found is None:
            named = [o for o in uow.officers.all() if o.active and fold(o.full_name) == fold(text)]
            found = (named[0], "") if len(named) == 1 else None
        return Person(found[0].full_name, found[0].organisation) if found else Person(text)

    def record(self, codes: Sequence[str], officer: str, *, giver: str, receiver: str,
               direction: HandoverDirection = HandoverDirection.TO_SPECIALIST,
               handed_at: datetime | None = None) -> list[StaffHandover]:
        """One hand-over of one or more dossiers, each an event (with its outbox row) in one
        transaction: all are recorded or none."""
        officer = clean(officer)
        if not officer:
            raise ValidationError("Chưa xác định cán bộ thực hiện.", "officer missing")
        wanted = list(dict.fromkeys(clean(c).upper() for c in codes if clean(c)))
        if not wanted:
            raise ValidationError("Chưa chọn hồ sơ nào để bàn giao.", "no dossier")
        now = self._clock.now()
        at = _moment(handed_at, now)
        out = []
        with self._uow() as uow:
            giving, taking = self._person(uow, giver, "người giao"), self._person(uow, receiver, "người nhận")
            if fold(giving.name) == fold(taking.name):
                raise ValidationError("Người giao và người nhận phải là hai người khác nhau.", "same person")
            for code in wanted:
                d = uow.dossiers.get_for_update(code)
                if Status(d.status) in TERMINAL:
                    raise ValidationError(f"Hồ sơ {d.code} đang ở trạng thái «{Status(d.status).label_vi}»: "
                                          "không còn bàn giao để giải quyết.", "dossier closed")
                if at < d.received_at:
                    raise ValidationError(f"Thời điểm bàn giao trước khi tiếp nhận hồ sơ {d.code}.",
                                          "hand-over before reception")
                payload = {"direction": direction.value, "handed_at": iso(at), "giver": giving.name,
                           "giver_organisation": giving.organisation, "receiver": taking.name,
                           "receiver_organisation": taking.organisation}
                event = DossierEvent(uuid=new_event_uuid(), kind=STAFF_HANDOVER, at=now, officer=officer,
                                     status_before=d.status, status_after=d.status, payload=payload)
                uow.dossiers.record(d.code, event, status=d.status, due_at=d.due_at,
                                    reschedule_count=d.reschedule_count)
                out.append(StaffHandover.from_event(d.code, event))
            uow.commit()
        return out

    def of_day(self, day: date, direction: HandoverDirection | None = HandoverDirection.TO_SPECIALIST
               ) -> list[tuple[StaffHandover, Dossier]]:
        """The day's hand-overs (by the time of hand-over) with their dossiers, in order."""
        start = datetime.combine(day, datetime.min.time(), TZ)
        with self._uow() as uow:
            found = uow.postal.staff_handovers(start, start + timedelta(days=1))
            out = []
            for code, event in found:
                h = StaffHandover.from_event(code, event)
                if direction is None or h.direction is direction:
                    out.append((h, uow.dossiers.get(code)))
        out.sort(key=lambda x: x[0].handed_at)  # stable: ties stay in the order they were recorded
        return out
