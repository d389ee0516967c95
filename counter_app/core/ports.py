"""Ports: what the core needs from the outside world. ``storage`` implements them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from counter_app.core.calendar import CalendarOverride
from counter_app.core.certification import CertItem, Certification, CertKind, EntryDraft, NumberingRequest, RegisterNumber
from counter_app.core.certification import RegisterEntry as CertRegisterEntry
from counter_app.core.fees import CertifiedCopyFeeSchedule
from counter_app.core.location_free import ListedProcedure
from counter_app.core.swaps import PublishedSwap
from counter_app.core.model import (
    Agency, AgencyAlias, Dossier, DossierEvent, DossierSummary, Procedure, RegisterEntry,
)
from counter_app.core.postal import BatchItem, PostalBatch
from counter_app.core.report import CertificationFigures, DossierFact

if TYPE_CHECKING:  # core.outbox and core.flags build on these ports
    from counter_app.core.flags import ReviewFlag
    from counter_app.core.history_import import HistoricalDossier
    from counter_app.core.outbox import OutboxItem
    from counter_app.core.transfer import ListedDossier, TransferBatch


class Clock(Protocol):
    def now(self) -> datetime: ...


class DossierRepository(Protocol):
    def allocate_code(self, prefix: str, day: date, slot: int) -> str:
        """Next unused code for (prefix, day, slot), inside the caller's transaction."""

    def allocate_register(self, desk: int, year: int, book_size: int) -> RegisterEntry: ...

    def counter_value(self, name: str) -> int:
        """The last value of a named device counter (0 when never used)."""

    def set_counter(self, name: str, value: int) -> None:
        """Move a named device counter to ``value`` inside the caller's transaction."""

    def add(self, dossier: Dossier, event: DossierEvent) -> None:
        """Insert the dossier with its first event and that event's outbox row."""

    def get(self, code: str) -> Dossier:
        """The dossier with its history; raises NotFound."""

    def get_for_update(self, code: str) -> Dossier: ...

    def record(self, code: str, event: DossierEvent, *, status: str, due_at: datetime | None,
               reschedule_count: int) -> None:
        """Apply a state change with its event and outbox row."""

    def list(self, *, status: str | None = None, received_from: datetime | None = None,
             received_to: datetime | None = None, limit: int = 100, statuses: Sequence[str] | None = None,
             due_from: datetime | None = None, due_to: datetime | None = None, order: str = "received",
             after: DossierSummary | None = None) -> list[DossierSummary]:
        """Newest first (``order="received"``) or soonest due first (``"due"``); ``after`` pages on."""

    def search(self, text_: str, *, status: str | None = None, received_from: datetime | None = None,
               received_to: datetime | None = None, limit: int = 50) -> list[DossierSummary]: ...

    def register_lines(self, start: datetime, end: datetime, *, receiving: str | None = None,
                       competent: str | None = None, channel: str | None = None, cross: bool = False) -> list:
        """Tracking-register rows (``core.prints.RegisterLine``) for dossiers received in [start, end)."""


class CatalogueRepository(Protocol):
    def get(self, code: str) -> Procedure | None: ...

    def all(self, *, include_closed: bool = True) -> list[Procedure]: ...

    def upsert(self, procedure: Procedure) -> str:
        """Insert or update in place; returns 'added', 'updated' or 'unchanged'."""

    def close_or_delete_missing(self, keep: Iterable[str]) -> tuple[list[str], list[str]]:
        """Procedures not in ``keep``: referenced ones closed, others deleted; returns both lists."""

    def location_free(self) -> list[ListedProcedure]:
        """The province's location-independent list as loaded (every entry, removed ones too)."""

    def replace_location_free(self, entries: Sequence[ListedProcedure]) -> None: ...


class SettingsRepository(Protocol):
    def load_agencies(self) -> list[Agency]: ...

    def save_agency(self, agency: Agency) -> None: ...

    def load_agency_aliases(self) -> list[AgencyAlias]: ...

    def save_agency_alias(self, alias: AgencyAlias) -> None: ...

    def get(self, key: str, default=None): ...

    def set(self, key: str, value) -> None: ...


class CalendarRepository(Protocol):
    def overrides(self) -> list[CalendarOverride]: ...

    def replace_overrides(self, overrides: Sequence[CalendarOverride]) -> None: ...

    def swaps(self) -> list[PublishedSwap]: ...

    def replace_swaps(self, swaps: Sequence[PublishedSwap]) -> None: ...


class FeeRepository(Protocol):
    def copy_schedules(self) -> list[CertifiedCopyFeeSchedule]: ...

    def save_copy_schedule(self, schedule: CertifiedCopyFeeSchedule) -> None: ...


class OfficerRepository(Protocol):
    def all(self) -> list: ...

    def get(self, username: str) -> tuple | None:
        """(Officer, password hash) or None."""

    def add(self, officer, password_hash: str) -> None: ...

    def set_password(self, username: str, password_hash: str) -> None: ...

    def set_role(self, username: str, role: str) -> None: ...

    def set_active(self, username: str, active: bool) -> None:
        """Accounts are deactivated, never deleted: dossier histories keep their names."""

    def set_organisation(self, username: str, organisation: str | None) -> None: ...


