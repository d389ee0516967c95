"""Server operations used by both the HTTP API and the admin CLI."""

from __future__ import annotations

import secrets
import uuid as uuidlib
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import func, select

from counter_app.core import escrow, protocol
from counter_app.core.protocol import secret_hash
from counter_app.core.catalogue import parse_procedure
from counter_app.core.errors import ValidationError
from counter_app.core.lifecycle import Status
from counter_app.core.location_free import entry_to_dict, parse_list
from counter_app.core.model import Agency as AgencyValue
from counter_app.core.setting_defs import BY_KEY, Who, apply_province, may_change
from counter_app.core.settings import CounterSettings
from counter_app.core.swaps import parse_swaps
from counter_app.core.text import nfc_deep
from provincial_server import guard, routing, slots
from provincial_server.db import ServerDatabase
from provincial_server.ingest import DeviceScope, Ingest, device_scope
from provincial_server.models import (
    Agency, AgencyServes, Change, CodeSlot, Device, Dossier, EnrollCode, Event, KeyEscrow, Quarantine, ServerSetting,
)

ENROLL_CODE_HOURS = 72
# Processing states the province sets (the counter owns receive/refuse/return).
PROVINCE_STATUSES = (Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.STOPPED, Status.RESULT_READY,
                     Status.WITHDRAWN)


DEVICE_STATE_MESSAGES = {
    "revoked": "Thiết bị này đã bị quản trị tỉnh thu hồi; máy chủ không nhận dữ liệu từ thiết bị. "
               "Hồ sơ chờ gửi vẫn được giữ nguyên trên quầy; liên hệ quản trị tỉnh để đăng ký lại.",
    "suspended": "Thiết bị này đang bị quản trị tỉnh tạm ngừng đồng bộ. Hồ sơ chờ gửi vẫn được giữ nguyên "
                 "trên quầy và sẽ được gửi khi thiết bị được mở lại.",
}


