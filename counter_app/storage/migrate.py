"""Schema migrations at start-up, configured in code.

If the database is behind, it is first copied to ``backups/`` (SQLite online backup API, so the
copy is consistent), then upgraded. Alembic is imported only when there is something to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from counter_app.storage import cipher
from counter_app.storage.db import sqlite_url


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
    finally:
        engine.dispose()
    return MigrationResult(before, head, backup)


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

