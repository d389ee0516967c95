"""Review flags pulled from the provincial server (``core.flags``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.core.flags import ReviewFlag
from counter_app.core.text import nfc_deep
from counter_app.storage.handover_models import ReviewFlagRow


def _flag(r: ReviewFlagRow) -> ReviewFlag:
    return ReviewFlag(server_id=r.server_id, dossier_code=r.dossier_code, reason=r.reason, events=tuple(r.events),
                      raised_at=datetime.fromisoformat(r.raised_at),
                      resolved_at=datetime.fromisoformat(r.resolved_at) if r.resolved_at else None,
                      resolved_by=r.resolved_by, note=r.note)


class SqlReviewFlags:
    def __init__(self, session: Session) -> None:
        self.s = session

    def apply(self, data: dict[str, Any]) -> str:
        """A flag as the server sends it (raised, grown or resolved): 'added' or 'updated'."""
        data = nfc_deep(data)
        row = self.s.scalars(select(ReviewFlagRow).where(ReviewFlagRow.server_id == int(data["id"]))).one_or_none()
        outcome = "updated"
        if row is None:
            row = ReviewFlagRow(server_id=int(data["id"]))
            self.s.add(row)
            outcome = "added"
        row.dossier_code, row.reason = str(data["code"]), str(data["reason"])
        row.events = [str(u) for u in data.get("events") or []]
        row.raised_at, row.resolved_at = str(data["raised_at"]), data.get("resolved_at")
        row.resolved_by, row.note = data.get("resolved_by"), data.get("note")
        return outcome

    def list(self, *, open_only: bool = True) -> list[ReviewFlag]:
        stmt = select(ReviewFlagRow).order_by(ReviewFlagRow.server_id)
        if open_only:
            stmt = stmt.where(ReviewFlagRow.resolved_at.is_(None))
        return [_flag(r) for r in self.s.scalars(stmt)]

    def for_dossier(self, code: str) -> list[ReviewFlag]:
        return [_flag(r) for r in self.s.scalars(select(ReviewFlagRow).where(ReviewFlagRow.dossier_code == code)
                                                 .order_by(ReviewFlagRow.server_id))]
