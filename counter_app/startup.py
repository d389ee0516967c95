"""What the faces may do before (or without) opening the application core: log an officer in
with the standard library only, check the store, back it up and restore it. Kept apart from ``app.py`` so the
login dialog opens before SQLAlchemy and Alembic are imported (measured: 0.05 s here, 0.26 s for
``counter_app.app``)."""

from __future__ import annotations

from pathlib import Path

from counter_app import paths
from counter_app.core.errors import ValidationError


def store_exists(data_dir: Path) -> bool:
    return paths.database_path(data_dir).exists()


def officer_directory(data_dir: Path):
    """Log-in against the officer table with plain sqlite3 (``usable()`` is False before set-up)."""
    from counter_app.storage.officer_directory import OfficerDirectory

    return OfficerDirectory(paths.database_path(data_dir))


def check_store(data_dir: Path):
    """Integrity, schema version and outbox consistency (``report.ok``, ``report.text()``)."""
    from counter_app.storage.maintenance import check_database

    return check_database(data_dir, paths.migrations_dir())


def backup_store(data_dir: Path, out: Path) -> int:
    """A consistent, integrity-checked copy of the store while the app may be running, written
    under a temporary name and renamed into place; returns its size in bytes."""
    from counter_app.storage.backup import write_backup

    if not store_exists(data_dir):
        raise ValidationError(f"Không có cơ sở dữ liệu trong {data_dir}.", "database not found")
    return write_backup(paths.database_path(data_dir), out)


def restore_store(data_dir: Path, backup: Path, recovery_key: str | None = None, release=None) -> dict:
    """Replace the store with a checked backup; the current file is kept aside with a timestamp.
    Refused while another process (the window, a command) has the store open. ``recovery_key``
    opens a backup encrypted on another machine (or before this keyring was lost); ``release``
    closes the caller's connections just before the swap."""
    from counter_app.storage.backup import restore_backup
    from counter_app.core.escrow import key_from_recovery

    key = key_from_recovery(recovery_key) if recovery_key else None
    data_dir.mkdir(parents=True, exist_ok=True)
    return restore_backup(paths.database_path(data_dir), backup, paths.migrations_dir(), key, release)


def encrypt_store(data_dir: Path) -> dict:
    """Encrypt a plain store (one set up before encryption, or on a machine that had no keyring);
    the answer's ``recovery_key`` is shown once for the administrator to print."""
    from counter_app.storage.rekey import encrypt_store as encrypt

    return encrypt(paths.database_path(data_dir))


def recover_key(data_dir: Path, recovery_key: str) -> dict:
    """Give this machine's keyring the store's key again, from the printed recovery key."""
    from counter_app.storage.rekey import recover_key as recover

    return recover(paths.database_path(data_dir), recovery_key)


def start_program(command: list[str], data_dir: Path) -> None:
    """Start a version of the program on ``data_dir`` that outlives this process: the new one after
    an update, or the one an update replaced when the new one could not migrate the store."""
    from counter_app.sync.updates import start_detached

    start_detached(command, ["--data-dir", str(data_dir)])
