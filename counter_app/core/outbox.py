"""The outbox as staff see it: counts by state, the items with their reasons, and "Gửi lại".

One service for the window's *Đồng bộ* screen and for ``counter-app outbox``; nothing here can
delete or clear a queued event: staff can only put a set-aside event back in the queue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from counter_app.core.ports import UnitOfWork

SERVER_URL, DEVICE_ID, CURSOR = "server_url", "device_id", "pull_cursor"
LAST_SUCCESS = "last_success"

# Every state an event can be in, with its name on screen ("waiting" is pending behind a
# set-aside event of the same dossier).
STATE_LABELS = {"pending": "Chờ gửi", "sending": "Đang gửi", "delivered": "Đã gửi", "rejected": "Bị từ chối",
                "conflict": "Xung đột", "waiting": "Chờ sự kiện trước"}
LISTED_STATES = ("pending", "sending", "delivered", "rejected", "conflict")
NEEDS_ATTENTION = ("rejected", "conflict", "pending", "sending")


def state_label(state: str) -> str:
    return STATE_LABELS.get(state, state)


@dataclass(frozen=True)
class OutboxItem:
    device_seq: int
    event_uuid: str
    dossier_code: str
    kind: str
    at: datetime
    state: str
    attempts: int
    result: str | None
    reason: str | None
    last_error: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"device_seq": self.device_seq, "event_uuid": self.event_uuid, "dossier_code": self.dossier_code,
                "kind": self.kind, "at": self.at.isoformat(), "state": self.state, "attempts": self.attempts,
                "reason": self.reason, "last_error": self.last_error}


@dataclass(frozen=True)
class OutboxStatus:
    counts: dict[str, int]
    sync_state: dict[str, Any]

    @property
    def failed(self) -> int:
        return self.counts.get("rejected", 0) + self.counts.get("conflict", 0)

    @property
    def pending(self) -> int:
        return self.counts.get("pending", 0) + self.counts.get("sending", 0)

    @property
    def enrolled(self) -> bool:
        return bool(self.sync_state.get(SERVER_URL) and self.sync_state.get(DEVICE_ID))

    @property
    def last_success(self) -> str | None:
        return self.sync_state.get(LAST_SUCCESS)

    @property
    def server_url(self) -> str | None:
        return self.sync_state.get(SERVER_URL)

    def as_dict(self) -> dict[str, Any]:
        return {**self.counts, "failed": self.failed, "last_success": self.last_success,
                "last_error": self.sync_state.get("last_error"), "server_url": self.server_url}


class OutboxService:
    def __init__(self, uow: Callable[[], UnitOfWork], read_uow: Callable[[], UnitOfWork]) -> None:
        self._uow, self._read = uow, read_uow

    def status(self) -> OutboxStatus:
        with self._read() as uow:
            return OutboxStatus(uow.outbox.counts(), uow.sync_state.all())

    def items(self, states: tuple[str, ...], limit: int = 500) -> list[OutboxItem]:
        with self._read() as uow:
            return uow.outbox.items(states=tuple(states), limit=limit)

    def identity(self) -> tuple[str, int] | None:
        """(server URL, device id) once this counter is enrolled."""
        status = self.status()
        return (status.server_url, int(status.sync_state[DEVICE_ID])) if status.enrolled else None

    def retry(self, device_seqs: list[int] | None = None) -> int:
        """Set-aside (rejected, conflict) events go back to the queue, unchanged."""
        with self._uow() as uow:
            n = uow.outbox.retry_set_aside(device_seqs or None)
            uow.commit()
        return n
