"""PrintService: which forms a dossier can have, and the rule that a print follows a commit.

Rendering itself lives in ``counter_app.printing`` and is handed in as a function, so the core stays
free of ReportLab. A real print (not a preview) is rendered inside the write transaction that
records it: the "printed" event, its outbox row and the reprint numbering commit together, and the
PDF bytes are handed out only after that commit.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from counter_app.core.calendar import TZ
from counter_app.core.context import CounterContext, new_event_uuid
from counter_app.core.errors import ValidationError
from counter_app.core.lifecycle import PRINTED, Action, Status
from counter_app.core.model import Dossier, DossierEvent, Procedure
from counter_app.core.ports import Clock, UnitOfWork
from counter_app.core.settings import CounterSettings
from counter_app.core.text import clean


class FormKind(str, enum.Enum):
    RECEIPT = "receipt"  # Mẫu 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả
    SUPPLEMENT = "supplement"  # Mẫu 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ
    REFUSAL = "refusal"  # Mẫu 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ
    APOLOGY = "apology"  # Mẫu 04 (2018: Phiếu xin lỗi…; 2025: Văn bản xin lỗi và đề nghị gia hạn…)
    STOP = "stop"  # 2025 Mẫu 05 Thông báo dừng giải quyết hồ sơ
    CONTROL = "control"  # Phiếu kiểm soát quá trình giải quyết hồ sơ (2018: 05, 2025: 06)
    STAMPS = "stamps"  # lời chứng "CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH" for each copy
    CERT_RECEIPT = "cert_receipt"  # biên nhận chứng thực: documents, numbers, fees, due time
    TRANSFER = "transfer"  # Giấy bàn giao hồ sơ: the paper file of a dossier decided by another agency

    @property
    def title_vi(self) -> str:
        """The form's Vietnamese name, as the officer sees it (window titles, history, errors)."""
        return form_title_vi(self)


# The names of the forms in the current set (TT 03/2025/TT-VPCP); the stored values stay codes.
FORM_TITLES_VI: dict[FormKind, str] = {
    FormKind.RECEIPT: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    FormKind.SUPPLEMENT: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    FormKind.REFUSAL: "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    FormKind.APOLOGY: "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
    FormKind.STOP: "Thông báo dừng giải quyết hồ sơ",
    FormKind.CONTROL: "Phiếu kiểm soát quá trình giải quyết hồ sơ",
    FormKind.STAMPS: "Lời chứng chứng thực bản sao",
    FormKind.CERT_RECEIPT: "Biên nhận yêu cầu chứng thực",
    FormKind.TRANSFER: "Giấy bàn giao hồ sơ",
}
# TT 01/2018/TT-VPCP names the apology form differently.
_FORM_TITLES_2018 = {FormKind.APOLOGY: "Phiếu xin lỗi và hẹn lại ngày trả kết quả"}


def form_title_vi(form: FormKind | str, form_set: str = "2025") -> str:
    """The Vietnamese name of ``form`` (a FormKind or its stored value) in ``form_set``; an unknown
    value (a form of a newer version) is named as a form with its code."""
    try:
        form = FormKind(form)
    except ValueError:
        return f"biểu mẫu «{form}»"
    return (_FORM_TITLES_2018 if form_set == "2018" else {}).get(form) or FORM_TITLES_VI[form]


CERTIFICATION_FORMS = (FormKind.STAMPS, FormKind.CERT_RECEIPT)
CERTIFICATION_PROCEDURES = ("2.000815", "2.000884")


# Letters carry "Số: …" from the office's outgoing-document sequence (Decree 30/2020: numbered
# from 01 each year); each answers one event of the history, and its reprints keep its number.
LETTER_EVENTS = {FormKind.REFUSAL: Action.REFUSE, FormKind.APOLOGY: Action.RESCHEDULE, FormKind.STOP: Action.STOP}


def outgoing_counter(year: int) -> str:
    """The named device counter of the outgoing documents of ``year``."""
    return f"outgoing_doc_{year}"


