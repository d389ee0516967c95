"""Applying what the provincial server sends back: processing status, dossiers routed here (received
elsewhere for this counter's agency or returned here) and other counters' events on them.

The server owns processing state; the counter owns intake facts. A status change is never applied
over a dossier that still has undelivered local events: it is parked in ``sync_deferred`` and
applied once the dossier's events are all delivered. Remote history is recorded as events
without outbox rows (it came from the server; sending it back would be an echo).
"""

from __future__ import annotations

import uuid as uuidlib
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.core.calendar import TZ
from counter_app.core.lifecycle import PROVINCE_STATUS, Action, Status
from counter_app.core.text import fold, nfc_deep
from counter_app.storage.chain import dossier_state_hash
from counter_app.storage.models import (
    DossierDocumentRow, DossierEventRow, DossierFeeRow, DossierRow, OutboxRow, ProcedureRow, SyncDeferredRow,
)
from counter_app.storage.outbox import DELIVERED

PROVINCE_OFFICER = "Hệ thống xử lý của tỉnh"


def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=TZ)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


class SqlRemoteChanges:
    def __init__(self, session: Session) -> None:
        self.s = session

    def _has_undelivered(self, code: str) -> bool:
        return self.s.scalar(select(OutboxRow.id).where(OutboxRow.dossier_code == code,
                                                        OutboxRow.state != DELIVERED).limit(1)) is not None

    def _must_wait(self, code: str, seq: int) -> bool:
        """Undelivered local events go first; so does an earlier change of the dossier still
        deferred (applied out of order, it would leave an older status behind)."""
        return self._has_undelivered(code) or self.s.scalar(select(SyncDeferredRow.id).where(
            SyncDeferredRow.dossier_code == code, SyncDeferredRow.change_seq < seq).limit(1)) is not None

    def _admit(self, seq: int, kind: str, data: dict[str, Any], uuid: str) -> tuple[DossierRow | None, str]:
        """The dossier row a pulled change may be applied to now, or None with the outcome:
        'unknown' (no such dossier here), 'already' (recorded before) or 'deferred' (parked)."""
        code = data["code"]
        row = self.s.scalars(select(DossierRow).where(DossierRow.code == code)).one_or_none()
        if row is None:
            return None, "unknown"
        if self.s.scalar(select(DossierEventRow.id).where(DossierEventRow.uuid == uuid)) is not None:
            self._undefer(seq)
            return None, "already"
        if self._must_wait(code, seq):
            if self.s.scalar(select(SyncDeferredRow.id).where(SyncDeferredRow.change_seq == seq)) is None:
                self.s.add(SyncDeferredRow(change_seq=seq, dossier_code=code, kind=kind, data=data))
            return None, "deferred"
        return row, "applied"

    def apply_status(self, seq: int, data: dict[str, Any]) -> str:
        """'applied', 'deferred', 'unknown' (no such dossier here) or 'already'."""
        row, outcome = self._admit(seq, "status", data, data["uuid"])
        if row is None:
            return outcome
        status, before = Status(data["status"]).value, row.status
        row.status = status
        # Not chained (the province's event, not this device's), but it binds the row's new state.
        self.s.add(DossierEventRow(uuid=data["uuid"], dossier_id=row.id, kind=PROVINCE_STATUS,
                                   at=_when(data["at"]), officer=PROVINCE_OFFICER, status_before=before,
                                   status_after=status, payload=nfc_deep({"note": data.get("note") or "",
                                                                          "change_seq": seq}),
                                   state_hash=dossier_state_hash(self.s, row.id)))
        self._undefer(seq)
        return "applied"

    def _moved_return_point(self, row: DossierRow, agency: str | None) -> str:
        """A dossier held here whose return point the province moved: 'moved' (recorded as the
        province's event, which binds the new state), or 'known'."""
        if not agency or agency == row.return_agency or row.return_method != "counter":
            return "known"
        before, row.return_agency = row.return_agency, agency
        self.s.add(DossierEventRow(uuid=str(uuidlib.uuid4()), dossier_id=row.id, kind=PROVINCE_STATUS,
                                   at=datetime.now(TZ), officer=PROVINCE_OFFICER, status_before=row.status,
                                   status_after=row.status,
                                   payload={"note": f"Nơi trả kết quả: {agency}", "return_agency_before": before,
                                            "return_agency": agency},
                                   state_hash=dossier_state_hash(self.s, row.id)))
        return "moved"

    def _undefer(self, seq: int) -> None:
        for r in self.s.scalars(select(SyncDeferredRow).where(SyncDeferredRow.change_seq == seq)):
            self.s.delete(r)

    def apply_event(self, seq: int, data: dict[str, Any]) -> str:
        """Another counter's event (or this counter's own, coming back): 'applied', 'deferred',
        'unknown' or 'already'. The dossier takes the status the server gave it after the event,
        so every counter of the dossier ends in the server's state, conflicts included."""
        event = data["event"]
        row, outcome = self._admit(seq, "event", data, event["uuid"])
        if row is None:
            return outcome
        payload = nfc_deep(dict(event.get("payload") or {}))
        row.status = Status(data.get("status") or event["status_after"]).value
        if payload.get("new_due_at"):
            row.due_at = _when(payload["new_due_at"])
        if event["kind"] == Action.RESCHEDULE.value:
            row.reschedule_count = (row.reschedule_count or 0) + 1
        payload["routed_from"] = data.get("agency")  # which agency's counter did it
        self.s.add(DossierEventRow(uuid=event["uuid"], dossier_id=row.id, kind=event["kind"], at=_when(event["at"]),
                                   officer=event.get("officer") or "", status_before=event.get("status_before"),
                                   status_after=event["status_after"], payload=payload,
                                   state_hash=dossier_state_hash(self.s, row.id)))
        self._undefer(seq)
        return "applied"

    def deferred(self) -> list[tuple[int, str, dict[str, Any]]]:
        return [(r.change_seq, r.kind, r.data)
                for r in self.s.scalars(select(SyncDeferredRow).order_by(SyncDeferredRow.change_seq))]

    def import_dossier(self, data: dict[str, Any]) -> str:
        """A dossier received at another counter whose result is returned here: 'added' or 'known'."""
        d = nfc_deep(data["dossier"])
        known = self.s.scalars(select(DossierRow).where(DossierRow.code == d["code"])).one_or_none()
        if known is not None:
            return self._moved_return_point(known, d.get("return_agency"))
        if self.s.get(ProcedureRow, d["procedure_code"]) is None:
            # Another commune's procedure may be missing from this catalogue: keep it closed to intake.
            self.s.add(ProcedureRow(code=d["procedure_code"], name=d["procedure_name"],
                                    name_key=fold(d["procedure_name"]), active=False,
                                    extra={"source": "province sync"}))
            self.s.flush()
        a = d.get("applicant") or {}
        register = d.get("register") or {}
        row = DossierRow(
            code=d["code"], procedure_code=d["procedure_code"], procedure_name=d["procedure_name"],
            receiving_agency=d["receiving_agency"], competent_agency=d["competent_agency"],
            channel=d.get("channel") or "counter", applicant_kind=a.get("kind") or "citizen",
            applicant_name=a.get("full_name") or d.get("applicant_name", ""),
            name_key=fold(a.get("full_name") or d.get("applicant_name", "")), id_number=a.get("id_number"),
            date_of_birth=_day(a.get("date_of_birth")), gender=a.get("gender"), phone=a.get("phone"),
            email=a.get("email"), address=a.get("address"), received_at=_when(d["received_at"]),
            due_at=_when(d.get("due_at")), return_method=d.get("return_method") or "counter",
            return_address=d.get("return_address"), receiving_officer=d.get("receiving_officer") or "",
            status=Status(data["status"]).value, desk=0, sets=d.get("sets") or 1,
            register_book=register.get("book"), register_serial=register.get("serial"),
            reschedule_count=d.get("reschedule_count") or 0, return_agency=d.get("return_agency"),
            # Part of the chained state: a restored postal dossier must hash as it did when written.
            postal_item=d.get("postal_item"),
            documents=[DossierDocumentRow(position=i, name=x["name"], kind=x["kind"], count=x["count"],
                                          pages=x.get("pages")) for i, x in enumerate(d.get("documents", []))],
            fees=[DossierFeeRow(position=i, name=f["name"], amount_vnd=f["amount_vnd"], code=f.get("code"))
                  for i, f in enumerate(d.get("fees", []))],
        )
        self.s.add(row)
        self.s.flush()
        # The history before it arrived here is not known row by row: each imported event binds the
        # state as imported (``check`` compares a dossier with its latest event only).
        state = dossier_state_hash(self.s, row.id)
        for e in data.get("events", []):
            if self.s.scalar(select(DossierEventRow.id).where(DossierEventRow.uuid == e["uuid"])) is None:
                self.s.add(DossierEventRow(uuid=e["uuid"], dossier_id=row.id, kind=e["kind"], at=_when(e["at"]),
                                           officer=e.get("officer") or "", status_before=e.get("status_before"),
                                           status_after=e["status_after"], payload=e.get("payload") or {},
                                           state_hash=state))
        return "added"
