"""Engine, migrations and transactions of the server database (PostgreSQL or SQLite)."""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
CHANGE_FEED_LOCK = 7_300_001  # pg advisory lock id: change rows commit in seq order


def default_url() -> str:
    return "sqlite:///provincial-server.sqlite"


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


class ServerDatabase:
    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        kwargs = {"json_serializer": _dumps}
        if not self.is_sqlite:
            kwargs.update(pool_size=5, max_overflow=5, pool_pre_ping=True)
        self.engine = create_engine(url, **kwargs)
        if self.is_sqlite:
            @event.listens_for(self.engine, "connect")
            def _pragmas(dbapi_conn, _record) -> None:
                dbapi_conn.isolation_level = None
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=FULL")
                cur.execute("PRAGMA foreign_keys=ON")
                cur.execute("PRAGMA busy_timeout=30000")
                cur.close()

            @event.listens_for(self.engine, "begin")
            def _begin(conn) -> None:
                immediate = conn.get_execution_options().get("immediate", False)
                conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
        self._sessions = sessionmaker(bind=self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(bind=self.engine.execution_options(immediate=True),
                                            expire_on_commit=False)
        # One writer at a time inside this process: pushes from two counters touching one dossier
        # must not interleave (the unique UUID index is the last guard across processes).
        self.write_lock = threading.Lock()

    def upgrade(self) -> None:
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    @contextmanager
    def transaction(self):
        """A write transaction; commits on success, rolls back on any exception."""
        with self.write_lock, self._write_sessions() as session:
            with session.begin():
                yield session

    @contextmanager
    def read(self):
        with self._sessions() as session:
            yield session

    def lock_change_feed(self, session: Session) -> None:
        """Serialise writers of ``change`` so a puller never skips a seq that commits late."""
        if not self.is_sqlite:
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHANGE_FEED_LOCK})

    def folder_beside(self, name: str) -> Path:
        """The default home of the server's files (attachments, releases): beside a SQLite
        database, else in the working directory."""
        prefix = "sqlite:///"
        if self.url.startswith(prefix) and len(self.url) > len(prefix):
            return Path(self.url[len(prefix):]).resolve().parent / name
        return Path(name).resolve()

    def dispose(self) -> None:
        self.engine.dispose()