class OutboxRepository(Protocol):
    """Events waiting for the provincial server, in device order; a lease marks a batch in flight."""

    def release_leases(self, now: datetime, *, all_sending: bool = False) -> int: ...

    def claim(self, now: datetime, lease: timedelta, *, max_events: int = ..., max_bytes: int = ...
              ) -> list[dict[str, Any]]: ...

    def settle(self, results: list[dict[str, Any]], now: datetime) -> dict[str, int]:
        """Apply the server's per-event answers; returns counts per outcome."""

    def release(self, uuids: list[str], error: str) -> None: ...

    def retry_set_aside(self, device_seqs: list[int] | None = None) -> int: ...

    def counts(self) -> dict[str, int]: ...

    def undelivered_codes(self, codes: list[str]) -> set[str]: ...

    def items(self, *, states: tuple[str, ...] | None = None, limit: int = 500) -> list[OutboxItem]: ...

    def delivered_per_day(self, since: datetime) -> dict[str, int]: ...

    def requeue_missing(self, day: str, on_server: set[str]) -> int: ...


class SyncStateRepository(Protocol):
    """Small values the sync keeps (server URL, device id, pull cursor)."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def set(self, key: str, value: Any) -> None: ...

    def all(self) -> dict[str, Any]: ...


class RemoteChangeRepository(Protocol):
    """Changes pulled from the server, applied to this counter's store."""

    def apply_status(self, seq: int, data: dict[str, Any]) -> str: ...

    def apply_event(self, seq: int, data: dict[str, Any]) -> str:
        """Another counter's event on a dossier held here (routing): recorded without an outbox row."""

    def deferred(self) -> list[tuple[int, str, dict[str, Any]]]: ...

    def import_dossier(self, data: dict[str, Any]) -> str: ...


class CertRegisterRepository(Protocol):
    """The certification registers this machine holds (every desk's numbers when it is the holder)."""

    def allocate(self, agency: str, year: int, register_type: str, book_size: int, request_id: str,
                 drafts: list[EntryDraft], now: datetime, *, state: str = ..., dossier_code: str | None = None
                 ) -> list[RegisterNumber]: ...

    def confirm(self, request_id: str, dossier_code: str) -> int: ...

    def request_states(self, request_id: str) -> list[str]: ...

    def void(self, agency: str, year: int, register_type: str, number: int, reason: str, officer: str,
             now: datetime, *, only_desk: int | None = None) -> CertRegisterEntry: ...

    def sign(self, request_id: str, signed_on: date, signer_name: str, signer_title: str, *,
             only_desk: int | None = None) -> int: ...

    def sweep_reservations(self, older_than: datetime, now: datetime) -> int: ...

    def entries(self, register_type: str, start: date, end: date) -> list[CertRegisterEntry]: ...

    def close_year(self, agency: str, year: int, register_type: str, now: datetime, *, reason: str | None = None,
                   signer: str | None = None) -> int: ...

    def closing_of(self, agency: str, year: int, register_type: str) -> dict | None: ...

    def export_all(self) -> dict: ...

    def import_all(self, data: dict, agency: str) -> int: ...

    def registers(self) -> list[tuple[str, int, str, int, datetime | None]]: ...


class CertificationRepository(Protocol):
    """The desk's certification requests and the numbers they carry."""

    def add(self, code: str, kind: CertKind, request_id: str, items: list[CertItem], *, exemption_reason: str | None,
            extension_days: int, extension_reason: str | None, holder_confirmed: bool) -> None: ...

    def get(self, code: str) -> Certification: ...

    def set_numbers(self, code: str, numbers: list[RegisterNumber], *, confirmed: bool) -> None: ...

    def sign(self, code: str, signer_name: str, signer_title: str, signed_at: datetime) -> None: ...

    def awaiting_signature(self) -> list[str]: ...

    def mark_confirmed(self, code: str) -> None: ...

    def mark_void(self, code: str, number: int, reason: str) -> CertItem: ...

    def awaiting_numbers(self) -> list[str]: ...

    def unconfirmed(self) -> list[str]: ...

    def day_items(self, start: datetime, end: datetime, officer: str | None, desk: int | None) -> list: ...

    def count_requests(self, start: datetime, end: datetime, officer: str | None, desk: int | None) -> int: ...


class HolderDeskRepository(Protocol):
    """On the register holder: the desks paired with it and their one-time pairing codes."""

    def new_pair_code(self, now: datetime, hours: int = 24) -> str: ...

    def pair(self, proof: str, nonce: str, name: str, desk: int, fingerprint: str, now: datetime,
             own_desk: int) -> tuple[int, str, str]:
        """(desk id, token, code hash) for the code whose HMAC over the fingerprint is ``proof``;
        the same desk again for a retry carrying the same nonce."""

    def desk_for(self, token: str | None) -> tuple[int, int | None] | None:
        """(desk id, desk number) for a token; None when unknown or revoked."""

    def desks(self) -> list[dict]: ...

    def revoke(self, desk_id: int) -> dict: ...


