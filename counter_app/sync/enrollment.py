"""Joining a counter to the provincial server: a one-time code is exchanged for a device token
(kept only in the OS keyring) and the device settings the province assigns to this counter."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

from counter_app.core import protocol
from counter_app.core.errors import ConfigurationError, ValidationError
from counter_app.core.model import Agency
from counter_app.core.outbox import CURSOR, DEVICE_ID, SERVER_URL
from counter_app.core.ports import Clock, UnitOfWork
from counter_app.core.serialize import iso
from counter_app.sync.credentials import TokenStore
from counter_app.sync.transport import SyncClient, SyncFailure, normalise_url


def token_store(server_url: str, device_id: int) -> TokenStore:
    return TokenStore(f"{server_url}#device-{device_id}")


def server_url(text: str) -> str:
    try:
        return normalise_url(text)
    except ValueError:
        raise ValidationError(f"Địa chỉ máy chủ «{text}» phải bắt đầu bằng http:// hoặc https://.",
                              "bad server URL") from None


def exchange(url: str, code: str, *, device_name: str | None = None,
             client_factory: Callable[[str], SyncClient] = SyncClient) -> protocol.EnrollAnswer:
    """The server's answer to the one-time code. The keyring is checked first: a counter that
    could not keep the token must not spend the code."""
    TokenStore("probe").require_backend()
    client = client_factory(url)
    try:
        return client.enroll(code.strip(), device_name or socket.gethostname())
    except SyncFailure as failure:
        raise ConfigurationError(failure.message, failure.detail or failure.kind.value) from None
    finally:
        client.close()


class EnrollmentService:
    def __init__(self, uow: Callable[[], UnitOfWork], clock: Clock, agency_code: Callable[[], str], *,
                 client_factory: Callable[[str], SyncClient] = SyncClient) -> None:
        self._uow, self._clock, self._agency_code = uow, clock, agency_code
        self._client_factory = client_factory

    def enroll(self, server: str, code: str, device_name: str | None = None) -> dict[str, Any]:
        url = server_url(server)
        answer = exchange(url, code, device_name=device_name, client_factory=self._client_factory)
        own, agency = self._agency_code(), answer.agency.code
        if own != agency:
            raise ConfigurationError(f"Mã đăng ký dành cho cơ quan {agency}, nhưng quầy này thuộc {own}. "
                                     "Xin quản trị tỉnh cấp mã cho đúng cơ quan.", "agency mismatch")
        return self.apply(url, answer)

    def apply(self, url: str, answer: protocol.EnrollAnswer) -> dict[str, Any]:
        """Keep the token in the keyring and the device settings in the store (one transaction)."""
        token_store(url, answer.device_id).save(answer.token)
        with self._uow() as uow:
            uow.settings.set("device_slot", answer.device_slot)
            for served in answer.serves:
                uow.settings.save_agency(Agency(served.code, served.name, served.province, False, served.slot))
            previous = uow.sync_state.get(SERVER_URL)
            uow.sync_state.set(SERVER_URL, url)
            uow.sync_state.set(DEVICE_ID, answer.device_id)
            uow.sync_state.set("enrolled_at", iso(self._clock.now()))
            if previous != url:
                uow.sync_state.set(CURSOR, 0)
            uow.commit()
        return {"server": url, "device_id": answer.device_id, "device_slot": answer.device_slot,
                "agency": answer.agency.code, "agency_name": answer.agency.name,
                "serves": [s.code for s in answer.serves],
                "slots": {s.code: s.slot for s in answer.serves if s.slot is not None}}
