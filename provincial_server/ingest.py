"""Push: store each event once, answer per event, and apply events of one dossier in order.

One batch is one transaction. For each event, in the order sent:
- a UUID already stored with the same payload hash → ``duplicate`` (delivered);
- a UUID already stored with another payload → ``rejected`` (payload_mismatch) and quarantined;
- a ``prev_hash`` that does not link to the device's neighbouring events → ``rejected`` (chain_broken),
  quarantined and written to the audit log; see provincial_server/chain.py;
- a dossier the device's agency may not act for → ``rejected`` (agency_not_served); an intake under a
  code the device did not issue → ``rejected`` (code_not_yours); see provincial_server/authz.py;
- an intake whose dossier code another intake already holds → ``conflict`` and quarantined;
- otherwise stored (``accepted``). It is applied to the dossier at once when its predecessor
  (``prev_uuid``, the previous event this dossier had on the device) is applied; else it is held
  and applied as soon as the predecessor arrives, so a later event never overtakes an earlier one.
  When it would be released, its device is checked again against the dossier; if that device may
  not act on it the event is moved to quarantine (not_authorised) and never applied.
- an intake, and every applied event, of a dossier that involves several agencies is routed to them
  through the change feed; an event contradicting a final state another event gave the dossier is
  kept without changing it and the dossier is flagged for review; see provincial_server/routing.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from counter_app.core import protocol
from provincial_server import authz, guard, routing
from provincial_server.chain import CHAIN_BROKEN, NOT_NEIGHBOURS, DeviceChain
from provincial_server.chain import MESSAGE as CHAIN_MESSAGE
from provincial_server.models import Device, Dossier, Event, Quarantine
from provincial_server.slots import device_slots


@dataclass(frozen=True)
class DeviceScope:
    """What one enrolled device may act for."""

    device_id: int
    agency: str
    serves: frozenset[str]
    slot: int = 0
    slots: Mapping[str, int] = field(default_factory=dict)  # agency → code slot (provincial_server/slots.py)

    @property
    def agencies(self) -> frozenset[str]:
        return self.serves | {self.agency}


def is_intake(body: dict[str, Any]) -> bool:
    return body.get("status_before") is None and isinstance(body.get("payload", {}).get("dossier"), dict)


def _dossier_from_intake(body: dict[str, Any], now: datetime) -> Dossier:
    d = body["payload"]["dossier"]
    return Dossier(
        code=body["dossier_code"], receiving_agency=d.get("receiving_agency") or body["agency"],
        competent_agency=d.get("competent_agency") or body["agency"],
        return_agency=d.get("return_agency") or d.get("receiving_agency") or body["agency"],
        procedure_code=d.get("procedure_code", ""), procedure_name=d.get("procedure_name", ""),
        applicant_name=d.get("applicant_name", ""), received_at=d.get("received_at") or body["at"],
        due_at=d.get("due_at"), returned_at=None, status=body["status_after"], status_source="counter",
        intake_uuid=body["uuid"], updated_at=now, data=d,
    )


def _may_act(scope: DeviceScope, dossier: Dossier | None, body: dict[str, Any]) -> bool:
    if dossier is None:
        return body.get("agency") in scope.agencies
    return authz.may_act_on(scope.agencies, scope.agency, dossier)


class Ingest:
    def __init__(self, session: Session, scope: DeviceScope, now: datetime,
                 lock_feed: Callable[[Session], None] = lambda s: None) -> None:
        self.s = session
        self.router = routing.Router(session, now, lock_feed)
        self.scope = scope
        self.now = now
        self.dossiers: dict[str, Dossier | None] = {}
        self.applied: set[str] = set()

    def push(self, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        uuids = [e["uuid"] for e in events]
        known = dict(self.s.execute(select(Event.uuid, Event.payload_hash).where(Event.uuid.in_(uuids))).all())
        self._load_dossiers({e["dossier_code"] for e in events})
        prevs = {e["prev_uuid"] for e in events if e.get("prev_uuid")}
        if prevs:
            self.applied.update(self.s.scalars(
                select(Event.uuid).where(Event.uuid.in_(prevs), Event.applied.is_(True))))
        self.chain = DeviceChain(self.s, self.scope.device_id, events)
        results, rows = [], []
        for body in events:
            body = protocol.event_body(body)
            digest = protocol.payload_hash(body)
            result = self._one(body, digest, known, rows)
            results.append(result)
        if rows:
            self.s.execute(Event.__table__.insert(), rows)
        self._release_held()
        return results

    def _one(self, body, digest, known, rows) -> dict[str, Any]:
        uuid = body["uuid"]
        if uuid in known:
            if known[uuid] == digest:
                return {"uuid": uuid, "result": protocol.DUPLICATE}
            self._quarantine(body, digest, "payload_mismatch")
            return {"uuid": uuid, "result": protocol.REJECTED, "reason": "payload_mismatch",
                    "message": "Mã sự kiện đã có trên máy chủ với nội dung khác; sự kiện bị cách ly."}
        broken = self.chain.broken(body, digest)
        if broken is not None:
            self._quarantine(body, digest, CHAIN_BROKEN)
            guard.audit(self.s, self.now, CHAIN_BROKEN, agency=self.scope.agency, device_id=self.scope.device_id,
                        detail=f"device_seq {body['device_seq']} uuid {uuid} dossier {body['dossier_code']}: {broken}")
            return {"uuid": uuid, "result": protocol.REJECTED, "reason": CHAIN_BROKEN, "message": CHAIN_MESSAGE}
        code = body["dossier_code"]
        dossier = self.dossiers.get(code)
        if not _may_act(self.scope, dossier, body):
            return {"uuid": uuid, "result": protocol.REJECTED, "reason": "agency_not_served",
                    "message": f"Thiết bị không được phép gửi hồ sơ của cơ quan {body.get('agency')}."}
        intake = is_intake(body)
        refusal = authz.intake_refusal(self.scope.agencies, self.scope.slots, body) if (
            intake and (dossier is None or dossier.intake_uuid != uuid)) else None
        if refusal is not None:  # identity, not claim: see provincial_server/authz.py
            self._quarantine(body, digest, refusal[0])
            return {"uuid": uuid, "result": protocol.REJECTED, "reason": refusal[0], "message": refusal[1]}
        if intake and dossier is not None and dossier.intake_uuid != uuid:
            self._quarantine(body, digest, "code_conflict")
            return {"uuid": uuid, "result": protocol.CONFLICT, "reason": "code_conflict",
                    "message": f"Mã hồ sơ {code} đã được một lần tiếp nhận khác sử dụng."}
        applied = False
        if intake and dossier is not None:  # re-sent after the server lost the event (reconciliation)
            applied = True
        elif intake:
            dossier = _dossier_from_intake(body, self.now)
            self.s.add(dossier)
            self.dossiers[code] = dossier
            self.router.intake(dossier, body)
            applied = True
        elif dossier is not None and (body.get("prev_uuid") is None or body["prev_uuid"] in self.applied):
            self._apply(dossier, body, self.scope.agency, self.scope.device_id)
            applied = True
        if applied:
            self.applied.add(uuid)
        known[uuid] = digest
        self.chain.add(body["device_seq"], digest, body.get("prev_hash"), stored=True)
        rows.append(self._row(body, digest, applied))
        return {"uuid": uuid, "result": protocol.ACCEPTED, "held": not applied}

    def _row(self, body, digest, applied: bool) -> dict[str, Any]:
        return {"uuid": body["uuid"], "payload_hash": digest, "device_id": self.scope.device_id,
                "device_seq": body["device_seq"], "device_day": str(body["at"])[:10],
                "dossier_code": body["dossier_code"], "agency": body.get("agency") or "", "kind": body["kind"],
                "at": body["at"], "prev_uuid": body.get("prev_uuid"), "prev_hash": body.get("prev_hash"),
                "received_at": self.now,
                "applied": applied, "body": body}

    def _apply(self, dossier: Dossier, body: dict[str, Any], actor: str, device_id: int) -> None:
        """The event's new state, routed to the dossier's other agencies; or, when it contradicts a
        final state another event gave the dossier, kept without changing it and flagged."""
        if routing.is_conflict(dossier, body):
            self.router.flag(dossier, body, actor, device_id)
        else:
            self._set_state(dossier, body)
            if dossier.status in routing.FINAL:
                self.router.closed(dossier, body)
        self.router.event(dossier, body, actor)

    def _set_state(self, dossier: Dossier, body: dict[str, Any]) -> None:
        dossier.status = body["status_after"]
        dossier.status_source = "counter"
        dossier.updated_at = self.now
        new_due = (body.get("payload") or {}).get("new_due_at")
        if new_due:
            dossier.due_at = new_due
        if body["status_after"] == "returned" and body.get("status_before") != "returned":
            dossier.returned_at = body["at"]
        if body["status_after"] == "result_ready":
            dossier.result_ready_at = body["at"]

    def _quarantine(self, body, digest, reason: str) -> None:
        self.s.add(Quarantine(uuid=body["uuid"], device_id=self.scope.device_id, payload_hash=digest,
                              device_seq=body["device_seq"], reason=reason, received_at=self.now, body=body))
        if reason not in NOT_NEIGHBOURS:  # still the device's own event at that device_seq
            self.chain.add(body["device_seq"], digest, body.get("prev_hash"), stored=False)

    def _load_dossiers(self, codes: set[str]) -> None:
        missing = [c for c in codes if c not in self.dossiers]
        for c in missing:
            self.dossiers[c] = None
        for d in self.s.scalars(select(Dossier).where(Dossier.code.in_(missing))):
            self.dossiers[d.code] = d

    def _release_held(self) -> None:
        """Apply held events whose predecessor (or whose dossier) has now arrived, chain by chain."""
        frontier = set(self.applied)
        while frontier:
            codes = {c for c, d in self.dossiers.items() if d is not None}
            self.s.flush()
            held = self.s.execute(
                select(Event.seq, Event.uuid, Event.dossier_code, Event.body, Event.device_id).where(
                    Event.applied.is_(False),
                    (Event.prev_uuid.in_(frontier)) | (Event.prev_uuid.is_(None) & Event.dossier_code.in_(codes)),
                ).order_by(Event.seq)).all()
            frontier = set()
            for seq, uuid, code, body, device_id in held:
                self._load_dossiers({code})
                dossier = self.dossiers.get(code)
                if dossier is None or (body.get("prev_uuid") and body["prev_uuid"] not in self.applied):
                    continue
                if not authz.held_event_allowed(self.s, device_id, dossier):
                    self._refuse_held(seq, device_id, body)
                    continue
                self._apply(dossier, body, self.s.get(Device, device_id).agency, device_id)
                self.s.execute(update(Event).where(Event.seq == seq).values(applied=True))
                self.applied.add(uuid)
                frontier.add(uuid)


    def _refuse_held(self, seq: int, device_id: int, body: dict[str, Any]) -> None:
        """A held event whose device may not act on the dossier it waited for: quarantined, never applied.
        Removed from the event store so a re-send is answered ``rejected`` rather than ``duplicate``."""
        self.s.add(Quarantine(uuid=body["uuid"], device_id=device_id, payload_hash=protocol.payload_hash(body),
                              device_seq=body.get("device_seq"), reason="not_authorised", received_at=self.now,
                              body=body))
        self.s.execute(Event.__table__.delete().where(Event.seq == seq))


def device_scope(session: Session, device: Device) -> DeviceScope:
    serves = authz.device_agencies(session, device) - {device.agency}
    return DeviceScope(device.id, device.agency, frozenset(serves), device.slot, device_slots(session, device))
