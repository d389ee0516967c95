"""Attachments (scans) addressed by SHA-256, uploaded in pieces that can resume after a cut.

``PUT …/attachments/{sha256}?offset=N&size=T`` appends a piece when N is exactly what the server
already holds; any other offset answers 409 with the held length so the client resumes there.
When all T bytes are in, the content is hashed: a match completes the attachment, a mismatch
discards the partial file (422).
"""

from __future__ import annotations

import hashlib
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from counter_app.core import protocol
from provincial_server.db import ServerDatabase
from provincial_server.models import Attachment
from provincial_server.service import ServerError

MAX_ATTACHMENT = 200 * 1024 * 1024


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class AttachmentStore:
    def __init__(self, db: ServerDatabase, root: Path) -> None:
        self.db = db
        self.root = Path(root)

    def _paths(self, sha: str) -> tuple[Path, Path]:
        folder = self.root / sha[:2]
        return folder / sha, folder / f"{sha}.part"

    def state(self, sha: str) -> dict[str, Any] | None:
        if not protocol.is_sha256(sha):
            raise ServerError("Mã băm SHA-256 không hợp lệ.", 400, "bad sha256")
        with self.db.read() as s:
            row = s.get(Attachment, sha)
            if row is None:
                return None
            return {"sha256": sha, "size": row.size, "received": row.received, "complete": row.complete}

    def put(self, device_id: int, sha: str, offset: int, size: int, chunk: bytes) -> dict[str, Any]:
        if not protocol.is_sha256(sha):
            raise ServerError("Mã băm SHA-256 không hợp lệ.", 400, "bad sha256")
        if not 0 < size <= MAX_ATTACHMENT:
            raise ServerError(f"Kích thước tệp không hợp lệ (tối đa {MAX_ATTACHMENT} byte).", 413, "bad size")
        final, part = self._paths(sha)
        mismatch = False
        with self.db.transaction() as s:
            row = s.get(Attachment, sha)
            if row is None:
                row = Attachment(sha256=sha, size=size, received=0, complete=False, device_id=device_id,
                                 created_at=datetime.now(timezone.utc))
                s.add(row)
            if row.complete:
                return {"sha256": sha, "size": row.size, "received": row.size, "complete": True}
            if size != row.size:
                raise ServerError("Kích thước khác với lần gửi trước.", 409, "size mismatch")
            if offset != row.received or offset + len(chunk) > size:
                raise ServerError(f"Tiếp tục gửi từ byte {row.received}.", 409, f"resume at {row.received}")
            part.parent.mkdir(parents=True, exist_ok=True)
            with open(part, "r+b" if part.exists() else "wb") as f:
                f.truncate(offset)  # a piece cut short earlier left nothing the row did not record
                f.seek(offset)
                f.write(chunk)
                f.flush()
                os.fsync(f.fileno())
            row.received = offset + len(chunk)
            if row.received == size:
                if file_sha256(part) != sha:
                    part.unlink()
                    row.received, mismatch = 0, True
                else:
                    os.replace(part, final)
                    row.complete = True
            answer = {"sha256": sha, "size": size, "received": row.received, "complete": row.complete}
        if mismatch:  # raised after the commit, so the reset to 0 is kept
            raise ServerError("Nội dung không khớp mã băm; tệp bị bỏ, gửi lại từ đầu.", 422, "hash mismatch")
        return answer
