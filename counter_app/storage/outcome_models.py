"""What the reports count per dossier: when its result was ready, when it was handed over, the
rating given, and whether it came from the previous system. Derived from the dossier's events
(storage/outcomes.py keeps it in step on every flush), so the reports read one row per dossier
instead of replaying a million events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from counter_app.storage.coltypes import LocalDateTime
from counter_app.storage.models import Base


class DossierOutcomeRow(Base):
    __tablename__ = "dossier_outcome"
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), primary_key=True)
    finished_at: Mapped[datetime | None] = mapped_column(LocalDateTime)  # first «đã có kết quả»
    returned_at: Mapped[datetime | None] = mapped_column(LocalDateTime)
    rating: Mapped[int | None] = mapped_column(Integer)  # 1–5 given at the return, if any
    # Set only for dossiers taken over from the previous system (import-dossiers): the file they
    # came from, so a re-import can be told apart and the history says where a dossier began.
    imported_at: Mapped[datetime | None] = mapped_column(LocalDateTime)
    import_source: Mapped[str | None] = mapped_column(String(300))
