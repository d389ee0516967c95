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


def restore_store(data_dir: Path, backup: Path) -> dict:
    """Replace the store with a checked backup; the current file is kept aside with a timestamp.
    Refused while another process (the window, a command) has the store open."""
    from counter_app.storage.backup import restore_backup

    data_dir.mkdir(parents=True, exist_ok=True)
    return restore_backup(paths.database_path(data_dir), backup, paths.migrations_dir())