@dataclass(frozen=True)
class OutgoingNumber:
    number: int
    year: int
    for_event: str  # uuid of the event the letter answers
    reused: bool  # a reprint: the number the first print took


class Mark(str, enum.Enum):
    ORIGINAL = "original"
    REPRINT = "reprint"  # "BẢN IN LẠI"
    PREVIEW = "preview"  # "BẢN XEM TRƯỚC": not recorded


@dataclass(frozen=True)
class PrintJob:
    form: FormKind
    dossier: Dossier
    procedure: Procedure | None
    settings: CounterSettings
    mark: Mark
    print_number: int  # 1 for the first print of this form, 2 for the first reprint, …
    printed_at: datetime
    officer: str
    agency_names: dict[str, str] = field(default_factory=dict)  # code -> name, for the agencies served
    certification: object | None = None  # core.certification.Certification, for the certification forms
    outgoing: OutgoingNumber | None = None  # "Số: …" of a letter (LETTER_EVENTS)

    def agency_name(self, code: str) -> str:
        return self.agency_names.get(code, code)

    def last_event(self, kind: Action | str) -> DossierEvent | None:
        kind = kind.value if isinstance(kind, Action) else kind
        return next((e for e in reversed(self.dossier.events) if e.kind == kind), None)


def check_printable(form: FormKind, dossier: Dossier) -> None:
    """Refuse a form the dossier's history does not support (say which and why, in Vietnamese)."""
    status = Status(dossier.status)
    kinds = {e.kind for e in dossier.events}
    problem = None
    if form in (FormKind.RECEIPT, FormKind.CONTROL) and status is Status.REFUSED:
        problem = f"hồ sơ đã bị từ chối tiếp nhận; hãy in {FormKind.REFUSAL.title_vi}"
    elif form is FormKind.REFUSAL and status is not Status.REFUSED:
        problem = "hồ sơ không bị từ chối tiếp nhận"
    elif form is FormKind.SUPPLEMENT and Action.REQUEST_SUPPLEMENT.value not in kinds:
        problem = "hồ sơ chưa có yêu cầu bổ sung"
    elif form is FormKind.APOLOGY and Action.RESCHEDULE.value not in kinds:
        problem = "hồ sơ chưa được xin lỗi, hẹn lại ngày trả"
    elif form is FormKind.STOP and status is not Status.STOPPED:
        problem = "hồ sơ không ở trạng thái dừng xử lý"
    elif form is FormKind.TRANSFER and dossier.competent_agency == dossier.receiving_agency:
        problem = "hồ sơ do chính cơ quan tiếp nhận giải quyết, không có hồ sơ giấy phải bàn giao"
    elif form is FormKind.TRANSFER and status is Status.REFUSED:
        problem = "hồ sơ đã bị từ chối tiếp nhận"
    elif form in CERTIFICATION_FORMS and dossier.procedure_code not in CERTIFICATION_PROCEDURES:
        problem = "hồ sơ không phải yêu cầu chứng thực"
    if problem:
        raise ValidationError(f"Không in được {form.title_vi} cho hồ sơ {dossier.code}: {problem}.",
                              f"form {form.value} not applicable in status {status.value}")


Renderer = Callable[[PrintJob], bytes]


