"""Server tables. ``event`` is append-only: the permanent idempotency index is its unique UUID."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON, BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint, false,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s", "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Json = JSON().with_variant(JSONB(), "postgresql")
Serial = BigInteger().with_variant(Integer, "sqlite")  # SQLite autoincrements only INTEGER keys
UtcTime = DateTime(timezone=True)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Agency(Base):
    __tablename__ = "agency"
    code: Mapped[str] = mapped_column(String(35), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    province: Mapped[str] = mapped_column(String(100), default="")


class AgencyServes(Base):
    """A shared (phi địa giới) counter's agency receives dossiers on behalf of ``served``."""

    __tablename__ = "agency_serves"
    agency: Mapped[str] = mapped_column(ForeignKey("agency.code"), primary_key=True)
    served: Mapped[str] = mapped_column(ForeignKey("agency.code"), primary_key=True)


class Device(Base):
    __tablename__ = "device"
    __table_args__ = (UniqueConstraint("agency", "slot", name="uq_device_agency_slot"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency: Mapped[str] = mapped_column(ForeignKey("agency.code"), index=True)
    slot: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the bearer token
    enrolled_at: Mapped[datetime] = mapped_column(UtcTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcTime)
    client_version: Mapped[str] = mapped_column(String(40), default="")
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)  # final: the token never works again
    suspended: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # reversible


class CodeSlot(Base):
    """A device's slot in an agency's dossier-code space (``<agency>-<yyMMdd>-<slot:02d><n:04d>``):
    one for its own agency (the same number as ``Device.slot``) and one for every agency its agency
    serves. Unique per (agency, slot) across every device that issues codes for that agency, so the
    commune's own counters and the regional counters serving it never collide, offline."""

    __tablename__ = "code_slot"
    __table_args__ = (UniqueConstraint("device_id", "agency", name="uq_code_slot_device_agency"),)
    agency: Mapped[str] = mapped_column(ForeignKey("agency.code"), primary_key=True)
    slot: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("device.id"), index=True)


class EnrollCode(Base):
    __tablename__ = "enroll_code"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    agency: Mapped[str] = mapped_column(ForeignKey("agency.code"))
    created_at: Mapped[datetime] = mapped_column(UtcTime)
    expires_at: Mapped[datetime] = mapped_column(UtcTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcTime)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device.id"))
    # The client's random request id: a retry whose answer was lost gets a fresh token for the
    # same device instead of "code already used".
    nonce_hash: Mapped[str | None] = mapped_column(String(64))


class Event(Base):
    """Every event a counter delivered, in arrival order (``seq``). Never updated except ``applied``
    (false while it waits for an earlier event of its dossier); a held event whose device turns out
    not to be allowed to act on the dossier is moved to ``quarantine`` when it would be released."""

    __tablename__ = "event"
    __table_args__ = (Index("ix_event_device_day", "device_id", "device_day"),
                      Index("ix_event_device_seq", "device_id", "device_seq"))
    seq: Mapped[int] = mapped_column(Serial, primary_key=True, autoincrement=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    payload_hash: Mapped[str] = mapped_column(String(64))
    device_id: Mapped[int] = mapped_column(ForeignKey("device.id"))
    device_seq: Mapped[int] = mapped_column(BigInteger)
    device_day: Mapped[str] = mapped_column(String(10))  # local date of the device time
    dossier_code: Mapped[str] = mapped_column(String(60), index=True)
    agency: Mapped[str] = mapped_column(String(35), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    at: Mapped[str] = mapped_column(String(40))  # device time exactly as sent (ISO 8601 with offset)
    prev_uuid: Mapped[str | None] = mapped_column(String(36), index=True)
    # The device's hash chain (provincial_server/chain.py); NULL from counters older than the chain.
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UtcTime)
    applied: Mapped[bool] = mapped_column(Boolean, index=True)
    body: Mapped[dict[str, Any]] = mapped_column(Json)


class Quarantine(Base):
    """Refused events kept for the province IT team: a reused UUID with another payload, a dossier
    code another intake already holds. Never applied."""

    __tablename__ = "quarantine"
    __table_args__ = (Index("ix_quarantine_device_seq", "device_id", "device_seq"),)
    id: Mapped[int] = mapped_column(Serial, primary_key=True, autoincrement=True)
    uuid: Mapped[str] = mapped_column(String(36), index=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("device.id"))
    payload_hash: Mapped[str] = mapped_column(String(64))
    device_seq: Mapped[int | None] = mapped_column(BigInteger)  # NULL: quarantined before migration 0003
    reason: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime] = mapped_column(UtcTime)
    body: Mapped[dict[str, Any]] = mapped_column(Json)


