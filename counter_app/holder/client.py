"""A desk's side of the register holder: ``RegisterHolder`` over HTTP. Unreachable → a clear
``HolderUnavailable`` (the desk never invents a number); refusals carry the holder's message."""

from __future__ import annotations

import secrets
import socket
from datetime import date

import requests

from counter_app import __version__
from counter_app.core import protocol
from counter_app.core.certification import EntryDraft, RegisterEntry, RegisterNumber
from counter_app.core.certify import HolderExpired, HolderUnavailable
from counter_app.core.errors import ConfigurationError, ValidationError
from counter_app.sync.credentials import TokenStore

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

    def health(self) -> dict:
        return self._call("GET", "/health")

    def pair(self, code: str, name: str) -> dict:
        return self._call("POST", "/pair", json={"code": code, "name": name, "nonce": secrets.token_urlsafe(16)})

    def reserve(self, request_id: str, register_type: str, year: int, entries: list[EntryDraft]) -> list[RegisterNumber]:
        body = {"request_id": request_id, "register_type": register_type, "year": year,
                "entries": [{"position": e.position, "document": e.document, "pages": e.pages, "copies": e.copies,
                             "fee": e.fee, "applicant_name": e.applicant_name, "applicant_id": e.applicant_id,
                             "officer": e.officer, "desk": e.desk, "day": e.day.isoformat()} for e in entries]}
        return [RegisterNumber(n["number"], n["book"]) for n in self._call("POST", "/reserve", json=body)["numbers"]]

    def confirm(self, request_id: str, dossier_code: str) -> None:
        self._call("POST", "/confirm", json={"request_id": request_id, "dossier_code": dossier_code})

    def void(self, register_type: str, year: int, number: int, reason: str, officer: str) -> None:
        self._call("POST", "/void", json={"register_type": register_type, "year": year, "number": number,
                                          "reason": reason, "officer": officer})

    def entries(self, register_type: str, first: date, last: date) -> list[RegisterEntry]:
        data = self._call("GET", "/entries", params={"register_type": register_type, "from": first.isoformat(),
                                                     "to": last.isoformat()})
        return [RegisterEntry(number=e["number"], book=e["book"], register_type=e["register_type"],
                              day=date.fromisoformat(e["day"]), applicant_name=e["applicant_name"],
                              applicant_id=e["applicant_id"], document=e["document"], pages=e["pages"],
                              copies=e["copies"], fee=e["fee"], officer=e["officer"], desk=e["desk"],
                              dossier_code=e["dossier_code"], void=e["void"], void_reason=e["void_reason"],
                              state=e["state"]) for e in data["entries"]]


def remote_holder(app) -> HolderClient:
    url = app.ctx.settings.register_holder
    return HolderClient(url, holder_token_store(url).load())


def join(app, url: str, code: str) -> dict:
    """Pair this desk with the office's register holder; the token goes to the OS keyring only."""
    url = url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise ValidationError("Địa chỉ máy giữ sổ phải bắt đầu bằng http:// hoặc https://.", "bad URL")
    store = holder_token_store(url)
    store.require_backend()
    client = HolderClient(url, None)
    answer = client.pair(code, socket.gethostname())
    if answer["agency"] != app.ctx.settings.agency.code:
        raise ConfigurationError(f"Máy giữ sổ thuộc cơ quan {answer['agency']}, quầy này thuộc "
                                 f"{app.ctx.settings.agency.code}.", "agency mismatch")
    store.save(answer["token"])
    with app.uow() as uow:
        uow.settings.set("register_holder", url)
        uow.commit()
    app.reload()
    return {"holder": url, "desk_id": answer["desk_id"]}
