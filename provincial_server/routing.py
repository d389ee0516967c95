"""Routing between the counters of one dossier, and the review flags of conflicting acts.

A dossier involves up to three agencies: the one whose counter received it, the competent one and
the one whose counter returns the result. When they differ, the feed carries the dossier to each
of them: the electronic dossier at once when its intake is stored (``CHANGE_DOSSIER``), then every
counter event applied to it (``CHANGE_EVENT``, with the dossier's status on the server after it), so
that what A does comes back to R and every counter converges to the server's state. The counter
that sent an event pulls it back too (a change goes to an agency, not a device) and ignores it by
its UUID. A dossier of one agency is not routed: nothing else holds it.

Offline, two counters can do what only one may: both hand the same result over. The server never
merges them silently. An event whose ``status_before`` is not the dossier's status when that status
is final (returned, withdrawn, stopped, refused) is stored and routed like any other, but it does not
change the dossier: the dossier is flagged for review (``review_flag``), written to the audit log,
and the flag is sent to every counter involved; a province operator resolves it with a note.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.core import protocol
from counter_app.core.lifecycle import TERMINAL, Action
from provincial_server import guard
from provincial_server.models import Change, Dossier, Event, ReviewFlag

FINAL = frozenset(s.value for s in TERMINAL)
DOUBLE_RETURN, FINAL_CONFLICT = "double_return", "final_state_conflict"
EVENT_KEYS = ("uuid", "kind", "at", "officer", "status_before", "status_after", "payload")


def involved(d: Dossier) -> list[str]:
    return sorted({a for a in (d.receiving_agency, d.competent_agency, d.return_agency) if a})


def routed_dossier(d: Dossier) -> dict[str, Any]:
    data = dict(d.data)
    data["return_agency"] = d.return_agency
    return data


def is_conflict(dossier: Dossier, body: dict[str, Any]) -> bool:
    """The event was decided on a state the dossier has left for good (another counter closed it)."""
    return dossier.status in FINAL and body.get("status_before") != dossier.status


def flag_view(f: ReviewFlag) -> dict[str, Any]:
    return {"id": f.id, "code": f.dossier_code, "reason": f.reason, "events": list(f.event_uuids),
            "agencies": list(f.agencies), "raised_at": f.raised_at.isoformat(),
            "resolved_at": f.resolved_at.isoformat() if f.resolved_at else None,
            "resolved_by": f.resolved_by, "note": f.note}


class Router:
    """Writes the routed changes of one transaction; takes the change-feed lock before the first."""

    def __init__(self, session: Session, now: datetime, lock_feed: Callable[[Session], None]) -> None:
        self.s = session
        self.now = now
        self._lock_feed = lock_feed
        self._locked = False
        self._closing: dict[str, str] = {}  # dossier code → the event of this batch that made it final

    def _change(self, agency: str, kind: str, data: dict[str, Any]) -> None:
        if not self._locked:
            self._lock_feed(self.s)
            self._locked = True
        self.s.add(Change(agency=agency, kind=kind, created_at=self.now, data=data))

    def intake(self, dossier: Dossier, body: dict[str, Any]) -> None:
        """The electronic dossier reaches the competent and the return agency at once."""
        others = [a for a in involved(dossier) if a != dossier.receiving_agency]
        if not others:
            return
        data = {"dossier": routed_dossier(dossier), "status": dossier.status, "events": [body]}
        for agency in others:
            self._change(agency, protocol.CHANGE_DOSSIER, data)

    def event(self, dossier: Dossier, body: dict[str, Any], actor: str) -> None:
        """An applied counter event goes to every agency of a dossier that involves several."""
        agencies = involved(dossier)
        if len(agencies) < 2:
            return
        data = {"code": dossier.code, "agency": actor, "event": {k: body.get(k) for k in EVENT_KEYS},
                "status": dossier.status, "due_at": dossier.due_at}
        for agency in agencies:
            self._change(agency, protocol.CHANGE_EVENT, data)

    def closed(self, dossier: Dossier, body: dict[str, Any]) -> None:
        """``body`` (applied) made the dossier final: the event a later conflicting one is set against."""
        self._closing[dossier.code] = body["uuid"]

    def flag(self, dossier: Dossier, body: dict[str, Any], actor: str, device_id: int | None) -> ReviewFlag:
        """Keep both acts, change nothing on the dossier, and tell the province and the counters."""
        closing = self._closing.get(dossier.code) or next(
            (uuid for uuid, b in self.s.execute(select(Event.uuid, Event.body).where(
                Event.dossier_code == dossier.code, Event.applied.is_(True)).order_by(Event.seq.desc()))
             if b.get("status_after") == dossier.status and b.get("status_before") != dossier.status), None)
        flag = self.s.scalars(select(ReviewFlag).where(ReviewFlag.dossier_code == dossier.code,
                                                       ReviewFlag.resolved_at.is_(None))).first()
        both_returns = (body.get("kind") == Action.RETURN.value and dossier.status == "returned")
        if flag is None:
            flag = ReviewFlag(dossier_code=dossier.code, reason=DOUBLE_RETURN if both_returns else FINAL_CONFLICT,
                              event_uuids=[u for u in (closing,) if u], agencies=involved(dossier),
                              raised_at=self.now)
            self.s.add(flag)
        flag.event_uuids = [*flag.event_uuids, body["uuid"]]  # a new list: JSON columns track assignment
        self.s.flush()
        guard.audit(self.s, self.now, "review_flag", agency=actor, device_id=device_id,
                    detail=f"dossier {dossier.code} ({flag.reason}): {body['kind']} {body['uuid']} after "
                           f"{dossier.status}; flag {flag.id}")
        self.send_flag(flag)
        return flag

    def send_flag(self, flag: ReviewFlag) -> None:
        for agency in flag.agencies:
            self._change(agency, protocol.CHANGE_FLAG, flag_view(flag))


def flags(s: Session, *, open_only: bool = True) -> list[dict[str, Any]]:
    stmt = select(ReviewFlag).order_by(ReviewFlag.id)
    if open_only:
        stmt = stmt.where(ReviewFlag.resolved_at.is_(None))
    return [flag_view(f) for f in s.scalars(stmt)]


def resolve(router: Router, flag_id: int, note: str, who: str) -> dict[str, Any]:
    """The province's decision, written with the flag and sent to the counters that were told."""
    from provincial_server.service import ServerError

    flag = router.s.get(ReviewFlag, flag_id)
    if flag is None:
        raise ServerError(f"Không có cờ kiểm tra số {flag_id}.", 404)
    if flag.resolved_at is not None:
        raise ServerError(f"Cờ kiểm tra số {flag_id} đã được xử lý lúc {flag.resolved_at.isoformat()}.", 409)
    if not note.strip():
        raise ServerError("Cần ghi nội dung xử lý (--note).")
    flag.resolved_at, flag.resolved_by, flag.note = router.now, who[:100], note.strip()
    guard.audit(router.s, router.now, "review_flag_resolved", source=who, detail=f"flag {flag.id} "
                f"dossier {flag.dossier_code}: {flag.note}")
    router.send_flag(flag)
    return flag_view(flag)
