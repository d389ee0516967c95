"""Review flags: dossiers the province must look at because two counters acted on them in conflict
(both handed the same result over while offline). The server keeps both events and flags the
dossier; the flag is pulled by every counter involved and shown with the dossier until resolved."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from counter_app.core.ports import UnitOfWork

REASONS_VI = {
    "double_return": "Hai quầy cùng ghi nhận trả kết quả hồ sơ này",
    "final_state_conflict": "Có thao tác trên hồ sơ sau khi hồ sơ đã kết thúc ở quầy khác",
}


@dataclass(frozen=True)
class ReviewFlag:
    server_id: int
    dossier_code: str
    reason: str
    events: tuple[str, ...]
    raised_at: datetime
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    note: str | None = None

    @property
    def open(self) -> bool:
        return self.resolved_at is None

    @property
    def reason_vi(self) -> str:
        return REASONS_VI.get(self.reason, self.reason)

    def text_vi(self) -> str:
        state = (f"đã được tỉnh xử lý ({self.resolved_by}): {self.note}" if not self.open
                 else "chờ tỉnh kiểm tra")
        return f"{self.reason_vi} ({len(self.events)} sự kiện) – {state}"

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.server_id, "code": self.dossier_code, "reason": self.reason,
                "reason_label": self.reason_vi, "events": list(self.events), "raised_at": self.raised_at.isoformat(),
                "resolved_at": self.resolved_at.isoformat() if self.resolved_at else None,
                "resolved_by": self.resolved_by, "note": self.note, "open": self.open}


class FlagService:
    def __init__(self, read_uow: Callable[[], UnitOfWork]) -> None:
        self._read = read_uow

    def list(self, *, open_only: bool = True) -> list[ReviewFlag]:
        with self._read() as uow:
            return uow.flags.list(open_only=open_only)

    def for_dossier(self, code: str) -> list[ReviewFlag]:
        with self._read() as uow:
            return uow.flags.for_dossier(code.strip().upper())
