"""``GET /api/v1/releases/{platform}/{version}/file``: a stored release file for an enrolled counter,
resumable with one byte range.

The file is found from the release's row only (``releases.stored_file``); the platform and version
in the URL are a key into that table, never a path. The version gate lets this one path through, so
a counter below the minimum version can still fetch the release that lifts it above it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import BinaryIO

from fastapi.responses import StreamingResponse

from counter_app.core import protocol
from provincial_server.releases import StoredFile
from provincial_server.service import ServerError

CHUNK = 256 * 1024
NO_FILE = "Không có tệp cho bản phát hành này trên máy chủ."
_PATH = re.compile(rf"{re.escape(protocol.API_PREFIX)}/releases/[^/]+/[^/]+/file")
# One range, first byte required: what a resuming download sends. 19 digits bound int() and any size.
_RANGE = re.compile(r"bytes=([0-9]{1,19})-([0-9]{0,19})")


def is_download_path(path: str) -> bool:
    return _PATH.fullmatch(path) is not None


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """``(first, last)``, both included, of a ``Range: bytes=START-`` or ``bytes=START-END``
    (END past the file means its last byte); None without the header. Any other form (a suffix,
    several ranges, END before START) or a START at or past the end is refused with 416."""
    if header is None:
        return None
    match = _RANGE.fullmatch(header.strip())
    first = int(match[1]) if match else 0
    if match is None or first >= size or (match[2] and int(match[2]) < first):
        raise ServerError(f"Khoảng byte yêu cầu không hợp lệ hoặc vượt quá kích thước tệp ({size} byte).",
                          416, f"unsatisfiable range {header[:100]!r}",
                          headers={"Content-Range": f"bytes */{size}", "Accept-Ranges": "bytes"})
    return first, min(int(match[2]), size - 1) if match[2] else size - 1


def _chunks(f: BinaryIO, first: int, length: int) -> Iterator[bytes]:
    try:
        f.seek(first)
        while length > 0:
            chunk = f.read(min(CHUNK, length))
            if not chunk:  # the file shrank under us: the short body fails the counter's size check
                return
            length -= len(chunk)
            yield chunk
    finally:
        f.close()


def file_response(stored: StoredFile | None, range_header: str | None) -> StreamingResponse:
    """The whole file (200) or the asked range (206). Runs in a worker thread: it opens the file."""
    if stored is None:
        raise ServerError(NO_FILE, 404, "unknown release or no stored file")
    try:
        f = open(stored.path, "rb")  # noqa: SIM115 — closed by _chunks when the body ends
    except OSError as exc:
        raise ServerError(NO_FILE, 404, f"stored file: {exc}") from None
    try:
        size = os.fstat(f.fileno()).st_size
        if size != stored.size:  # a changed file would only fail the counter's hash check, later
            raise ServerError("Tệp phát hành trên máy chủ không khớp bản kê.", 404,
                              f"stored file is {size} bytes, the release {stored.size}")
        asked = byte_range(range_header, size)
    except BaseException:
        f.close()
        raise
    first, last = asked if asked else (0, size - 1)
    headers = {"Accept-Ranges": "bytes", "Content-Length": str(last - first + 1),
               "X-Release-Sha256": stored.sha256, "X-Release-Size": str(stored.size)}
    if asked:
        headers["Content-Range"] = f"bytes {first}-{last}/{size}"
    return StreamingResponse(_chunks(f, first, last - first + 1), status_code=206 if asked else 200,
                             headers=headers, media_type="application/octet-stream")