class Dossier(Base):
    """State materialised from the events, plus the processing state the province owns."""

    __tablename__ = "dossier"
    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    receiving_agency: Mapped[str] = mapped_column(String(35), index=True)
    competent_agency: Mapped[str] = mapped_column(String(35), index=True)
    return_agency: Mapped[str] = mapped_column(String(35), index=True)
    procedure_code: Mapped[str] = mapped_column(String(40))
    procedure_name: Mapped[str] = mapped_column(Text)
    applicant_name: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[str] = mapped_column(String(40), index=True)  # the reports select a period by it
    due_at: Mapped[str | None] = mapped_column(String(40))
    returned_at: Mapped[str | None] = mapped_column(String(40))
    # When the result was last ready (a counter's result_ready event or the province's set-status):
    # the national portal's NgayKetThucXuLy.
    result_ready_at: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(30))
    status_source: Mapped[str] = mapped_column(String(10))  # "counter" or "province"
    intake_uuid: Mapped[str] = mapped_column(String(36))
    updated_at: Mapped[datetime] = mapped_column(UtcTime, index=True)
    data: Mapped[dict[str, Any]] = mapped_column(Json)


class Change(Base):
    """What counters pull, in ``seq`` order. ``agency`` null: for every counter."""

    __tablename__ = "change"
    seq: Mapped[int] = mapped_column(Serial, primary_key=True, autoincrement=True)
    agency: Mapped[str | None] = mapped_column(String(35), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcTime)
    data: Mapped[dict[str, Any]] = mapped_column(Json)


class Attachment(Base):
    """Scans, addressed by SHA-256; bytes live in the blob folder, uploaded in resumable pieces."""

    __tablename__ = "attachment"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    received: Mapped[int] = mapped_column(BigInteger, default=0)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    device_id: Mapped[int] = mapped_column(ForeignKey("device.id"))
    created_at: Mapped[datetime] = mapped_column(UtcTime)


class ServerSetting(Base):
    __tablename__ = "server_setting"
    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AuditLog(Base):
    """Security events: failed tokens and enrollment codes (also the rate limiter's sliding window),
    enrollments, device suspensions and revocations, refused held events. Never a token or a code."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_kind_at", "kind", "at"),)
    id: Mapped[int] = mapped_column(Serial, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcTime)
    kind: Mapped[str] = mapped_column(String(30))
    source: Mapped[str] = mapped_column(String(64), default="", index=True)  # client address or "cli"
    agency: Mapped[str | None] = mapped_column(String(35), index=True)
    device_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text, default="")


class KeyEscrow(Base):
    """A counter's database key, sealed to the province's public key (``core/escrow.py``): the
    server keeps what it cannot open; the province's offline private key opens it."""

    __tablename__ = "key_escrow"
    device_id: Mapped[int] = mapped_column(ForeignKey("device.id"), primary_key=True)
    sealed: Mapped[str] = mapped_column(Text)
    public_key_fingerprint: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(UtcTime)


class ReviewFlag(Base):
    """A dossier the province must look at: two counters did what only one may (two returns of the
    same result, offline on both sides). Both events stay in ``event``; the dossier keeps the state
    the first one gave it. Sent to every counter involved; a province operator resolves it with a note."""

    __tablename__ = "review_flag"
    id: Mapped[int] = mapped_column(Serial, primary_key=True, autoincrement=True)
    dossier_code: Mapped[str] = mapped_column(String(60), index=True)
    reason: Mapped[str] = mapped_column(String(40))
    event_uuids: Mapped[list[str]] = mapped_column(Json)  # the events in conflict, in arrival order
    agencies: Mapped[list[str]] = mapped_column(Json)  # the agencies whose counters were told
    raised_at: Mapped[datetime] = mapped_column(UtcTime, index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcTime)
    resolved_by: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)


class Release(Base):
    """A signed counter release (core/releases.py): the file lives in the server's release folder,
    the signed envelope here exactly as the build machine produced it, so counters verify it themselves."""

    __tablename__ = "release"
    __table_args__ = (UniqueConstraint("platform", "version"),)
    id: Mapped[int] = mapped_column(Serial, primary_key=True, autoincrement=True)
    version: Mapped[str] = mapped_column(String(40))
    platform: Mapped[str] = mapped_column(String(30), index=True)
    file_name: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    min_from: Mapped[str] = mapped_column(String(40))
    notes: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[str] = mapped_column(String(40))
    envelope: Mapped[dict[str, Any]] = mapped_column(Json)  # {"manifest", "signature", "key_id"}
    added_at: Mapped[datetime] = mapped_column(UtcTime)
    # absolute path of the stored file; the download reads only this, never a path from the request
    path: Mapped[str | None] = mapped_column(Text, nullable=True)
