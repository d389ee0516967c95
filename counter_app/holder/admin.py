"""``HolderAdminService``: administering the office's certification register holder, the same for
the CLI and the window: pairing codes, pairing this desk with the holder (pinning its certificate),
the paired desks and their revocation, the office network address to serve on, moving the
registers to another machine, and serving them from this one (HTTPS).

A settings write here is not followed by a reload: the caller learns of it (``register_holder``
changed) and rebuilds its context, so the certification service switches holder with it.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from counter_app.core.errors import ConfigurationError, ValidationError
from counter_app.core.ports import Clock, UnitOfWork
from counter_app.core.settings import CounterSettings
from counter_app.holder import tls
from counter_app.holder.checks import FeeOf
from counter_app.holder.client import HolderClient, holder_pin_store, holder_token_store
from counter_app.holder.service import DEFAULT_RESERVATION_TIMEOUT, RegisterHolderService
from counter_app.holder.transport import HolderServer
from counter_app.sync.credentials import TokenStore

REGISTER_HOLDER = "register_holder"  # the setting: the holder's URL, empty when this machine holds
DEFAULT_PORT = 8765


def holder_url(url: str) -> str:
    """The holder speaks HTTPS only: "http://may:8765" or "may:8765" become "https://may:8765"."""
    url = (url or "").strip().rstrip("/")
    if url.startswith("http://"):
        url = "https://" + url[len("http://"):]
    elif not url.startswith("https://"):
        url = "https://" + url
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        ok = bool(parts.hostname) and parts.port is not None and parts.path in ("", "/") and not parts.query
    except ValueError:
        ok = False
    if not ok:
        raise ValidationError("Địa chỉ máy giữ sổ phải có dạng https://<địa chỉ>:<cổng>, ví dụ "
                              f"https://192.168.1.10:{DEFAULT_PORT}.", "bad URL")
    return url


class HolderAdminService:
    """Each call is one transaction. ``settings`` returns the counter's settings as they are now
    (they change under this service when another desk becomes the holder)."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], read_uow_factory: Callable[[], UnitOfWork],
                 settings: Callable[[], CounterSettings], clock: Clock, db, *, data_dir: Path, fee_of: FeeOf,
                 token_store: Callable[[str, int], TokenStore] = holder_token_store,
                 pin_store: Callable[[str, int], TokenStore] = holder_pin_store,
                 client: Callable[[str, str | None], HolderClient] = HolderClient) -> None:
        self._uow = uow_factory
        self._read_uow = read_uow_factory
        self._settings = settings
        self._clock = clock
        self._db = db
        self._data_dir = Path(data_dir)
        self._fee_of = fee_of
        self._token_store = token_store
        self._pin_store = pin_store
        self._client = client

    def new_pair_code(self, hours: int = 24) -> str:
        """A one-time code (valid ``hours``) for pairing one more desk with this holder."""
        if not 1 <= hours <= 24 * 7:
            raise ValidationError("Mã ghép có hiệu lực từ 1 giờ đến 7 ngày.", f"hours={hours}")
        with self._uow() as uow:
            code = uow.holder_desks.new_pair_code(self._clock.now(), hours)
            uow.commit()
        return code

    def join(self, url: str, code: str, device_name: str | None = None) -> dict:
        """Pair this desk with the office's register holder: its certificate is pinned, the code
        proves the pin (``HolderClient.pair``), the token and the pin go to the OS keyring only."""
        url = holder_url(url)
        settings = self._settings()
        store = self._token_store(url, settings.desk)
        store.require_backend()  # before the holder spends the one-time code
        client = self._client(url, None)
        answer = client.pair(code, device_name or socket.gethostname(), settings.desk)
        own = settings.agency.code
        if answer.agency != own:
            raise ConfigurationError(f"Máy giữ sổ thuộc cơ quan {answer.agency}, quầy này thuộc {own}.",
                                     "agency mismatch")
        store.save(answer.token)
        self._pin_store(url, settings.desk).save(client.fingerprint)
        with self._uow() as uow:
            uow.settings.set(REGISTER_HOLDER, url)
            uow.commit()
        return {"holder": url, "desk_id": answer.desk_id}

    def export_registers(self, out_path: Path | str, new_holder_url: str) -> dict:
        """Hand the registers to another machine: every register and line goes to ``out_path``,
        sealed under a one-time transfer code returned here (the file holds citizens' names), and,
        in the same transaction, this desk starts drawing numbers from ``new_holder_url``."""
        from counter_app.storage.sealed import new_transfer_code, seal

        url = holder_url(new_holder_url)
        out = Path(out_path)
        code = new_transfer_code()
        with self._uow() as uow:
            registers = uow.cert_register.export_all()
            uow.settings.set(REGISTER_HOLDER, url)
            # Written before the commit: if the file cannot be written, this desk still holds.
            out.write_bytes(seal(registers, code))
            uow.commit()
        return {"out": str(out), "holder": url, "registers": len(registers["registers"]),
                "entries": len(registers["entries"]), "transfer_code": code}

    def import_registers(self, path: Path | str, transfer_code: str | None = None) -> dict:
        """Take over the registers exported by the previous holder; this machine numbers from now on."""
        from counter_app.storage.sealed import is_sealed, unseal

        try:
            data = json.loads(Path(path).read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise ValidationError(f"Không đọc được tệp sổ {path}.", str(exc)) from None
        if is_sealed(data):
            data = unseal(data, transfer_code)
        if not isinstance(data, dict):
            raise ValidationError(f"Tệp {path} không phải tệp sổ chứng thực.", "not an object")
        with self._uow() as uow:
            n = uow.cert_register.import_all(data, self._settings().agency.code)
            uow.commit()
        return {"entries": n}

    # -- the desks paired with this holder -----------------------------------------------------
    def desks(self) -> list[dict]:
        with self._read_uow() as uow:
            return uow.holder_desks.desks()

    def unpair(self, desk_id: int) -> dict:
        """Revoke a desk: its token stops working at once; it must pair again with a new code."""
        with self._uow() as uow:
            out = uow.holder_desks.revoke(desk_id)
            uow.commit()
        return out

    def void_number(self, register_type: str, year: int, number: int, reason: str, officer: str) -> dict:
        """The holder's admin strikes out any desk's number (a desk over the network voids only its
        own); a reason is required and kept in the register."""
        from counter_app.core.certification import kind_of_register
        from counter_app.core.text import clean

        if self._settings().register_holder:
            raise ValidationError("Chỉ máy giữ sổ mới hủy số của quầy khác.", "not the register holder")
        kind_of_register(register_type)
        reason, officer = clean(reason or ""), clean(officer or "")
        if not reason or not officer:
            raise ValidationError("Hủy số chứng thực phải ghi lý do và người hủy.", "void reason missing")
        with self._uow() as uow:
            entry = uow.cert_register.void(self._settings().agency.code, year, register_type, number, reason,
                                           officer, self._clock.now())
            uow.commit()
        return {"number": entry.number, "desk": entry.desk, "state": "void"}

    # -- serving ------------------------------------------------------------------------------
    def bind_address(self) -> str:
        """The office network address the admin chose to serve on; empty until chosen."""
        return tls.load_bind(self._data_dir)

    def set_bind_address(self, host: str) -> str:
        tls.save_bind(self._data_dir, (host or "").strip())
        return self.bind_address()

    @staticmethod
    def local_addresses() -> list[str]:
        return tls.local_addresses()

    def fingerprint(self) -> str:
        """The short form of this holder's certificate fingerprint, shown beside pairing codes."""
        cert, _key = tls.ensure_certificate(self._data_dir)
        return tls.short_fingerprint(tls.certificate_fingerprint(cert))

    def server(self, host: str | None = None, port: int = DEFAULT_PORT,
               reservation_timeout_s: float = DEFAULT_RESERVATION_TIMEOUT.total_seconds()) -> HolderServer:
        """The holder's HTTPS service on ``host:port`` (not started); ``host`` defaults to the address
        chosen for the office network, never every interface. Refused on a desk that draws its
        numbers from another holder: one office, one register."""
        s = self._settings()
        if s.register_holder:
            raise ValidationError(f"Máy này đang lấy số từ máy giữ sổ {s.register_holder}; "
                                  "không thể đồng thời giữ sổ.", "this desk is not the holder")
        host = (host or self.bind_address()).strip()
        if not host:
            raise ValidationError("Chưa chọn địa chỉ mạng nội bộ để phục vụ cấp số (Cài đặt › Máy giữ sổ, hoặc "
                                  "counter-app holder bind <địa chỉ>).", "no bind address")
        if host in ("0.0.0.0", "::"):
            raise ValidationError("Không phục vụ trên mọi mạng (0.0.0.0); chọn địa chỉ mạng nội bộ của máy này.",
                                  "unspecified address")
        context = tls.server_context(self._data_dir)
        cert, _key = tls.ensure_certificate(self._data_dir)
        service = RegisterHolderService(self._db, s.agency.code, s.cert_book_size, self._clock,
                                        timedelta(seconds=reservation_timeout_s),
                                        fingerprint=tls.certificate_fingerprint(cert), own_desk=s.desk,
                                        fee_of=self._fee_of)
        return HolderServer(service, host, port, context)
