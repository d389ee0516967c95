"""The HTTP API (OpenAPI at /docs and /openapi.json). Run behind a TLS-terminating proxy."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field, ValidationError, field_validator

from counter_app.core import protocol
from provincial_server import __version__, release_download, releases, validation
from provincial_server.attachments import AttachmentStore
from provincial_server.db import ServerDatabase
from provincial_server.service import ProvincialService, ServerError

MAX_PUSH_BODY = 2 * protocol.MAX_BATCH_BYTES  # a full batch plus JSON overhead
MAX_SMALL_BODY = 64 * 1024
MAX_CHUNK = 4 * 1024 * 1024


class EventIn(BaseModel):
    uuid: str
    device_seq: int = Field(ge=1)
    dossier_code: str = Field(min_length=1, max_length=60)
    agency: str = Field(min_length=1, max_length=35)
    kind: str = Field(min_length=1, max_length=30)
    at: str = Field(min_length=10, max_length=40)
    officer: str = Field(max_length=100)
    status_before: str | None = Field(default=None, max_length=30)
    status_after: str = Field(max_length=30)
    prev_uuid: str | None = None
    payload: dict[str, Any]
    prev_hash: str | None = None
    state_hash: str | None = None

    @field_validator("uuid")
    @classmethod
    def _uuid(cls, v: str) -> str:
        if not protocol.is_uuid(v):
            raise ValueError("not a lowercase UUID")
        return v

    @field_validator("at")
    @classmethod
    def _at(cls, v: str) -> str:
        datetime.fromisoformat(v)
        return v


class EnrollIn(BaseModel):
    code: str = Field(min_length=4, max_length=40)
    device_name: str = Field(default="", max_length=200)
    nonce: str = Field(default="", max_length=100)

    @field_validator("code", "device_name", "nonce")
    @classmethod
    def _text(cls, v: str) -> str:
        if not validation.is_clean_text(v):
            raise ValueError("NUL or lone surrogate")
        return v


class ReconcileIn(BaseModel):
    days: list[str] = Field(max_length=400)


def server_time() -> str:
    return datetime.now(timezone.utc).isoformat()


def _answer(data: dict[str, Any], status: int = 200) -> JSONResponse:
    data = {**data, "server_time": server_time()}
    return JSONResponse(data, status_code=status)


def _error(message: str, status: int, detail: str = "", **extra) -> JSONResponse:
    return _answer({"error": message, "detail": detail, **extra}, status)


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared and (not declared.isdigit() or int(declared) > limit):
        raise ServerError(f"Yêu cầu quá lớn (tối đa {limit} byte).", 413, "request too large")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ServerError(f"Yêu cầu quá lớn (tối đa {limit} byte).", 413, "request too large")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request: Request, limit: int) -> Any:
    try:
        return validation.loads(await read_body(request, limit))
    except ValueError:  # not UTF-8, not JSON, NaN/Infinity, nesting that cannot be cut
        raise ServerError("Nội dung không phải JSON hợp lệ.", 400, "invalid JSON") from None


def client_address(request: Request) -> str:
    """The peer address, for the rate limit and the audit log. uvicorn honours X-Forwarded-For only
    from its trusted proxies (default 127.0.0.1: the TLS proxy on the same host) and takes the
    rightmost address that is not one of them, so a client behind the proxy cannot choose it."""
    return request.client.host if request.client else ""


def create_app(db: ServerDatabase, blob_dir: Path) -> FastAPI:
    service = ProvincialService(db)
    blobs = AttachmentStore(db, blob_dir)
    app = FastAPI(title="counter_app provincial sync server", version=__version__,
                  description="Sync gateway for one-stop-shop counters. See docs/sync-protocol.md.")
    app.state.service = service

    @app.exception_handler(ServerError)
    async def _server_error(_request: Request, exc: ServerError) -> JSONResponse:
        response = _error(exc.message, exc.status, exc.detail, **({"reason": exc.reason} if exc.reason else {}))
        response.headers.update(exc.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def _bad_parameters(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return _error("Tham số yêu cầu không hợp lệ.", 422, str(exc.errors())[:500])

    @app.middleware("http")
    async def _version_gate(request: Request, call_next):
        path = request.url.path
        if (path.startswith(protocol.API_PREFIX) and path != f"{protocol.API_PREFIX}/health"
                and not release_download.is_download_path(path)):  # the way out from below the floor
            version = validation.header_text(request.headers.get(protocol.CLIENT_VERSION_HEADER, "0"), 40)
            minimum = await run_in_threadpool(service.min_client_version)
            if not protocol.version_at_least(version, minimum):
                platform = validation.header_text(request.headers.get(protocol.PLATFORM_HEADER), 30)
                offer = (await run_in_threadpool(releases.offer, db, platform, version)) if platform else None
                return _error(f"Phiên bản phần mềm quầy {version} đã cũ; cần cập nhật lên {minimum} trở lên. "
                              "Hồ sơ chờ gửi vẫn được giữ nguyên.", 426, "client too old",
                              min_version=minimum, release=offer)
        return await call_next(request)

    async def scope_of(request: Request):
        auth = request.headers.get("authorization", "")
        token = auth[7:] if auth.lower().startswith("bearer ") else None
        return await run_in_threadpool(service.authenticate, token, client_address(request))

    @app.get(f"{protocol.API_PREFIX}/health")
    async def health() -> JSONResponse:
        return _answer({"status": "ok", "version": __version__, "protocol": protocol.PROTOCOL_VERSION})

    @app.post(f"{protocol.API_PREFIX}/enroll")
    async def enroll(request: Request) -> JSONResponse:
        try:
            body = EnrollIn.model_validate(await read_json(request, MAX_SMALL_BODY))
        except ValidationError as exc:
            raise ServerError("Yêu cầu đăng ký không hợp lệ.", 422, str(exc)) from None
        version = validation.header_text(request.headers.get(protocol.CLIENT_VERSION_HEADER), 40)
        return _answer(await run_in_threadpool(service.enroll, body.code, body.device_name, version,
                                                 body.nonce, client_address(request)))

    @app.post(f"{protocol.API_PREFIX}/sync/push")
    async def push(request: Request) -> JSONResponse:
        scope = await scope_of(request)
        data = await read_json(request, MAX_PUSH_BODY)
        raw = data.get("events") if isinstance(data, dict) else None
        if not isinstance(raw, list) or len(raw) > protocol.MAX_BATCH_EVENTS:
            raise ServerError(f"Lô gửi phải là danh sách tối đa {protocol.MAX_BATCH_EVENTS} sự kiện.", 413,
                              "batch too large or malformed")
        valid, results = [], [None] * len(raw)
        for i, item in enumerate(raw):  # one malformed event never blocks the rest
            try:
                valid.append((i, EventIn.model_validate(validation.check_event(item)).model_dump()))
            except validation.Invalid as exc:
                results[i] = validation.rejection(item, exc)
            except ValidationError as exc:
                results[i] = validation.rejection(item, validation.Invalid(validation.INVALID, str(exc)))
        answered = await run_in_threadpool(service.push, scope, [e for _, e in valid]) if valid else []
        for (i, _), result in zip(valid, answered):
            results[i] = result
        return _answer({"results": results})

    @app.get(f"{protocol.API_PREFIX}/sync/pull")
    async def pull(request: Request, cursor: int = 0, limit: int = protocol.MAX_PULL_CHANGES) -> JSONResponse:
        scope = await scope_of(request)
        cursor, limit = validation.query_int(cursor, "cursor", 0), validation.query_int(limit, "limit", 1)
        answer = await run_in_threadpool(service.pull, scope, cursor, limit)
        platform = validation.header_text(request.headers.get(protocol.PLATFORM_HEADER), 30)
        version = validation.header_text(request.headers.get(protocol.CLIENT_VERSION_HEADER), 40)
        answer["release"] = (await run_in_threadpool(releases.offer, db, platform, version)) if platform else None
        return _answer(answer)

    @app.post(f"{protocol.API_PREFIX}/sync/reconcile")
    async def reconcile(request: Request) -> JSONResponse:
        scope = await scope_of(request)
        try:
            body = ReconcileIn.model_validate(await read_json(request, MAX_SMALL_BODY))
        except ValidationError as exc:
            raise ServerError("Yêu cầu đối soát không hợp lệ.", 422, str(exc)) from None
        days = [validation.day(d) for d in body.days]
        return _answer({"days": await run_in_threadpool(service.reconcile, scope, days)})

    @app.get(f"{protocol.API_PREFIX}/sync/reconcile/{{day}}")
    async def reconcile_day(request: Request, day: str) -> JSONResponse:
        scope = await scope_of(request)
        day = validation.day(day)
        return _answer({"day": day, "uuids": await run_in_threadpool(service.event_uuids, scope, day)})

    @app.post(f"{protocol.API_PREFIX}/device/escrow")
    async def key_escrow(request: Request) -> JSONResponse:
        scope = await scope_of(request)
        data = await read_json(request, MAX_SMALL_BODY)
        sealed = data.get("sealed") if isinstance(data, dict) else None
        if not isinstance(sealed, str) or len(sealed) > 2048:
            raise ServerError("Khóa gửi lưu giữ không đúng định dạng.", 422, "sealed must be a string ≤ 2 KiB")
        return _answer(await run_in_threadpool(service.store_escrow, scope, sealed))

    @app.get(f"{protocol.API_PREFIX}/sync/own-events")
    async def own_events(request: Request, after: int = 0, limit: int = protocol.MAX_BATCH_EVENTS) -> JSONResponse:
        scope = await scope_of(request)
        after, limit = validation.query_int(after, "after", 0), validation.query_int(limit, "limit", 1)
        return _answer(await run_in_threadpool(service.own_events, scope, after, limit))

    @app.get(f"{protocol.API_PREFIX}/releases/{{platform}}/{{version}}/file")
    async def release_file(request: Request, platform: str, version: str) -> StreamingResponse:
        await scope_of(request)
        stored = await run_in_threadpool(releases.stored_file, db, platform, version)
        return await run_in_threadpool(release_download.file_response, stored, request.headers.get("range"))

    @app.get(f"{protocol.API_PREFIX}/attachments/{{sha256}}")
    async def attachment_state(request: Request, sha256: str) -> JSONResponse:
        await scope_of(request)
        state = await run_in_threadpool(blobs.state, sha256)
        if state is None:
            return _error("Chưa có tệp đính kèm này.", 404, "unknown attachment", sha256=sha256, received=0)
        return _answer(state)

    @app.put(f"{protocol.API_PREFIX}/attachments/{{sha256}}")
    async def attachment_put(request: Request, sha256: str, offset: int, size: int) -> JSONResponse:
        scope = await scope_of(request)
        offset, size = validation.query_int(offset, "offset", 0), validation.query_int(size, "size", 0)
        chunk = await read_body(request, MAX_CHUNK)
        return _answer(await run_in_threadpool(blobs.put, scope.device_id, sha256, offset, size, chunk))

    return app