class PrintService:
    def __init__(self, uow_factory: Callable[[], UnitOfWork], read_uow_factory: Callable[[], UnitOfWork],
                 ctx: CounterContext, clock: Clock) -> None:
        self._uow = uow_factory
        self._read_uow = read_uow_factory
        self._ctx = ctx
        self._clock = clock

    def _job(self, uow: UnitOfWork, code: str, form: FormKind, officer: str, preview: bool) -> PrintJob:
        dossier = uow.dossiers.get(clean(code).upper())
        check_printable(form, dossier)
        certification = uow.certifications.get(dossier.code) if form in CERTIFICATION_FORMS else None
        if form is FormKind.STAMPS and not certification.numbered:
            raise ValidationError(f"Hồ sơ {dossier.code} chưa có số chứng thực (máy giữ sổ chưa cấp số); "
                                  "chưa in được lời chứng.", "certification not numbered")
        if form is FormKind.STAMPS and not certification.signed and not preview:
            # A statement carries the signer's name and the day of certification: until signed,
            # only a preview (watermarked) may come out, never a sheet that could pass as certified.
            raise ValidationError(f"Yêu cầu {dossier.code} chưa được người có thẩm quyền ký chứng thực; chỉ in được "
                                  "bản xem trước. Ghi nhận việc ký rồi in lời chứng.", "certification not signed")
        prior = sum(1 for e in dossier.events if e.kind == PRINTED and e.payload.get("form") == form.value)
        mark = Mark.PREVIEW if preview else (Mark.REPRINT if prior else Mark.ORIGINAL)
        return PrintJob(form=form, dossier=dossier, procedure=uow.catalogue.get(dossier.procedure_code),
                        settings=self._ctx.settings, mark=mark, print_number=prior + 1,
                        printed_at=self._clock.now(), officer=clean(officer),
                        agency_names={a.code: a.name for a in (self._ctx.settings.agency, *self._ctx.served_agencies)},
                        certification=certification, outgoing=self._outgoing(uow, form, dossier))

    @staticmethod
    def _outgoing(uow: UnitOfWork, form: FormKind, dossier: Dossier) -> OutgoingNumber | None:
        """The letter's number: the one its first print took, else the next of the year (taken
        for good only when the print is recorded, so a print that never came out leaves no gap)."""
        action = LETTER_EVENTS.get(form)
        event = next((e for e in reversed(dossier.events) if action and e.kind == action.value), None)
        if event is None:
            return None
        year = event.at.astimezone(TZ).year
        for e in dossier.events:
            p = e.payload
            if e.kind == PRINTED and p.get("form") == form.value and p.get("for_event") == event.uuid \
                    and p.get("outgoing_number"):
                return OutgoingNumber(int(p["outgoing_number"]), int(p.get("outgoing_year") or year), event.uuid, True)
        return OutgoingNumber(uow.dossiers.counter_value(outgoing_counter(year)) + 1, year, event.uuid, False)

    def prepare(self, code: str, form: FormKind, officer: str, render: Renderer, *,
                preview: bool = False) -> tuple[bytes, PrintJob]:
        """Render ``form`` for a committed dossier, numbered as the next print; nothing is recorded.
        A preview is marked as such; a real print is recorded with ``record`` once the printer
        (or the file) has accepted it, so a job that never came out is not counted."""
        if not clean(officer):
            raise ValidationError("Chưa xác định cán bộ in biểu mẫu.", "officer missing")
        with self._read_uow() as uow:
            job = self._job(uow, code, form, officer, preview=preview)
        return render(job), job

    def record(self, job: PrintJob) -> None:
        """The print came out: an event (and its outbox row) in the dossier's history."""
        if job.mark is Mark.PREVIEW:
            raise ValidationError("Bản xem trước không được ghi là đã in.", "preview recorded")
        with self._uow() as uow:
            d = uow.dossiers.get(job.dossier.code)
            payload = {"form": job.form.value, "print_number": job.print_number,
                       "form_set": job.settings.forms.form_set, "reprint": job.mark is Mark.REPRINT}
            out = job.outgoing
            if out is not None:
                if not out.reused:
                    name = outgoing_counter(out.year)
                    if uow.dossiers.counter_value(name) >= out.number:
                        raise ValidationError(
                            f"Số văn bản {out.number:02d} vừa được cấp cho văn bản khác; hãy in lại để lấy số mới.",
                            "outgoing number taken between render and record")
                    uow.dossiers.set_counter(name, out.number)
                payload.update(outgoing_number=out.number, outgoing_year=out.year, for_event=out.for_event)
            event = DossierEvent(
                uuid=new_event_uuid(), kind=PRINTED, at=self._clock.now(), officer=job.officer,
                status_before=d.status, status_after=d.status, payload=payload,
            )
            uow.dossiers.record(d.code, event, status=d.status, due_at=d.due_at,
                                reschedule_count=d.reschedule_count)
            uow.commit()

    def produce(self, code: str, form: FormKind, officer: str, render: Renderer, *,
                preview: bool = False, deliver: Callable[[bytes], None] | None = None) -> tuple[bytes, PrintJob]:
        """``prepare``, hand the bytes to ``deliver`` (the printer, a file), then ``record``: a
        delivery that raises records nothing."""
        pdf, job = self.prepare(code, form, officer, render, preview=preview)
        if not preview:
            if deliver is not None:
                deliver(pdf)
            self.record(job)
        return pdf, job


