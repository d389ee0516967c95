"""A desk's side of the register holder: ``HolderClient`` (HTTP, the shapes of ``core.protocol``)
and ``RemoteRegisterHolder`` (the register-holder port over it). Unreachable → a clear
``HolderUnavailable`` (the desk never invents a number); refusals carry the holder's message."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date
from typing import TypeVar

import requests

from counter_app import __version__
from counter_app.core import protocol
from counter_app.core.certification import (
    HolderExpired, HolderUnavailable, NumberingRequest, RegisterEntry, RegisterNumber,
)
from counter_app.core.errors import ConfigurationError, ValidationError
from counter_app.sync.credentials import TokenStore

W = TypeVar("W", bound=protocol.Wire)
TIMEOUT = (3.0, 15.0)  # the desk waits with a citizen in front of it: fail fast, say so


def holder_token_store(url: str) -> TokenStore:
    return TokenStore(f"register-holder {url}")


class HolderClient:
    def __init__(self, url: str, token: str | None) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.session = requests.Session()
        self.session.headers[protocol.CLIENT_VERSION_HEADER] = __version__

    def _call(self, method: str, path: str, **kw) -> dict:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            r = self.session.request(method, f"{self.url}/api/v1/holder{path}", headers=headers, timeout=TIMEOUT, **kw)
        except requests.RequestException as exc:
            raise HolderUnavailable(f"Không liên lạc được máy giữ sổ chứng thực ({self.url}). Chưa cấp số; "
                                    "có thể lưu yêu cầu để cấp số sau, không tự đặt số.",
                                    f"{type(exc).__name__}") from None
        try:
            body = r.json()
        except ValueError:
            body = {}
        if r.status_code >= 500:
            raise HolderUnavailable(f"Máy giữ sổ chứng thực đang lỗi (HTTP {r.status_code}). Chưa cấp số.",
                                    body.get("detail", ""))
        if r.status_code == 401:
            raise ConfigurationError(body.get("error") or "Quầy chưa được ghép với máy giữ sổ.", "holder auth")
        if r.status_code == 409 and body.get("detail") == "expired":
            raise HolderExpired(body.get("error", "Số đã bị hủy."), "expired")
        if r.status_code >= 400:
            raise ValidationError(body.get("error") or f"Máy giữ sổ từ chối (HTTP {r.status_code}).",
                                  body.get("detail", ""))
        return body

    def _read(self, shape: type[W], body: dict) -> W:
        try:
            return shape.from_dict(body)
        except protocol.WireError as exc:
            raise ValidationError("Máy giữ sổ trả lời sai cấu trúc; có thể hai máy khác phiên bản phần mềm.",
                                  str(exc)) from None

    def health(self) -> dict:
        return self._call("GET", "/health")

    def pair(self, code: str, name: str) -> protocol.PairAnswer:
        request = protocol.PairRequest(code=code, name=name, nonce=secrets.token_urlsafe(16))
        return self._read(protocol.PairAnswer, self._call("POST", "/pair", json=request.to_dict()))

    def reserve(self, request_id: str, register_type: str, year: int, entries) -> list[RegisterNumber]:
        request = protocol.ReserveRequest(request_id=request_id, register_type=register_type, year=year,
                                          entries=tuple(entries))
        return list(self._read(protocol.ReserveAnswer, self._call("POST", "/reserve", json=request.to_dict())).numbers)

    def confirm(self, request_id: str, dossier_code: str) -> None:
        self._call("POST", "/confirm", json=protocol.ConfirmRequest(request_id=request_id,
                                                                    dossier_code=dossier_code).to_dict())

    def void(self, register_type: str, year: int, number: int, reason: str, officer: str) -> None:
        self._call("POST", "/void", json=protocol.VoidRequest(register_type=register_type, year=year, number=number,
                                                              reason=reason, officer=officer).to_dict())

    def entries(self, register_type: str, first: date, last: date) -> list[RegisterEntry]:
        data = self._call("GET", "/entries", params={"register_type": register_type, "from": first.isoformat(),
                                                     "to": last.isoformat()})
        return list(self._read(protocol.RegisterEntries, data).entries)


class RemoteRegisterHolder:
    """``core.ports.RegisterHolder`` when another desk of the office holds the registers: numbers
    are reserved before the dossier's transaction and confirmed after its commit, so the holder's
    lock is never held while this desk writes."""

    numbers_final_at_commit = False

    def __init__(self, client: HolderClient) -> None:
        self.client = client

    def reserve(self, prepare: Callable[[], NumberingRequest]) -> list[RegisterNumber]:
        request = prepare()
        return self.client.reserve(request.request_id, request.register_type, request.year, request.entries)

    def issue(self, uow, request: NumberingRequest, reserved: list[RegisterNumber] | None,
              dossier_code: str) -> list[RegisterNumber] | None:
        return reserved

    def confirm(self, request_id: str, dossier_code: str) -> None:
        self.client.confirm(request_id, dossier_code)

    def void(self, uow, register_type: str, year: int, number: int, reason: str, officer: str) -> None:
        self.client.void(register_type, year, number, reason, officer)

    def entries(self, register_type: str, first: date, last: date) -> list[RegisterEntry]:
        return self.client.entries(register_type, first, last)

    def close_year(self, register_type: str, year: int) -> int:
        raise ValidationError("Chỉ máy giữ sổ mới khóa sổ chứng thực cuối năm.", "not the register holder")


def remote_holder(url: str) -> RemoteRegisterHolder:
    return RemoteRegisterHolder(HolderClient(url, holder_token_store(url).load()))
