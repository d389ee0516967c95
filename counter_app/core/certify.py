"""``CertificationService``: the bulk desk's flow. Every request is a dossier with events and
outbox rows like any other, so it syncs; its register numbers come from the office's register
holder (``core.ports.RegisterHolder``): this machine, inside the dossier's own transaction, or
another desk over the office network. The service walks the same phases with either.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Callable

from counter_app.core.calendar import TZ
from counter_app.core.actions import record_transition
from counter_app.core.certification import (
    DEFAULT_SIGNATURE_SCHEDULE, CertItem, CertItemInput, Certification, CertKind, ClosingReport, EntryDraft,
    HolderExpired, HolderUnavailable, NumberingRequest, certification_due, item_fee, validate_items,
)
from counter_app.core.context import CounterContext, new_event_uuid
from counter_app.core.errors import NotFound, ValidationError
from counter_app.core.intake import ApplicantInput, merge_qr, normalise_applicant, resolve_received_at
from counter_app.core.lifecycle import Action, Status
from counter_app.core.model import (
    Channel, Dossier, DossierEvent, DocumentKind, DocumentLine, FeeLine, ReturnMethod,
)
from counter_app.core.ports import Clock, RegisterHolder, UnitOfWork
from counter_app.core.serialize import dossier_to_dict
from counter_app.core.text import clean

VOIDED = "certificate_voided"
NUMBERED = "certificate_numbered"
SIGNED = "certificate_signed"


__all__ = ["CertRequest", "CertificationService", "HolderExpired", "HolderUnavailable", "NUMBERED", "SIGNED",
           "VOIDED"]


@dataclass(frozen=True)
class CertRequest:
    applicant: ApplicantInput
    items: tuple[CertItemInput, ...]
    officer: str
    kind: CertKind = CertKind.COPY
    cccd_qr: str | None = None
    received_at: datetime | None = None
    backdate_reason: str | None = None  # received_at more than 30 days back: why (recorded in the event)
    exemption_reason: str | None = None
    extension_days: int = 0
    extension_reason: str | None = None
    return_now: bool = False  # the copies are ready at once: intake and return in one step
    queue_if_unreachable: bool = False  # holder down: keep the request without numbers
    request_id: str | None = None
    signer: str | None = None  # same-day work: the signer signs at once (one key at the desk)


def _item_payload(items: tuple[CertItem, ...]) -> list[dict]:
    return [{"position": i.position, "document": i.document, "pages": i.pages, "copies": i.copies, "fee": i.fee,
             "number": i.number, "book": i.book} for i in items]


def _signed_payload(signer, at: datetime) -> dict:
    return {"signer_name": signer.name, "signer_title": signer.title, "signed_at": at.isoformat()}


class CertificationService:
    """Certify, number later, confirm, void, and read the register. Writes go through
    ``uow_factory`` (one write transaction each), reads through ``read_uow_factory``."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], read_uow_factory: Callable[[], UnitOfWork],
                 ctx: CounterContext, clock: Clock, holder: RegisterHolder,
                 signature_schedules=(DEFAULT_SIGNATURE_SCHEDULE,)) -> None:
        self._uow = uow_factory
        self._read_uow = read_uow_factory
        self._ctx = ctx
        self._clock = clock
        self.holder = holder
        self._signature_schedules = tuple(signature_schedules)

    # -- building -------------------------------------------------------------------------------
    def quote(self, kind: CertKind, items, day: date, exempt: bool = False) -> list[int]:
        """Fees per row as the officer types (the grid's live total)."""
        kind = CertKind(kind)
        items = validate_items(items, kind)
        if exempt:
            return [0] * len(items)
        return [item_fee(kind, i, day, self._ctx.copy_fee_schedules, self._signature_schedules) for i in items]

    def _build(self, uow: UnitOfWork, request: CertRequest,
               received_at: datetime) -> tuple[Dossier, tuple[CertItem, ...]]:
        ctx = self._ctx
        procedure = uow.catalogue.get(request.kind.procedure_code)
        if procedure is None or not procedure.active:
            raise ValidationError(f"Danh mục chưa có thủ tục {request.kind.procedure_code} "
                                  f"({request.kind.label_vi}) đang áp dụng.", "certification procedure missing")
        applicant = normalise_applicant(merge_qr(request.applicant, request.cccd_qr), ctx, received_at.date())
        items_in = validate_items(request.items, request.kind)
        exemption = clean(request.exemption_reason or "") or None
        extension_reason = clean(request.extension_reason or "") or None
        if request.extension_days and not extension_reason:
            raise ValidationError("Gia hạn trả kết quả phải ghi lý do.", "extension reason missing")
        fees = self.quote(request.kind, items_in, received_at.date(), exempt=bool(exemption))
        items = tuple(CertItem(n, i.document, i.pages, i.copies, fee)
                      for n, (i, fee) in enumerate(zip(items_in, fees), 1))
        officer = clean(request.officer)
        if not officer:
            raise ValidationError("Chưa xác định cán bộ thực hiện chứng thực.", "officer missing")
        due = certification_due(ctx.calendar, received_at, request.extension_days)
        fee_lines = tuple(FeeLine(f"{'Lệ phí' if request.kind is CertKind.SIGNATURE else 'Phí'} chứng thực: "
                                  f"{i.document}", i.fee) for i in items)
        dossier = Dossier(
            code="", procedure_code=procedure.code, procedure_name=procedure.name,
            receiving_agency=ctx.settings.agency.code, competent_agency=ctx.settings.agency.code,
            channel=Channel.COUNTER, applicant=applicant,
            documents=tuple(DocumentLine(i.document, DocumentKind.ORIGINAL, i.copies, i.pages) for i in items),
            fees=fee_lines, received_at=received_at, due_at=due, return_method=ReturnMethod.COUNTER,
            return_address=None, receiving_officer=officer, status=Status.RECEIVED.value, desk=ctx.settings.desk)
        return dossier, items

    @staticmethod
    def _numbering(request_id: str, register_type: str, received_at: datetime, applicant_name: str,
                   applicant_id: str | None, officer: str, desk: int, items) -> NumberingRequest:
        drafts = tuple(EntryDraft(i.position, i.document, i.pages, i.copies, i.fee, applicant_name, applicant_id,
                                  officer, desk, received_at.date()) for i in items)
        return NumberingRequest(request_id, register_type, received_at.year, drafts)

    def _visit_numbering(self, request_id: str, kind: CertKind, dossier: Dossier, items) -> NumberingRequest:
        a = dossier.applicant
        return self._numbering(request_id, kind.register_type, dossier.received_at, a.full_name, a.id_number,
                               dossier.receiving_officer, dossier.desk, items)

    def _cert_numbering(self, cert: Certification) -> NumberingRequest:
        return self._numbering(cert.request_id, cert.register_type, cert.received_at, cert.applicant_name,
                               cert.applicant_id, cert.officer, cert.desk, cert.items)

    # -- the flow -------------------------------------------------------------------------------
    def certify(self, request: CertRequest) -> tuple[Dossier, Certification]:
        request = replace(request, kind=CertKind(request.kind))
        request_id = request.request_id or str(uuid.uuid4())
        received_at = resolve_received_at(request.received_at, self._clock.now(), request.backdate_reason)
        # Checked before any number is drawn: a wrong name must not leave an unsigned request behind.
        signer = self._ctx.settings.cert_signers.find(request.signer, self._clock.now().date()) \
            if request.signer else None

        def prepare() -> NumberingRequest:
            with self._read_uow() as uow:  # everything is checked before anyone is asked for numbers
                return self._visit_numbering(request_id, request.kind, *self._build(uow, request, received_at))

        try:
            reserved = self.holder.reserve(prepare)
        except HolderUnavailable:
            if not request.queue_if_unreachable:
                raise
            reserved = None
        with self._uow() as uow:
            dossier, items = self._build(uow, request, received_at)
            settings = self._ctx.settings
            code = uow.dossiers.allocate_code(settings.prefix, dossier.received_at.date(), settings.device_slot)
            dossier = replace(dossier, code=code)
            numbers = self.holder.issue(uow, self._visit_numbering(request_id, request.kind, dossier, items),
                                       reserved, code)
            if numbers is not None:
                items = tuple(replace(i, number=n.number, book=n.book) for i, n in zip(items, numbers))
            exemption = clean(request.exemption_reason or "") or None
            extension_reason = clean(request.extension_reason or "") or None
            payload = {"dossier": dossier_to_dict(dossier, include_events=False),
                       "certification": {"kind": request.kind.value, "request_id": request_id,
                                         "register_type": request.kind.register_type, "items": _item_payload(items),
                                         "exemption_reason": exemption, "extension_days": request.extension_days,
                                         "extension_reason": extension_reason}}
            if request.received_at is not None and clean(request.backdate_reason):
                payload["backdate_reason"] = clean(request.backdate_reason)
            now = self._clock.now()
            received = DossierEvent(new_event_uuid(), Action.RECEIVE.value, now, dossier.receiving_officer, None,
                                    Status.RECEIVED.value, payload)
            uow.dossiers.add(dossier, received)
            dossier = replace(dossier, events=(received,))
            final = self.holder.numbers_final_at_commit
            uow.certifications.add(code, request.kind, request_id, list(items), exemption_reason=exemption,
                                   extension_days=request.extension_days, extension_reason=extension_reason,
                                   holder_confirmed=final)
            if signer is not None and numbers is not None and final:  # signed in the same transaction
                self.holder.sign(uow, request_id, now.date(), signer.name, signer.title)
                uow.certifications.sign(code, signer.name, signer.title, now)
                signed = DossierEvent(new_event_uuid(), SIGNED, now, dossier.receiving_officer, Status.RECEIVED.value,
                                      Status.RECEIVED.value, _signed_payload(signer, now))
                uow.dossiers.record(code, signed, status=Status.RECEIVED.value, due_at=dossier.due_at,
                                    reschedule_count=0)
                dossier = replace(dossier, events=dossier.events + (signed,))
            if request.return_now and numbers is not None:  # the copies go back over the counter at once
                for action in (Action.RESULT_READY, Action.RETURN):
                    dossier = record_transition(uow, dossier, action, dossier.receiving_officer, now,
                                                {"same_visit": True}, max_reschedules=settings.max_reschedules)
            uow.commit()
        if numbers is not None and not final:
            self._confirm(code, request_id)
        if signer is not None and numbers is not None and not final:
            self.sign(code, signer.name, dossier.receiving_officer)
        return dossier, self.get(code)

    # -- signing --------------------------------------------------------------------------------
    def signers(self, day: date | None = None):
        """The office's signers who may sign on ``day`` (today when not given)."""
        return self._ctx.settings.cert_signers.on(day or self._clock.now().date())

    def sign(self, code: str, signer: str, officer: str, *, at: datetime | None = None) -> Certification:
        """The signer signed and sealed the request's copies (or statements): the day of
        certification is this day, not the day of receipt. ``officer``: the desk officer who
        recorded it (kept in the history); ``at``: when, for a signature recorded afterwards."""
        cert = self.get(code)
        now = self._clock.now()
        at = now if at is None else (at.replace(tzinfo=TZ) if at.tzinfo is None else at.astimezone(TZ))
        if cert.signed:
            raise ValidationError(f"Yêu cầu {cert.code} đã được ký chứng thực ngày {cert.signed_at:%d/%m/%Y}.",
                                  "already signed")
        if not cert.numbered:
            raise ValidationError(f"Yêu cầu {cert.code} chưa có số chứng thực; cấp số trước khi ký.", "not numbered")
        if all(i.void for i in cert.items):
            raise ValidationError(f"Mọi số chứng thực của yêu cầu {cert.code} đã hủy; không còn gì để ký.", "all void")
        if at < cert.received_at or at > now:
            raise ValidationError("Thời điểm ký phải sau lúc tiếp nhận và không ở tương lai.", "signing time out of range")
        who = self._ctx.settings.cert_signers.find(signer, at.date())
        officer = clean(officer)
        if not officer:
            raise ValidationError("Chưa xác định cán bộ ghi nhận việc ký.", "officer missing")
        with self._uow() as uow:
            self.holder.sign(uow, cert.request_id, at.date(), who.name, who.title)
            uow.certifications.sign(cert.code, who.name, who.title, at)
            self._note(uow, cert, SIGNED, now, officer, _signed_payload(who, at))
            uow.commit()
        return self.get(code)

    def awaiting_signature(self) -> list[Certification]:
        """Numbered, not yet signed: extended requests and those received after the cut-off."""
        with self._read_uow() as uow:
            return [uow.certifications.get(c) for c in uow.certifications.awaiting_signature()]

    def _confirm(self, code: str, request_id: str) -> bool:
        try:
            self.holder.confirm(request_id, code)
        except HolderUnavailable:
            return False  # retried by confirm_pending(); the holder voids it only after a long wait
        except HolderExpired as exc:
            self._void_locally(code, f"Máy giữ sổ đã hủy số: {exc.message}")
            return False
        with self._uow() as uow:
            uow.certifications.mark_confirmed(code)
            uow.commit()
        return True

    @staticmethod
    def _note(uow: UnitOfWork, cert: Certification, kind: str, at: datetime, officer: str, payload: dict) -> None:
        """An event that records something about the request without changing the dossier's status."""
        status = uow.dossiers.get(cert.code).status
        uow.dossiers.record(cert.code, DossierEvent(new_event_uuid(), kind, at, officer, status, status, payload),
                            status=status, due_at=cert.due_at, reschedule_count=0)

    def _void_locally(self, code: str, reason: str) -> None:
        cert = self.get(code)
        with self._uow() as uow:
            for item in cert.items:
                if item.number is not None and not item.void:
                    uow.certifications.mark_void(code, item.number, reason)
                    self._note(uow, cert, VOIDED, self._clock.now(), "hệ thống",
                               {"number": item.number, "book": item.book, "register_type": cert.register_type,
                                "reason": reason})
            uow.certifications.mark_confirmed(code)
            uow.commit()

    def get(self, code: str) -> Certification:
        with self._read_uow() as uow:
            return uow.certifications.get(code)

    def assign_pending(self, officer: str) -> list[str]:
        """Requests queued while the holder was unreachable: number them now (same request id)."""
        done = []
        with self._read_uow() as uow:
            waiting = [uow.certifications.get(c) for c in uow.certifications.awaiting_numbers()]
        final = self.holder.numbers_final_at_commit
        for cert in waiting:
            numbering = self._cert_numbering(cert)
            reserved = self.holder.reserve(lambda: numbering)
            with self._uow() as uow:
                numbers = self.holder.issue(uow, numbering, reserved, cert.code)
                uow.certifications.set_numbers(cert.code, numbers, confirmed=final)
                self._note(uow, cert, NUMBERED, self._clock.now(), officer,
                           {"numbers": [{"position": i.position, "number": n.number, "book": n.book}
                                        for i, n in zip(cert.items, numbers)]})
                uow.commit()
            if not final:
                self._confirm(cert.code, cert.request_id)
            done.append(cert.code)
        return done

    def confirm_pending(self) -> int:
        """Numbered requests the holder has not yet heard were committed (the desk stopped or the
        holder was unreachable right after the commit)."""
        with self._read_uow() as uow:
            pending = [uow.certifications.get(c) for c in uow.certifications.unconfirmed()]
        return sum(self._confirm(c.code, c.request_id) for c in pending if c.numbered)

    def void(self, code: str, number: int, reason: str, officer: str) -> Certification:
        """A mistaken certification: its number stays in the register, marked void."""
        reason = clean(reason)
        if not reason:
            raise ValidationError("Hủy số chứng thực phải ghi lý do.", "void reason missing")
        cert = self.get(code)
        item = next((i for i in cert.items if i.number == number), None)
        if item is None:
            raise NotFound(f"Hồ sơ {code} không có số chứng thực {number}.", "number not in this request")
        with self._uow() as uow:
            self.holder.void(uow, cert.register_type, cert.received_at.year, number, reason, officer)
            voided = uow.certifications.mark_void(code, number, reason)
            self._note(uow, cert, VOIDED, self._clock.now(), clean(officer),
                       {"number": number, "book": voided.book, "register_type": cert.register_type,
                        "reason": reason})
            uow.commit()
        return self.get(code)

    # -- reports --------------------------------------------------------------------------------
    def book(self, kind: CertKind, first: date, last: date) -> list:
        """The register's lines for [first, last], from whichever machine holds the register."""
        if last < first:
            raise ValidationError("Ngày kết thúc phải không trước ngày bắt đầu.", "empty date range")
        return self.holder.entries(CertKind(kind).register_type, first, last)

    def close_year(self, kind: CertKind, year: int, *, signer: str | None = None, force: bool = False,
                   reason: str | None = None) -> int:
        """Year-end closing of the register: its count is fixed; the next year starts at 01. Not
        before 31 December (Circular 01/2020 Art. 4: the book runs to the end of the year) unless
        forced with a reason, which the register keeps."""
        today = self._clock.now().date()
        reason = clean(reason or "") or None
        if today < date(year, 12, 31):
            if not force:
                raise ValidationError(f"Chưa đến ngày 31/12/{year}: sổ chứng thực năm {year} còn ghi đến hết năm. "
                                      "Muốn khóa sớm phải dùng --force và ghi lý do.", "closing before year end")
            if not reason:
                raise ValidationError("Khóa sổ trước ngày 31/12 phải ghi lý do.", "early closing without reason")
        who = self._ctx.settings.cert_signers.find(signer, today) if signer else next(iter(self.signers(today)), None)
        return self.holder.close_year(CertKind(kind).register_type, year, reason=reason,
                                      signer=f"{who.name}|{who.title}" if who else None)

    def register_closing(self, kind: CertKind, year: int) -> dict | None:
        """How this machine's register for ``year`` was closed (None while open)."""
        with self._read_uow() as uow:
            return uow.cert_register.closing_of(self._ctx.settings.agency.code, year, CertKind(kind).register_type)

    def register_state(self, kind: CertKind, year: int):
        """(last number, closed_at) of this machine's register for ``year``."""
        with self._read_uow() as uow:
            for agency, y, rtype, last, closed_at in uow.cert_register.registers():
                if y == year and rtype == kind.register_type and agency == self._ctx.settings.agency.code:
                    return last, closed_at
        return 0, None

    def closing(self, day: date, *, officer: str | None = None, desk: int | None = None,
                register_entries=None) -> ClosingReport:
        """What this desk did on ``day`` against what the register says. ``register_entries``:
        the register's lines for the day (asked of the register holder when not given)."""
        start = datetime.combine(day, time(0), TZ)
        end = start + timedelta(days=1)
        if register_entries is None:
            register_entries = [e for kind in CertKind for e in self.holder.entries(kind.register_type, day, day)]
        with self._read_uow() as uow:
            rows = uow.certifications.day_items(start, end, officer, desk)
            requests = uow.certifications.count_requests(start, end, officer, desk)
        live = [(k, c, i) for k, c, i in rows if not i.void and i.number is not None]
        by_kind: dict[str, dict[str, int]] = {}
        for kind, _code, item in live:
            k = by_kind.setdefault(kind, {"certifications": 0, "copies": 0, "fees": 0})
            k["certifications"] += 1
            k["copies"] += item.copies
            k["fees"] += item.fee
        entries = [e for e in register_entries if (officer is None or e.officer == officer)
                   and (desk is None or e.desk == desk) and e.state == "issued"]
        return ClosingReport(
            day=day, officer=officer, desk=desk, requests=requests, certifications=len(live),
            copies=sum(i.copies for _, _, i in live), pages=sum(i.pages * i.copies for _, _, i in live),
            fees=sum(i.fee for _, _, i in live), voids=sum(1 for _, _, i in rows if i.void),
            register_certifications=len(entries), register_copies=sum(e.copies for e in entries),
            register_fees=sum(e.fee for e in entries),
            awaiting_numbers=sum(1 for _, _, i in rows if i.number is None), by_kind=by_kind)
