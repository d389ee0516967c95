"""Domain dataclasses. Frozen: services build new values instead of mutating shared ones."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


class OnlineLevel(str, enum.Enum):
    FULL = "full"  # dịch vụ công trực tuyến toàn trình
    PARTIAL = "partial"  # một phần
    PAPER = "paper"


class DocumentKind(str, enum.Enum):
    ORIGINAL = "original"  # bản chính
    CERTIFIED_COPY = "certified_copy"  # bản sao có chứng thực
    PHOTOCOPY = "photocopy"  # bản chụp

    @property
    def label_vi(self) -> str:
        return {"original": "Bản chính", "certified_copy": "Bản sao chứng thực", "photocopy": "Bản chụp"}[
            self.value
        ]


class Channel(str, enum.Enum):
    COUNTER = "counter"
    POST = "post"
    ONLINE = "online"


class ReturnMethod(str, enum.Enum):
    COUNTER = "counter"
    POST = "post"


class ApplicantKind(str, enum.Enum):
    CITIZEN = "citizen"
    ORGANISATION = "organisation"


class Gender(str, enum.Enum):
    MALE = "Nam"
    FEMALE = "Nữ"


class FeeRule(str, enum.Enum):
    """How a procedure's fee is computed; formulas live in ``core.fees`` with dated schedules."""

    FIXED = "fixed"
    CERTIFIED_COPY_PAGES = "certified_copy_pages"


@dataclass(frozen=True)
class RequiredDocument:
    """One document of a procedure's published list.

    Neither ``group`` nor ``case``: every citizen submits it. ``group``: one of the alternatives
    that share this label ("một trong các giấy tờ sau"), the citizen submits one of them. ``case``:
    only needed in the named case ("trường hợp …", the text after those words)."""

    name: str
    kind: DocumentKind = DocumentKind.ORIGINAL
    count: int = 1
    group: str | None = None
    case: str | None = None

    @property
    def required(self) -> bool:
        """Ticked as submitted by default: neither an alternative nor for a named case."""
        return not self.group and not self.case

    @property
    def condition_vi(self) -> str:
        """When the document is needed, for a checklist ("" for a required one)."""
        parts = []
        if self.case:
            parts.append(f"Trường hợp {self.case}")
        if self.group:
            parts.append(f"Một trong: {self.group}")
        return "; ".join(parts)


@dataclass(frozen=True)
class Procedure:
    code: str  # national code, e.g. 2.000815
    name: str
    field: str
    working_days: int | None  # None: the source did not settle it; intake refuses until corrected
    fee_vnd: int = 0
    online_level: OnlineLevel = OnlineLevel.PAPER
    location_independent: bool = False
    postal_allowed: bool = True
    documents: tuple[RequiredDocument, ...] = ()
    local_code: str | None = None
    max_extension_days: int = 0
    fee_rule: FeeRule = FeeRule.FIXED
    active: bool = True
    # Provenance and notes, kept so an office can see why a value is what it is.
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Agency:
    code: str  # QCVN 102 form (000.21.33.H08) or the post-2025 short form (H52.101)
    name: str
    province: str = ""
    own: bool = True  # False: an agency this counter receives dossiers for (regional counter)
    # This device's slot in the agency's code space, assigned by the provincial server (None: not
    # assigned; a standalone counter uses its desk slot, see core.intake.code_slot).
    slot: int | None = None


@dataclass(frozen=True)
class AgencyAlias:
    """A name (and code) an agency went by before a merger or renaming: ID cards and old papers
    still carry it, so the officer may type it; what is stored and printed is the current agency."""

    agency_code: str  # the agency as it is now
    former_name: str
    former_code: str | None = None
    until: date | None = None  # the last day the former name was in force (e.g. 30/06/2025)
    source: str = ""  # the decision or data set it comes from


@dataclass(frozen=True)
class Applicant:
    full_name: str
    kind: ApplicantKind = ApplicantKind.CITIZEN
    id_number: str | None = None  # 12-digit personal ID, or a tax code for organisations
    date_of_birth: date | None = None
    gender: Gender | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class DocumentLine:
    name: str
    kind: DocumentKind = DocumentKind.ORIGINAL
    count: int = 1
    pages: int | None = None


@dataclass(frozen=True)
class FeeLine:
    name: str
    amount_vnd: int
    code: str | None = None


@dataclass(frozen=True)
class DossierEvent:
    uuid: str
    kind: str
    at: datetime
    officer: str
    status_before: str | None
    status_after: str
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RegisterEntry:
    """Sổ theo dõi hồ sơ: Quyển số / Số thứ tự, per desk per year."""

    book: str
    serial: int


@dataclass(frozen=True)
class Dossier:
    code: str
    procedure_code: str
    procedure_name: str
    receiving_agency: str
    competent_agency: str
    channel: Channel
    applicant: Applicant
    documents: tuple[DocumentLine, ...]
    fees: tuple[FeeLine, ...]
    received_at: datetime
    due_at: datetime | None
    return_method: ReturnMethod
    return_address: str | None
    receiving_officer: str
    status: str
    desk: int
    sets: int = 1
    register: RegisterEntry | None = None
    reschedule_count: int = 0
    events: tuple[DossierEvent, ...] = ()
    # Where the result is handed over when returned at a counter (an agency code); None by post, and
    # for dossiers received before the choice existed (they are returned where they were received).
    return_agency: str | None = None
    postal_item: str | None = None  # S10 number of the phiếu gửi when brought in by post

    @property
    def return_at(self) -> str:
        """``post``, or the code of the agency whose counter hands the result over."""
        if self.return_method is ReturnMethod.POST:
            return "post"
        return self.return_agency or self.receiving_agency

    @property
    def total_fee_vnd(self) -> int:
        return sum(f.amount_vnd for f in self.fees)


@dataclass(frozen=True)
class DossierSummary:
    """A row in a list: what the search screen and ``list``/``search`` commands need."""

    code: str
    status: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    id_number: str | None
    phone: str | None
    received_at: datetime
    due_at: datetime | None
    row_id: int = 0  # storage order key, for paging through long lists without OFFSET
