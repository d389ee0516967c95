"""Backups that restore: ``backup`` and ``restore`` of the counter's SQLite file.

A backup is written under a temporary name in the target folder, checked with
``PRAGMA integrity_check``, fsynced, and only then renamed to its final name (``os.replace``), so
a kill, a full disk or a damaged copy never leaves a file under the name the officer chose. A
restore checks the file first (SQLite header, integrity, a counter_app schema this version knows),
keeps the current database aside under a timestamped name, and swaps the checked copy in.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from counter_app.core.errors import ValidationError
from counter_app.storage import cipher

class StoreInUse(ValidationError):
    """Another connection (the window, a command, a background read) has the store open."""


PARTIAL_SUFFIX = ".partial"


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for fsync on Windows; NTFS journals renames
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_into(src: Path, dst: Path, key: bytes | None) -> None:
    """SQLite's online backup API: a consistent copy even while the app is writing. An encrypted
    store's copy is encrypted with the same key (SQLCipher copies pages only between equal keys)."""
    source = cipher.connect(src, key, mode="ro")
    target = cipher.connect(dst, key)
    try:
        source.execute("PRAGMA busy_timeout=15000")
        source.backup(target)
        # The copy is a single self-contained file: no WAL beside it.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
        source.close()


def copy_checked(src: Path, src_key: bytes | None, tmp: Path, dst_key: bytes | None, refusal: str) -> None:
    """``src`` into the new file ``tmp`` under ``dst_key`` (re-keyed when it is not ``src_key``),
    then checked and fsynced; ``ValidationError(refusal)`` when the copy fails its check."""
    if src_key == dst_key:
        _copy_into(src, tmp, src_key)
    else:
        cipher.export(src, src_key, tmp, dst_key)
    problem = integrity_problem(tmp, key=dst_key)
    if problem:
        raise ValidationError(refusal, problem)
    _fsync_file(tmp)


def integrity_problem(path: Path, deep: bool = True, key: bytes | None = None) -> str | None:
    """None when ``path`` is an SQLite database (plain, or encrypted with ``key``) that passes
    ``integrity_check``; else why not. ``deep=False`` stops after the header and the schema (for a
    caller that runs the check itself)."""
    try:
        state = cipher.file_state(path)
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if state in ("missing", "empty"):
        return f"not an SQLite database ({state})"
    if state == "encrypted" and key is None:
        return "not an SQLite database, or encrypted with a key this machine does not hold"
    try:
        con = cipher.connect(path, key if state == "encrypted" else None, mode="ro")
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
            rows = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()] if deep else ["ok"]
            if state == "encrypted" and deep:
                rows = [r[0] for r in con.execute("PRAGMA cipher_integrity_check").fetchall()] or rows
        finally:
            con.close()
    except cipher.DatabaseError as exc:
        hint = " (or another key)" if state == "encrypted" else ""
        return f"damaged{hint}: {exc}"
    return None if rows == ["ok"] else "integrity_check: " + "; ".join(rows[:5])


def _partial_name(out: Path) -> Path:
    return out.with_name(f".{out.name}.{os.getpid()}{PARTIAL_SUFFIX}")


def _remove_stale_partials(out: Path) -> None:
    """Temporary files of earlier backups to the same name that were killed before they finished."""
    for stale in out.parent.glob(f".{out.name}.*{PARTIAL_SUFFIX}"):
        try:
            stale.unlink()
        except OSError:
            pass


def write_backup(db_path: Path, out: Path) -> int:
    """Copy ``db_path`` to ``out`` atomically; returns the size. ``out`` must not exist."""
    out = Path(out)
    if out.exists():
        raise ValidationError(f"Tệp {out} đã tồn tại; chọn tên khác.", "refusing to overwrite")
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_partials(out)
    tmp = _partial_name(out)
    key = cipher.key_for(db_path)
    try:
        copy_checked(Path(db_path), key, tmp, key, "Bản sao lưu vừa tạo không đạt kiểm tra toàn vẹn; không có "
                     f"tệp nào được ghi vào {out}.")
        if out.exists():  # appeared while copying: never replace someone else's file
            raise ValidationError(f"Tệp {out} đã tồn tại; chọn tên khác.", "refusing to overwrite")
        os.replace(tmp, out)
        _fsync_dir(out.parent)
    except cipher.Error as exc:
        raise ValidationError(f"Không sao lưu được vào {out} (ổ đĩa đầy, chỉ đọc hoặc không ghi được?). "
                              "Không có tệp nào được ghi.", f"{type(exc).__name__}: {exc}") from exc
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            if leftover.exists():
                leftover.unlink()
    return out.stat().st_size


