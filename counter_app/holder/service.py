"""The register holder's small HTTP service on the office network.

One machine of the office holds the certification registers (the numbering authority); the other
certification desks draw numbers from it here. The rules are those of sync: a bearer token per
desk (stored hashed, handed out once for a one-time pairing code), idempotency on the desk's
request id, answers in JSON with a Vietnamese ``error``, bounded request sizes. Every call is one
SQLite write transaction (``BEGIN IMMEDIATE``), so desks asking at the same moment queue on the
lock and get consecutive numbers. Reservations a desk never confirms are voided after
``reservation_timeout``, so a desk that died mid-request leaves a void line, never a gap.

Plain ``http.server`` (standard library): the desktop install carries no web framework. Run it
behind the office network only; use a TLS proxy if the office network is not trusted.
"""

from __future__ import annotations

import json
import threading
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TypeVar

from counter_app.core import protocol
from counter_app.core.certification import kind_of_register
from counter_app.core.errors import CounterError, NotFound
from counter_app.core.text import nfc_deep
from counter_app.storage.certifications import ISSUED, RESERVED
from counter_app.storage.uow import SqlUnitOfWork

PREFIX = "/api/v1/holder"
MAX_BODY = 256 * 1024
DEFAULT_RESERVATION_TIMEOUT = timedelta(hours=24)
W = TypeVar("W", bound=protocol.Wire)


