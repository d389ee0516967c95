"""Server operations used by both the HTTP API and the admin CLI."""

from __future__ import annotations

import secrets
import uuid as uuidlib
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import func, select

from counter_app.core import protocol
from counter_app.core.protocol import secret_hash
from counter_app.core.errors import ValidationError
from counter_app.core.lifecycle import Status
from counter_app.core.model import Agency as AgencyValue
from counter_app.core.setting_defs import BY_KEY, Who, apply_province, may_change
from counter_app.core.settings import CounterSettings
from counter_app.core.text import nfc_deep
from provincial_server.db import ServerDatabase
from provincial_server.ingest import DeviceScope, Ingest, device_scope
from provincial_server.models import (
    Agency, AgencyServes, Change, Device, Dossier, EnrollCode, Event, Quarantine, ServerSetting,
)

ENROLL_CODE_HOURS = 72
MAX_SLOT = 99
# Processing states the province sets (the counter owns receive/refuse/return).
PROVINCE_STATUSES = (Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.STOPPED, Status.RESULT_READY,
                     Status.WITHDRAWN)


class ServerError(Exception):
    """A refusal with a Vietnamese message; ``status`` is the HTTP status the API answers with."""

    def __init__(self, message: str, status: int = 400, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.detail = detail


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
    def add_agency(self, code: str, name: str, province: str = "", serves: list[str] = ()) -> None:
        code, name = code.strip(), nfc_deep(name.strip())
        if not code or not name:
            raise ServerError("Cần mã và tên cơ quan.")
        with self.db.transaction() as s:
            agency = s.get(Agency, code) or Agency(code=code)
            agency.name, agency.province = name, nfc_deep(province)
            s.add(agency)
            s.flush()
            for served in serves:
                if s.get(Agency, served) is None:
                    s.add(Agency(code=served, name=served, province=province))
                    s.flush()
                if s.get(AgencyServes, (code, served)) is None:
                    s.add(AgencyServes(agency=code, served=served))

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
    def enroll(self, code: str, device_name: str, client_version: str, nonce: str = "") -> dict[str, Any]:
        now = utcnow()
        with self.db.transaction() as s:
            row = s.get(EnrollCode, secret_hash(protocol.normalise_code(code)))
            if (row is not None and row.used_at is not None and nonce and row.nonce_hash == secret_hash(nonce)
                    and _aware(row.expires_at) >= now):
                return self._reissue(s, row)
            if row is None or row.used_at is not None or _aware(row.expires_at) < now:
                raise ServerError("Mã đăng ký thiết bị không đúng, đã dùng hoặc đã hết hạn; "
                                  "xin quản trị tỉnh cấp mã mới.", 400, "invalid enrollment code")
            used = set(s.scalars(select(Device.slot).where(Device.agency == row.agency)))
            slot = next((n for n in range(1, MAX_SLOT + 1) if n not in used), None)
            if slot is None:
                raise ServerError("Cơ quan đã dùng hết số thiết bị (99).", 409, "no free device slot")
            token = secrets.token_urlsafe(32)
            device = Device(agency=row.agency, slot=slot, name=nfc_deep(device_name)[:200],
                            token_hash=secret_hash(token), enrolled_at=now, client_version=client_version)
            s.add(device)
            s.flush()
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
        served = [s.get(Agency, c) for c in s.scalars(
            select(AgencyServes.served).where(AgencyServes.agency == device.agency))]
        return protocol.EnrollAnswer(device_id=device.id, token=token, device_slot=device.slot,
                                     agency=_agency_info(agency),
                                     serves=tuple(_agency_info(a) for a in served)).to_dict()

    def authenticate(self, token: str | None) -> DeviceScope:
        if not token:
            raise ServerError("Thiếu mã xác thực thiết bị.", 401, "missing bearer token")
        with self.db.read() as s:
            device = s.scalars(select(Device).where(Device.token_hash == secret_hash(token))).first()
            if device is None or device.revoked:
                raise ServerError("Thiết bị chưa đăng ký hoặc đã bị thu hồi; cần đăng ký lại.", 401,
                                  "unknown or revoked token")
            return device_scope(s, device)

    # -- push, pull, reconcile ----------------------------------------------------------------
    def push(self, scope: DeviceScope, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        with self.db.transaction() as s:
            results = Ingest(s, scope, utcnow()).push(events)
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
            change = {"code": code, "uuid": str(uuidlib.uuid4()), "status_before": before,
                      "status": status.value, "at": now.isoformat(), "note": nfc_deep(note)}
            targets = {d.receiving_agency}
            if return_at and return_at != d.return_agency:
                d.return_agency = return_at
                s.add(Change(agency=return_at, kind=protocol.CHANGE_DOSSIER, created_at=now,
                             data=self._dossier_change(s, d)))
            targets.add(d.return_agency)
            for agency in sorted(targets):
                s.add(Change(agency=agency, kind=protocol.CHANGE_STATUS, created_at=now, data=change))
        return change

    @staticmethod
    def _dossier_change(s, d: Dossier) -> dict[str, Any]:
        events = [e.body for e in s.scalars(select(Event).where(Event.dossier_code == d.code).order_by(Event.seq))]
        data = dict(d.data)
        data["return_agency"] = d.return_agency
        return {"dossier": data, "status": d.status, "events": events}

    def publish(self, kind: str, items: list[dict[str, Any]] | dict[str, Any], agency: str | None = None) -> int:
        """Catalogue entries (one change each), a calendar override list (one change) or counter
        settings ``{key: value}`` (one change; only keys the province decides, checked here so that
        a typo is refused at the province rather than at every counter)."""
        if kind not in (protocol.CHANGE_CATALOGUE, protocol.CHANGE_CALENDAR, protocol.CHANGE_SETTINGS):
            raise ServerError(f"Không phát hành được loại thay đổi {kind}.")
        if kind == protocol.CHANGE_SETTINGS:
            items = province_settings(items)
        now = utcnow()
        with self.db.transaction() as s:
            self.db.lock_change_feed(s)
            if agency is not None and s.get(Agency, agency) is None:
                raise ServerError(f"Không có cơ quan {agency}; thêm bằng: agency add.")
            if kind == protocol.CHANGE_CATALOGUE:
                for item in items:
                    s.add(Change(agency=agency, kind=kind, created_at=now, data=nfc_deep(item)))
                return len(items)
            data = {"values": items} if kind == protocol.CHANGE_SETTINGS else {"overrides": nfc_deep(items)}
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