def known_revisions(migrations: Path) -> list[str]:
    """The schema revisions this version of the app can open (it upgrades older ones)."""
    found = []
    for path in Path(migrations, "versions").glob("*.py"):
        match = re.search(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", path.read_text("utf-8"), re.MULTILINE)
        if match:
            found.append(match.group(1))
    return found


def check_restorable(path: Path, migrations: Path, key: bytes | None = None) -> str:
    """The schema revision of a file fit to restore (plain, or encrypted with ``key``); raises
    ``ValidationError`` otherwise."""
    path = Path(path)
    if not path.is_file():
        raise ValidationError(f"Không tìm thấy tệp sao lưu {path}.", "backup file not found")
    problem = integrity_problem(path, key=key)
    if problem:
        hint = (" Nếu tệp được mã hóa bằng khóa của máy khác, dùng --recovery-key với khóa khôi phục của máy đó."
                if cipher.is_encrypted(path) else "")
        raise ValidationError(f"Tệp {path} không phải cơ sở dữ liệu hợp lệ, đã hỏng hoặc được mã hóa bằng "
                              f"khóa khác; không khôi phục.{hint}", problem)
    con = cipher.connect(path, key if cipher.is_encrypted(path) else None, mode="ro")
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        con.execute("SELECT count(*) FROM dossier").fetchone()
    except cipher.DatabaseError as exc:
        raise ValidationError(f"Tệp {path} không phải cơ sở dữ liệu của phần mềm quầy; không khôi phục.",
                              f"not a counter_app database: {exc}") from exc
    finally:
        con.close()
    revision = row[0] if row else None
    if revision not in known_revisions(migrations):
        raise ValidationError(f"Tệp {path} có lược đồ {revision} mà phiên bản phần mềm này không biết "
                              "(tệp của phiên bản mới hơn?); không khôi phục.", f"unknown schema revision {revision}")
    return revision


def _checkpoint_alone(db_path: Path) -> None:
    """Copy the WAL into the database and leave WAL mode, which SQLite allows only when no other
    connection has the file open: that is how a running window (or another command) is detected."""
    con = cipher.open_store(db_path, isolation_level=None, timeout=2)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mode = con.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    except cipher.OperationalError as exc:
        raise StoreInUse("Ứng dụng quầy đang mở cơ sở dữ liệu ở nơi khác; đóng cửa sổ quầy (và các lệnh "
                              "đang chạy) rồi khôi phục lại.", f"database in use: {exc}") from exc
    finally:
        con.close()
    if mode.lower() != "delete":
        raise StoreInUse("Ứng dụng quầy đang mở cơ sở dữ liệu ở nơi khác; đóng cửa sổ quầy rồi khôi phục lại.",
                              f"database in use: journal_mode stayed {mode}")


def _set_aside_unreadable_wal(db_path: Path) -> None:
    """The WAL of a store nobody can read any more must not be replayed into the restored file."""
    for suffix in ("-wal", "-shm"):
        side = Path(f"{db_path}{suffix}")
        if side.exists():
            os.replace(side, side.with_name(f"{side.name}.lost-key"))


def store_key_of(db_path: Path) -> bytes | None:
    """The key the store is (or, when it does not exist yet, will be) encrypted with."""
    if cipher.file_state(db_path) == "plain":
        return None
    return cipher.load_key(db_path)


def restore_backup(db_path: Path, backup: Path, migrations: Path, backup_key: bytes | None = None,
                   release: Callable[[], None] | None = None) -> dict:
    """Replace the database with ``backup``; the current one is kept as ``<name>.before-restore-<time>``.
    ``release`` closes the caller's own connections once the backup has passed its checks and been
    copied, just before the swap (a file that fails them never disturbs a running core).

    An encrypted backup opens with ``backup_key`` (another machine's recovery key) or this store's
    key. The restored store is encrypted with this store's key when it has one (a plain or foreign
    backup is re-keyed on the way), else with the backup's, which is then put in the keyring."""
    db_path, backup = Path(db_path), Path(backup)
    store_key = store_key_of(db_path)
    src_key = (backup_key or store_key) if cipher.is_encrypted(backup) else None
    revision = check_restorable(backup, migrations, src_key)
    dst_key = store_key if store_key is not None else src_key
    tmp = _partial_name(db_path)
    aside = None
    try:
        copy_checked(backup, src_key, tmp, dst_key,
                     "Bản sao chép để khôi phục không đạt kiểm tra toàn vẹn; không khôi phục.")
        if dst_key is not None and dst_key != store_key:
            cipher.save_key(db_path, dst_key)  # before the swap: an encrypted store never lacks its key
        if release is not None:
            release()
        if db_path.exists():
            if store_key is None and cipher.is_encrypted(db_path):
                _set_aside_unreadable_wal(db_path)  # its key is lost: nobody can have it open
            else:
                _checkpoint_alone(db_path)
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            aside = db_path.with_name(f"{db_path.name}.before-restore-{stamp}")
            try:
                os.link(db_path, aside)  # the current file stays in place until the swap below
            except OSError:
                os.replace(db_path, aside)
        os.replace(tmp, db_path)
        _fsync_dir(db_path.parent)
        from counter_app.storage.catch_up import mark_restored

        catch_up = mark_restored(db_path, datetime.now().astimezone())
    except cipher.Error as exc:
        raise ValidationError(f"Không khôi phục được từ {backup}; cơ sở dữ liệu hiện tại không đổi.",
                              f"{type(exc).__name__}: {exc}") from exc
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            if leftover.exists():
                leftover.unlink()
    return {"restored": str(backup), "database": str(db_path), "revision": revision,
            "previous": str(aside) if aside else None, "encrypted": dst_key is not None, "catch_up": catch_up}


DAILY_PATTERN = re.compile(r"^counter-(\d{8})\.sqlite$")


def daily_backup(db_path: Path, folder: Path, keep: int, day) -> dict:
    """Today's copy ``counter-YYYYMMDD.sqlite`` in ``folder`` unless it is there already; then only
    the newest ``keep`` daily copies are kept (other files in the folder are never touched)."""
    folder = Path(folder)
    out = folder / f"counter-{day.strftime('%Y%m%d')}.sqlite"
    made = None
    if not out.exists():
        write_backup(db_path, out)
        made = str(out)
    daily = sorted(p for p in folder.iterdir() if DAILY_PATTERN.match(p.name))
    removed = []
    for old in daily[:max(len(daily) - max(keep, 1), 0)]:
        old.unlink()
        removed.append(old.name)
    return {"made": made, "removed": removed}
