"""Citizens' data at rest: the counter's SQLite file encrypted with SQLCipher.

SQLCipher encrypts every page of the database and of its WAL (AES-256, with an HMAC per page), so
neither the file, its WAL nor a backup copy holds a name or an ID number in clear. The key is 32
random bytes used raw (``PRAGMA key = "x'…'"``: no passphrase derivation on each connection). It
lives in the OS keyring under the data folder's path, and is shown once as a *recovery key* for the
administrator to print: with it a counter whose keyring was lost (a reinstalled Windows profile,
a new PC) opens its database again.

Every connection to the store (the engine, Alembic, log-in, ``check``, backups) is made here, so no
caller has to know whether a given file is encrypted: a file that starts with SQLite's plain header
is opened with the standard library, any other with SQLCipher and the key.
"""

from __future__ import annotations

import secrets
import sqlite3
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher

from counter_app.core.errors import ConfigurationError, KeyMissing

SQLITE_HEADER = b"SQLite format 3\x00"
KEY_BYTES = 32
KEY_SERVICE = "counter_app database key"

Error = (sqlite3.Error, sqlcipher.Error)
DatabaseError = (sqlite3.DatabaseError, sqlcipher.DatabaseError)
OperationalError = (sqlite3.OperationalError, sqlcipher.OperationalError)


def key_missing(db_path: Path, detail: str) -> KeyMissing:
    return KeyMissing(
        f"Cơ sở dữ liệu {db_path} đã được mã hóa nhưng máy này không có khóa giải mã (kho mật khẩu của hệ điều "
        "hành bị mất hoặc đổi tài khoản?). Quản trị viên nhập khóa khôi phục đã in khi khởi tạo quầy: "
        "counter-app recover-key.", detail)


# -- what a file is ----------------------------------------------------------------------------
def file_state(path: Path) -> str:
    """'missing', 'empty', 'plain' (SQLite header) or 'encrypted' (anything else: SQLCipher's salt)."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return "missing"
    if not header:
        return "empty"
    return "plain" if header == SQLITE_HEADER else "encrypted"


def is_encrypted(path: Path) -> bool:
    return file_state(path) == "encrypted"


# -- the key: keyring, cache, recovery ---------------------------------------------------------
_cache: dict[str, bytes] = {}


def _account(db_path: Path) -> str:
    return f"database:{Path(db_path).resolve()}"


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def remember(db_path: Path, key: bytes) -> None:
    """Keep ``key`` for this process (the keyring is asked once per file, not per connection)."""
    _cache[_account(db_path)] = key


def keyring_ready() -> bool:
    from counter_app.os_keyring import keyring_usable

    return keyring_usable()[0]


def load_key(db_path: Path) -> bytes | None:
    """The key for ``db_path`` from the cache or the OS keyring, or None."""
    account = _account(db_path)
    if account in _cache:
        return _cache[account]
    if not keyring_ready():
        return None
    import keyring

    try:
        text = keyring.get_password(KEY_SERVICE, account)
    except Exception:  # a locked or broken keyring: the caller says what to do
        return None
    if not text:
        return None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        return None
    if len(key) != KEY_BYTES:
        return None
    _cache[account] = key
    return key


def require_keyring() -> None:
    from counter_app.os_keyring import no_keyring

    if not keyring_ready():
        raise ConfigurationError(no_keyring("khóa mã hóa cơ sở dữ liệu", "thử lại"),
                                 "no usable keyring backend for the database key")


def save_key(db_path: Path, key: bytes) -> None:
    """Store ``key`` for ``db_path`` in the OS keyring (never anywhere else on this machine)."""
    require_keyring()
    import keyring

    try:
        keyring.set_password(KEY_SERVICE, _account(db_path), key.hex())
    except Exception as exc:
        raise ConfigurationError("Kho mật khẩu của hệ điều hành từ chối lưu khóa mã hóa cơ sở dữ liệu.",
                                 f"keyring refused the database key: {type(exc).__name__}") from None
    remember(db_path, key)


def key_for(db_path: Path) -> bytes | None:
    """The key to open ``db_path`` with: None for a plain file; for a file not made yet, the key set
    up for it (None: it will be plain); for an encrypted file the key, or ``KeyMissing``."""
    state = file_state(db_path)
    if state == "plain":
        return None
    key = load_key(db_path)
    if state == "encrypted" and key is None:
        raise key_missing(db_path, "encrypted database and no key in the keyring")
    return key


# -- connections -------------------------------------------------------------------------------
def key_pragma(key: bytes) -> str:
    return f"PRAGMA key = \"x'{key.hex()}'\""


def connect(db_path: Path, key: bytes | None, *, mode: str | None = None, **kwargs):
    """A DB-API connection to ``db_path``: the standard library's for a plain file, SQLCipher's
    keyed with ``key`` otherwise. ``mode`` is SQLite's URI mode (``ro``, ``rw``)."""
    target, uri = (f"file:{db_path}?mode={mode}", True) if mode else (str(db_path), False)
    if key is None:
        return sqlite3.connect(target, uri=uri, **kwargs)
    con = sqlcipher.connect(target, uri=uri, **kwargs)
    # A wrong key is answered with an exception; SQLCipher would also print its own line to stderr.
    con.execute("PRAGMA cipher_log_level = NONE")
    con.execute(key_pragma(key))
    return con


def open_store(db_path: Path, *, mode: str | None = None, **kwargs):
    """``connect`` with the key this machine holds for ``db_path`` (``KeyMissing`` if it has none)."""
    return connect(db_path, key_for(db_path), mode=mode, **kwargs)


def key_opens(db_path: Path, key: bytes | None) -> bool:
    """True when ``key`` (None: no key) reads ``db_path``'s schema."""
    try:
        con = connect(db_path, key, mode="ro")
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            con.close()
    except DatabaseError:
        return False
    return True


def _key_clause(key: bytes | None) -> str:
    return f"KEY \"x'{key.hex()}'\"" if key is not None else "KEY ''"


def export(src: Path, src_key: bytes | None, dst: Path, dst_key: bytes | None) -> None:
    """Copy ``src`` into the new file ``dst`` under another key (None: plain), with SQLCipher's
    ``sqlcipher_export``: how a plain store is encrypted and a backup from another machine is
    re-keyed. The online backup API cannot do this: it copies pages, which carry their key."""
    con = sqlcipher.connect(str(src), isolation_level=None)
    try:
        if src_key is not None:
            con.execute(key_pragma(src_key))
        con.execute("PRAGMA busy_timeout=15000")
        con.execute(f"ATTACH DATABASE ? AS target {_key_clause(dst_key)}", (str(dst),))
        try:
            con.execute("SELECT sqlcipher_export('target')")
        finally:
            con.execute("DETACH DATABASE target")
    finally:
        con.close()
