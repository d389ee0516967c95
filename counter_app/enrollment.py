"""Joining a counter to the provincial server, and building its sync engine (composition, like
``app.py``: the only place that knows both the data directory and the keyring)."""

from __future__ import annotations

import socket
from pathlib import Path

from counter_app.app import CounterApp
from counter_app.core.errors import ConfigurationError, ValidationError
from counter_app.core.model import Agency
from counter_app.core.serialize import iso
from counter_app.paths import database_path
from counter_app.storage.uow import SqlUnitOfWork
from counter_app.sync.credentials import TokenStore
from counter_app.sync.engine import CURSOR, DEVICE_ID, SERVER_URL, SyncEngine
from counter_app.sync.lock import InstanceLock
from counter_app.sync.transport import SyncClient, SyncFailure, normalise_url

LOCK_FILE = "sync.lock"


def token_store(server_url: str, device_id: int) -> TokenStore:
    return TokenStore(f"{server_url}#device-{device_id}")


def _url(server_url: str) -> str:
    try:
        return normalise_url(server_url)
    except ValueError:
        raise ValidationError(f"Địa chỉ máy chủ «{server_url}» phải bắt đầu bằng http:// hoặc https://.",
                              "bad server URL") from None


def enroll(data_dir: Path, server_url: str, code: str, *, clock=None, device_name: str | None = None) -> dict:
    """Exchange a one-time code for a device token (kept only in the keyring) and this counter's
    device settings. On an empty data directory the counter is initialised from them."""
    url = _url(server_url)
    TokenStore("probe").require_backend()  # before the server spends the one-time code
    existing = CounterApp.open(data_dir, clock) if database_path(data_dir).exists() else None
    client = SyncClient(url)
    try:
        answer = client.enroll(code.strip(), device_name or socket.gethostname())
    except SyncFailure as failure:
        if existing:
            existing.close()
        raise ConfigurationError(failure.message, failure.detail or failure.kind.value) from None
    finally:
        client.close()
    agency = answer.agency
    if existing and existing.ctx.settings.agency.code != agency.code:
        own = existing.ctx.settings.agency.code
        existing.close()
        raise ConfigurationError(f"Mã đăng ký dành cho cơ quan {agency.code}, nhưng quầy này thuộc {own}. "
                                 "Xin quản trị tỉnh cấp mã cho đúng cơ quan.", "agency mismatch")
    token_store(url, answer.device_id).save(answer.token)
    app = existing or CounterApp.initialise(data_dir, agency_code=agency.code, agency_name=agency.name,
                                            province=agency.province, clock=clock)
    with app.uow() as uow:
        uow.settings.set("device_slot", answer.device_slot)
        for served in answer.serves:
            uow.settings.save_agency(Agency(served.code, served.name, served.province, False))
        previous = uow.sync_state.get(SERVER_URL)
        uow.sync_state.set(SERVER_URL, url)
        uow.sync_state.set(DEVICE_ID, answer.device_id)
        uow.sync_state.set("enrolled_at", iso(app.clock.now()))
        if previous != url:
            uow.sync_state.set(CURSOR, 0)
        uow.commit()
    app.reload()
    out = {"server": url, "device_id": answer.device_id, "device_slot": answer.device_slot,
           "agency": agency.code, "agency_name": agency.name, "serves": [s.code for s in answer.serves]}
    app.close()
    return out


def sync_identity(app: CounterApp) -> tuple[str, int] | None:
    with app.read_uow() as uow:
        url, device = uow.sync_state.get(SERVER_URL), uow.sync_state.get(DEVICE_ID)
    return (url, int(device)) if url and device else None


def build_engine(app: CounterApp) -> SyncEngine | None:
    """The engine for this data directory, or None when the counter was never enrolled."""
    identity = sync_identity(app)
    if identity is None:
        return None
    url, device = identity
    token = token_store(url, device).load()

    def uow_factory(write: bool = True) -> SqlUnitOfWork:
        return SqlUnitOfWork(app.db, write=write)

    return SyncEngine(uow_factory, app.clock, InstanceLock(app.data_dir / LOCK_FILE), server_url=url, token=token)
