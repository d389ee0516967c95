"""HTTP to the provincial server: one ``requests.Session``, a timeout on every call, and every
failure sorted into one class the engine can act on."""

from __future__ import annotations

import enum
import re
import secrets
from typing import Any, Iterator
from urllib.parse import quote

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from counter_app import __version__
from counter_app.core import protocol
from counter_app.sync.releases import this_platform

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 20.0
READ_TIMEOUT_PER_EVENT = 0.08  # a 250-event batch may take the server a while on a slow disk


class FailureKind(str, enum.Enum):
    RETRYABLE = "retryable"  # network, timeout, 5xx, 429: try again later, the queue is intact
    AUTH = "auth"  # 401: stop and ask for re-enrollment
    REJECTED = "rejected"  # other 4xx: the request itself is wrong
    CONFLICT = "conflict"  # 409
    VERSION = "version"  # 426: this counter's software is too old


class SyncFailure(Exception):
    def __init__(self, kind: FailureKind, message: str, detail: str = "", status: int | None = None,
                 reason: str = "", body: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.detail = detail
        self.status = status
        self.reason = reason  # the server's machine-readable reason, e.g. device_revoked
        self.body = body or {}  # the whole JSON answer: a 426 names the release to update to


def classify_status(status: int) -> FailureKind:
    if status == 401 or status == 403:
        return FailureKind.AUTH
    if status == 426:
        return FailureKind.VERSION
    if status == 409:
        return FailureKind.CONFLICT
    if status == 429 or status >= 500:
        return FailureKind.RETRYABLE
    return FailureKind.REJECTED


def normalise_url(url: str) -> str:
    url = (url or "").strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise ValueError(url)
    return url


class SyncClient:
    def __init__(self, base_url: str, token: str | None = None, *, session: requests.Session | None = None) -> None:
        self.base_url = normalise_url(base_url)
        self.token = token
        self.session = session or requests.Session()
        # A couple of quick retries inside one call smooth over a dropped keep-alive connection;
        # POSTs are safe to repeat because the server is idempotent on event UUIDs.
        retry = Retry(total=2, connect=2, read=2, status=2, backoff_factor=0.2,
                      status_forcelist=(429, 502, 503, 504), allowed_methods=None, raise_on_status=False,
                      respect_retry_after_header=False)
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update({protocol.CLIENT_VERSION_HEADER: __version__,
                                     protocol.PLATFORM_HEADER: this_platform(),
                                     "User-Agent": f"counter_app/{__version__}"})
        self.last_server_time: str | None = None

    def close(self) -> None:
        self.session.close()

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def call(self, method: str, path: str, *, json: Any = None, params=None, data: bytes | None = None,
             read_timeout: float = READ_TIMEOUT) -> dict[str, Any]:
        url = f"{self.base_url}{protocol.API_PREFIX}{path}"
        try:
            response = self.session.request(method, url, json=json, params=params, data=data,
                                            headers=self._headers(), timeout=(CONNECT_TIMEOUT, read_timeout))
        except requests.RequestException as exc:  # connection refused, reset, DNS, TLS, truncated body
            raise _network_failure(exc) from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and body.get("server_time"):
            self.last_server_time = body["server_time"]
        if response.status_code >= 400 or not isinstance(body, dict):
            status = response.status_code if response.status_code >= 400 else 502
            message = (body or {}).get("error") if isinstance(body, dict) else None
            raise SyncFailure(classify_status(status), message or f"Máy chủ tỉnh trả lỗi HTTP {status}.",
                              (body or {}).get("detail", "") if isinstance(body, dict) else "", status,
                              str((body or {}).get("reason") or "") if isinstance(body, dict) else "",
                              body if isinstance(body, dict) else None)
        return body

    # -- protocol calls -----------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        return self.call("GET", "/health", read_timeout=10)

    def enroll(self, code: str, device_name: str) -> protocol.EnrollAnswer:
        request = protocol.EnrollRequest(code=code, device_name=device_name, nonce=secrets.token_urlsafe(24))
        body = self.call("POST", "/enroll", json=request.to_dict())
        try:
            return protocol.EnrollAnswer.from_dict(body)
        except protocol.WireError as exc:
            raise SyncFailure(FailureKind.REJECTED, "Máy chủ tỉnh trả lời đăng ký sai cấu trúc.", str(exc)) from None

    def push(self, events: list[dict[str, Any]]) -> dict[str, Any]:
        return self.call("POST", "/sync/push", json={"events": events},
                         read_timeout=READ_TIMEOUT + READ_TIMEOUT_PER_EVENT * len(events))

    def pull(self, cursor: int) -> dict[str, Any]:
        return self.call("GET", "/sync/pull", params={"cursor": cursor})

    def reconcile(self, days: list[str]) -> dict[str, int]:
        return self.call("POST", "/sync/reconcile", json={"days": days})["days"]

    def escrow(self, sealed: str) -> dict[str, Any]:
        """The database key, sealed to the province's public key, for the server to keep."""
        return self.call("POST", "/device/escrow", json={"sealed": sealed})

    def own_events(self, after: int) -> dict[str, Any]:
        """This device's events the server holds after ``device_seq`` ``after`` (catch-up after a restore)."""
        return self.call("GET", "/sync/own-events", params={"after": after})

    def uuids_of_day(self, day: str) -> set[str]:
        return set(self.call("GET", f"/sync/reconcile/{day}", read_timeout=60)["uuids"])

    def attachment_state(self, sha256: str) -> dict[str, Any] | None:
        try:
            return self.call("GET", f"/attachments/{sha256}")
        except SyncFailure as exc:
            if exc.status == 404:
                return None
            raise

    def put_attachment_piece(self, sha256: str, offset: int, size: int, piece: bytes) -> dict[str, Any]:
        return self.call("PUT", f"/attachments/{sha256}", params={"offset": offset, "size": size}, data=piece,
                         read_timeout=60)

    def release_file(self, platform: str, version: str, offset: int) -> ReleaseStream:
        """The release file from byte ``offset`` (HTTP Range), streamed: the caller appends what
        arrives and asks again from where a cut left it."""
        url = f"{self.base_url}{protocol.API_PREFIX}/releases/{quote(platform, safe='')}/{quote(version, safe='')}/file"
        headers = {**self._headers(), "Range": f"bytes={offset}-"} if offset else self._headers()
        try:
            response = self.session.get(url, headers=headers, stream=True,
                                        timeout=(CONNECT_TIMEOUT, READ_TIMEOUT))
        except requests.RequestException as exc:
            raise _network_failure(exc) from None
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = {}
            response.close()
            body = body if isinstance(body, dict) else {}
            raise SyncFailure(classify_status(response.status_code),
                              body.get("error") or f"Máy chủ tỉnh trả lỗi HTTP {response.status_code}.",
                              str(body.get("detail") or ""), response.status_code, str(body.get("reason") or ""),
                              body)
        return ReleaseStream(response, offset)


def _network_failure(exc: Exception) -> SyncFailure:
    if isinstance(exc, requests.Timeout):
        return SyncFailure(FailureKind.RETRYABLE, "Máy chủ tỉnh không trả lời kịp.", type(exc).__name__)
    return SyncFailure(FailureKind.RETRYABLE, "Không kết nối được máy chủ tỉnh.",
                       f"{type(exc).__name__}: {str(exc)[:200]}")


class ReleaseStream:
    """One answer to a release download: where its bytes start, and the bytes, with a cut
    connection turned into a retryable SyncFailure like every other network failure."""

    def __init__(self, response: requests.Response, asked_from: int) -> None:
        self._response = response
        self.start = 0
        if response.status_code == 206:
            match = re.match(r"bytes (\d+)-\d+/\d+$", response.headers.get("Content-Range", ""))
            self.start = int(match.group(1)) if match else -1
        elif asked_from and response.status_code != 200:
            self.start = -1

    def __enter__(self) -> ReleaseStream:
        return self

    def __exit__(self, *exc) -> None:
        self._response.close()

    def chunks(self, size: int) -> Iterator[bytes]:
        try:
            yield from self._response.iter_content(size)
        except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
            raise _network_failure(exc) from None
