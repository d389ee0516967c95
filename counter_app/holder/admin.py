"""``HolderAdminService``: administering the office's certification register holder, the same for
the CLI and the window: pairing codes, pairing this desk with the holder, moving the registers to
another machine, and serving them from this one.

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
from counter_app.holder.client import HolderClient, holder_token_store
from counter_app.holder.service import DEFAULT_RESERVATION_TIMEOUT, HolderServer, RegisterHolderService
from counter_app.sync.credentials import TokenStore

REGISTER_HOLDER = "register_holder"  # the setting: the holder's URL, empty when this machine holds


def holder_url(url: str) -> str:
    url = (url or "").strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise ValidationError("Địa chỉ máy giữ sổ phải bắt đầu bằng http:// hoặc https://.", "bad URL")
    return url


class HolderAdminService:
    """Each call is one transaction. ``settings`` returns the counter's settings as they are now
    (they change under this service when another desk becomes the holder)."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], read_uow_factory: Callable[[], UnitOfWork],
                 settings: Callable[[], CounterSettings], clock: Clock, db, *,
                 token_store: Callable[[str], TokenStore] = holder_token_store,
                 client: Callable[[str, str | None], HolderClient] = HolderClient) -> None:
        self._uow = uow_factory
        self._read_uow = read_uow_factory
        self._settings = settings
        self._clock = clock
        self._db = db
        self._token_store = token_store
        self._client = client

    def new_pair_code(self, hours: int = 24) -> str:
        """A one-time code (valid ``hours``) for pairing one more desk with this holder."""
        with self._uow() as uow:
            code = uow.holder_desks.new_pair_code(self._clock.now(), hours)
            uow.commit()
        return code

    def join(self, url: str, code: str, device_name: str | None = None) -> dict:
        """Pair this desk with the office's register holder; the token goes to the OS keyring only."""
        url = holder_url(url)
        store = self._token_store(url)
        store.require_backend()  # before the holder spends the one-time code
        answer = self._client(url, None).pair(code, device_name or socket.gethostname())
        own = self._settings().agency.code
        if answer.agency != own:
            raise ConfigurationError(f"Máy giữ sổ thuộc cơ quan {answer.agency}, quầy này thuộc {own}.",
                                     "agency mismatch")
        store.save(answer.token)
        with self._uow() as uow:
            uow.settings.set(REGISTER_HOLDER, url)
            uow.commit()
        return {"holder": url, "desk_id": answer.desk_id}

    def export_registers(self, out_path: Path | str, new_holder_url: str) -> dict:
        """Hand the registers to another machine: every register and line goes to ``out_path`` and,
        in the same transaction, this desk starts drawing numbers from ``new_holder_url``."""
        url = holder_url(new_holder_url)
        out = Path(out_path)
        with self._uow() as uow:
            registers = uow.cert_register.export_all()
            uow.settings.set(REGISTER_HOLDER, url)
            # Written before the commit: if the file cannot be written, this desk still holds.
            out.write_text(json.dumps(registers, ensure_ascii=False, indent=1, default=str), "utf-8")
            uow.commit()
        return {"out": str(out), "holder": url, "registers": len(registers["registers"]),
                "entries": len(registers["entries"])}

    def import_registers(self, path: Path | str) -> dict:
        """Take over the registers exported by the previous holder; this machine numbers from now on."""
        try:
            data = json.loads(Path(path).read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise ValidationError(f"Không đọc được tệp sổ {path}.", str(exc)) from None
        if not isinstance(data, dict):
            raise ValidationError(f"Tệp {path} không phải tệp sổ chứng thực.", "not an object")
        with self._uow() as uow:
            n = uow.cert_register.import_all(data, self._settings().agency.code)
            uow.commit()
        return {"entries": n}

    def server(self, host: str = "0.0.0.0", port: int = 8765,
               reservation_timeout_s: float = DEFAULT_RESERVATION_TIMEOUT.total_seconds()) -> HolderServer:
        """The holder's HTTP service on ``host:port`` (not started). Refused on a desk that draws its
        numbers from another holder: one office, one register."""
        s = self._settings()
        if s.register_holder:
            raise ValidationError(f"Máy này đang lấy số từ máy giữ sổ {s.register_holder}; "
                                  "không thể đồng thời giữ sổ.", "this desk is not the holder")
        service = RegisterHolderService(self._db, s.agency.code, s.cert_book_size, self._clock,
                                        timedelta(seconds=reservation_timeout_s))
        return HolderServer(service, host, port)
