"""The outbox as the sync engine sees it: leases, per-event results, counts, reconciliation.

Nothing here deletes a row. "Set aside" (rejected, conflict) rows wait for a person to retry them;
later events of the same dossier wait behind them so the server never sees them out of order.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session, aliased

from counter_app.core import protocol
from counter_app.core.outbox import OutboxItem
from counter_app.core.serialize import iso
from counter_app.storage.models import DossierEventRow, DossierRow, OutboxRow, SyncStateRow

PENDING, SENDING, DELIVERED, REJECTED, CONFLICT = "pending", "sending", "delivered", "rejected", "conflict"
SET_ASIDE = (REJECTED, CONFLICT)
STATES = (PENDING, SENDING, DELIVERED, REJECTED, CONFLICT)


def _day(column):
    return func.substr(column, 1, 10)  # stored as "YYYY-MM-DD HH:MM:SS…" local wall time


class SqlOutbox:
    def __init__(self, session: Session) -> None:
        self.s = session

    # -- leases -------------------------------------------------------------------------------
    def release_leases(self, now: datetime, *, all_sending: bool = False) -> int:
        """"Sending" rows whose lease ran out (or every one, when this process has just taken the
        single-instance lock, so no one else can be sending) go back to pending."""
        cond = OutboxRow.state == SENDING
        if not all_sending:
            cond = and_(cond, OutboxRow.lease_until < now)
        return self.s.execute(update(OutboxRow).where(cond).values(state=PENDING, lease_until=None)).rowcount

    def _blocked_codes(self):
        return select(OutboxRow.dossier_code).where(OutboxRow.state.in_(SET_ASIDE))

    def claim(self, now: datetime, lease: timedelta, *, max_events: int = protocol.MAX_BATCH_EVENTS,
              max_bytes: int = protocol.MAX_BATCH_BYTES) -> list[dict[str, Any]]:
        """The next batch in device order, marked "sending" until ``now + lease``. Each event carries
        ``prev_uuid``: the previous event of its dossier on this device, so the server keeps order."""
        prev = aliased(OutboxRow)
        prev_uuid = (select(prev.event_uuid).where(prev.dossier_code == OutboxRow.dossier_code,
                                                   prev.device_seq < OutboxRow.device_seq)
                     .order_by(prev.device_seq.desc()).limit(1).correlate(OutboxRow).scalar_subquery())
        stmt = (select(OutboxRow.id, OutboxRow.device_seq, OutboxRow.event_uuid, OutboxRow.dossier_code,
                       DossierRow.competent_agency, DossierEventRow.kind, DossierEventRow.at,
                       DossierEventRow.officer, DossierEventRow.status_before, DossierEventRow.status_after,
                       DossierEventRow.payload, prev_uuid, OutboxRow.prev_hash, DossierEventRow.state_hash)
                .join(DossierEventRow, DossierEventRow.uuid == OutboxRow.event_uuid)
                .join(DossierRow, DossierRow.id == DossierEventRow.dossier_id)
                .where(OutboxRow.state == PENDING, OutboxRow.dossier_code.not_in(self._blocked_codes()))
                .order_by(OutboxRow.device_seq).limit(max_events))
        batch, ids, size = [], [], 0
        for row in self.s.execute(stmt):
            body = protocol.EventBody(
                uuid=row.event_uuid, device_seq=row.device_seq, dossier_code=row.dossier_code,
                agency=row.competent_agency, kind=row.kind, at=iso(row.at), officer=row.officer,
                status_before=row.status_before, status_after=row.status_after, prev_uuid=row[11],
                payload=row.payload, prev_hash=row.prev_hash, state_hash=row.state_hash).to_dict()
            length = len(json.dumps(body, ensure_ascii=False).encode("utf-8"))
            if batch and size + length > max_bytes:
                break
            batch.append(body)
            ids.append(row.id)
            size += length
        if ids:
            self.s.execute(update(OutboxRow).where(OutboxRow.id.in_(ids)).values(
                state=SENDING, lease_until=now + lease, attempts=OutboxRow.attempts + 1))
        return batch

    # -- results ------------------------------------------------------------------------------
    def settle(self, results: list[dict[str, Any]], now: datetime) -> dict[str, int]:
        tally = {r: 0 for r in protocol.RESULTS}
        delivered: dict[str, list[str]] = {protocol.ACCEPTED: [], protocol.DUPLICATE: []}
        for r in results:
            result, uuid = r.get("result"), r.get("uuid")
            if result not in tally or not uuid:
                continue
            tally[result] += 1
            if result in delivered:
                delivered[result].append(uuid)
                continue
            # Set aside, one by one (rare): each keeps the server's own words for staff.
            self.s.execute(update(OutboxRow).where(OutboxRow.event_uuid == uuid, OutboxRow.state == SENDING).values(
                state=REJECTED if result == protocol.REJECTED else CONFLICT, result=result, lease_until=None,
                reason=r.get("message") or r.get("reason") or result))
        for result, uuids in delivered.items():
            if uuids:
                self.s.execute(update(OutboxRow).where(OutboxRow.event_uuid.in_(uuids), OutboxRow.state == SENDING)
                               .values(state=DELIVERED, result=result, delivered_at=now, lease_until=None,
                                       reason=None, last_error=None))
        return tally

    def release(self, uuids: list[str], error: str) -> None:
        """No answer for these: back to pending, with the failure kept for the outbox screen."""
        self.s.execute(update(OutboxRow).where(OutboxRow.event_uuid.in_(uuids), OutboxRow.state == SENDING)
                       .values(state=PENDING, lease_until=None, last_error=error[:500]))

    def retry_set_aside(self, device_seqs: list[int] | None = None) -> int:
        """Staff's "Gửi lại": set-aside rows go back to pending (their UUID and payload unchanged)."""
        cond = OutboxRow.state.in_(SET_ASIDE)
        if device_seqs:
            cond = and_(cond, OutboxRow.device_seq.in_(device_seqs))
        return self.s.execute(update(OutboxRow).where(cond).values(state=PENDING, reason=None)).rowcount

    # -- views --------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        out = {state: 0 for state in STATES}
        out.update(dict(self.s.execute(select(OutboxRow.state, func.count()).group_by(OutboxRow.state)).all()))
        out["waiting"] = self.s.scalar(select(func.count()).where(
            OutboxRow.state == PENDING, OutboxRow.dossier_code.in_(self._blocked_codes()))) or 0
        return out

    def undelivered_codes(self, codes: list[str]) -> set[str]:
        return set(self.s.scalars(select(OutboxRow.dossier_code).where(
            OutboxRow.dossier_code.in_(codes), OutboxRow.state != DELIVERED)))

    def items(self, *, states: tuple[str, ...] | None = None, limit: int = 500) -> list[OutboxItem]:
        stmt = (select(OutboxRow.device_seq, OutboxRow.event_uuid, OutboxRow.dossier_code, DossierEventRow.kind,
                       DossierEventRow.at, OutboxRow.state, OutboxRow.attempts, OutboxRow.result,
                       OutboxRow.reason, OutboxRow.last_error)
                .join(DossierEventRow, DossierEventRow.uuid == OutboxRow.event_uuid)
                .order_by(OutboxRow.device_seq.desc()).limit(limit))
        if states:
            stmt = stmt.where(OutboxRow.state.in_(states))
        return [OutboxItem(*row) for row in self.s.execute(stmt)]

    # -- reconciliation -----------------------------------------------------------------------
    def delivered_per_day(self, since: datetime) -> dict[str, int]:
        day = _day(OutboxRow.created_at)
        return dict(self.s.execute(select(day, func.count()).where(
            OutboxRow.state == DELIVERED, OutboxRow.created_at >= since).group_by(day)).all())

    def requeue_missing(self, day: str, on_server: set[str]) -> int:
        """Delivered rows of ``day`` the server does not hold go back to pending."""
        rows = self.s.execute(select(OutboxRow.id, OutboxRow.event_uuid).where(
            OutboxRow.state == DELIVERED, _day(OutboxRow.created_at) == day)).all()
        missing = [i for i, uuid in rows if uuid not in on_server]
        if missing:
            self.s.execute(update(OutboxRow).where(OutboxRow.id.in_(missing)).values(
                state=PENDING, delivered_at=None, last_error="Máy chủ thiếu sự kiện khi đối soát; gửi lại."))
        return len(missing)


class SqlSyncState:
    def __init__(self, session: Session) -> None:
        self.s = session

    def get(self, key: str, default=None):
        row = self.s.get(SyncStateRow, key)
        return default if row is None else row.value

    def set(self, key: str, value) -> None:
        self.s.merge(SyncStateRow(key=key, value=value))

    def all(self) -> dict[str, Any]:
        return {r.key: r.value for r in self.s.scalars(select(SyncStateRow))}
