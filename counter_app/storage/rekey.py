"""Putting a key on a store: encrypting a plain one, and taking a lost key back from the recovery key.

Both need the store to themselves (no window, no other command): a copy is made under the new key
beside the file, checked, and swapped in with one rename, so a kill at any point leaves either the
old file or the new one, never half of each.
"""

from __future__ import annotations

import os
from pathlib import Path

from counter_app.core.errors import ValidationError
from counter_app.core.escrow import key_from_recovery, recovery_text
from counter_app.storage import cipher
from counter_app.storage.backup import _checkpoint_alone, _fsync_dir, _partial_name, copy_checked, integrity_problem


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _encrypt_file(path: Path, key: bytes) -> None:
    """Replace the plain SQLite file ``path`` by an encrypted copy of it (atomic rename)."""
    tmp = _partial_name(path)
    try:
        copy_checked(path, None, tmp, key, "Bản mã hóa không đạt kiểm tra toàn vẹn; tệp cũ giữ nguyên.")
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    finally:
        _remove(tmp)


def encrypt_store(db_path: Path) -> dict:
    """Encrypt a plain store with a new key kept in the OS keyring; returns the recovery key (shown
    once) and the older plain copies in ``backups/`` that were encrypted too."""
    db_path = Path(db_path)
    state = cipher.file_state(db_path)
    if state == "encrypted":
        raise ValidationError("Cơ sở dữ liệu đã được mã hóa.", "already encrypted")
    if state != "plain":
        raise ValidationError(f"Không có cơ sở dữ liệu tại {db_path}.", "database not found")
    cipher.require_keyring()
    _checkpoint_alone(db_path)  # refused while the window or another command has it open
    key = cipher.new_key()
    # The key goes to the keyring before the file changes: a kill between the two leaves a plain
    # store and an unused key, never an encrypted store without its key.
    cipher.save_key(db_path, key)
    _encrypt_file(db_path, key)
    done = []
    backups = db_path.parent / "backups"  # the copies made before each schema upgrade
    for old in sorted(backups.glob("*.sqlite")) if backups.is_dir() else []:
        if cipher.file_state(old) == "plain" and not integrity_problem(old, deep=False):
            _encrypt_file(old, key)
            done.append(str(old))
    return {"database": str(db_path), "recovery_key": recovery_text(key), "backups_encrypted": done}


def recover_key(db_path: Path, recovery: str) -> dict:
    """Put the key back into this machine's keyring from the printed recovery key, after checking
    that it really opens the store."""
    db_path = Path(db_path)
    key = key_from_recovery(recovery)
    if cipher.file_state(db_path) != "encrypted":
        raise ValidationError(f"Không có cơ sở dữ liệu đã mã hóa tại {db_path}; không cần khóa khôi phục.",
                              "store missing or not encrypted")
    if not cipher.key_opens(db_path, key):
        raise ValidationError("Khóa khôi phục không mở được cơ sở dữ liệu này (khóa của quầy khác?). "
                              "Không có gì thay đổi.", "recovery key does not open the database")
    cipher.save_key(db_path, key)
    return {"database": str(db_path), "recovered": True}
