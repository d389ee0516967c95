"""PostalService: results sent by post, and the hand-over lists (biên bản giao nhận) signed with the
postal employee (QĐ 45/2016/QĐ-TTg Art. 7; TT 17/2017/TT-BTTTT Art. 5, 7)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from counter_app.core.calendar import TZ
from counter_app.core.actions import record_transition
from counter_app.core.context import CounterContext, new_event_uuid
from counter_app.core.errors import ValidationError
from counter_app.core.lifecycle import POSTAL_HANDOVER, Action, Status
from counter_app.core.model import Dossier, DossierEvent
from counter_app.core.ports import Clock, UnitOfWork
from counter_app.core.postal import BatchItem, Direction, PostalBatch, normalise_item
from counter_app.core.serialize import iso
from counter_app.core.text import clean, clean_optional

# TT 17/2017 Art. 7: the post returns a result to the agency after at least two delivery attempts.
MIN_DELIVERY_ATTEMPTS = 2


@dataclass(frozen=True)
class Unaccounted:
    """An item on a signed list the counter cannot yet account for."""

    batch: str
    direction: Direction
    item: str
    dossier_code: str | None
    reason: str


def recorded_moment(value: datetime | None, now: datetime) -> datetime:
    """When a hand-over happened: now by default, a typed local time (not in the future) otherwise."""
    if value is None:
        return now
    value = value.replace(tzinfo=TZ) if value.tzinfo is None else value.astimezone(TZ)
    if value > now + timedelta(minutes=5):
        raise ValidationError("Thời điểm ghi nhận ở tương lai.", "time in the future")
    return value.replace(microsecond=0)


def posting_outstanding(d: Dossier) -> dict[str, Any] | None:
    """The payload of the result's hand-over to the post when no outcome is recorded yet."""
    for e in reversed(d.events):
        if e.kind == Action.POST_RESULT.value:
            return e.payload
        if e.kind in (Action.POSTAL_UNDELIVERED.value, Action.RETURN.value):
            return None
    return None


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), TZ)
    return start, start + timedelta(days=1)


