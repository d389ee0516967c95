"""Ports: what the core needs from the outside world. ``storage`` implements them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Protocol

from counter_app.core.calendar import CalendarOverride
from counter_app.core.certification import NumberingRequest, RegisterNumber
from counter_app.core.certification import RegisterEntry as CertRegisterEntry
from counter_app.core.fees import CertifiedCopyFeeSchedule
from counter_app.core.model import Agency, Dossier, DossierEvent, DossierSummary, Procedure, RegisterEntry


class Clock(Protocol):
    def now(self) -> datetime: ...


class DossierRepository(Protocol):
    def allocate_code(self, prefix: str, day: date, slot: int) -> str:
        """Next unused code for (prefix, day, slot), inside the caller's transaction."""

    def allocate_register(self, desk: int, year: int, book_size: int) -> RegisterEntry: ...

    def add(self, dossier: Dossier, event: DossierEvent) -> None:
        """Insert the dossier with its first event and that event's outbox row."""

    def get(self, code: str) -> Dossier:
        """The dossier with its history; raises NotFound."""

    def get_for_update(self, code: str) -> Dossier: ...

    def record(self, code: str, event: DossierEvent, *, status: str, due_at: datetime | None,
               reschedule_count: int) -> None:
        """Apply a state change with its event and outbox row."""

    def list(self, *, status: str | None = None, received_from: datetime | None = None,
             received_to: datetime | None = None, limit: int = 100) -> list[DossierSummary]: ...

    def search(self, text: str, *, status: str | None = None, received_from: datetime | None = None,
               received_to: datetime | None = None, limit: int = 50) -> list[DossierSummary]: ...

    def register_lines(self, start: datetime, end: datetime) -> list:
        """Tracking-register rows (``core.prints.RegisterLine``) for dossiers received in [start, end)."""


class CatalogueRepository(Protocol):
    def get(self, code: str) -> Procedure | None: ...

    def all(self, *, include_closed: bool = True) -> list[Procedure]: ...

    def upsert(self, procedure: Procedure) -> str:
        """Insert or update in place; returns 'added', 'updated' or 'unchanged'."""

    def close_or_delete_missing(self, keep: Iterable[str]) -> tuple[list[str], list[str]]:
        """Procedures not in ``keep``: referenced ones closed, others deleted; returns both lists."""


class SettingsRepository(Protocol):
    def load_agencies(self) -> list[Agency]: ...

    def save_agency(self, agency: Agency) -> None: ...

    def get(self, key: str, default=None): ...

    def set(self, key: str, value) -> None: ...


class CalendarRepository(Protocol):
    def overrides(self) -> list[CalendarOverride]: ...

    def replace_overrides(self, overrides: Sequence[CalendarOverride]) -> None: ...


class FeeRepository(Protocol):
    def copy_schedules(self) -> list[CertifiedCopyFeeSchedule]: ...

    def save_copy_schedule(self, schedule: CertifiedCopyFeeSchedule) -> None: ...


class OfficerRepository(Protocol):
    def all(self) -> list: ...

    def get(self, username: str) -> tuple | None:
        """(Officer, password hash) or None."""

    def add(self, officer, password_hash: str) -> None: ...

    def set_password(self, username: str, password_hash: str) -> None: ...


class UnitOfWork(Protocol):
    """One transaction. Leaving the ``with`` block without ``commit()`` rolls everything back."""

    dossiers: DossierRepository
    catalogue: CatalogueRepository
    settings: SettingsRepository
    calendar: CalendarRepository
    fees: FeeRepository
    officers: OfficerRepository
    cert_register: object  # storage.certifications.SqlCertRegister: the registers this machine holds
    certifications: object  # storage.certifications.SqlCertifications: the desk's requests

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(self, *exc) -> None: ...

    def commit(self) -> None: ...


class RegisterHolder(Protocol):
    """The office's certification register as a desk uses it: on this machine, or on the machine
    that holds it for the office. One certification calls the same phases on both:

    1. ``reserve`` before the dossier's transaction. Another machine is asked over the network
       (``HolderUnavailable`` when it cannot be reached); this machine asks nothing yet, so that
       its numbering and the dossier stay one transaction.
    2. ``issue`` inside the dossier's write transaction: the numbers the dossier records (None when
       the request waits without numbers).
    3. ``confirm`` after the commit, only when ``numbers_final_at_commit`` is false: the holder
       turns the reservation into issued lines (``HolderExpired`` if it already voided them).
    """

    numbers_final_at_commit: bool

    def reserve(self, prepare: Callable[[], NumberingRequest]) -> list[RegisterNumber] | None:
        """``prepare`` validates the visit and builds the request; called only if asked now."""

    def issue(self, uow: UnitOfWork, request: NumberingRequest, reserved: list[RegisterNumber] | None,
              dossier_code: str) -> list[RegisterNumber] | None: ...

    def confirm(self, request_id: str, dossier_code: str) -> None: ...

    def void(self, uow: UnitOfWork, register_type: str, year: int, number: int, reason: str,
             officer: str) -> None:
        """Strike a number out of the register as part of the desk's transaction ``uow``. Called
        before the desk writes anything there, so a holder's refusal leaves the desk unchanged."""

    def entries(self, register_type: str, first: date, last: date) -> list[CertRegisterEntry]:
        """The register book's lines for days [first, last]."""

    def close_year(self, register_type: str, year: int) -> int:
        """Year-end closing: the count is fixed and the next year starts at 01. Only the machine
        that holds the register may close it (``ValidationError`` elsewhere)."""
