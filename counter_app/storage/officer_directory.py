"""Officer log-in with the standard library's sqlite3 only, so the login dialog can open before
SQLAlchemy is imported (the window must be usable within a second of start-up)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from counter_app.core.errors import ValidationError
from counter_app.core.officers import Officer, verify_password
from counter_app.core.text import clean


class OfficerDirectory:
    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)

    def _rows(self, sql: str, *args) -> list[tuple]:
        con = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True)
        try:
            con.execute("PRAGMA busy_timeout=15000")
            return con.execute(sql, args).fetchall()
        finally:
            con.close()

    def usable(self) -> bool:
        """True when the database already has officer accounts (schema 0002 or later)."""
        try:
            return bool(self._rows("SELECT 1 FROM officer WHERE active LIMIT 1"))
        except sqlite3.Error:
            return False

    def authenticate(self, username: str, password: str) -> Officer:
        rows = self._rows("SELECT username, full_name, role, active, password_hash FROM officer WHERE username = ?",
                          clean(username).lower())
        if not rows or not rows[0][3] or not verify_password(password, rows[0][4]):
            raise ValidationError("Sai tên đăng nhập hoặc mật khẩu.", "authentication failed")
        username, full_name, role, active, _ = rows[0]
        return Officer(username, full_name, role, bool(active))
