"""Tables of the hand-overs that leave the counter: lists with the post, paper files to the
competent agency, and the province's review flags on dossiers two counters acted on."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from counter_app.storage.coltypes import LocalDateTime
from counter_app.storage.models import Base


class PostalBatchRow(Base):
    """A hand-over list with the post (biên bản giao nhận) for one day and direction."""

    __tablename__ = "postal_batch"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    direction: Mapped[str] = mapped_column(String(3))
    day: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(LocalDateTime)
    officer: Mapped[str] = mapped_column(String(100))
    signed_at: Mapped[datetime | None] = mapped_column(LocalDateTime)
    postal_employee: Mapped[str | None] = mapped_column(String(200))
    signed_by: Mapped[str | None] = mapped_column(String(100))
    items: Mapped[list[PostalBatchItemRow]] = relationship(
        order_by="PostalBatchItemRow.position", cascade="all, delete-orphan")


class PostalBatchItemRow(Base):
    __tablename__ = "postal_batch_item"
    __table_args__ = (UniqueConstraint("batch_id", "item"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("postal_batch.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    item: Mapped[str] = mapped_column(String(13), index=True)
    dossier_code: Mapped[str | None] = mapped_column(String(60), index=True)


class ReviewFlagRow(Base):
    """A dossier the province flagged for review (two counters returned it offline), as pulled."""

    __tablename__ = "review_flag"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    server_id: Mapped[int] = mapped_column(Integer, unique=True)
    dossier_code: Mapped[str] = mapped_column(String(60), index=True)
    reason: Mapped[str] = mapped_column(String(40))
    events: Mapped[list[str]] = mapped_column(JSON)
    raised_at: Mapped[str] = mapped_column(String(40))  # the server's times, ISO 8601 as sent
    resolved_at: Mapped[str | None] = mapped_column(String(40))
    resolved_by: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)


class TransferBatchRow(Base):
    """A hand-over list of paper files to one competent agency (danh sách bàn giao hồ sơ)."""

    __tablename__ = "transfer_batch"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    to_agency: Mapped[str] = mapped_column(String(35), index=True)
    created_at: Mapped[datetime] = mapped_column(LocalDateTime)
    handed_at: Mapped[datetime] = mapped_column(LocalDateTime)
    giver: Mapped[str] = mapped_column(String(100))
    receiver: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    items: Mapped[list[TransferBatchItemRow]] = relationship(
        order_by="TransferBatchItemRow.position", cascade="all, delete-orphan")


class TransferBatchItemRow(Base):
    __tablename__ = "transfer_batch_item"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("transfer_batch.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    dossier_code: Mapped[str] = mapped_column(String(60), unique=True)  # a paper file goes over once


class PaperPendingRow(Base):
    """A paper file received here for another agency and on no hand-over list yet. The waiting
    list and the status bar's late count read these few rows instead of scanning every dossier a
    regional counter ever received (bench/run.py, regional dataset)."""

    __tablename__ = "paper_pending"
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), primary_key=True)
