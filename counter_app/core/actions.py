"""DossierService: the legal actions on a received dossier, each one transaction with its event."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from counter_app.core import cccd
from counter_app.core.calendar import TZ
from counter_app.core.context import CounterContext, new_event_uuid
from counter_app.core.errors import ValidationError
from counter_app.core.formats import fmt_time_long
from counter_app.core.lifecycle import Action, transition
from counter_app.core.model import Dossier, DossierEvent
from counter_app.core.ports import Clock, UnitOfWork
from counter_app.core.serialize import iso
from counter_app.core.text import clean, clean_lines


def _required(text: str | None, what: str, *, lines: bool = False) -> str:
    value = clean_lines(text) if lines else clean(text)
    if not value:
        raise ValidationError(f"Phải ghi rõ {what}.", f"{what} missing")
    return value


DueRule = Callable[[Dossier, datetime, UnitOfWork], datetime | None]


def record_transition(uow: UnitOfWork, dossier: Dossier, action: Action, officer: str, now: datetime,
                      payload: dict[str, Any] | None = None, *, max_reschedules: int = 1,
                      due: DueRule | None = None) -> Dossier:
    """The one way a dossier's status changes: checked by the life cycle (nothing written when
    illegal), then the new state, its event and the event's outbox row in the caller's transaction.
    Returns the dossier as changed, the new event last in its history."""
    result = transition(dossier.status, action, reschedule_count=dossier.reschedule_count,
                        max_reschedules=max_reschedules)
    new_due = due(dossier, now, uow) if due else dossier.due_at
    payload = dict(payload or {})
    if new_due != dossier.due_at:
        payload.update(old_due_at=iso(dossier.due_at), new_due_at=iso(new_due))
    reschedules = dossier.reschedule_count + (action is Action.RESCHEDULE)
    event = DossierEvent(uuid=new_event_uuid(), kind=action.value, at=now, officer=officer,
                         status_before=result.before.value, status_after=result.after.value, payload=payload)
    uow.dossiers.record(dossier.code, event, status=result.after.value, due_at=new_due,
                        reschedule_count=reschedules)
    return replace(dossier, status=result.after.value, due_at=new_due, reschedule_count=reschedules,
                   events=dossier.events + (event,))


class DossierService:
    """Forward, supplement, reschedule, stop, withdraw, result-ready and return.

    An illegal action raises before anything is written; a legal one writes the new state, its event
    and the event's outbox row in one transaction.
    """

    def __init__(self, uow_factory: Callable[[], UnitOfWork], ctx: CounterContext, clock: Clock) -> None:
        self._uow = uow_factory
        self._ctx = ctx
        self._clock = clock

    def _apply(self, code: str, action: Action, officer: str, payload: dict[str, Any] | None = None,
               due: DueRule | None = None) -> Dossier:
        officer = _required(officer, "cán bộ thực hiện")
        with self._uow() as uow:
            dossier = uow.dossiers.get_for_update(clean(code).upper())
            changed = record_transition(uow, dossier, action, officer, self._clock.now(), payload,
                                        max_reschedules=self._ctx.settings.max_reschedules, due=due)
            uow.commit()
        return changed

    def forward(self, code: str, officer: str, to_agency: str | None = None) -> Dossier:
        return self._apply(code, Action.FORWARD, officer, {"to_agency": clean(to_agency) or None})

    def result_ready(self, code: str, officer: str, note: str | None = None) -> Dossier:
        return self._apply(code, Action.RESULT_READY, officer, {"note": clean(note) or None})

    def request_supplement(self, code: str, officer: str, reason: str,
                           documents: Sequence[str] = ()) -> Dossier:
        items = [clean(d) for d in documents if clean(d)]
        return self._apply(code, Action.REQUEST_SUPPLEMENT, officer,
                           {"reason": _required(reason, "lý do yêu cầu bổ sung", lines=True),
                            "documents": items})

    def supplied(self, code: str, officer: str) -> Dossier:
        """The applicant brought what was asked for. The time limit restarts from a complete dossier
        when the office's setting says so (the default), else the old due time stands."""

        def restart(dossier: Dossier, now: datetime, uow: UnitOfWork) -> datetime | None:
            if not self._ctx.settings.restart_due_on_supplement:
                return dossier.due_at
            procedure = uow.catalogue.get(dossier.procedure_code)
            if procedure is None or procedure.working_days is None:
                return dossier.due_at
            return self._ctx.calendar.for_agency(dossier.competent_agency).due_at(now, procedure.working_days)

        return self._apply(code, Action.SUPPLIED, officer, due=restart)

    def reschedule(self, code: str, officer: str, new_due: datetime, reason: str) -> Dossier:
        """Apology and new appointment (Mẫu 04); the number allowed is a setting (default once)."""
        reason = _required(reason, "lý do hẹn lại")
        new_due = new_due.replace(tzinfo=TZ) if new_due.tzinfo is None else new_due.astimezone(TZ)

        def later(dossier: Dossier, now: datetime, _uow: UnitOfWork) -> datetime:
            if dossier.due_at is not None and new_due <= dossier.due_at:
                raise ValidationError(
                    f"Ngày hẹn mới phải sau ngày hẹn cũ ({fmt_time_long(dossier.due_at)}).",
                    "new due time not after the old one",
                )
            if new_due <= now:
                raise ValidationError("Ngày hẹn mới phải ở tương lai.", "new due time in the past")
            return new_due

        return self._apply(code, Action.RESCHEDULE, officer, {"reason": reason}, due=later)

    def stop(self, code: str, officer: str, reason: str) -> Dossier:
        return self._apply(code, Action.STOP, officer, {"reason": _required(reason, "lý do dừng xử lý")})

    def withdraw(self, code: str, officer: str, reason: str | None = None) -> Dossier:
        return self._apply(code, Action.WITHDRAW, officer, {"reason": clean(reason) or None})

    def return_result(self, code: str, officer: str, *, receiver_name: str | None = None,
                      receiver_id: str | None = None, rating: int | None = None,
                      fees_collected_vnd: int | None = None, reason: str | None = None) -> Dossier:
        """``reason``: required when this counter is not the dossier's return point (the citizen came
        here instead); it goes with the event to the province and the other counters."""
        receiver_id = clean(receiver_id).replace(" ", "") or None
        if receiver_id:
            cccd.validate_personal_id(receiver_id, self._ctx.provinces)
        if rating is not None and not 1 <= rating <= 5:
            raise ValidationError("Mức đánh giá hài lòng phải từ 1 đến 5.", "rating out of range")
        if fees_collected_vnd is not None and fees_collected_vnd < 0:
            raise ValidationError("Số tiền thu không được âm.", "negative fee")
        payload = {"receiver_name": clean(receiver_name) or None, "receiver_id": receiver_id,
                   "rating": rating, "fees_collected_vnd": fees_collected_vnd}
        where = self.return_point_elsewhere(code)
        if where is not None:
            payload["off_return_point"] = where
            payload["reason"] = _required(reason, f"lý do trả kết quả tại quầy này (nơi trả đã chọn: {where})",
                                          lines=True)
        return self._apply(code, Action.RETURN, officer, payload)

    def return_point_elsewhere(self, code: str) -> str | None:
        """The dossier's return point when it is not this counter (an agency code or ``post``), else None."""
        with self._uow() as uow:
            d = uow.dossiers.get(clean(code).upper())
        # A dossier received on this counter (desk > 0; routed copies have none) in the name of an
        # agency it serves is returned here by default: that is still this counter.
        here = {self._ctx.settings.agency.code} | ({d.receiving_agency} if d.desk else set())
        return None if d.return_at in here else d.return_at
