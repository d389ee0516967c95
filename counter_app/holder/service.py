"""The register holder's small HTTPS service on the office network.

One machine of the office holds the certification registers (the numbering authority); the other
certification desks draw numbers from it here. The rules are those of sync: a bearer token per
desk (stored hashed, handed out once for a one-time pairing code), idempotency on the desk's
request id, answers in JSON with a Vietnamese ``error``, bounded request sizes. Every call is one
SQLite write transaction (``BEGIN IMMEDIATE``), so desks asking at the same moment queue on the
lock and get consecutive numbers. Reservations a desk never confirms are voided after
``reservation_timeout``, so a desk that died mid-request leaves a void line, never a gap.

The desk is not trusted with the register: every field is checked (``holder.checks``), a desk
numbers and voids only under the desk number it paired with, and ID numbers leave the holder
masked. The transport is TLS with the holder's own certificate, pinned by each desk at pairing
(``holder.tls``); wrong pairing codes lock a source out for a while.

Standard library ``http.server`` hardened (``holder.transport``): the desktop install carries no web
framework, and uvicorn has no timeout for a body that never finishes.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import TypeVar

from counter_app.core import protocol
from counter_app.core.cccd import mask_id
from counter_app.core.certification import kind_of_register
from counter_app.core.errors import ValidationError
from counter_app.core.text import nfc_deep
from counter_app.holder.checks import FeeOf, Refused, check_entries
from counter_app.storage.certifications import ISSUED, RESERVED
from counter_app.storage.holder_desks import BAD_CODE
from counter_app.storage.uow import SqlUnitOfWork

PREFIX = "/api/v1/holder"
MAX_BODY = 256 * 1024
DEFAULT_RESERVATION_TIMEOUT = timedelta(hours=24)
PAIR_ATTEMPTS, PAIR_WINDOW_S = 5, 15 * 60  # wrong pairing codes per source before it must wait
W = TypeVar("W", bound=protocol.Wire)


class HolderError(Exception):
    def __init__(self, status: int, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.status, self.message, self.detail = status, message, detail


class Lockout:
    """At most ``attempts`` failures per ``window`` seconds per source (in memory: a restart forgives)."""

    def __init__(self, attempts: int = PAIR_ATTEMPTS, window: float = PAIR_WINDOW_S,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.attempts, self.window, self.monotonic = attempts, window, monotonic
        self._failures: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, source: str) -> deque:
        failures, now = self._failures[source], self.monotonic()
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def check(self, source: str) -> None:
        with self._lock:
            failures = self._recent(source)
            if len(failures) >= self.attempts:
                wait = int(failures[0] + self.window - self.monotonic()) // 60 + 1
                raise HolderError(429, f"Nhập sai mã ghép quá {self.attempts} lần; thử lại sau {wait} phút.",
                                  "too many wrong pairing codes")

    def failed(self, source: str) -> None:
        with self._lock:
            self._recent(source).append(self.monotonic())


class RegisterHolderService:
    """The operations, independent of HTTP (the handler only parses and answers). ``desk`` is the
    caller's (desk id, desk number) from ``authenticate``."""

    def __init__(self, db, agency: str, book_size: int, clock,
                 reservation_timeout: timedelta = DEFAULT_RESERVATION_TIMEOUT, *, fingerprint: str,
                 own_desk: int, fee_of: FeeOf, lockout: Lockout | None = None) -> None:
        self.db, self.agency, self.book_size, self.clock = db, agency, book_size, clock
        self.reservation_timeout = reservation_timeout
        self.fingerprint, self.own_desk, self.fee_of = fingerprint, own_desk, fee_of
        self.lockout = lockout or Lockout()

    def _uow(self):
        return SqlUnitOfWork(self.db, write=True)

    def pair(self, body: dict, source: str = "") -> dict:
        self.lockout.check(source)
        request = _parse(protocol.PairRequest, body, "Yêu cầu ghép quầy sai cấu trúc.")
        if not 8 <= len(request.nonce) <= 200 or len(request.proof) != 64:
            raise HolderError(400, "Yêu cầu ghép quầy sai cấu trúc.", "nonce or proof length")
        try:
            with self._uow() as uow:
                desk_id, token, code_hash = uow.holder_desks.pair(
                    request.proof, request.nonce, request.name, request.desk, self.fingerprint, self.clock.now(),
                    self.own_desk)
                uow.commit()
        except ValidationError as exc:
            if exc.detail == BAD_CODE:
                self.lockout.failed(source)
            raise
        proof = protocol.pairing_proof_from_hash(code_hash, self.fingerprint, request.nonce, "holder")
        return protocol.PairAnswer(desk_id=desk_id, token=token, agency=self.agency, proof=proof).to_dict()

    def authenticate(self, token: str | None) -> tuple[int, int]:
        with SqlUnitOfWork(self.db, write=False) as uow:
            desk = uow.holder_desks.desk_for(token)
        if desk is None:
            raise HolderError(401, "Quầy chưa được ghép với máy giữ sổ hoặc đã bị thu hồi; cần ghép lại.",
                              "unknown token")
        if desk[1] is None:
            raise HolderError(401, "Quầy được ghép từ phiên bản cũ (chưa khai số quầy); cần ghép lại.",
                              "paired without a desk number")
        return desk

    def reserve(self, body: dict, desk: tuple[int, int]) -> dict:
        request = _parse(protocol.ReserveRequest, body, "Yêu cầu cấp số sai cấu trúc.")
        if not protocol.is_uuid(request.request_id):
            raise HolderError(400, "Mã yêu cầu cấp số không hợp lệ.", "request_id must be a UUID")
        now = self.clock.now()
        year = _checked(lambda: check_entries(request.register_type, request.year, request.entries, desk[1],
                                              now.date(), self.fee_of))
        with self._uow() as uow:
            uow.cert_register.sweep_reservations(now - self.reservation_timeout, now)
            numbers = uow.cert_register.allocate(self.agency, year, request.register_type,
                                                 self.book_size, request.request_id, list(request.entries), now,
                                                 state=RESERVED)
            uow.commit()
        return protocol.ReserveAnswer(numbers=tuple(numbers)).to_dict()

    def confirm(self, body: dict, desk: tuple[int, int]) -> dict:
        request = _parse(protocol.ConfirmRequest, body, "Yêu cầu xác nhận số sai cấu trúc.")
        if not protocol.is_uuid(request.request_id) or not 1 <= len(request.dossier_code) <= 60:
            raise HolderError(400, "Yêu cầu xác nhận số sai cấu trúc.", "request_id or dossier_code")
        with self._uow() as uow:
            uow.cert_register.confirm(request.request_id, request.dossier_code)
            states = uow.cert_register.request_states(request.request_id)
            uow.commit()
        if not states:
            raise HolderError(404, "Máy giữ sổ không có yêu cầu cấp số này.", "unknown request_id")
        if any(s not in (ISSUED,) for s in states):
            raise HolderError(409, "Số đã cấp cho yêu cầu này đã bị hủy vì quầy không xác nhận kịp.", "expired")
        return {"confirmed": len(states)}

    def void(self, body: dict, desk: tuple[int, int]) -> dict:
        request = _parse(protocol.VoidRequest, body, "Yêu cầu hủy số sai cấu trúc.")
        kind_of_register(request.register_type)
        reason, officer = request.reason.strip(), request.officer.strip()
        if not 1 <= len(reason) <= 500 or len(officer) > 200:
            raise HolderError(400, "Hủy số chứng thực phải ghi lý do (tối đa 500 ký tự).", "void reason")
        with self._uow() as uow:
            entry = uow.cert_register.void(self.agency, request.year, request.register_type, request.number,
                                           reason, officer, self.clock.now(), only_desk=desk[1])
            uow.commit()
        return {"number": entry.number, "state": "void"}

    def sign(self, body: dict, desk: tuple[int, int]) -> dict:
        request = _parse(protocol.SignRequest, body, "Yêu cầu ghi người ký sai cấu trúc.")
        name, title = request.signer_name.strip(), request.signer_title.strip()
        if not protocol.is_uuid(request.request_id) or not 1 <= len(name) <= 200 or not 1 <= len(title) <= 200:
            raise HolderError(400, "Yêu cầu ghi người ký sai cấu trúc.", "request_id or signer")
        with self._uow() as uow:
            count = uow.cert_register.sign(request.request_id, request.day, name, title, only_desk=desk[1])
            uow.commit()
        return {"signed": count}

    def entries(self, query: dict, desk: tuple[int, int] | None = None) -> dict:
        """The register's lines, every ID number masked: the full numbers stay on the holder."""
        try:
            first, last = date.fromisoformat(query["from"]), date.fromisoformat(query["to"])
            register_type = query["register_type"]
        except (KeyError, ValueError) as exc:
            raise HolderError(400, "Cần register_type, from, to (YYYY-MM-DD).", str(exc)[:200]) from None
        kind_of_register(register_type)
        if last < first:
            raise HolderError(400, "Ngày kết thúc phải không trước ngày bắt đầu.", "date range")
        with SqlUnitOfWork(self.db, write=False) as uow:
            rows = uow.cert_register.entries(register_type, first, last)
        masked = tuple(replace(r, applicant_id=mask_id(r.applicant_id) or None) for r in rows)
        return protocol.RegisterEntries(entries=masked).to_dict()


def _checked(check: Callable[[], int]) -> int:
    try:
        return check()
    except Refused as exc:
        raise HolderError(400, exc.message, exc.detail) from None


def _parse(shape: type[W], body: dict, message: str) -> W:
    """The request as the protocol's dataclass, its text NFC; a wrong shape is the desk's 400."""
    try:
        return shape.from_dict(nfc_deep(body))
    except protocol.WireError as exc:
        raise HolderError(400, message, str(exc)[:200]) from None