class HolderError(Exception):
    def __init__(self, status: int, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.status, self.message, self.detail = status, message, detail


class RegisterHolderService:
    """The operations, independent of HTTP (the handler below only parses and answers)."""

    def __init__(self, db, agency: str, book_size: int, clock,
                 reservation_timeout: timedelta = DEFAULT_RESERVATION_TIMEOUT) -> None:
        self.db, self.agency, self.book_size, self.clock = db, agency, book_size, clock
        self.reservation_timeout = reservation_timeout

    def _uow(self):
        return SqlUnitOfWork(self.db, write=True)

    def pair(self, body: dict) -> dict:
        request = _parse(protocol.PairRequest, body, "Yêu cầu ghép quầy sai cấu trúc.")
        with self._uow() as uow:
            desk_id, token = uow.holder_desks.pair(request.code, request.name, request.nonce, self.clock.now())
            uow.commit()
        return protocol.PairAnswer(desk_id=desk_id, token=token, agency=self.agency).to_dict()

    def authenticate(self, token: str | None) -> int:
        with SqlUnitOfWork(self.db, write=False) as uow:
            desk_id = uow.holder_desks.desk_for(token)
            if desk_id is None:
                raise HolderError(401, "Quầy chưa được ghép với máy giữ sổ hoặc đã bị thu hồi; cần ghép lại.",
                                  "unknown token")
            return desk_id

    def reserve(self, body: dict) -> dict:
        request = _parse(protocol.ReserveRequest, body, "Yêu cầu cấp số sai cấu trúc.")
        if not protocol.is_uuid(request.request_id):
            raise HolderError(400, "Mã yêu cầu cấp số không hợp lệ.", "request_id must be a UUID")
        kind_of_register(request.register_type)  # unknown types are refused
        if not request.entries or len(request.entries) > 500:
            raise HolderError(400, "Mỗi yêu cầu cấp từ 1 đến 500 số.", "bad entry count")
        now = self.clock.now()
        with self._uow() as uow:
            uow.cert_register.sweep_reservations(now - self.reservation_timeout, now)
            numbers = uow.cert_register.allocate(self.agency, request.year or now.year, request.register_type,
                                                 self.book_size, request.request_id, list(request.entries), now,
                                                 state=RESERVED)
            uow.commit()
        return protocol.ReserveAnswer(numbers=tuple(numbers)).to_dict()

    def confirm(self, body: dict) -> dict:
        request = _parse(protocol.ConfirmRequest, body, "Yêu cầu xác nhận số sai cấu trúc.")
        with self._uow() as uow:
            uow.cert_register.confirm(request.request_id, request.dossier_code)
            states = uow.cert_register.request_states(request.request_id)
            uow.commit()
        if not states:
            raise HolderError(404, "Máy giữ sổ không có yêu cầu cấp số này.", "unknown request_id")
        if any(s not in (ISSUED,) for s in states):
            raise HolderError(409, "Số đã cấp cho yêu cầu này đã bị hủy vì quầy không xác nhận kịp.", "expired")
        return {"confirmed": len(states)}

    def void(self, body: dict) -> dict:
        request = _parse(protocol.VoidRequest, body, "Yêu cầu hủy số sai cấu trúc.")
        with self._uow() as uow:
            entry = uow.cert_register.void(self.agency, request.year, request.register_type, request.number,
                                           request.reason, request.officer, self.clock.now())
            uow.commit()
        return {"number": entry.number, "state": "void"}

    def entries(self, query: dict) -> dict:
        try:
            first, last = date.fromisoformat(query["from"]), date.fromisoformat(query["to"])
            register_type = query["register_type"]
        except (KeyError, ValueError) as exc:
            raise HolderError(400, "Cần register_type, from, to (YYYY-MM-DD).", str(exc)) from None
        with SqlUnitOfWork(self.db, write=False) as uow:
            rows = uow.cert_register.entries(register_type, first, last)
        return protocol.RegisterEntries(entries=tuple(rows)).to_dict()


def _parse(shape: type[W], body: dict, message: str) -> W:
    """The request as the protocol's dataclass, its text NFC; a wrong shape is the desk's 400."""
    try:
        return shape.from_dict(nfc_deep(body))
    except protocol.WireError as exc:
        raise HolderError(400, message, str(exc)[:200]) from None


def _handler(service: RegisterHolderService):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "counter_app-holder"

        def log_message(self, *args) -> None:  # no access log: request lines could carry names
            pass

        def _answer(self, status: int, data: dict) -> None:
            body = json.dumps({**data, "server_time": datetime.now().astimezone().isoformat()},
                              ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            # Headers and body in one write: two small writes meet the client's delayed ACK and
            # cost 40 ms a call on Linux (measured: 137 ms for reserve + confirm, 5 documents).
            self._headers_buffer.append(b"\r\n" + body)
            self.flush_headers()

        def _body(self) -> dict:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                raise HolderError(413, "Yêu cầu quá lớn.", "request too large")
            try:
                data = json.loads(self.rfile.read(length) or b"{}")
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise HolderError(400, "Nội dung không phải JSON hợp lệ.", "invalid JSON") from None
            if not isinstance(data, dict):
                raise HolderError(400, "Nội dung phải là một đối tượng JSON.", "not an object")
            return data

        def _token(self) -> str | None:
            auth = self.headers.get("Authorization", "")
            return auth[7:] if auth.lower().startswith("bearer ") else None

        def _route(self, method: str) -> None:
            from urllib.parse import parse_qsl, urlsplit

            url = urlsplit(self.path)
            path = url.path[len(PREFIX):] if url.path.startswith(PREFIX) else None
            try:
                if path == "/health" and method == "GET":
                    return self._answer(200, {"status": "ok", "agency": service.agency})
                if path == "/pair" and method == "POST":
                    return self._answer(200, service.pair(self._body()))
                service.authenticate(self._token())
                routes = {("POST", "/reserve"): lambda: service.reserve(self._body()),
                          ("POST", "/confirm"): lambda: service.confirm(self._body()),
                          ("POST", "/void"): lambda: service.void(self._body()),
                          ("GET", "/entries"): lambda: service.entries(dict(parse_qsl(url.query)))}
                action = routes.get((method, path))
                if action is None:
                    raise HolderError(404, "Không có chức năng này.", f"{method} {url.path}")
                self._answer(200, action())
            except HolderError as exc:
                self._answer(exc.status, {"error": exc.message, "detail": exc.detail})
            except NotFound as exc:
                self._answer(404, {"error": exc.message, "detail": exc.detail})
            except CounterError as exc:
                self._answer(422, {"error": exc.message, "detail": exc.detail})

        def do_GET(self) -> None:
            self._route("GET")

        def do_POST(self) -> None:
            self._route("POST")

    return Handler


class HolderServer:
    """The service on a socket; ``start`` runs it on a daemon thread (for the window and tests)."""

    def __init__(self, service: RegisterHolderService, host: str = "0.0.0.0", port: int = 8765) -> None:
        self.httpd = ThreadingHTTPServer((host, port), _handler(service))
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self._thread: threading.Thread | None = None

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def start(self) -> HolderServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="register-holder", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