class PostalService:
    def __init__(self, uow_factory: Callable[[], UnitOfWork], ctx: CounterContext, clock: Clock) -> None:
        self._uow = uow_factory
        self._ctx = ctx
        self._clock = clock

    def _event(self, d: Dossier, kind: str, officer: str, at: datetime, after: str,
               payload: dict[str, Any]) -> DossierEvent:
        return DossierEvent(uuid=new_event_uuid(), kind=kind, at=at, officer=officer, status_before=d.status,
                            status_after=after, payload=payload)

    def _act(self, code: str, officer: str, action: Action, build) -> Dossier:
        officer = clean(officer)
        if not officer:
            raise ValidationError("Chưa xác định cán bộ thực hiện.", "officer missing")
        with self._uow() as uow:
            dossier = uow.dossiers.get_for_update(clean(code).upper())
            payload = build(dossier)
            changed = record_transition(uow, dossier, action, officer, self._clock.now(), payload)
            uow.commit()
        return changed

    # -- results by post ------------------------------------------------------------------------
    def post_result(self, code: str, officer: str, *, item: str, recipient: str, address: str,
                    phone: str | None = None, cod_vnd: int | None = None,
                    handed_at: datetime | None = None) -> Dossier:
        """The result handed to the post: item number, recipient and address, what the post collects
        on delivery (COD). The dossier stays «đã có kết quả» until the outcome is recorded."""
        item = normalise_item(item)
        recipient, address = clean(recipient), clean(address)
        if not recipient or not address:
            raise ValidationError("Gửi kết quả qua bưu chính cần tên và địa chỉ người nhận.", "recipient missing")
        if cod_vnd is not None and cod_vnd < 0:
            raise ValidationError("Số tiền thu khi phát không được âm.", "negative COD")
        handed = recorded_moment(handed_at, self._clock.now())

        def build(d: Dossier) -> dict[str, Any]:
            if posting_outstanding(d) is not None:
                raise ValidationError(f"Kết quả hồ sơ {d.code} đang ở bưu chính; hãy ghi kết quả phát trước.",
                                      "result already with the post")
            return {"item": item, "recipient": recipient, "address": address, "phone": clean_optional(phone),
                    "cod_vnd": cod_vnd, "handed_at": iso(handed)}

        return self._act(code, officer, Action.POST_RESULT, build)

    def delivered(self, code: str, officer: str, *, receiver_name: str | None = None,
                  delivered_at: datetime | None = None) -> Dossier:
        """The post delivered the result: the dossier is returned (the register's «trả kết quả»)."""
        at = recorded_moment(delivered_at, self._clock.now())

        def build(d: Dossier) -> dict[str, Any]:
            posted = self._outstanding(d)
            return {"channel": "post", "item": posted.get("item"),
                    "receiver_name": clean(receiver_name) or posted.get("recipient"),
                    "fees_collected_vnd": posted.get("cod_vnd"), "delivered_at": iso(at)}

        return self._act(code, officer, Action.RETURN, build)

    def undelivered(self, code: str, officer: str, *, attempts: int, reason: str | None = None) -> Dossier:
        """The post brought the result back after failed attempts: it waits at the counter again."""
        if attempts < MIN_DELIVERY_ATTEMPTS:
            raise ValidationError(
                f"Bưu chính chỉ chuyển trả kết quả sau ít nhất {MIN_DELIVERY_ATTEMPTS} lần phát không thành công "
                f"(đã ghi {attempts} lần).", "too few delivery attempts")

        def build(d: Dossier) -> dict[str, Any]:
            posted = self._outstanding(d)
            return {"item": posted.get("item"), "attempts": attempts, "reason": clean(reason) or None}

        return self._act(code, officer, Action.POSTAL_UNDELIVERED, build)

    @staticmethod
    def _outstanding(d: Dossier) -> dict[str, Any]:
        posted = posting_outstanding(d)
        if posted is None:
            raise ValidationError(f"Kết quả hồ sơ {d.code} chưa được giao cho bưu chính.", "result not with the post")
        return posted

    # -- hand-over lists ------------------------------------------------------------------------
    def prepare(self, direction: Direction, day: date, officer: str,
                extra_items: Sequence[str] = ()) -> tuple[PostalBatch, dict[str, Dossier]]:
        """The day's open list for the direction, refreshed: every dossier of the day not on another
        list, plus the item numbers the post's own list shows that the counter has not received.
        Returns the list and its dossiers (for the print)."""
        officer = clean(officer)
        start, end = day_bounds(day)
        extra = [normalise_item(x) for x in extra_items]
        with self._uow() as uow:
            batch = uow.postal.open_batch(direction.value, day, self._clock.now(), officer,
                                           self._ctx.settings.device_slot)
            taken = uow.postal.on_other_lists(direction.value, batch.code)
            found = (uow.postal.arrived(start, end) if direction is Direction.IN else uow.postal.posted(start, end))
            items = [BatchItem(i, c) for i, c in found if i not in taken]
            known = {x.item for x in items}
            for x in list(batch.items) + [BatchItem(i, None) for i in extra]:
                if x.item not in known and x.item not in taken:
                    code = uow.postal.dossier_for_item(x.item) if direction is Direction.IN else x.dossier_code
                    items.append(BatchItem(x.item, code))
                    known.add(x.item)
            if not items:
                raise ValidationError(f"Không có hồ sơ nào để lập biên bản giao nhận ngày {day:%d/%m/%Y}.",
                                      "empty hand-over list")
            uow.postal.set_items(batch.code, items)
            uow.commit()
        with self._uow() as uow:
            batch = uow.postal.get(batch.code)
            dossiers = {x.dossier_code: uow.dossiers.get(x.dossier_code) for x in batch.items if x.dossier_code}
        return batch, dossiers

    def batches(self, first: date, last: date) -> list[PostalBatch]:
        """The lists of the days from ``first`` to ``last``, signed or not, newest day first."""
        with self._uow() as uow:
            return uow.postal.of_days(first, last)

    def get(self, code: str) -> tuple[PostalBatch, dict[str, Dossier]]:
        with self._uow() as uow:
            batch = uow.postal.get(clean(code).upper())
            dossiers = {x.dossier_code: uow.dossiers.get(x.dossier_code) for x in batch.items if x.dossier_code}
        return batch, dossiers

    def sign(self, code: str, officer: str, *, signed_at: datetime | None = None,
             postal_employee: str | None = None) -> PostalBatch:
        """Both sides signed the list. Each dossier on it gets an event at that time; for dossiers
        brought in by post it is the legal submission time and the due date counts from it."""
        officer = clean(officer)
        if not officer:
            raise ValidationError("Chưa xác định cán bộ thực hiện.", "officer missing")
        at = recorded_moment(signed_at, self._clock.now())
        with self._uow() as uow:
            batch = uow.postal.get(clean(code).upper())
            if batch.signed_at is not None:
                raise ValidationError(f"Biên bản {batch.code} đã ký lúc {batch.signed_at:%H:%M %d/%m/%Y}.",
                                      "batch already signed")
            for x in batch.items:
                if x.dossier_code:
                    self._bind(uow, batch, x, at, officer)
            uow.postal.mark_signed(batch.code, at, clean_optional(postal_employee), officer)
            uow.commit()
        return replace(batch, signed_at=at, postal_employee=clean_optional(postal_employee), signed_by=officer)

    def _bind(self, uow: UnitOfWork, batch: PostalBatch, x: BatchItem, at: datetime, officer: str) -> None:
        d = uow.dossiers.get_for_update(x.dossier_code or "")
        due = d.due_at
        payload: dict[str, Any] = {"batch": batch.code, "direction": batch.direction.value, "item": x.item,
                                   "signed_at": iso(at)}
        if batch.direction is Direction.IN and d.status not in (Status.REFUSED.value,):
            procedure = uow.catalogue.get(d.procedure_code)
            if procedure is not None and procedure.working_days is not None:
                due = self._ctx.calendar.for_agency(d.competent_agency).due_at(at, procedure.working_days)
            payload.update(submitted_at=iso(at), old_due_at=iso(d.due_at), new_due_at=iso(due))
        event = self._event(d, POSTAL_HANDOVER, officer, self._clock.now(), d.status, payload)
        uow.dossiers.record(d.code, event, status=d.status, due_at=due, reschedule_count=d.reschedule_count)

    def unaccounted(self) -> list[Unaccounted]:
        """Items on signed lists not yet accounted for: brought by the post but not received at the
        counter, or results with the post whose delivery outcome is not recorded."""
        out: list[Unaccounted] = []
        with self._uow() as uow:
            for batch in uow.postal.signed():
                for x in batch.items:
                    if batch.direction is Direction.IN:
                        code = x.dossier_code or uow.postal.dossier_for_item(x.item)
                        if code is None:
                            out.append(Unaccounted(batch.code, batch.direction, x.item, None,
                                                   "có trong biên bản nhưng chưa tiếp nhận"))
                        continue
                    d = uow.dossiers.get(x.dossier_code or "")
                    posted = posting_outstanding(d)
                    if posted is not None and posted.get("item") == x.item:
                        out.append(Unaccounted(batch.code, batch.direction, x.item, d.code,
                                               "bưu chính chưa báo kết quả phát"))
        return out
