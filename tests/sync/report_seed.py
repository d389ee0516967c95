"""A synthetic month seeded straight into the server's tables, with known distributions (the figures
tests/sync/test_server_report.py asserts are worked out in its comments, not recomputed)."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone

from sqlalchemy import insert

from tests.sync.servers import ROOT

A, B, R = "H52.101", "H52.102", "H52.900"
P1, P2, P3, P4, P5 = "1.001193", "1.000656", "1.003583", "1.001612", "2.000815"
DEACTIVATED = "1.000419"
RECEIVED = "2026-03-02T09:00:00+07:00"  # a Monday
DUE = "2026-03-05T17:00:00+07:00"


def bundled(code: str) -> dict:
    data = json.loads((ROOT / "resources" / "catalogue" / "commune-procedures.json").read_text("utf-8"))
    return next(dict(p) for p in data["procedures"] if p["code"] == code)


def publish_reference(service) -> None:
    """The catalogue with P1's level history (partial → full on 15/3 → paper on 10/4: full on 31/3),
    P3 without postal service, one procedure withdrawn; the location-independent list (P3 listed; P2
    removed on 20/3); 3/3 a day off for agency B only."""
    p1 = bundled(P1) | {"online_levels": [
        {"level": "partial", "from": "2026-01-01", "decision": "QĐ 1/QĐ-UBND"},
        {"level": "paper", "from": "2026-04-10", "decision": "QĐ 3/QĐ-UBND"},
        {"level": "full", "from": "2026-03-15", "decision": "QĐ 2/QĐ-UBND"}]}
    service.publish("catalogue", [p1, bundled(P3) | {"postal_allowed": False},
                                  bundled(DEACTIVATED) | {"active": False}])
    entry = {"decision": "2608/QĐ-UBND", "decision_date": "2026-01-05", "effective_from": "2026-01-05",
             "places": ["any_commune"], "channels": ["in_person"]}
    service.publish("location_free", [entry | {"procedure_code": P3},
                                      entry | {"procedure_code": P2, "removed_by": "99/QĐ-UBND",
                                               "removed_on": "2026-03-20"}])
    service.publish("calendar", [{"day": "2026-03-03", "kind": "day_off", "agency_code": B, "note": "Nghỉ riêng"}])


class Seeder:
    def __init__(self, session) -> None:
        from provincial_server.models import Device

        self.s = session
        self.now = datetime.now(timezone.utc)
        self.dossiers: list[dict] = []
        self.events: list[dict] = []
        self.n = 0
        self.seq = 0
        device = Device(agency=A, slot=1, name="seed", token_hash="0" * 64, enrolled_at=self.now)
        session.add(device)
        session.flush()
        self.device = device.id

    def dossier(self, proc: str, competent: str, *, receiving: str | None = None, status: str = "returned",
                channel: str = "counter", return_method: str = "counter", received: str = RECEIVED,
                due: str | None = DUE, ready: str | None = None, returned: str | None = None,
                intake_body: dict | None = None) -> str:
        self.n += 1
        code = f"{competent}-260302-01{self.n:05d}"
        intake = str(uuid.uuid4())
        self.dossiers.append(dict(
            code=code, receiving_agency=receiving or competent, competent_agency=competent,
            return_agency=receiving or competent, procedure_code=proc, procedure_name=f"Thủ tục {proc}",
            applicant_name="Nguyễn Văn Ấn", received_at=received, due_at=due, returned_at=returned,
            result_ready_at=ready, status=status, status_source="counter", intake_uuid=intake, updated_at=self.now,
            data={"channel": channel, "return_method": return_method, "procedure_code": proc}))
        if intake_body is not None:
            self.event(code, "received", RECEIVED, intake_body, uid=intake)
        return code

    def event(self, code: str, kind: str, at: str, payload: dict, *, applied: bool = True,
              uid: str | None = None) -> None:
        self.seq += 1
        uid = uid or str(uuid.uuid4())
        self.events.append(dict(uuid=uid, payload_hash="0" * 64, device_id=self.device, device_seq=self.seq,
                                device_day=at[:10], dossier_code=code, agency=code.split("-")[0], kind=kind, at=at,
                                prev_uuid=None, prev_hash=None, received_at=self.now, applied=applied,
                                body={"uuid": uid, "kind": kind, "at": at, "payload": payload}))

    def flush(self) -> None:
        from provincial_server.models import Dossier, Event

        self.s.execute(insert(Dossier), self.dossiers)
        if self.events:
            self.s.execute(insert(Event), self.events)


def seed_month(session) -> None:
    """11,111 dossiers received on 2/3/2026 (plus two outside March), due 5/3 17:00 unless said."""
    s = Seeder(session)
    # P1, agency A: 10,000 returned. 9,000 received at A, 1,000 at the centre R; 500 returned by post.
    # Finished (result_ready_at, no event): 6,000 on 4/3 (early, 2 working days), 3,000 on 5/3 16:00
    # (on time, 3), 1,000 on 6/3 (late, 4).
    for i in range(10_000):
        ready = ("2026-03-04T10:00:00+07:00" if i < 6000 else "2026-03-05T16:00:00+07:00" if i < 9000
                 else "2026-03-06T09:00:00+07:00")
        s.dossier(P1, A, receiving=R if i % 10 == 0 else None, return_method="post" if i % 20 == 1 else "counter",
                  ready=ready, returned=ready.replace(":00:00+", ":30:00+"))
    # P2, agency B: 600 counter, 300 post, 100 online. 400 returned the next day (3/3 — a day off at B:
    # 0 working days) and rated (5: 150, 4: 100, 3: 50, 2: 60, 1: 40); 300 processing (overdue), 200
    # waiting for a supplement (never overdue), 100 refused.
    ratings = [5] * 150 + [4] * 100 + [3] * 50 + [2] * 60 + [1] * 40
    for i in range(1000):
        channel = "counter" if i < 600 else "post" if i < 900 else "online"
        j = (i * 7) % 1000  # statuses spread over the channels
        if j < 400:
            code = s.dossier(P2, B, channel=channel, ready="2026-03-03T10:00:00+07:00",
                             returned="2026-03-03T11:00:00+07:00")
            s.event(code, "result_ready", "2026-03-03T10:00:00+07:00", {})
            s.event(code, "returned", "2026-03-03T11:00:00+07:00", {"rating": ratings[j], "receiver_name": "A"})
            if j == 0:  # a second, conflicting return: the first one's rating stays
                s.event(code, "returned", "2026-03-04T11:00:00+07:00", {"rating": 1})
        else:
            s.dossier(P2, B, channel=channel,
                      status="processing" if j < 700 else "supplement_requested" if j < 900 else "refused")
    # P3, agency A, all received at the centre R, still "received", due 10/4. 20 rescheduled once, 10
    # twice (and a third reschedule still held, not applied): 30 dossiers, 40 reschedules.
    for i in range(100):
        code = s.dossier(P3, A, receiving=R, status="received", due="2026-04-10T17:00:00+07:00")
        for _ in range(1 if i < 20 else 2 if i < 30 else 0):
            s.event(code, "rescheduled", "2026-03-04T08:00:00+07:00", {"new_due_at": "2026-04-10T17:00:00+07:00"})
        if 20 <= i < 30:
            s.event(code, "rescheduled", "2026-03-05T08:00:00+07:00", {}, applied=False)
    # P4, agency B: 10 ready the same day by their event (no due time); the column says 20/3 (a later
    # province status), which must not win over the first finish.
    for _ in range(10):
        code = s.dossier(P4, B, status="result_ready", due=None, ready="2026-03-20T10:00:00+07:00")
        s.event(code, "result_ready", "2026-03-02T15:00:00+07:00", {})
    # P5, a certified copy at A: on time (same day), rated 1. Items: (2 pages × 3 copies, 6,000 đ, no 11),
    # (1 × 2, 4,000 đ, numbered later 12), (5 × 1, 10,000 đ, no 13 voided) → 2 documents, 5 copies,
    # 8 pages, 10,000 đ.
    cert = {"kind": "copy", "items": [
        {"position": 1, "document": "Bằng tốt nghiệp", "pages": 2, "copies": 3, "fee": 6000, "number": 11},
        {"position": 2, "document": "Giấy khai sinh", "pages": 1, "copies": 2, "fee": 4000, "number": None},
        {"position": 3, "document": "Sổ đỏ", "pages": 5, "copies": 1, "fee": 10000, "number": 13}]}
    code = s.dossier(P5, A, due="2026-03-02T17:00:00+07:00", ready="2026-03-02T10:00:00+07:00",
                     returned="2026-03-02T10:05:00+07:00", intake_body={"dossier": {}, "certification": cert})
    s.event(code, "certificate_numbered", "2026-03-02T09:30:00+07:00",
            {"numbers": [{"position": 2, "number": 12, "book": "01"}]})
    s.event(code, "certificate_voided", "2026-03-02T09:40:00+07:00", {"number": 13, "reason": "in hỏng"})
    s.event(code, "returned", "2026-03-02T10:05:00+07:00", {"rating": 1})
    # Outside March: not counted.
    s.dossier(P1, A, received="2026-02-28T16:00:00+07:00")
    s.dossier(P2, B, received="2026-04-01T07:30:00+07:00")
    s.flush()
