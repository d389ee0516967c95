"""Certification at the bulk desk: certified copies from originals (2.000815) and signature
certification (2.000884). Rules, values and the register-holder port; no I/O.

Register numbers (Decree 23/2015 Art. 13 and 20, Circular 01/2020 Art. 4; domain.md §12.2): one
register per agency, per year, per type (``SCT/BS``, ``SCT/CK,ĐC``); numbers run from 01 with no
gaps to the end of the year, books continue the same sequence; one number per original document
(all copies of it made together share it), never one per visit; a mistaken certification is
voided, never deleted.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime

from counter_app.core.calendar import WorkingCalendar
from counter_app.core.errors import CounterError, ValidationError
from counter_app.core.fees import CertifiedCopyFeeSchedule, schedule_on
from counter_app.core.text import clean

# "kéo dài thêm không quá 02 ngày làm việc" (Decree 23 Art. 21); longer needs a written agreement,
# which this desk flow does not record, so the desk allows at most this many.
MAX_EXTENSION_DAYS = 2
MAX_PAGES = 10_000

# What citizens most often bring to the bulk desk; the office edits its own list (cert_documents).
COMMON_DOCUMENTS = (
    "Giấy khai sinh", "Căn cước công dân", "Thẻ căn cước", "Giấy chứng nhận kết hôn", "Giấy xác nhận tình trạng hôn nhân",
    "Sổ hộ khẩu", "Giấy xác nhận thông tin về cư trú", "Giấy chứng tử", "Hộ chiếu", "Giấy phép lái xe",
    "Bằng tốt nghiệp trung học phổ thông", "Bằng tốt nghiệp đại học", "Học bạ", "Bảng điểm", "Chứng chỉ",
    "Giấy chứng nhận quyền sử dụng đất", "Giấy chứng nhận đăng ký hộ kinh doanh", "Giấy chứng nhận đăng ký xe",
    "Quyết định", "Hợp đồng lao động", "Sổ bảo hiểm xã hội", "Thẻ bảo hiểm y tế",
)
MAX_COPIES = 1_000


class CertKind(str, enum.Enum):
    COPY = "copy"
    SIGNATURE = "signature"

    @property
    def procedure_code(self) -> str:
        return {"copy": "2.000815", "signature": "2.000884"}[self.value]

    @property
    def register_type(self) -> str:
        return {"copy": "SCT/BS", "signature": "SCT/CK,ĐC"}[self.value]

    @property
    def register_title(self) -> str:
        return {"copy": "SỔ CHỨNG THỰC BẢN SAO TỪ BẢN CHÍNH",
                "signature": "SỔ CHỨNG THỰC CHỮ KÝ, ĐIỂM CHỈ"}[self.value]

    @property
    def label_vi(self) -> str:
        return {"copy": "Chứng thực bản sao từ bản chính", "signature": "Chứng thực chữ ký"}[self.value]


def kind_of_register(register_type: str) -> CertKind:
    for kind in CertKind:
        if kind.register_type == register_type:
            return kind
    raise ValidationError(f"Không có loại sổ chứng thực {register_type}.", "unknown register type")


@dataclass(frozen=True)
class SignatureFeeSchedule:
    effective_from: date
    per_case: int = 10_000
    source: str = ""


DEFAULT_SIGNATURE_SCHEDULE = SignatureFeeSchedule(date(2017, 1, 1), 10_000, "Thông tư 226/2016/TT-BTC")


@dataclass(frozen=True)
class CertItemInput:
    """One row of the desk's grid: an original document (or, for signatures, one paper signed)."""

    document: str
    pages: int = 1
    copies: int = 1


@dataclass(frozen=True)
class RegisterNumber:
    number: int
    book: str  # "01/2026"


@dataclass(frozen=True)
class CertItem:
    position: int
    document: str
    pages: int
    copies: int
    fee: int
    number: int | None = None  # None while the register holder could not be reached
    book: str | None = None
    void: bool = False
    void_reason: str | None = None

    def reference(self, register_type: str) -> str:
        if self.number is None:
            return "(chưa có số)"
        return f"Số chứng thực: {self.number:02d}  Quyển số: {self.book}-{register_type}"


@dataclass(frozen=True)
class Certification:
    """A certification request (one citizen, one visit) and its register entries."""

    code: str
    kind: CertKind
    request_id: str
    applicant_name: str
    applicant_id: str | None
    received_at: datetime
    due_at: datetime
    officer: str
    desk: int
    agency: str
    items: tuple[CertItem, ...]
    exemption_reason: str | None = None
    extension_days: int = 0
    extension_reason: str | None = None
    status: str = "received"
    signer_name: str | None = None  # None: awaiting the signer (stamps print only as a preview)
    signer_title: str | None = None
    signed_at: datetime | None = None

    @property
    def register_type(self) -> str:
        return self.kind.register_type

    @property
    def signed(self) -> bool:
        return self.signed_at is not None

    @property
    def fee_total(self) -> int:
        return sum(i.fee for i in self.items if not i.void)

    @property
    def numbered(self) -> bool:
        return all(i.number is not None for i in self.items)


