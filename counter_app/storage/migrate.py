"""Schema migrations at start-up, configured in code.

If the database is behind, it is first copied to ``backups/`` (SQLite online backup API, so the
copy is consistent), then upgraded. Alembic is imported only when there is something to do.

A migration that fails puts that copy back: nothing was written between the copy and the failure
(the store is opened only after its schema is at head), so the counter's data is exactly as the
previous version left it, and that version opens it again. The half-migrated file is kept beside
it for the support team.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import os
import shutil

from counter_app.core.errors import StorageError
from counter_app.storage import cipher
from counter_app.storage.db import sqlite_url


class MigrationFailed(StorageError):
    """The new version could not bring the schema to head; the backup taken first is back in place."""

    previous: list[str] | None = None  # the command that starts the version this one replaced, if kept


def _config(script_location: Path):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))
    return cfg


def head_revision(script_location: Path) -> str:
    """The head revision, read from the revision files themselves (importing Alembic costs about
    0.3 s of start-up); Alembic decides whenever the files do not give one clear answer."""
    import re

    revisions, parents = set(), set()
    for path in Path(script_location, "versions").glob("*.py"):
        text = path.read_text("utf-8")
        rev = re.search(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", text, re.MULTILINE)
        down = re.search(r"^down_revision\s*=\s*(None|['\"]([^'\"]+)['\"])", text, re.MULTILINE)
        if not rev or not down:
            break
        revisions.add(rev.group(1))
        if down.group(2):
            parents.add(down.group(2))
    else:
        heads = revisions - parents
        if len(heads) == 1:
            return heads.pop()
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(script_location)).get_current_head()


def current_revision(db_path: Path) -> str | None:
    """Read ``alembic_version`` with plain sqlite3 (cheap: no Alembic import on a normal start)."""
    if not Path(db_path).exists():
        return None
    con = cipher.open_store(db_path)
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except cipher.OperationalError:
        return None
    finally:
        con.close()


def backup_database(db_path: Path, out: Path) -> Path:
    """A consistent copy through SQLite's online backup API (safe while the app is writing)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    key = cipher.key_for(db_path)
    src = cipher.connect(db_path, key)
    dst = cipher.connect(out, key)  # SQLCipher copies page by page only between files with one key
    try:
        src.execute("PRAGMA busy_timeout=15000")
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return out


@dataclass(frozen=True)
class MigrationResult:
    before: str | None
    after: str
    backup: Path | None


def upgrade(db_path: Path, script_location: Path, backups_dir: Path) -> MigrationResult:
    """Bring the database to head; back it up first if it holds an older schema."""
    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    before = current_revision(db_path)
    head = head_revision(script_location)
    if before == head:
        return MigrationResult(before, head, None)
    backup = None
    if before is not None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = backup_database(db_path, backups_dir / f"{Path(db_path).stem}-{before}-{stamp}.sqlite")
    from alembic import command
    from sqlalchemy import create_engine, pool

    cfg = _config(script_location)
    # Alembic is handed an open connection (env.py): a URL in its config would carry the key.
    engine = create_engine(sqlite_url(db_path, cipher.key_for(db_path)), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
    except Exception as exc:
        engine.dispose()
        if backup is None:  # a new store: nothing to lose, nothing to put back
            raise
        aside = _put_back(Path(db_path), backup)
        raise MigrationFailed(
            f"Không nâng cấp được cơ sở dữ liệu lên phiên bản mới ({before} → {head}). Đã khôi phục nguyên "
            f"trạng từ bản sao lưu {backup.name}: không mất hồ sơ nào. Hãy dùng lại phiên bản phần mềm trước "
            f"và báo bộ phận hỗ trợ (tệp lỗi giữ lại: {aside.name}).",
            f"migration {before} -> {head} failed: {type(exc).__name__}: {exc}") from exc
    finally:
        engine.dispose()
    return MigrationResult(before, head, backup)


def _put_back(db_path: Path, backup: Path) -> Path:
    """The pre-migration copy back in place of ``db_path``; the failed file (and its WAL) set aside."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = db_path.with_name(f"{db_path.name}.failed-migration-{stamp}")
    tmp = db_path.with_name(f"{db_path.name}.restoring")
    shutil.copyfile(backup, tmp)
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(db_path, aside)
    for suffix in ("-wal", "-shm"):  # pages of the failed migration must not be replayed into the copy
        side = Path(f"{db_path}{suffix}")
        if side.exists():
            os.replace(side, Path(f"{aside}{suffix}"))
    os.replace(tmp, db_path)
    return aside


def drift(db_path: Path) -> list:
    """Differences between the ORM models and the migrated schema (empty list: none)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from counter_app.storage.models import Base, include_name

    engine = create_engine(sqlite_url(db_path, cipher.key_for(db_path)))
    try:
        with engine.connect() as conn:
            mc = MigrationContext.configure(conn, opts={"include_name": include_name, "compare_type": True})
            return compare_metadata(mc, Base.metadata)
    finally:
        engine.dispose()

