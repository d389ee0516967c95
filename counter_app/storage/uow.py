"""The unit of work: one SQLAlchemy session, one SQLite transaction, all repositories on it."""

from __future__ import annotations

from counter_app.storage.config_repos import (
    SqlCalendarRepository, SqlCatalogueRepository, SqlFeeRepository, SqlOfficerRepository, SqlSettingsRepository,
)
from counter_app.storage.certifications import SqlCertifications, SqlCertRegister
from counter_app.core.changes import Changes
from counter_app.storage.db import Database, written_tables
from counter_app.storage.holder_desks import SqlHolderDesks
from counter_app.storage.dossiers import SqlDossierRepository
from counter_app.storage.outbox import SqlOutbox, SqlSyncState
from counter_app.storage.remote import SqlRemoteChanges


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
        self.cert_register = SqlCertRegister(self.session)
        self.certifications = SqlCertifications(self.session)
        self.holder_desks = SqlHolderDesks(self.session)
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self.session.in_transaction():
                written_tables(self.session)
                self.session.rollback()
        finally:
            self.session.close()

    def commit(self) -> Changes:
        """Commit, then tell the store's subscribers what changed (after, never before: a view
        must not show what a rollback could still take back)."""
        self.session.flush()  # ORM writes still pending would otherwise run after the tables are read
        written = written_tables(self.session)
        self.session.commit()
        changes = Changes.from_tables(written)
        self._db.changes.publish(changes)
        return changes
