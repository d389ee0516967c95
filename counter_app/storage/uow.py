"""The unit of work: one SQLAlchemy session, one SQLite transaction, all repositories on it."""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError

from counter_app.storage.config_repos import (
    SqlCalendarRepository, SqlCatalogueRepository, SqlFeeRepository, SqlOfficerRepository, SqlSettingsRepository,
)
from counter_app.storage.catch_up import SqlCatchUp
from counter_app.storage.certifications import SqlCertifications, SqlCertRegister
from counter_app.core.changes import Changes
from counter_app.core.errors import StorageError, ValidationError
from counter_app.storage.db import Database, written_tables
from counter_app.storage.flags import SqlReviewFlags
from counter_app.storage.history_import import SqlHistoryImport
from counter_app.storage.holder_desks import SqlHolderDesks
from counter_app.storage.postal import SqlPostalBatches
from counter_app.storage.dossiers import SqlDossierRepository
from counter_app.storage.outbox import SqlOutbox, SqlSyncState
from counter_app.storage.remote import SqlRemoteChanges
from counter_app.storage.reports import SqlReports
from counter_app.storage.transfers import SqlPaperTransfers

_DISK_FULL = ("database or disk is full", "disk is full")
_IO = ("disk i/o error", "unable to open database file", "attempt to write a readonly database")


def storage_error(exc: BaseException | None) -> Exception | None:
    """A Vietnamese error for what the store could not do (nothing was written), or None."""
    if isinstance(exc, OverflowError):
        return ValidationError("Có số quá lớn để lưu; hãy kiểm tra lại số liệu đã nhập.", str(exc))
    orig = exc.orig if isinstance(exc, DBAPIError) else exc if isinstance(exc, sqlite3.Error) else None
    if orig is None:
        return None
    text = str(orig).lower()
    if any(m in text for m in _DISK_FULL):
        return StorageError("Ổ đĩa đã đầy: không lưu được. Chưa có gì được ghi; hãy giải phóng dung lượng "
                            "hoặc báo bộ phận hỗ trợ rồi thực hiện lại.", f"disk full: {orig}")
    if any(m in text for m in _IO):
        return StorageError("Lỗi đọc/ghi cơ sở dữ liệu trên ổ đĩa: không lưu được. Chưa có gì được ghi; "
                            "hãy báo bộ phận hỗ trợ.", f"I/O error: {orig}")
    if isinstance(orig, OverflowError):
        return ValidationError("Có số quá lớn để lưu; hãy kiểm tra lại số liệu đã nhập.", str(orig))
    return None


class SqlUnitOfWork:
    """``with uow: ...; uow.commit()``. Leaving without commit rolls back: nothing is written."""

    def __init__(self, db: Database, *, write: bool = True) -> None:
        self._db = db
        self._write = write

    def __enter__(self) -> SqlUnitOfWork:
        self.session = self._db.session(write=self._write)
        self.session.begin()
        self.dossiers = SqlDossierRepository(self.session)
        self.catalogue = SqlCatalogueRepository(self.session)
        self.settings = SqlSettingsRepository(self.session)
        self.calendar = SqlCalendarRepository(self.session)
        self.fees = SqlFeeRepository(self.session)
        self.officers = SqlOfficerRepository(self.session)
        # Sync's view of the same transaction (not core ports: only counter_app.sync uses them).
        self.outbox = SqlOutbox(self.session)
        self.sync_state = SqlSyncState(self.session)
        self.remote = SqlRemoteChanges(self.session)
        self.catch_up = SqlCatchUp(self.session)
        self.cert_register = SqlCertRegister(self.session)
        self.certifications = SqlCertifications(self.session)
        self.holder_desks = SqlHolderDesks(self.session)
        self.postal = SqlPostalBatches(self.session)
        self.flags = SqlReviewFlags(self.session)
        self.transfers = SqlPaperTransfers(self.session)
        self.reports = SqlReports(self.session)
        self.history = SqlHistoryImport(self.session)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if self.session.in_transaction():
                written_tables(self.session)
                self.session.rollback()
        except DBAPIError:
            if exc is None:
                raise
            # The rollback failed too (the disk is gone): SQLite's journal undoes the transaction
            # on the next open; report the first problem.
        finally:
            self.session.close()
        mapped = storage_error(exc)
        if mapped is not None:
            raise mapped from exc


    def commit(self) -> Changes:
        """Commit, then tell the store's subscribers what changed (after, never before: a view
        must not show what a rollback could still take back)."""
        self.session.flush()  # ORM writes still pending would otherwise run after the tables are read
        written = written_tables(self.session)
        self.session.commit()
        changes = Changes.from_tables(written)
        self._db.changes.publish(changes)
        return changes