@dataclass(frozen=True)
class EntryDraft:
    """What the register holder records for one number."""

    position: int
    document: str
    pages: int
    copies: int
    fee: int
    applicant_name: str
    applicant_id: str | None
    officer: str
    desk: int
    day: date


@dataclass(frozen=True)
class NumberingRequest:
    """What one visit asks of the register: one number per original document, in order.
    ``request_id`` makes asking twice safe: the register answers with the same numbers."""

    request_id: str
    register_type: str
    year: int
    entries: tuple[EntryDraft, ...]


class HolderUnavailable(CounterError):
    """The register holder could not be reached; nothing was numbered."""


class HolderExpired(ValidationError):
    """The holder voided a request's reserved numbers because the desk did not confirm in time."""


@dataclass(frozen=True)
class RegisterEntry:
    """One line of the certification register book."""

    number: int
    book: str
    register_type: str
    day: date
    applicant_name: str
    applicant_id: str | None
    document: str
    pages: int
    copies: int
    fee: int
    officer: str
    desk: int
    dossier_code: str | None
    void: bool
    void_reason: str | None = None
    state: str = "issued"  # issued | reserved | void
    signer_name: str | None = None  # column (5); None on lines signed before signers were recorded
    signer_title: str | None = None
    signed_on: date | None = None  # column (2): the day of certification; None: not signed yet


@dataclass(frozen=True)
class ClosingReport:
    """Daily closing for one officer and desk, checked against what the register says."""

    day: date
    officer: str | None
    desk: int | None
    requests: int
    certifications: int
    copies: int
    pages: int
    fees: int
    voids: int
    register_certifications: int
    register_copies: int
    register_fees: int
    awaiting_numbers: int
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def balanced(self) -> bool:
        return (self.certifications, self.copies, self.fees) == (
            self.register_certifications, self.register_copies, self.register_fees) and not self.awaiting_numbers


def validate_items(items, kind: CertKind) -> tuple[CertItemInput, ...]:
    if not items:
        raise ValidationError("Cần ít nhất một giấy tờ để chứng thực.", "no items")
    out = []
    for i, item in enumerate(items, 1):
        name = clean(item.document)
        if not name:
            raise ValidationError(f"Dòng {i}: thiếu tên giấy tờ.", "document name missing")
        if not 1 <= item.pages <= MAX_PAGES:
            raise ValidationError(f"Dòng {i} ({name}): số trang phải từ 1 đến {MAX_PAGES}.", f"pages={item.pages}")
        if not 1 <= item.copies <= MAX_COPIES:
            raise ValidationError(f"Dòng {i} ({name}): số bản phải từ 1 đến {MAX_COPIES}.", f"copies={item.copies}")
        out.append(CertItemInput(name, item.pages, item.copies))
    return tuple(out)


def item_fee(kind: CertKind, item: CertItemInput, day: date, copy_schedules, signature_schedules) -> int:
    """Copies: the dated per-page schedule, pages counted on the original, capped per copy.
    Signatures: a fixed fee per case (one signed paper is one case)."""
    if kind is CertKind.COPY:
        schedule: CertifiedCopyFeeSchedule = schedule_on(copy_schedules, day)
        return schedule.fee(item.pages, item.copies)
    in_force = [s for s in signature_schedules if s.effective_from <= day]
    if not in_force:
        raise ValidationError(f"Không có mức lệ phí chứng thực chữ ký có hiệu lực ngày {day:%d/%m/%Y}.",
                              "no signature fee in force")
    return max(in_force, key=lambda s: s.effective_from).per_case


def certification_due(calendar: WorkingCalendar, received_at: datetime, extension_days: int = 0) -> datetime:
    """The same working day, or the next one after the cut-off; plus up to 2 working days."""
    if not 0 <= extension_days <= MAX_EXTENSION_DAYS:
        raise ValidationError(f"Chỉ được gia hạn tối đa {MAX_EXTENSION_DAYS} ngày làm việc.",
                              f"extension_days={extension_days}")
    due = calendar.due_at(received_at, 0)
    if extension_days:
        day = calendar.nth_working_day_after(due.date(), extension_days)
        due = datetime.combine(day, calendar.closing_time(day), due.tzinfo)
    return due


def book_label(number: int, year: int, book_size: int) -> str:
    """Books continue one sequence: with 500-entry books, number 501 opens book 02."""
    book = 1 if book_size <= 0 else (number - 1) // book_size + 1
    return f"{book:02d}/{year}"
