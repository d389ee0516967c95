"""IntakeService: receive a dossier (or refuse it at the counter) in one transaction."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from counter_app.core import cccd
from counter_app.core.calendar import TZ
from counter_app.core.checklist import default_documents
from counter_app.core.context import CounterContext, new_event_uuid
from counter_app.core.errors import NotFound, ValidationError
from counter_app.core.fees import schedule_on
from counter_app.core.lifecycle import Action, Status
from counter_app.core.model import (
    Applicant, ApplicantKind, Channel, DocumentLine, Dossier, DossierEvent, FeeLine, FeeRule, Gender,
    Procedure, ReturnMethod,
)
from counter_app.core.ports import Clock, UnitOfWork
from counter_app.core.postal import PostalIntake, normalise_postal, postal_to_dict
from counter_app.core.serialize import dossier_to_dict
from counter_app.core.text import clean, clean_optional

_TAX_CODE_RE = re.compile(r"^\d{10}(-\d{3})?$|^\d{12}$|^\d{13}$", re.ASCII)
_PHONE_RE = re.compile(r"^0\d{9,10}$", re.ASCII)
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
FUTURE_TOLERANCE = timedelta(minutes=5)
BACKDATE_FREE_PAST = timedelta(days=30)    # older receipt times need a written reason
BACKDATE_FREE_FUTURE = timedelta(days=1)
EARLIEST_RECEIPT = date(2000, 1, 1)
EARLIEST_BIRTH = date(1900, 1, 1)
MAX_SETS = 100
MAX_COUNT = 1_000   # copies of one document
MAX_PAGES = 10_000


@dataclass
class ApplicantInput:
    full_name: str = ""
    kind: ApplicantKind = ApplicantKind.CITIZEN
    id_number: str | None = None
    date_of_birth: date | None = None
    gender: Gender | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None


@dataclass
class IntakeRequest:
    procedure_code: str
    applicant: ApplicantInput
    officer: str
    documents: Sequence[DocumentLine] | None = None  # None: the procedure's required documents
    channel: Channel = Channel.COUNTER
    received_at: datetime | None = None
    return_method: ReturnMethod = ReturnMethod.COUNTER
    return_address: str | None = None
    return_agency: str | None = None  # counter return: the agency whose counter hands over (None: here)
    receiving_agency: str | None = None
    competent_agency: str | None = None
    cccd_qr: str | None = None  # scanned QR text; fills applicant fields that were left empty
    sets: int = 1
    backdate_reason: str | None = None  # why received_at lies far from now (late data entry)
    extra_fees: Sequence[FeeLine] = field(default_factory=tuple)
    postal: PostalIntake | None = None  # channel POST: the phiếu gửi and what came with it
    # The organisation operating the counter when the receiving officer is not the commune's own
    # staff (the postal unit, from the officer's account); kept in the intake event for the receipt.
    operator: str | None = None


def normalise_phone(phone: str | None) -> str | None:
    if not phone or not phone.strip():
        return None
    digits = re.sub(r"[\s.\-()]", "", clean(phone))
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if not _PHONE_RE.match(digits):
        raise ValidationError(f"Số điện thoại «{clean(phone)}» không hợp lệ (10 chữ số, bắt đầu bằng 0).",
                              "bad phone number")
    return digits


def merge_qr(applicant: ApplicantInput, qr_text: str | None) -> ApplicantInput:
    """Fill empty fields from a scanned CCCD QR; values typed by the officer win."""
    if not qr_text:
        return applicant
    card = cccd.parse_qr(qr_text)
    return ApplicantInput(
        full_name=applicant.full_name or card.full_name,
        kind=applicant.kind,
        id_number=applicant.id_number or card.id_number,
        date_of_birth=applicant.date_of_birth or card.date_of_birth,
        gender=applicant.gender or card.gender,
        phone=applicant.phone,
        email=applicant.email,
        address=applicant.address or card.address,
    )


def normalise_applicant(inp: ApplicantInput, ctx: CounterContext, today: date) -> Applicant:
    name = clean(inp.full_name)
    if not name:
        raise ValidationError("Chưa nhập họ tên người nộp hồ sơ (hoặc tên tổ chức).", "empty applicant name")
    if len(name) > 200:
        raise ValidationError("Họ tên quá dài (tối đa 200 ký tự).", "name too long")
    id_number = clean_optional(inp.id_number)
    if id_number:
        id_number = id_number.replace(" ", "")
        if inp.kind is ApplicantKind.CITIZEN:
            cccd.validate_personal_id(id_number, ctx.provinces, date_of_birth=inp.date_of_birth,
                                      gender=inp.gender, today=today)
        elif not _TAX_CODE_RE.match(id_number):
            raise ValidationError("Mã số thuế của tổ chức phải gồm 10 hoặc 13 chữ số.", "bad tax code")
    if inp.date_of_birth and inp.date_of_birth > today:
        raise ValidationError("Ngày sinh ở tương lai.", "date of birth in the future")
    if inp.date_of_birth and inp.date_of_birth < EARLIEST_BIRTH:
        raise ValidationError(f"Ngày sinh {inp.date_of_birth:%d/%m/%Y} trước năm 1900: hãy kiểm tra lại.",
                              "date of birth before 1900")
    email = clean_optional(inp.email)
    if email and not _EMAIL_RE.match(email):
        raise ValidationError(f"Địa chỉ thư điện tử «{email}» không hợp lệ.", "bad email")
    return Applicant(
        full_name=name, kind=inp.kind, id_number=id_number, date_of_birth=inp.date_of_birth,
        gender=inp.gender, phone=normalise_phone(inp.phone), email=email,
        address=clean_optional(inp.address),
    )


def normalise_documents(request_docs: Sequence[DocumentLine] | None, procedure: Procedure
                        ) -> tuple[DocumentLine, ...]:
    if request_docs is None:
        return default_documents(procedure)
    out = []
    for i, d in enumerate(request_docs, 1):
        name = clean(d.name)
        if not name:
            raise ValidationError(f"Giấy tờ thứ {i} chưa có tên.", "document without name")
        if not 1 <= d.count <= MAX_COUNT:
            raise ValidationError(f"Số lượng của «{name}» phải từ 1 đến {MAX_COUNT}.", f"count {d.count}")
        if d.pages is not None and not 1 <= d.pages <= MAX_PAGES:
            raise ValidationError(f"Số trang của «{name}» phải từ 1 đến {MAX_PAGES}.", f"pages {d.pages}")
        out.append(DocumentLine(name, d.kind, d.count, d.pages))
    return tuple(out)


def compute_fees(procedure: Procedure, documents: Sequence[DocumentLine], received: date,
                 ctx: CounterContext, extra: Sequence[FeeLine]) -> tuple[FeeLine, ...]:
    lines: list[FeeLine] = []
    if procedure.fee_rule is FeeRule.CERTIFIED_COPY_PAGES:
        schedule = schedule_on(ctx.copy_fee_schedules, received)
        for d in documents:
            if d.pages is None:
                raise ValidationError(
                    f"Cần nhập số trang của bản chính «{d.name}» để tính phí chứng thực.",
                    "pages required for certified-copy fee",
                )
            lines.append(FeeLine(f"Phí chứng thực: {d.name} ({d.count} bản × {d.pages} trang)",
                                 schedule.fee(d.pages, d.count)))
    elif procedure.fee_vnd > 0:
        lines.append(FeeLine(f"Phí, lệ phí: {procedure.name}", procedure.fee_vnd))
    for f in extra:
        if f.amount_vnd < 0:
            raise ValidationError("Khoản phí không được âm.", "negative fee")
        lines.append(FeeLine(clean(f.name), f.amount_vnd, f.code))
    return tuple(lines)


def resolve_return_agency(ctx: CounterContext, code: str | None, receiving: str) -> str:
    """The counter that hands the result over: this one by default, or any agency this counter
    knows (the competent agency's own counter, another counter of the province), so the province
    can route the result there."""
    wanted = clean(code or "")
    found = ctx.find_agency(wanted) if wanted else ctx.agency(receiving)
    if found is None:
        raise ValidationError(
            f"Nơi trả kết quả {wanted} không phải cơ quan quầy này biết; chọn quầy này, cơ quan giải quyết, "
            "một cơ quan đã khai báo (counter-app agency add) hoặc trả qua bưu chính.", "unknown return agency")
    return found.code


def resolve_received_at(value: datetime | None, now: datetime, backdate_reason: str | None = None) -> datetime:
    """The time of receipt: now, or a time the officer entered (late data entry), never in the
    future and not before 2000. More than 30 days back needs a written reason (recorded in the
    event); so would more than a day ahead, but a time ahead of now is refused outright."""
    if value is None:
        return now
    value = value.replace(tzinfo=TZ) if value.tzinfo is None else value.astimezone(TZ)
    if value > now + FUTURE_TOLERANCE:
        raise ValidationError("Thời điểm tiếp nhận ở tương lai.", "received_at in the future")
    if value.date() < EARLIEST_RECEIPT:
        raise ValidationError(f"Thời điểm tiếp nhận {value:%d/%m/%Y} trước năm 2000: hãy kiểm tra lại.",
                              "received_at before 2000")
    if (value < now - BACKDATE_FREE_PAST or value > now + BACKDATE_FREE_FUTURE) and not clean(backdate_reason):
        raise ValidationError(
            f"Thời điểm tiếp nhận {value:%d/%m/%Y %H:%M} cách hôm nay hơn 30 ngày: cần ghi lý do nhập lùi ngày "
            "(--backdate-reason).", "received_at more than 30 days back needs a backdate reason")
    return value.replace(microsecond=0)


class IntakeService:
    """Receives and refuses dossiers. Each call is one transaction: code, dossier, first event and
    outbox row commit together or not at all; printing happens only after it returns."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], ctx: CounterContext, clock: Clock) -> None:
        self._uow = uow_factory
        self._ctx = ctx
        self._clock = clock

    def _received_at(self, request: IntakeRequest) -> datetime:
        return resolve_received_at(request.received_at, self._clock.now(), request.backdate_reason)

    def _procedure(self, uow: UnitOfWork, code: str) -> Procedure:
        procedure = uow.catalogue.get(clean(code))
        if procedure is None:
            raise NotFound(f"Không có thủ tục mã {clean(code)} trong danh mục.", "unknown procedure")
        if not procedure.active:
            raise ValidationError(f"Thủ tục {procedure.code} đã ngừng áp dụng; không tiếp nhận mới.",
                                  "procedure closed")
        return procedure

    def _build(self, uow: UnitOfWork, request: IntakeRequest, *, refused: bool) -> Dossier:
        ctx = self._ctx
        received_at = self._received_at(request)
        procedure = self._procedure(uow, request.procedure_code)
        applicant = normalise_applicant(merge_qr(request.applicant, request.cccd_qr), ctx, received_at.date())
        documents = normalise_documents(request.documents, procedure)
        receiving = ctx.agency(request.receiving_agency)
        if receiving is None:
            raise ValidationError(f"Quầy này không tiếp nhận hồ sơ cho cơ quan {request.receiving_agency}.",
                                  "agency not served here")
        # Typed as on the citizen's papers: a former name or code finds the agency as it is now.
        wanted = clean(request.competent_agency or "")
        found = ctx.find_agency(wanted) if wanted else receiving
        if found is None:
            raise ValidationError(
                f"Cơ quan giải quyết {wanted} không thuộc các cơ quan quầy này phục vụ; "
                "quản trị viên thêm bằng: counter-app agency add (tên cũ: counter-app agency alias).",
                "competent agency not served here")
        competent = found.code
        if not 1 <= request.sets <= MAX_SETS:
            raise ValidationError(f"Số bộ hồ sơ phải từ 1 đến {MAX_SETS}.", f"sets {request.sets}")
        return_address = clean_optional(request.return_address)
        if request.return_method is ReturnMethod.POST:
            if not procedure.postal_allowed:
                raise ValidationError(f"Thủ tục {procedure.code} không trả kết quả qua bưu chính.",
                                      "postal return not allowed")
            return_address = return_address or applicant.address
            if not return_address:
                raise ValidationError("Trả kết quả qua bưu chính cần địa chỉ nhận.", "postal address missing")
            return_agency = None
        else:
            return_agency = resolve_return_agency(ctx, request.return_agency, receiving.code)
        due_at = None
        fees: tuple[FeeLine, ...] = ()
        if not refused:
            if procedure.working_days is None:
                raise ValidationError(
                    f"Thủ tục {procedure.code} chưa có thời hạn giải quyết trong danh mục; "
                    "quản trị viên cần cập nhật trước khi tiếp nhận.",
                    "procedure has no working_days",
                )
            due_at = ctx.calendar.for_agency(competent).due_at(received_at, procedure.working_days)
            fees = compute_fees(procedure, documents, received_at.date(), ctx, request.extra_fees)
        officer = clean(request.officer)
        if not officer:
            raise ValidationError("Chưa xác định cán bộ tiếp nhận.", "officer missing")
        postal = self._postal(request)
        return Dossier(
            code="",
            procedure_code=procedure.code,
            procedure_name=procedure.name,
            receiving_agency=receiving.code,
            competent_agency=competent,
            channel=request.channel,
            applicant=applicant,
            documents=documents,
            fees=fees,
            received_at=received_at,
            due_at=due_at,
            return_method=request.return_method,
            return_address=return_address,
            receiving_officer=officer,
            status=(Status.REFUSED if refused else Status.RECEIVED).value,
            desk=ctx.settings.desk,
            sets=request.sets,
            return_agency=return_agency,
            postal_item=postal.item if postal else None,
        )

    @staticmethod
    def _postal(request: IntakeRequest) -> PostalIntake | None:
        if request.channel is Channel.POST:
            if request.postal is None:
                raise ValidationError("Hồ sơ nộp qua bưu chính cần số hiệu bưu gửi (số phiếu gửi).",
                                      "postal item missing")
            return normalise_postal(request.postal)
        if request.postal is not None:
            raise ValidationError("Số hiệu bưu gửi chỉ ghi cho hồ sơ nộp qua bưu chính (kênh «post»).",
                                  "postal data on a non-postal channel")
        return None

    def receive(self, request: IntakeRequest) -> Dossier:
        return self._create(request, refused=False, reason=None)

    def refuse(self, request: IntakeRequest, reason: str) -> Dossier:
        """Refusal at intake (Mẫu 03): recorded with its own code for the slip and for statistics."""
        reason = clean(reason)
        if not reason:
            raise ValidationError("Từ chối tiếp nhận phải ghi rõ lý do.", "refusal reason missing")
        return self._create(request, refused=True, reason=reason)

    def _create(self, request: IntakeRequest, *, refused: bool, reason: str | None) -> Dossier:
        settings = self._ctx.settings
        with self._uow() as uow:
            draft = self._build(uow, request, refused=refused)
            code = uow.dossiers.allocate_code(settings.prefix, draft.received_at.date(), settings.device_slot)
            register = None
            if not refused:
                register = uow.dossiers.allocate_register(settings.desk, draft.received_at.year,
                                                          settings.register_book_size)
            dossier = replace(draft, code=code, register=register)
            action = Action.REFUSE if refused else Action.RECEIVE
            payload = {"dossier": dossier_to_dict(dossier, include_events=False)}
            # The procedure's field (lĩnh vực) as the catalogue says at intake: the national portal's
            # record needs it (TenLinhVuc, MaLinhVuc) and the province may not hold this catalogue.
            procedure = uow.catalogue.get(dossier.procedure_code)
            if procedure is not None:
                payload["dossier"]["procedure_field"] = procedure.field
                if isinstance(procedure.extra.get("field_code"), str):
                    payload["dossier"]["procedure_field_code"] = procedure.extra["field_code"]
            if reason:
                payload["reason"] = reason
            if request.channel is Channel.POST and request.postal is not None:
                payload["postal"] = postal_to_dict(normalise_postal(request.postal))
            if clean(request.operator):
                payload["operator"] = {"organisation": clean(request.operator), "officer": draft.receiving_officer}
            backdate = clean(request.backdate_reason)
            if backdate and request.received_at is not None:
                payload["backdate_reason"] = backdate
            event = DossierEvent(
                uuid=new_event_uuid(), kind=action.value, at=self._clock.now(), officer=draft.receiving_officer,
                status_before=None, status_after=dossier.status, payload=payload,
            )
            uow.dossiers.add(dossier, event)
            uow.commit()
        return replace(dossier, events=(event,))
