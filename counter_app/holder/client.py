"""A desk's side of the register holder: ``HolderClient`` (HTTPS pinned to the holder's certificate,
the shapes of ``core.protocol``) and ``RemoteRegisterHolder`` (the register-holder port over it).
Unreachable → a clear ``HolderUnavailable`` (the desk never invents a number); refusals carry the
holder's message; a machine showing another certificate than the pinned one is refused."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date
from typing import TypeVar
from urllib.parse import urlsplit

import requests

from counter_app import __version__
from counter_app.core import protocol
from counter_app.core.certification import (
    HolderExpired, HolderUnavailable, NumberingRequest, RegisterEntry, RegisterNumber,
)
from counter_app.core.errors import ConfigurationError, ValidationError
from counter_app.holder.tls import peer_fingerprint, pinned_session
from counter_app.sync.credentials import TokenStore

W = TypeVar("W", bound=protocol.Wire)
TIMEOUT = (3.0, 15.0)  # the desk waits with a citizen in front of it: fail fast, say so


def holder_token_store(url: str, desk: int) -> TokenStore:
    """Per desk number: two data folders on one OS account are two desks with two tokens."""
    return TokenStore(f"register-holder {url} desk {desk}")


def holder_pin_store(url: str, desk: int) -> TokenStore:
    """The SHA-256 fingerprint of the holder's certificate, pinned at pairing (beside the token)."""
    return TokenStore(f"register-holder-pin {url} desk {desk}")


class WrongHolder(ConfigurationError):
    """The machine at the holder's address shows another certificate than the one pinned."""


class HolderClient:
    def __init__(self, url: str, token: str | None, fingerprint: str | None = None) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.fingerprint = fingerprint
        self.session = pinned_session(fingerprint) if fingerprint else None

    def _call(self, method: str, path: str, **kw) -> dict:
        if self.session is None:
            raise ConfigurationError("Quầy chưa ghép với máy giữ sổ qua kết nối mã hóa; cần ghép lại.", "no pin")
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        headers[protocol.CLIENT_VERSION_HEADER] = __version__
        try:
            r = self.session.request(method, f"{self.url}/api/v1/holder{path}", headers=headers, timeout=TIMEOUT, **kw)
        except requests.exceptions.SSLError as exc:
            if "fingerprint" in str(exc).lower():
                raise WrongHolder(f"Máy tại {self.url} không phải máy giữ sổ đã ghép (chứng chỉ khác). Chưa cấp số; "
                                  "báo quản trị: nếu máy giữ sổ được cài lại, cần ghép lại quầy.",
                                  "certificate fingerprint mismatch") from None
            raise HolderUnavailable(f"Không lập được kết nối mã hóa với máy giữ sổ ({self.url}). Chưa cấp số.",
                                    "SSLError") from None
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

    def pair(self, code: str, name: str, desk: int) -> protocol.PairAnswer:
        """Pin the certificate the holder shows, prove to it with the code that this is the
        certificate seen, and check its proof back: a relay in between fails both ways. The code
        itself is never sent."""
        parts = urlsplit(self.url)
        try:
            self.fingerprint = peer_fingerprint(parts.hostname or "", parts.port or 443)
        except OSError as exc:
            raise HolderUnavailable(f"Không liên lạc được máy giữ sổ ({self.url}) qua kết nối mã hóa.",
                                    type(exc).__name__) from None
        self.session = pinned_session(self.fingerprint)
        nonce = secrets.token_urlsafe(16)
        proof = protocol.pairing_proof(code, self.fingerprint, nonce, "desk")
        request = protocol.PairRequest(proof=proof, nonce=nonce, name=name, desk=desk)
        answer = self._read(protocol.PairAnswer, self._call("POST", "/pair", json=request.to_dict()))
        if not protocol.proofs_equal(answer.proof, protocol.pairing_proof(code, self.fingerprint, nonce, "holder")):
            raise WrongHolder("Máy trả lời không chứng minh được nó là máy giữ sổ đã cấp mã ghép; không ghép.",
                              "holder proof mismatch")
        return answer

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

    def sign(self, request_id: str, day: date, signer_name: str, signer_title: str) -> None:
        self._call("POST", "/sign", json=protocol.SignRequest(request_id=request_id, day=day, signer_name=signer_name,
                                                              signer_title=signer_title).to_dict())

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

    def sign(self, uow, request_id: str, signed_on: date, signer_name: str, signer_title: str) -> None:
        self.client.sign(request_id, signed_on, signer_name, signer_title)

    def close_year(self, register_type: str, year: int, *, reason: str | None = None,
                   signer: str | None = None) -> int:
        raise ValidationError("Chỉ máy giữ sổ mới khóa sổ chứng thực cuối năm.", "not the register holder")


def remote_holder(url: str, desk: int) -> RemoteRegisterHolder:
    return RemoteRegisterHolder(HolderClient(url, holder_token_store(url, desk).load(),
                                             holder_pin_store(url, desk).load()))
