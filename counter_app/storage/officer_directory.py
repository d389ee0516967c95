"""Officer log-in with a bare DB-API connection (``cipher``: sqlite3 or SQLCipher), so the login
dialog can open before SQLAlchemy is imported (the window must be usable within a second of start-up)."""

from __future__ import annotations

import logging
from pathlib import Path

from counter_app.core.errors import ValidationError
from counter_app.core.officers import Officer, hash_password, needs_rehash, verify_password
from counter_app.core.text import clean
from counter_app.storage import cipher

log = logging.getLogger(__name__)


class OfficerDirectory:
    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)

    def _rows(self, sql: str, *args) -> list[tuple]:
        con = cipher.open_store(self.db_path, mode="ro")
        try:
            con.execute("PRAGMA busy_timeout=15000")
            return con.execute(sql, args).fetchall()
        finally:
            con.close()

    def usable(self) -> bool:
        """True when the database already has officer accounts (schema 0002 or later)."""
        try:
            return bool(self._rows("SELECT 1 FROM officer WHERE active LIMIT 1"))
        except cipher.Error:
            return False

    def authenticate(self, username: str, password: str) -> Officer:
        rows = self._rows("SELECT username, full_name, role, active, password_hash FROM officer WHERE username = ?",
                          clean(username).lower())
        if not rows or not rows[0][3] or not verify_password(password, rows[0][4]):
            raise ValidationError("Sai tên đăng nhập hoặc mật khẩu.", "authentication failed")
        username, full_name, role, active, stored = rows[0]
        if needs_rehash(stored):
            self._rehash(username, stored, password)
        return Officer(username, full_name, role, bool(active))

    def _rehash(self, username: str, old_hash: str, password: str) -> None:
        """Replace an older hash (scrypt, other Argon2 parameters) by today's, unless the password
        changed meanwhile; a failure (a locked or read-only file) leaves it for the next login."""
        hashed = hash_password(password)
        try:
            con = cipher.open_store(self.db_path, isolation_level=None)
            try:
                con.execute("PRAGMA busy_timeout=15000")
                con.execute("PRAGMA synchronous=FULL")
                con.execute("BEGIN IMMEDIATE")
                con.execute("UPDATE officer SET password_hash = ? WHERE username = ? AND password_hash = ?",
                            (hashed, username, old_hash))
                con.execute("COMMIT")
            finally:
                con.close()
        except cipher.Error:
            log.warning("officer account %s: password hash not upgraded", username, exc_info=True)
            return
        log.info("officer account %s: password hash upgraded to Argon2id", username)
