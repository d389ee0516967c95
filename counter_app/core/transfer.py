"""Paper files received at this counter for another (competent) agency: the hand-over list per
agency (danh sách bàn giao hồ sơ), the deadline of one working day and what is late, and the
ready-made lists of the regional counter (domain.md §14: Cao Bằng QĐ 2022/QĐ-UBND, Bắc Ninh
QĐ 1490; Thanh Hóa's templates).

The electronic dossier reaches the competent agency through sync at once; the paper goes by hand.
Recording a hand-over writes the list and a ``paper_transferred`` event on each of its dossiers
in one transaction (the outbox carries the events to the province); the list is printed after.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from counter_app.core.calendar import TZ, WorkingCalendar
from counter_app.core.context import CounterContext, new_event_uuid
from counter_app.core.errors import ValidationError
from counter_app.core.handover import recorded_moment
from counter_app.core.lifecycle import PAPER_TRANSFER
from counter_app.core.model import Dossier, DossierEvent
from counter_app.core.ports import Clock, UnitOfWork
from counter_app.core.serialize import iso
from counter_app.core.text import clean, clean_optional

MAX_BATCH = 500  # a day's list at the busiest regional centre is a few dozen


@dataclass(frozen=True)
class TransferBatch:
    """One hand-over list to one competent agency, recorded when the paper changed hands."""

    code: str
    to_agency: str
    created_at: datetime
    handed_at: datetime
    giver: str
    receiver: str
    dossier_codes: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True)
class ListedDossier:
    """A row of the ready-made lists: enough to find the file and see why it is listed."""

    code: str
    procedure_name: str
    applicant_name: str
    receiving_agency: str
    competent_agency: str
    return_agency: str | None
    channel: str
    status: str
    received_at: datetime
    due_at: datetime | None
    sets: int = 1
    deadline: datetime | None = None  # paper hand-over deadline (chờ chuyển)
    late: bool = False
    detail: dict[str, Any] | None = None  # the result's hand-over to the post (đang gửi bưu chính)


def paper_deadline(received_at: datetime, calendar: WorkingCalendar) -> datetime:
    """The paper must reach the competent agency within one working day of reception, counted on
    the receiving counter's calendar. A dossier received after the cut-off (15:00, Decree 23/2015
    Art. 7 as the counter applies it) or on a closed day counts from the next working morning, as
    the electronic dossier does (Cao Bằng QĐ 2022/QĐ-UBND)."""
    local = received_at.astimezone(TZ)
    day, clock = local.date(), local.time().replace(second=0, microsecond=0)
    if not calendar.is_working_day(day) or clock > calendar.hours.cutoff:
        day, clock = calendar.next_working_day(day), calendar.hours.morning_start
    start = datetime.combine(day, max(clock, calendar.hours.morning_start), TZ)
    return calendar.due_at(start, 1)


class PaperTransferService:
    def __init__(self, uow_factory: Callable[[], UnitOfWork], read_uow: Callable[[], UnitOfWork],
                 ctx: CounterContext, clock: Clock) -> None:
        self._uow, self._read = uow_factory, read_uow
        self._ctx = ctx
        self._clock = clock

    def _here(self) -> list[str]:
        return [a.code for a in self._ctx.agencies]

    def agency_name(self, code: str | None) -> str:
        agency = self._ctx.agency(code) if code else None
        return agency.name if agency is not None else (code or "")

    # -- ready-made lists ---------------------------------------------------------------------
    def waiting(self, to_agency: str | None = None) -> list[ListedDossier]:
        """«Chờ chuyển cho cơ quan khác»: received here for another agency, paper not handed over;
        oldest first, each with its deadline and whether it is late now."""
        now = self._clock.now()
        with self._read() as uow:
            rows = uow.transfers.waiting(self._here(), clean(to_agency).upper() if to_agency else None)
        out = []
        for r in rows:
            deadline = paper_deadline(r.received_at, self._ctx.calendar.for_agency(r.receiving_agency))
            out.append(replace(r, deadline=deadline, late=now > deadline))
        return out

    def late(self) -> list[ListedDossier]:
        return [x for x in self.waiting() if x.late]

    def awaiting_result(self) -> list[ListedDossier]:
        """«Chờ nhận kết quả từ cơ quan khác»: decided elsewhere, returned here, no result yet."""
        with self._read() as uow:
            return uow.transfers.awaiting_result(self._here(), self._ctx.settings.agency.code)

    def with_post(self) -> list[ListedDossier]:
        """«Đang gửi bưu chính»: results handed to the post with no delivery outcome recorded."""
        with self._read() as uow:
            return uow.transfers.with_post()

    # -- the hand-over list -------------------------------------------------------------------
    def record(self, to_agency: str, officer: str, receiver: str, codes: Sequence[str] = (), *,
               handed_at: datetime | None = None, note: str | None = None) -> TransferBatch:
        """The paper files of ``codes`` (default: every one waiting for the agency) handed to the
        agency's receiver: the list and one event per dossier, in one transaction."""
        officer, receiver = clean(officer), clean(receiver)
        to_agency = clean(to_agency).upper()
        if not officer:
            raise ValidationError("Chưa xác định cán bộ bàn giao.", "officer missing")
        if not receiver:
            raise ValidationError("Phải ghi họ tên người nhận hồ sơ của cơ quan giải quyết.", "receiver missing")
        if len(receiver) > 200:
            raise ValidationError("Tên người nhận quá dài (tối đa 200 ký tự).", "receiver too long")
        if self._ctx.agency(to_agency) is None:
            raise ValidationError(f"Cơ quan {to_agency} không thuộc các cơ quan quầy này phục vụ.",
                                  "unknown competent agency")
        now = self._clock.now()
        at = recorded_moment(handed_at, now)
        wanted = list(dict.fromkeys(clean(c).upper() for c in codes if clean(c)))
        with self._uow() as uow:
            waiting = {r.code: r for r in uow.transfers.waiting(self._here(), to_agency)}
            if not wanted:
                wanted = list(waiting)
            if not wanted:
                raise ValidationError(f"Không có hồ sơ nào chờ bàn giao cho {self.agency_name(to_agency)}.",
                                      "nothing to hand over")
            if len(wanted) > MAX_BATCH:
                raise ValidationError(f"Một danh sách bàn giao tối đa {MAX_BATCH} hồ sơ.", "batch too large")
            for code in wanted:
                if code not in waiting:
                    raise ValidationError(self._why_not(uow, code, to_agency), "not waiting for this agency")
                if at < waiting[code].received_at:
                    raise ValidationError(f"Thời điểm bàn giao trước lúc tiếp nhận hồ sơ {code}.",
                                          "handed before received")
            batch = TransferBatch(code=uow.transfers.next_code(to_agency, at.date(), self._ctx.settings.device_slot), to_agency=to_agency,
                                  created_at=now, handed_at=at, giver=officer, receiver=receiver,
                                  dossier_codes=tuple(wanted), note=clean_optional(note))
            uow.transfers.add(batch)
            for code in wanted:
                d = uow.dossiers.get_for_update(code)
                deadline = paper_deadline(d.received_at, self._ctx.calendar.for_agency(d.receiving_agency))
                payload = {"batch": batch.code, "to_agency": to_agency, "handed_at": iso(at), "giver": officer,
                           "receiver": receiver, "deadline": iso(deadline), "late": at > deadline}
                event = DossierEvent(uuid=new_event_uuid(), kind=PAPER_TRANSFER, at=now, officer=officer,
                                     status_before=d.status, status_after=d.status, payload=payload)
                uow.dossiers.record(d.code, event, status=d.status, due_at=d.due_at,
                                    reschedule_count=d.reschedule_count)
            uow.commit()
        return batch

    def _why_not(self, uow: UnitOfWork, code: str, to_agency: str) -> str:
        d = uow.dossiers.get(code)  # NotFound names an unknown code
        done = uow.transfers.batch_of(code)
        if done is not None:
            return (f"Hồ sơ {code} đã bàn giao lúc {done.handed_at.astimezone(TZ):%H:%M %d/%m/%Y} "
                    f"(danh sách {done.code}).")
        if d.competent_agency != to_agency:
            return (f"Hồ sơ {code} do {self.agency_name(d.competent_agency)} giải quyết, "
                    f"không bàn giao cho {self.agency_name(to_agency)}.")
        return (f"Hồ sơ {code} không có hồ sơ giấy chờ bàn giao (không tiếp nhận tại quầy này cho cơ quan khác, "
                "nộp trực tuyến, hoặc đã bị từ chối/rút).")

    def get(self, code: str) -> tuple[TransferBatch, list[Dossier]]:
        """A recorded list with its dossiers, for the print and reprints."""
        with self._read() as uow:
            batch = uow.transfers.get(clean(code).upper())
            return batch, [uow.dossiers.get(c) for c in batch.dossier_codes]

    def batches(self, to_agency: str | None = None, limit: int = 100) -> list[TransferBatch]:
        with self._read() as uow:
            return uow.transfers.batches(clean(to_agency).upper() if to_agency else None, limit)


def listed_to_dict(x: ListedDossier) -> dict[str, Any]:
    return {"code": x.code, "procedure_name": x.procedure_name, "applicant_name": x.applicant_name,
            "receiving_agency": x.receiving_agency, "competent_agency": x.competent_agency,
            "return_agency": x.return_agency, "channel": x.channel, "status": x.status,
            "received_at": iso(x.received_at), "due_at": iso(x.due_at), "deadline": iso(x.deadline),
            "late": x.late, **({"post": x.detail} if x.detail else {})}


def batch_to_dict(b: TransferBatch) -> dict[str, Any]:
    return {"batch": b.code, "to_agency": b.to_agency, "handed_at": iso(b.handed_at), "giver": b.giver,
            "receiver": b.receiver, "note": b.note, "dossiers": list(b.dossier_codes)}

