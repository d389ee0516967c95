"""Engine and transactions for the counter's SQLite file.

Every connection runs in WAL mode with ``synchronous=FULL`` (a committed dossier survives power
loss), foreign keys on and a busy timeout. Write transactions start with ``BEGIN IMMEDIATE`` so two
writers (the window and the sync thread, or two processes) queue on the lock instead of failing
half-way with "database is locked" when a reader upgrades.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event, pool
from sqlalchemy.orm import Session, sessionmaker

from counter_app import paths
from counter_app.core.changes import ChangeBus
from counter_app.storage import cipher, outcomes

BUSY_TIMEOUT_MS = 15_000
WAL_AUTOCHECKPOINT_PAGES = 10_000  # about 40 MB of WAL


def sqlite_url(path: Path, key: bytes | None = None) -> str | URL:
    """The store's URL: plain SQLite, or SQLCipher with the raw key (never written anywhere; an
    engine's URL hides its password when printed)."""
    if key is None:
        return f"sqlite:///{Path(path).resolve()}"
    return URL.create("sqlite+pysqlcipher", password=f"x'{key.hex()}'", database=str(Path(path).resolve()))


def create_sqlite_engine(path: Path, key: bytes | None = None) -> Engine:
    # JSON columns keep Vietnamese readable (no \u escapes) for province IT staff inspecting the file.
    extra = {} if key is None else {"poolclass": pool.QueuePool,  # the dialect's default is one per thread
                                    "connect_args": {"check_same_thread": False}}
    engine = create_engine(sqlite_url(path, key), json_serializer=lambda o: json.dumps(o, ensure_ascii=False),
                           **extra)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record) -> None:
        # Let SQLAlchemy's "begin" hook below decide how transactions start (pysqlite's own
        # implicit BEGIN is deferred and cannot be made IMMEDIATE).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # Checkpoint less often than every 1000 pages: each checkpoint fsyncs twice inside some
        # officer's commit (measured: every ~27th intake paid 8–15 ms at the default).
        cur.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
        cur.close()
        # Citizens' personal data: the file and its WAL and SHM (SQLite gives them the file's
        # mode, but an older version's may still be 644) readable by the user only.
        for suffix in ("", "-wal", "-shm"):
            paths.make_private(f"{path}{suffix}")

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
        conn.info[WRITTEN_TABLES] = set()

    @event.listens_for(engine, "after_cursor_execute")
    def _note_written_table(conn, _cursor, _statement, _parameters, context, _executemany) -> None:
        # Both ORM flushes and Core DML pass here; the unit of work turns the tables into a
        # ``Changes`` value at commit, so no repository has to remember to report its writes.
        compiled = getattr(context, "compiled", None)
        if compiled is not None and (context.isinsert or context.isupdate or context.isdelete):
            table = getattr(compiled.statement, "table", None)
            if table is not None:
                conn.info.setdefault(WRITTEN_TABLES, set()).add(table.name)

    return engine


WRITTEN_TABLES = "counter_app.written_tables"


def _remember_connection(session: Session, _transaction, connection) -> None:
    session.info[WRITTEN_TABLES] = connection.info


def written_tables(session: Session) -> set[str]:
    """The tables this session's open transaction wrote; reading clears the record."""
    info = session.info.pop(WRITTEN_TABLES, None)
    return info.pop(WRITTEN_TABLES, set()) if info is not None else set()


class Database:
    """The store of one data directory: its engine plus session factories for reads and writes."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.changes = ChangeBus()  # every unit of work on this store publishes here after commit
        self.encrypted = (key := cipher.key_for(self.path)) is not None
        self.engine = create_sqlite_engine(self.path, key)
        self._write = sessionmaker(bind=self.engine.execution_options(sqlite_immediate=True),
                                   expire_on_commit=False)
        self._read = sessionmaker(bind=self.engine, expire_on_commit=False)
        for factory in (self._write, self._read):
            event.listen(factory, "after_begin", _remember_connection)
            outcomes.install(factory)

    def session(self, *, write: bool = True) -> Session:
        return (self._write if write else self._read)()

    def dispose(self) -> None:
        self.engine.dispose()
