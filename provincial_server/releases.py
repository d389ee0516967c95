"""Signed counter releases on the server: stored by the admin CLI, offered to counters in the pull.

The server checks a release with its configured public keys before storing it, but counters never
rely on that: they verify the same envelope with the keys in their own build.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import select

from counter_app.core import releases
from counter_app.core.errors import ValidationError
from provincial_server.db import ServerDatabase
from provincial_server.models import Release
from provincial_server.service import ServerError

KEYS_ENV = "PROVINCIAL_SERVER_RELEASE_KEYS"  # a folder of *.pub: the release keys this province trusts


def trusted_keys(folder: str | Path | None) -> list:
    folder = folder or os.environ.get(KEYS_ENV)
    if not folder or not Path(folder).is_dir():
        raise ServerError("Chưa cấu hình khóa công khai phát hành (--keys hoặc biến "
                          f"{KEYS_ENV}).", 2, "no release key folder")
    keys = []
    for path in sorted(Path(folder).glob("*.pub")):
        try:
            keys.append(releases.load_public_key(path.read_bytes()))
        except ValidationError as exc:
            raise ServerError(f"{exc.message} ({path.name})", 2, exc.detail) from None
    if not keys:
        raise ServerError(f"Thư mục {folder} không có khóa công khai phát hành (*.pub).", 2, "no *.pub")
    return keys


def _refused(exc: ValidationError) -> ServerError:
    return ServerError(exc.message, 2, exc.detail or "")


def add_release(db: ServerDatabase, file: Path, envelope: Any, keys: list, store: Path) -> dict[str, Any]:
    """Verify the signature and the file, copy the file into ``store``, then record the row. A
    refused release leaves neither a file nor a row."""
    try:
        manifest = releases.verify_envelope(envelope, keys)
        with open(file, "rb") as f:
            size, sha256 = releases.digest_chunks(f.read)
        releases.check_file(manifest, size, sha256)
    except ValidationError as exc:
        raise _refused(exc) from None
    except OSError as exc:
        raise ServerError(f"Không đọc được tệp {file}.", 2, str(exc)) from None
    with db.read() as s:
        if s.scalar(select(Release.id).where(Release.platform == manifest.platform,
                                             Release.version == manifest.version)) is not None:
            raise ServerError(f"Đã có bản phát hành {manifest.version} cho {manifest.platform}.", 2,
                              "duplicate")
    # absolute, so the download finds it whatever directory the server is started from
    target = Path(store).resolve() / manifest.platform / manifest.version / manifest.file_name
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    shutil.copyfile(file, partial)
    with open(partial, "rb") as f:  # what landed on the server's disk, not what was read before
        copied = releases.digest_chunks(f.read)
    if copied != (manifest.size, manifest.sha256):
        partial.unlink()
        raise ServerError("Bản sao tệp phát hành trên máy chủ không khớp bản kê.", 2, "copy mismatch")
    os.replace(partial, target)
    try:
        with db.transaction() as s:
            s.add(Release(version=manifest.version, platform=manifest.platform, file_name=manifest.file_name,
                          size=manifest.size, sha256=manifest.sha256, min_from=manifest.min_from,
                          notes=manifest.notes, published_at=manifest.published_at, envelope=envelope,
                          added_at=datetime.now(timezone.utc), path=str(target)))
    except Exception:
        target.unlink(missing_ok=True)
        raise
    return {**manifest.to_dict(), "path": str(target)}


def list_releases(db: ServerDatabase) -> list[dict[str, Any]]:
    with db.read() as s:
        rows = s.scalars(select(Release)).all()
        out = [{"version": r.version, "platform": r.platform, "file_name": r.file_name, "size": r.size,
                "sha256": r.sha256, "min_from": r.min_from, "notes": r.notes, "published_at": r.published_at}
               for r in rows]
    return sorted(out, key=lambda r: (r["platform"], releases.version_key(r["version"])), reverse=True)


def offer(db: ServerDatabase, platform: str, version: str) -> dict[str, Any] | None:
    """The signed envelope of the newest release for ``platform`` that a counter at ``version`` may
    install (newer, and ``version`` at least its ``min_from``); None when there is none."""
    try:
        releases.check_version(version)
    except ValidationError:
        return None  # a counter that sends no readable version is offered nothing rather than anything
    with db.read() as s:
        rows = s.execute(select(Release.version, Release.min_from, Release.envelope)
                         .where(Release.platform == platform)).all()
    best = None
    for row in rows:
        if (releases.compare_versions(row.version, version) > 0
                and releases.compare_versions(version, row.min_from) >= 0
                and (best is None or releases.compare_versions(row.version, best.version) > 0)):
            best = row
    return best.envelope if best else None


@dataclass(frozen=True)
class StoredFile:
    path: Path
    size: int
    sha256: str


def stored_file(db: ServerDatabase, platform: str, version: str) -> StoredFile | None:
    """The file of one stored release, from its row alone; None for an unknown platform or version,
    a row without a path (added before the server recorded paths) or a file gone from the disk."""
    if platform not in releases.PLATFORMS:
        return None
    try:
        releases.check_version(version)
    except ValidationError:
        return None
    with db.read() as s:
        row = s.execute(select(Release.path, Release.size, Release.sha256)
                        .where(Release.platform == platform, Release.version == version)).first()
    if row is None or not row.path or not Path(row.path).is_file():
        return None
    return StoredFile(Path(row.path), row.size, row.sha256)