@dataclass(frozen=True)
class RegisterLine:
    """One row of the tracking register (Sổ theo dõi hồ sơ) with the dates of each hand-over."""

    serial: int | None
    book: str | None
    code: str
    procedure_name: str
    sets: int
    applicant_name: str
    address: str | None
    phone: str | None
    competent_agency: str
    status: str
    received_at: datetime
    due_at: datetime | None
    forwarded_at: datetime | None
    result_at: datetime | None
    returned_at: datetime | None
    receiver_name: str | None
    channel: str = "counter"
    postal_item: str | None = None
    receiving_agency: str | None = None
    return_agency: str | None = None
    return_method: str | None = None
    paper_at: datetime | None = None  # the paper file handed to the competent agency
    paper_batch: str | None = None  # on that hand-over list


def day_window(first: date, last: date) -> tuple[datetime, datetime]:
    if last < first:
        raise ValidationError("Ngày kết thúc phải không trước ngày bắt đầu.", "empty date range")
    return (datetime.combine(first, datetime.min.time(), TZ),
            datetime.combine(last + timedelta(days=1), datetime.min.time(), TZ))


CHANNELS = ("counter", "post", "online")
CHANNEL_NAMES = {"counter": "trực tiếp tại quầy", "post": "qua bưu chính công ích", "online": "trực tuyến"}


def register_subtitle(receiving: str | None, competent: str | None, channel: str | None) -> str | None:
    """What a filtered register holds, printed under its title."""
    parts = [f"tiếp nhận: {receiving}" if receiving else "", f"cơ quan giải quyết: {competent}" if competent else "",
             f"kênh: {CHANNEL_NAMES[channel]}" if channel else ""]
    text = "; ".join(p for p in parts if p)
    return f"({text})" if text else None


class TrackingRegister:
    def __init__(self, read_uow_factory: Callable[[], UnitOfWork], ctx: CounterContext) -> None:
        self._uow = read_uow_factory
        self._ctx = ctx

    @property
    def settings(self) -> CounterSettings:
        return self._ctx.settings

    def _agency_code(self, text: str | None) -> str | None:
        """An agency typed as its code, or its current or former name (printed lists name it)."""
        if not clean(text or ""):
            return None
        found = self._ctx.find_agency(text)
        return found.code if found is not None else clean(text).upper()

    def lines(self, first: date, last: date, *, receiving: str | None = None, competent: str | None = None,
              channel: str | None = None, cross: bool = False) -> list[RegisterLine]:
        """The register's rows, optionally for one receiving or competent agency, one channel, or
        (``cross``: the Sổ theo dõi hồ sơ phi địa giới) only the dossiers received here for
        another agency. Agencies are named (the store keeps their codes)."""
        start, end = day_window(first, last)
        receiving, competent = (self._agency_code(x) for x in (receiving, competent))
        if channel and channel not in CHANNELS:
            raise ValidationError(f"Kênh «{channel}» không có; dùng một trong: {', '.join(CHANNELS)}.", "bad channel")
        with self._uow() as uow:
            lines = uow.dossiers.register_lines(start, end, receiving=receiving, competent=competent,
                                                channel=channel or None, cross=cross)
        names = {a.code: a.name for a in (self._ctx.settings.agency, *self._ctx.served_agencies)}

        def name(code: str | None) -> str | None:
            return names.get(code, code) if code else code

        return [replace(line, competent_agency=name(line.competent_agency), receiving_agency=name(line.receiving_agency),
                        return_agency=name(line.return_agency)) for line in lines]
