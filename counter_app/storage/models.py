"""ORM rows. Only this package sees them; repositories hand out core dataclasses."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON, Boolean, Date, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from counter_app.storage.coltypes import LocalDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Tables SQLite and FTS5 manage themselves (created by hand in the migrations), and Alembic's own.
_UNMANAGED_PREFIXES = ("dossier_fts", "sqlite_", "alembic_version")


def include_name(name, type_, parent_names) -> bool:
    """Alembic filter: compare only the tables these models declare."""
    return not (type_ == "table" and name and name.startswith(_UNMANAGED_PREFIXES))


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class SettingRow(Base):
    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class AgencyRow(Base):
    __tablename__ = "agency"
    code: Mapped[str] = mapped_column(String(35), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    province: Mapped[str] = mapped_column(String(100), default="")
    own: Mapped[bool] = mapped_column(Boolean, default=False)
    # This device's slot in the agency's code space, from the provincial server (NULL: not assigned).
    code_slot: Mapped[int | None] = mapped_column(Integer)


class AgencyAliasRow(Base):
    """A former name (and code) of an agency, with the last day it was in force (core.units)."""
    __tablename__ = "agency_alias"
    __table_args__ = (UniqueConstraint("agency_code", "name_key", name="uq_agency_alias_name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_code: Mapped[str] = mapped_column(String(35), index=True)
    former_name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300))
    former_code: Mapped[str | None] = mapped_column(String(35))
    until: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text, default="")


class OfficerRow(Base):
    __tablename__ = "officer"
    username: Mapped[str] = mapped_column(String(40), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10), default="officer")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    organisation: Mapped[str | None] = mapped_column(String(200))  # None: the commune's own staff


class ProcedureRow(Base):
    __tablename__ = "procedure"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    local_code: Mapped[str | None] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(Text)
    name_key: Mapped[str] = mapped_column(Text, index=True)
    field: Mapped[str] = mapped_column(Text, default="")
    working_days: Mapped[int | None] = mapped_column(Integer)
    max_extension_days: Mapped[int] = mapped_column(Integer, default=0)
    fee_vnd: Mapped[int] = mapped_column(Integer, default=0)
    fee_rule: Mapped[str] = mapped_column(String(40), default="fixed")
    online_level: Mapped[str] = mapped_column(String(10), default="paper")
    location_independent: Mapped[bool] = mapped_column(Boolean, default=False)
    postal_allowed: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    documents: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class LocationFreeRow(Base):
    """One entry of the province's location-independent list (core.location_free)."""

    __tablename__ = "location_free"
    __table_args__ = (UniqueConstraint("procedure_code", "decision"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure_code: Mapped[str] = mapped_column(String(40), index=True)
    decision: Mapped[str] = mapped_column(String(100))
    decision_date: Mapped[date] = mapped_column(Date)
    effective_from: Mapped[date] = mapped_column(Date)
    removed_by: Mapped[str | None] = mapped_column(String(100))
    removed_on: Mapped[date | None] = mapped_column(Date)
    places: Mapped[list[str]] = mapped_column(JSON, default=list)
    channels: Mapped[list[str]] = mapped_column(JSON, default=list)


class CalendarOverrideRow(Base):
    __tablename__ = "calendar_override"
    __table_args__ = (UniqueConstraint("day", "agency_code", name="day_agency"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    agency_code: Mapped[str] = mapped_column(String(35), default="")  # "" = every agency
    note: Mapped[str] = mapped_column(Text, default="")


class CalendarSwapRow(Base):
    """The province's published swaps (core.swaps), laid over the bundled file by ``swap_id``."""

    __tablename__ = "calendar_swap"
    swap_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    day_off: Mapped[date | None] = mapped_column(Date)
    working_day: Mapped[date | None] = mapped_column(Date)
    name: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)


class FeeScheduleRow(Base):
    __tablename__ = "fee_schedule"
    __table_args__ = (UniqueConstraint("rule", "effective_from", name="rule_effective"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule: Mapped[str] = mapped_column(String(40))
    effective_from: Mapped[date] = mapped_column(Date)
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(Text, default="")


class CodeSequenceRow(Base):
    """Last dossier-code number issued per (prefix, day, device slot). Only ever moves forward."""

    __tablename__ = "code_sequence"
    prefix: Mapped[str] = mapped_column(String(35), primary_key=True)
    day: Mapped[str] = mapped_column(String(6), primary_key=True)
    slot: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class RegisterSequenceRow(Base):
    """Sổ theo dõi hồ sơ: last Số thứ tự per desk per year."""

    __tablename__ = "register_sequence"
    desk: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class CounterRow(Base):
    """Named monotonic counters of this device (e.g. the outbox event sequence)."""

    __tablename__ = "device_counter"
    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class DossierRow(Base):
    __tablename__ = "dossier"
    __table_args__ = (
        Index("ix_dossier_status_received", "status", "received_at"),
        Index("ix_dossier_status_due", "status", "due_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    procedure_code: Mapped[str] = mapped_column(ForeignKey("procedure.code"), index=True)
    procedure_name: Mapped[str] = mapped_column(Text)
    receiving_agency: Mapped[str] = mapped_column(String(35))
    competent_agency: Mapped[str] = mapped_column(String(35))
    channel: Mapped[str] = mapped_column(String(10))
    applicant_kind: Mapped[str] = mapped_column(String(15))
    applicant_name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))
    id_number: Mapped[str | None] = mapped_column(String(20), index=True)
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(5))
    phone: Mapped[str | None] = mapped_column(String(15), index=True)
    email: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(LocalDateTime, index=True)
    due_at: Mapped[datetime | None] = mapped_column(LocalDateTime)
    return_method: Mapped[str] = mapped_column(String(10))
    return_address: Mapped[str | None] = mapped_column(Text)
    receiving_officer: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(30))
    desk: Mapped[int] = mapped_column(Integer)
    sets: Mapped[int] = mapped_column(Integer, default=1)
    register_book: Mapped[str | None] = mapped_column(String(20))
    register_serial: Mapped[int | None] = mapped_column(Integer)
    reschedule_count: Mapped[int] = mapped_column(Integer, default=0)
    return_agency: Mapped[str | None] = mapped_column(String(35))  # NULL: by post, or received before 0009
    postal_item: Mapped[str | None] = mapped_column(String(13), index=True)

    documents: Mapped[list[DossierDocumentRow]] = relationship(
        order_by="DossierDocumentRow.position", cascade="all, delete-orphan")
    fees: Mapped[list[DossierFeeRow]] = relationship(
        order_by="DossierFeeRow.position", cascade="all, delete-orphan")
    events: Mapped[list[DossierEventRow]] = relationship(order_by="DossierEventRow.id")


class DossierDocumentRow(Base):
    __tablename__ = "dossier_document"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    count: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int | None] = mapped_column(Integer)


class DossierFeeRow(Base):
    __tablename__ = "dossier_fee"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    amount_vnd: Mapped[int] = mapped_column(Integer)
    code: Mapped[str | None] = mapped_column(String(40))


class DossierEventRow(Base):
    """Append-only history. Rows are never updated or deleted (no cascade from the dossier)."""

    __tablename__ = "dossier_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    at: Mapped[datetime] = mapped_column(LocalDateTime)
    officer: Mapped[str] = mapped_column(String(100))
    status_before: Mapped[str | None] = mapped_column(String(30))
    status_after: Mapped[str] = mapped_column(String(30))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # SHA-256 of the dossier's row state (with documents and fees) right after this event: a direct
    # edit of the dossier row no longer matches its latest event (storage/chain.py).
    state_hash: Mapped[str | None] = mapped_column(String(64))
    # Only this device's own events have one (pulled events never do), so a local event whose outbox
    # row was deleted is still recognised as local. NULL too for events older than migration 0006.
    chain_hash: Mapped[str | None] = mapped_column(String(64))


class OutboxRow(Base):
    """One row per event to deliver to the provincial server, in device order (``device_seq``).

    States: pending → sending (leased) → delivered; or rejected / conflict, set aside for staff
    with the server's reason until someone retries them. Rows are never deleted."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_dossier_seq", "dossier_code", "device_seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_uuid: Mapped[str] = mapped_column(ForeignKey("dossier_event.uuid"), unique=True)
    device_seq: Mapped[int] = mapped_column(Integer, unique=True)
    dossier_code: Mapped[str] = mapped_column(String(60), index=True)
    state: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(LocalDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    lease_until: Mapped[datetime | None] = mapped_column(LocalDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(LocalDateTime)
    result: Mapped[str | None] = mapped_column(String(12))
    reason: Mapped[str | None] = mapped_column(Text)  # the server's words, shown to staff
    last_error: Mapped[str | None] = mapped_column(Text)  # the last transport failure
    # The chain hash of the event with device_seq - 1 (kept beside device_seq, the chain's order).
    prev_hash: Mapped[str | None] = mapped_column(String(64))


class SyncStateRow(Base):
    """Sync bookkeeping (pull cursor, last success, server URL, device id). Never the token."""

    __tablename__ = "sync_state"
    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class SyncDeferredRow(Base):
    """A pulled change not yet applied because its dossier still has undelivered local events."""

    __tablename__ = "sync_deferred"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    change_seq: Mapped[int] = mapped_column(Integer, unique=True)
    dossier_code: Mapped[str] = mapped_column(String(60), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class CertRegisterRow(Base):
    """One certification register (sổ chứng thực) per agency, year and type, on the machine that
    holds it. ``last`` only moves forward; a closed register accepts no new number."""

    __tablename__ = "cert_register"
    agency: Mapped[str] = mapped_column(String(35), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    register_type: Mapped[str] = mapped_column(String(20), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)
    closed_at: Mapped[datetime | None] = mapped_column(LocalDateTime)
    closed_count: Mapped[int | None] = mapped_column(Integer)
    # Closed before 31 December only with --force: why, kept with the register.
    close_reason: Mapped[str | None] = mapped_column(Text)
    closed_signer: Mapped[str | None] = mapped_column(String(300))  # "name|title" of who signs the closing


class CertEntryRow(Base):
    """A line of the register: one number per original document. Never deleted; a mistake is
    voided. ``reserved`` numbers were handed to another desk that has not confirmed yet."""

    __tablename__ = "cert_entry"
    __table_args__ = (
        UniqueConstraint("agency", "year", "register_type", "number", name="uq_cert_entry_number"),
        UniqueConstraint("request_id", "position", name="uq_cert_entry_request"),
        Index("ix_cert_entry_day", "register_type", "day"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency: Mapped[str] = mapped_column(String(35))
    year: Mapped[int] = mapped_column(Integer)
    register_type: Mapped[str] = mapped_column(String(20))
    number: Mapped[int] = mapped_column(Integer)
    book: Mapped[str] = mapped_column(String(10))
    request_id: Mapped[str] = mapped_column(String(40), index=True)
    position: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(10))  # reserved | issued | void
    day: Mapped[date] = mapped_column(Date)
    applicant_name: Mapped[str] = mapped_column(String(200))
    applicant_id: Mapped[str | None] = mapped_column(String(20))
    document: Mapped[str] = mapped_column(Text)
    pages: Mapped[int] = mapped_column(Integer)
    copies: Mapped[int] = mapped_column(Integer)
    fee: Mapped[int] = mapped_column(Integer)
    officer: Mapped[str] = mapped_column(String(100))
    desk: Mapped[int] = mapped_column(Integer)
    dossier_code: Mapped[str | None] = mapped_column(String(60), index=True)
    # Column (5) and (2) of the book: who signed and on which day (NULL until signed).
    signer_name: Mapped[str | None] = mapped_column(String(200))
    signer_title: Mapped[str | None] = mapped_column(String(200))
    signed_on: Mapped[date | None] = mapped_column(Date)
    reserved_at: Mapped[datetime] = mapped_column(LocalDateTime)
    void_reason: Mapped[str | None] = mapped_column(Text)
    voided_at: Mapped[datetime | None] = mapped_column(LocalDateTime)
    voided_by: Mapped[str | None] = mapped_column(String(100))


class CertificationRow(Base):
    """The desk's record of a certification request (the dossier holds applicant, fees, history)."""

    __tablename__ = "certification"
    dossier_code: Mapped[str] = mapped_column(ForeignKey("dossier.code"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    request_id: Mapped[str] = mapped_column(String(40), unique=True)
    exemption_reason: Mapped[str | None] = mapped_column(Text)
    extension_days: Mapped[int] = mapped_column(Integer, default=0)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    holder_confirmed: Mapped[bool] = mapped_column(Boolean, default=True)  # the remote holder knows the code
    signer_name: Mapped[str | None] = mapped_column(String(200))  # NULL: awaiting signature
    signer_title: Mapped[str | None] = mapped_column(String(200))
    signed_at: Mapped[datetime | None] = mapped_column(LocalDateTime)

    items: Mapped[list[CertItemRow]] = relationship(order_by="CertItemRow.position", cascade="all, delete-orphan")


class CertItemRow(Base):
    __tablename__ = "cert_item"
    __table_args__ = (UniqueConstraint("dossier_code", "position", name="uq_cert_item_position"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_code: Mapped[str] = mapped_column(ForeignKey("certification.dossier_code"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    document: Mapped[str] = mapped_column(Text)
    pages: Mapped[int] = mapped_column(Integer)
    copies: Mapped[int] = mapped_column(Integer)
    fee: Mapped[int] = mapped_column(Integer)
    number: Mapped[int | None] = mapped_column(Integer)
    book: Mapped[str | None] = mapped_column(String(10))
    void: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str | None] = mapped_column(Text)


class HolderDeskRow(Base):
    """A desk of this office allowed to draw numbers from the registers held here (token hashed)."""

    __tablename__ = "holder_desk"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    paired_at: Mapped[datetime] = mapped_column(LocalDateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    desk_number: Mapped[int | None] = mapped_column(Integer)  # None: paired before desk numbers were asked


class HolderPairCodeRow(Base):
    __tablename__ = "holder_pair_code"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(LocalDateTime)
    expires_at: Mapped[datetime] = mapped_column(LocalDateTime)
    used_at: Mapped[datetime | None] = mapped_column(LocalDateTime)
    desk_id: Mapped[int | None] = mapped_column(Integer)
    nonce_hash: Mapped[str | None] = mapped_column(String(64))


# The hand-over tables (post, paper transfer, review flags) live in their own module to keep this
# one readable; importing it here registers them on Base for the schema checks.
from counter_app.storage import handover_models  # noqa: E402,F401
from counter_app.storage import outcome_models  # noqa: E402,F401