class CatchUpRepository(Protocol):
    """After a restore from a backup: this device's events taken back from the server."""

    def pending_after(self) -> int | None: ...

    def import_own(self, bodies: list[dict[str, Any]]) -> int: ...

    def finish(self, after: int) -> None: ...


class PostalBatchRepository(Protocol):
    """Hand-over lists with the post (biên bản giao nhận)."""

    def get(self, code: str) -> PostalBatch:
        """The list with its items; raises NotFound."""

    def open_batch(self, direction: str, day: date, now: datetime, officer: str, slot: int) -> PostalBatch: ...

    def set_items(self, code: str, items: list[BatchItem]) -> None: ...

    def mark_signed(self, code: str, at: datetime, postal_employee: str | None, officer: str) -> None: ...

    def on_other_lists(self, direction: str, exclude: str) -> set[str]: ...

    def arrived(self, start: datetime, end: datetime) -> list[tuple[str, str]]: ...

    def dossier_for_item(self, item: str) -> str | None: ...

    def posted(self, start: datetime, end: datetime) -> list[tuple[str, str]]: ...

    def signed(self, direction: str | None = None) -> list[PostalBatch]: ...

    def of_days(self, first: date, last: date) -> list[PostalBatch]: ...

    def staff_handovers(self, start: datetime, end: datetime) -> list[tuple[str, DossierEvent]]:
        """Hand-overs between the counter and the specialists, by their time of hand-over."""


class ReviewFlagRepository(Protocol):
    """Review flags pulled from the provincial server (``core.flags``)."""

    def apply(self, data: dict[str, Any]) -> str: ...

    def list(self, *, open_only: bool = True) -> list[ReviewFlag]: ...

    def for_dossier(self, code: str) -> list[ReviewFlag]: ...


class TransferRepository(Protocol):
    """Paper hand-over lists to competent agencies and the regional counter's ready-made lists."""

    def waiting(self, here: Sequence[str], to_agency: str | None) -> list[ListedDossier]: ...

    def awaiting_result(self, here: Sequence[str], own: str) -> list[ListedDossier]: ...

    def with_post(self) -> list[ListedDossier]: ...

    def next_code(self, to_agency: str, day: date, slot: int) -> str: ...

    def add(self, batch: TransferBatch) -> None: ...

    def get(self, code: str) -> TransferBatch:
        """The list with its dossier codes; raises NotFound."""

    def batch_of(self, dossier_code: str) -> TransferBatch | None: ...

    def batches(self, to_agency: str | None, limit: int) -> list[TransferBatch]: ...


class ReportRepository(Protocol):
    """The dossiers a report counts: received in a period, at or for some agencies (None: all)."""

    def count(self, start: date, end: date, agencies: Sequence[str] | None) -> int: ...

    def facts(self, start: date, end: date, agencies: Sequence[str] | None) -> Iterator[DossierFact]: ...

    def certification(self, start: date, end: date, agencies: Sequence[str] | None) -> CertificationFigures: ...


class HistoryImportRepository(Protocol):
    """Dossiers of the previous system, written in bulk (``core.history_import``)."""

    def present(self, codes: Sequence[str]) -> set[str]: ...

    def add_batch(self, dossiers: Sequence[HistoricalDossier], *, officer: str, source: str, at: datetime) -> int:
        """Insert those not present yet, each with its ``imported`` event and outcome; how many."""


class UnitOfWork(Protocol):
    """One transaction. Leaving the ``with`` block without ``commit()`` rolls everything back."""

    dossiers: DossierRepository
    catalogue: CatalogueRepository
    settings: SettingsRepository
    calendar: CalendarRepository
    fees: FeeRepository
    officers: OfficerRepository
    cert_register: CertRegisterRepository
    certifications: CertificationRepository
    outbox: OutboxRepository
    sync_state: SyncStateRepository
    remote: RemoteChangeRepository
    catch_up: CatchUpRepository
    holder_desks: HolderDeskRepository
    postal: PostalBatchRepository
    flags: ReviewFlagRepository
    transfers: TransferRepository
    reports: ReportRepository
    history: HistoryImportRepository

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

    def sign(self, uow: UnitOfWork, request_id: str, signed_on: date, signer_name: str, signer_title: str) -> None:
        """Write the signer and the day of certification on the request's register lines, as part
        of the desk's transaction ``uow`` (called before the desk writes, like ``void``)."""

    def close_year(self, register_type: str, year: int, *, reason: str | None = None,
                   signer: str | None = None) -> int:
        """Year-end closing: the count is fixed and the next year starts at 01. Only the machine
        that holds the register may close it (``ValidationError`` elsewhere)."""