class ServerError(Exception):
    """A refusal with a Vietnamese message; ``status`` is the HTTP status the API answers with."""

    def __init__(self, message: str, status: int = 400, detail: str = "", *, reason: str = "",
                 headers: dict[str, str] | None = None, agency: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.detail = detail
        self.reason = reason  # machine-readable, e.g. device_revoked
        self.headers = headers or {}
        self.agency = agency  # for the audit log, when the refusal concerns a known agency


def province_settings(values: Any) -> dict[str, Any]:
    """The counter settings a province may publish, each checked as the counter will check it."""
    if not isinstance(values, dict) or not values:
        raise ServerError("Cần một đối tượng JSON {khóa: giá trị} các thiết lập.")
    unknown = sorted(k for k in values if k not in BY_KEY)
    if unknown:
        raise ServerError(f"Không có thiết lập: {', '.join(unknown)}.")
    local = sorted(k for k in values if not may_change(k, Who.PROVINCE))
    if local:
        raise ServerError(f"Tỉnh không đặt các thiết lập này (do quầy quyết định): {', '.join(local)}.")
    try:
        _, _, refused = apply_province(CounterSettings(agency=AgencyValue("X", "X")), values)
    except ValidationError as exc:
        raise ServerError(exc.message, detail=exc.detail or "") from exc
    if refused:
        raise ServerError("Giá trị không hợp lệ: " + "; ".join(f"{k}: {v}" for k, v in refused.items()))
    return nfc_deep(values)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class ProvincialService:
    def __init__(self, db: ServerDatabase) -> None:
        self.db = db

    # -- administration -----------------------------------------------------------------------
    def add_agency(self, code: str, name: str, province: str = "", serves: list[str] = ()) -> bool:
        """Add or rename an agency and add to what it serves; True when the served list grew (its
        enrolled counters are then sent their new slots, provincial_server/slots.py)."""
        code, name = code.strip(), nfc_deep(name.strip())
        if not code or not name:
            raise ServerError("Cần mã và tên cơ quan.")
        with self.db.transaction() as s:
            agency = s.get(Agency, code) or Agency(code=code)
            agency.name, agency.province = name, nfc_deep(province)
            s.add(agency)
            s.flush()
            added = False
            for served in serves:
                if s.get(Agency, served) is None:
                    s.add(Agency(code=served, name=served, province=province))
                    s.flush()
                if s.get(AgencyServes, (code, served)) is None:
                    s.add(AgencyServes(agency=code, served=served))
                    added = True
            if added:  # the agency's enrolled counters get their slots and the list at the next pull
                self.db.lock_change_feed(s)
                s.flush()
                change, full = slots.serves_change(s, code, utcnow())
                if full:
                    raise ServerError(f"Cơ quan {', '.join(full)} đã dùng hết 99 dãy số mã hồ sơ; "
                                      "không thêm được thiết bị tiếp nhận hộ.", 409, "no free code slot")
                s.add(change)
        return added

    def create_enroll_code(self, agency: str, hours: int = ENROLL_CODE_HOURS) -> dict[str, Any]:
        shown, raw = protocol.one_time_code()
        now = utcnow()
        with self.db.transaction() as s:
            if s.get(Agency, agency) is None:
                raise ServerError(f"Không có cơ quan {agency}; thêm bằng: agency add.")
            s.add(EnrollCode(code_hash=secret_hash(raw), agency=agency, created_at=now,
                             expires_at=now + timedelta(hours=hours)))
        return {"code": shown, "agency": agency,
                "expires_at": (now + timedelta(hours=hours)).isoformat()}

    def set_min_client_version(self, version: str) -> None:
        with self.db.transaction() as s:
            s.merge(ServerSetting(key="min_client_version", value=version))

    def min_client_version(self) -> str:
        with self.db.read() as s:
            row = s.get(ServerSetting, "min_client_version")
            return row.value if row else "0"

    # -- enrollment and authentication --------------------------------------------------------
    def _check_rate(self, now: datetime, source: str, *, enrollment: bool) -> None:
        with self.db.read() as s:
            wait = guard.retry_after(s, now, source=source, enrollment=enrollment)
        if wait is not None:
            raise ServerError(f"Quá nhiều lần thử sai từ địa chỉ này; xin thử lại sau {wait} giây.", 429,
                              "too many failed attempts", reason="rate_limited",
                              headers={"Retry-After": str(wait)})

    def _record(self, kind: str, **fields) -> None:
        with self.db.transaction() as s:
            guard.audit(s, utcnow(), kind, **fields)

    def enroll(self, code: str, device_name: str, client_version: str, nonce: str = "",
               source: str = "") -> dict[str, Any]:
        now = utcnow()
        self._check_rate(now, source, enrollment=True)  # per source address and server-wide
        try:
            out = self._enroll(now, code, device_name, client_version, nonce)
        except ServerError as exc:
            if exc.reason == "invalid_enroll_code":
                self._record(guard.BAD_ENROLL_CODE, source=source, agency=exc.agency)
            raise
        self._record("enrolled", source=source, agency=out["agency"]["code"], device_id=out["device_id"],
                     detail=f"slot {out['device_slot']}")
        return out

    def _enroll(self, now, code: str, device_name: str, client_version: str, nonce: str) -> dict[str, Any]:
        with self.db.transaction() as s:
            row = s.get(EnrollCode, secret_hash(protocol.normalise_code(code)))
            if (row is not None and row.used_at is not None and nonce and row.nonce_hash == secret_hash(nonce)
                    and _aware(row.expires_at) >= now):
                return self._reissue(s, row)
            wait = guard.retry_after(s, now, source=None, agency=row.agency) if row is not None else None
            if wait is not None:  # this agency's codes are being guessed at: refuse even a good one for now
                raise ServerError(f"Quá nhiều lần thử sai cho cơ quan này; xin thử lại sau {wait} giây.", 429,
                                  "too many failed attempts for the agency", reason="rate_limited",
                                  headers={"Retry-After": str(wait)})
            if row is None or row.used_at is not None or _aware(row.expires_at) < now:
                raise ServerError("Mã đăng ký thiết bị không đúng, đã dùng hoặc đã hết hạn; "
                                  "xin quản trị tỉnh cấp mã mới.", 400, "invalid enrollment code",
                                  reason="invalid_enroll_code", agency=row.agency if row is not None else None)
            slot = slots.free_slot(s, row.agency)  # not taken by its devices nor by counters serving it
            if slot is None:
                raise ServerError("Cơ quan đã dùng hết số thiết bị (99).", 409, "no free device slot")
            token = secrets.token_urlsafe(32)
            device = Device(agency=row.agency, slot=slot, name=nfc_deep(device_name)[:200],
                            token_hash=secret_hash(token), enrolled_at=now, client_version=client_version)
            s.add(device)
            s.flush()
            s.add(CodeSlot(agency=row.agency, slot=slot, device_id=device.id))
            s.flush()
            slots.assign_served(s, device)  # a full served agency: that agency's intakes wait for a slot
            row.used_at, row.device_id = now, device.id
            row.nonce_hash = secret_hash(nonce) if nonce else None
            return self._enrolled(s, device, token)

    def _reissue(self, s, row: EnrollCode) -> dict[str, Any]:
        device = s.get(Device, row.device_id)
        token = secrets.token_urlsafe(32)
        device.token_hash = secret_hash(token)
        return self._enrolled(s, device, token)

    @staticmethod
    def _enrolled(s, device: Device, token: str) -> dict[str, Any]:
        agency = s.get(Agency, device.agency)
        mine = slots.device_slots(s, device)
        served = [s.get(Agency, c) for c in slots.served_codes(s, device.agency)]
        return protocol.EnrollAnswer(device_id=device.id, token=token, device_slot=device.slot,
                                     agency=_agency_info(agency),
                                     serves=tuple(slots.agency_info(a, mine.get(a.code)) for a in served)).to_dict()

    def authenticate(self, token: str | None, source: str = "") -> DeviceScope:
        now = utcnow()
        self._check_rate(now, source, enrollment=False)
        if not token:
            self._record(guard.BAD_TOKEN, source=source, detail="missing bearer token")
            raise ServerError("Thiếu mã xác thực thiết bị.", 401, "missing bearer token", reason="missing_token")
        with self.db.read() as s:
            device = s.scalars(select(Device).where(Device.token_hash == secret_hash(token))).first()
            scope = device_scope(s, device) if device is not None else None
            state = None if device is None else "revoked" if device.revoked else (
                "suspended" if device.suspended else None)
        if device is None:
            self._record(guard.BAD_TOKEN, source=source, detail="unknown token")
            raise ServerError("Thiết bị chưa đăng ký hoặc mã xác thực không đúng; cần đăng ký lại.", 401,
                              "unknown token", reason="unknown_token")
        if state is not None:  # a genuine token: logged, but not counted as a guess
            self._record(f"device_{state}_refused", source=source, agency=scope.agency, device_id=scope.device_id)
            raise ServerError(DEVICE_STATE_MESSAGES[state], 403, f"device {state}", reason=f"device_{state}")
        return scope

    # -- devices (admin CLI) --------------------------------------------------------------------
    def devices(self) -> list[dict[str, Any]]:
        with self.db.read() as s:
            return [{"id": d.id, "agency": d.agency, "slot": d.slot, "name": d.name,
                     "state": "revoked" if d.revoked else "suspended" if d.suspended else "active",
                     "enrolled_at": d.enrolled_at.isoformat(),
                     "last_seen_at": d.last_seen_at.isoformat() if d.last_seen_at else None,
                     "client_version": d.client_version}
                    for d in s.scalars(select(Device).order_by(Device.agency, Device.slot))]

    def set_device_state(self, device_id: int, action: str, who: str = "cli") -> dict[str, Any]:
        """``suspend`` (reversible), ``resume``, or ``revoke`` (final: re-enroll for a new token)."""
        with self.db.transaction() as s:
            device = s.get(Device, device_id)
            if device is None:
                raise ServerError(f"Không có thiết bị số {device_id}.", 404)
            if device.revoked and action != "revoke":
                raise ServerError(f"Thiết bị {device_id} đã bị thu hồi; không thể {action}.", 409)
            if action == "revoke":
                device.revoked = True
            else:
                device.suspended = action == "suspend"
            guard.audit(s, utcnow(), f"device_{action}", source=who, agency=device.agency, device_id=device.id)
        return next(d for d in self.devices() if d["id"] == device_id)

    def audit_log(self, limit: int = 100) -> list[dict[str, Any]]:
        with self.db.read() as s:
            return [{"at": r.at.isoformat(), "kind": r.kind, "source": r.source, "agency": r.agency,
                     "device_id": r.device_id, "detail": r.detail} for r in guard.recent(s, limit)]

    # -- push, pull, reconcile ----------------------------------------------------------------
    def push(self, scope: DeviceScope, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        with self.db.transaction() as s:
            results = Ingest(s, scope, utcnow(), self.db.lock_change_feed).push(events)
            device = s.get(Device, scope.device_id)
            device.last_seen_at = utcnow()
        return results

    def pull(self, scope: DeviceScope, cursor: int, limit: int) -> dict[str, Any]:
        limit = max(1, min(limit, protocol.MAX_PULL_CHANGES))
        with self.db.read() as s:
            rows = s.scalars(select(Change).where(
                Change.seq > cursor, (Change.agency.is_(None)) | (Change.agency == scope.agency)
            ).order_by(Change.seq).limit(limit)).all()
            changes = [{"seq": r.seq, "kind": r.kind, "data": r.data} for r in rows]
            next_cursor = rows[-1].seq if rows else cursor
        return {"cursor": next_cursor, "more": len(rows) == limit, "changes": changes}

    def reconcile(self, scope: DeviceScope, days: list[str]) -> dict[str, int]:
        with self.db.read() as s:
            rows = s.execute(select(Event.device_day, func.count()).where(
                Event.device_id == scope.device_id, Event.device_day.in_(days)).group_by(Event.device_day)).all()
        counts = {d: 0 for d in days}
        counts.update({d: n for d, n in rows})
        return counts

    def event_uuids(self, scope: DeviceScope, day: str) -> list[str]:
        with self.db.read() as s:
            return list(s.scalars(select(Event.uuid).where(Event.device_id == scope.device_id,
                                                            Event.device_day == day)))

    def store_escrow(self, scope: DeviceScope, sealed: str) -> dict[str, Any]:
        """Keep this device's sealed database key (the newest replaces the older one)."""
        try:
            box = escrow.check_sealed(sealed)
        except ValidationError as exc:
            raise ServerError(exc.message, 422, exc.detail) from None
        with self.db.transaction() as s:
            row = s.get(KeyEscrow, scope.device_id) or KeyEscrow(device_id=scope.device_id)
            row.sealed, row.public_key_fingerprint, row.received_at = sealed, box["to"][:16], utcnow()
            s.merge(row)
        return {"stored": True, "to": box["to"]}

    def escrowed_key(self, device_id: int) -> str:
        with self.db.read() as s:
            row = s.get(KeyEscrow, device_id)
            if row is None:
                raise ServerError(f"Thiết bị #{device_id} chưa gửi khóa lưu giữ.", 404)
            return row.sealed

    def own_events(self, scope: DeviceScope, after: int, limit: int) -> dict[str, Any]:
        """The events this device delivered after its ``device_seq`` ``after``, in device order: a
        counter restored from an older backup takes back what it had sent since (never another
        device's events, and never quarantined ones, which were not accepted)."""
        limit = max(1, min(limit, protocol.MAX_BATCH_EVENTS))
        with self.db.read() as s:
            rows = s.execute(select(Event.device_seq, Event.body).where(
                Event.device_id == scope.device_id, Event.device_seq > after)
                .order_by(Event.device_seq).limit(limit + 1)).all()
            head = s.scalar(select(func.max(Event.device_seq)).where(Event.device_id == scope.device_id))
        return {"events": [body for _, body in rows[:limit]], "more": len(rows) > limit, "head": head or 0}

    # -- the provincial system's side ---------------------------------------------------------
    def set_status(self, code: str, status: str, *, note: str = "", return_at: str | None = None) -> dict:
        try:
            status = Status(status)
        except ValueError:
            raise ServerError(f"Trạng thái không hợp lệ: {status}. Dùng một trong: "
                              + ", ".join(s.value for s in PROVINCE_STATUSES)) from None
        if status not in PROVINCE_STATUSES:
            raise ServerError(f"Trạng thái {status.value} do quầy ghi nhận, không đặt từ tỉnh.")
        now = utcnow()
        with self.db.transaction() as s:
            self.db.lock_change_feed(s)
            d = s.get(Dossier, code)
            if d is None:
                raise ServerError(f"Không có hồ sơ {code} trên máy chủ.", 404)
            if return_at and s.get(Agency, return_at) is None:
                raise ServerError(f"Không có cơ quan {return_at}.")
            before = d.status
            d.status, d.status_source, d.updated_at = status.value, "province", now
            if status is Status.RESULT_READY:
                d.result_ready_at = now.isoformat()
            change = {"code": code, "uuid": str(uuidlib.uuid4()), "status_before": before,
                      "status": status.value, "at": now.isoformat(), "note": nfc_deep(note)}
            targets = {d.receiving_agency, d.competent_agency}
            if return_at and return_at != d.return_agency:
                d.return_agency = return_at
                s.add(Change(agency=return_at, kind=protocol.CHANGE_DOSSIER, created_at=now,
                             data=self._dossier_change(s, d)))
            targets.add(d.return_agency)
            for agency in sorted(targets):
                s.add(Change(agency=agency, kind=protocol.CHANGE_STATUS, created_at=now, data=change))
        return change

    def review_flags(self, *, open_only: bool = True) -> list[dict[str, Any]]:
        with self.db.read() as s:
            return routing.flags(s, open_only=open_only)

    def resolve_flag(self, flag_id: int, note: str, who: str = "cli") -> dict[str, Any]:
        with self.db.transaction() as s:
            return routing.resolve(routing.Router(s, utcnow(), self.db.lock_change_feed), flag_id,
                                   nfc_deep(note), who)

    @staticmethod
    def _dossier_change(s, d: Dossier) -> dict[str, Any]:
        events = [e.body for e in s.scalars(select(Event).where(Event.dossier_code == d.code).order_by(Event.seq))]
        data = dict(d.data)
        data["return_agency"] = d.return_agency
        return {"dossier": data, "status": d.status, "events": events}

    def publish(self, kind: str, items: list[dict[str, Any]] | dict[str, Any], agency: str | None = None) -> int:
        """Catalogue entries (one change each), a calendar override list or a list of published
        days-off swaps (one change each, the whole list), or counter
        settings ``{key: value}`` (one change; only keys the province decides, checked here so that
        a typo is refused at the province rather than at every counter)."""
        if kind not in (protocol.CHANGE_CATALOGUE, protocol.CHANGE_CALENDAR, protocol.CHANGE_SETTINGS,
                        protocol.CHANGE_SWAPS, protocol.CHANGE_LOCATION_FREE):
            raise ServerError(f"Không phát hành được loại thay đổi {kind}.")
        if kind == protocol.CHANGE_LOCATION_FREE:  # the whole list, checked as the counter will check it
            try:
                items = [entry_to_dict(e) for e in parse_list(items)]
            except ValidationError as exc:
                raise ServerError(exc.message, detail=exc.detail or "") from exc
        if kind == protocol.CHANGE_CATALOGUE:  # checked as the counter will parse it (online_levels too)
            if not isinstance(items, list):
                raise ServerError("Danh mục phải là một danh sách thủ tục.")
            try:
                for i, item in enumerate(items, 1):
                    parse_procedure(item, f"Thủ tục thứ {i}")
            except ValidationError as exc:
                raise ServerError(exc.message, detail=exc.detail or "") from exc
        if kind == protocol.CHANGE_SETTINGS:
            items = province_settings(items)
        if kind == protocol.CHANGE_SWAPS:  # checked as the counter will check it: a bad list is refused here
            try:
                items = [s.to_dict() for s in parse_swaps(items)]
            except ValidationError as exc:
                raise ServerError(exc.message, detail=exc.detail or "") from exc
        now = utcnow()
        with self.db.transaction() as s:
            self.db.lock_change_feed(s)
            if agency is not None and s.get(Agency, agency) is None:
                raise ServerError(f"Không có cơ quan {agency}; thêm bằng: agency add.")
            if kind == protocol.CHANGE_CATALOGUE:
                for item in items:
                    s.add(Change(agency=agency, kind=kind, created_at=now, data=nfc_deep(item)))
                return len(items)
            data = ({"values": items} if kind == protocol.CHANGE_SETTINGS else {"swaps": items}
                    if kind == protocol.CHANGE_SWAPS else {"entries": items}
                    if kind == protocol.CHANGE_LOCATION_FREE else {"overrides": nfc_deep(items)})
            s.add(Change(agency=agency, kind=kind, created_at=now, data=data))
            return 1

    def stats(self) -> dict[str, Any]:
        with self.db.read() as s:
            # Both counted by the competent agency (the commune the dossier belongs to).
            per_dossier = dict(s.execute(select(Dossier.competent_agency, func.count())
                                         .group_by(Dossier.competent_agency)).all())
            per_event = dict(s.execute(select(Event.agency, func.count()).group_by(Event.agency)).all())
            return {
                "dossiers": sum(per_dossier.values()), "events": sum(per_event.values()),
                "held_events": s.scalar(select(func.count()).where(Event.applied.is_(False))) or 0,
                "quarantined": s.scalar(select(func.count()).select_from(Quarantine)) or 0,
                "devices": s.scalar(select(func.count()).select_from(Device)) or 0,
                "agencies": {a: {"dossiers": per_dossier.get(a, 0), "events": per_event.get(a, 0)}
                             for a in sorted(set(per_dossier) | set(per_event))},
            }


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _agency_info(a: Agency) -> protocol.AgencyInfo:
    return protocol.AgencyInfo(code=a.code, name=a.name, province=a.province or "")
