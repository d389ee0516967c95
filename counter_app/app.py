"""Composition root: builds the store, loads the counter's context and wires the services.

Both faces (the window and the command line) get every service from here and reach the store
only through them; nothing else constructs engines, units of work or services. Every commit on
the store is published on ``CounterApp.changes``; the app itself listens, so a commit that
changed settings, the calendar or fees refreshes the context every service reads.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from pathlib import Path

from counter_app import paths
from counter_app.core.actions import DossierService
from counter_app.core.admin import (
    CalendarService, CatalogueService, DossierQueries, SetupService, make_agency, parse_serves,
)
from counter_app.core.calendar import WorkingCalendar
from counter_app.core.swaps import merge_swaps, parse_swaps
from counter_app.core.units import bundled_aliases, known_agency_names, province_names
from counter_app.core.catalogue import parse_catalogue
from counter_app.core.codes import validate_slot
from counter_app.core.changes import ChangeBus, Changes
from counter_app.core.context import CounterContext, LiveContext, SystemClock
from counter_app.core.errors import ConfigurationError, CounterError, ValidationError
from counter_app.core.fees import DEFAULT_COPY_SCHEDULE, CertifiedCopyFeeSchedule
from counter_app.core.formats import parse_json_text
from counter_app.core.flags import FlagService
from counter_app.core.handover import PostalService
from counter_app.core.history_import import HistoryImportService
from counter_app.core.intake import IntakeService
from counter_app.core.officers import OfficerService
from counter_app.core.outbox import DEVICE_ID, OutboxService
from counter_app.core.ports import Clock
from counter_app.core.prints import PrintService, TrackingRegister
from counter_app.core.reports import ReportService
from counter_app.core.staff import StaffHandoverService
from counter_app.core.transfer import PaperTransferService
from counter_app.core.settings import (
    CounterSettings, FormSettings, default_form_values, settings_from_values,
)
from counter_app.storage import migrate
from counter_app.storage.db import Database
from counter_app.storage.uow import SqlUnitOfWork

BUNDLED_CATALOGUE = ("resources", "catalogue", "commune-procedures.json")
BUNDLED_FEES = ("resources", "fees", "fee-schedules.json")
PROVINCE_CODES = ("resources", "reference", "cccd-province-codes.json")
BUNDLED_SWAPS = ("resources", "calendar", "vn-swaps.json")
FORMER_UNITS = ("resources", "reference", "former-units.json")
SYNC_LOCK_FILE = "sync.lock"


def load_bytes(path: str | Path) -> bytes:
    """A file the officer named, whole; a missing or unreadable one is a Vietnamese error."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"Không tìm thấy tệp {path}.", "file not found") from None
    except IsADirectoryError:
        raise ValidationError(f"{path} là một thư mục, không phải tệp.", "is a directory") from None
    except OSError as exc:
        raise ValidationError(f"Không đọc được tệp {path}.", str(exc)) from None


def load_json(path: Path):
    try:
        text = load_bytes(path).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(f"Tệp {path} không phải JSON UTF-8 hợp lệ.", str(exc)) from None
    return parse_json_text(text, f"Tệp {path}")


def load_copy_schedules(path: Path) -> list[CertifiedCopyFeeSchedule]:
    data = load_json(path)
    out = []
    for item in data.get("certified_copy", []):
        out.append(CertifiedCopyFeeSchedule(
            effective_from=date.fromisoformat(item["effective_from"]), first_pages=item["first_pages"],
            first_page_fee=item["first_page_fee"], next_page_fee=item["next_page_fee"],
            max_per_copy=item["max_per_copy"], source=item.get("source", "")))
    return out or [DEFAULT_COPY_SCHEDULE]


def load_signature_schedules(path: Path) -> list:
    from counter_app.core.certification import DEFAULT_SIGNATURE_SCHEDULE, SignatureFeeSchedule

    out = [SignatureFeeSchedule(date.fromisoformat(item["effective_from"]), item["per_case"], item.get("source", ""))
           for item in load_json(path).get("signature", [])]
    return out or [DEFAULT_SIGNATURE_SCHEDULE]


def provision_key(data_dir: Path) -> str | None:
    """A new store is encrypted when this machine has an OS keyring: a fresh key goes there before
    the file exists (a key already set up for this path is used as it is). Returns the recovery key
    to show once, or None (no keyring: the store stays plain, ``check`` says so, and
    ``counter-app encrypt`` fixes it later)."""
    from counter_app.core.escrow import recovery_text
    from counter_app.storage import cipher

    db_path = paths.database_path(data_dir)
    if cipher.file_state(db_path) != "missing":
        return None
    key = cipher.load_key(db_path)
    if key is None and cipher.keyring_ready():
        key = cipher.new_key()
        cipher.save_key(db_path, key)
    return recovery_text(key) if key is not None else None


def prepare_store(data_dir: Path) -> Database:
    """Create the data directory if needed, private to the user, and bring the schema to head
    (backing up first)."""
    from counter_app import __version__
    from counter_app.sync import install

    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    db_path = paths.database_path(data_dir)
    try:
        migrate.upgrade(db_path, paths.migrations_dir(), data_dir / "backups")
    except migrate.MigrationFailed as exc:
        # Just installed as an update: this version is never installed here again, and the one it
        # replaced is started (by the window) on the restored store.
        previous = install.after_failed_migration(data_dir, __version__, exc.detail or exc.message)
        if not previous:
            raise
        failed = migrate.MigrationFailed(f"{exc.message} Phiên bản trước được mở lại.", exc.detail)
        failed.previous = previous
        raise failed from exc
    install.opened(data_dir, __version__)
    paths.secure_data_dir(data_dir)  # an older version left it 755/644
    return Database(db_path)


class CounterApp:
    def __init__(self, data_dir: Path, db: Database, clock: Clock | None = None) -> None:
        self.data_dir = data_dir
        self.db = db
        self.clock = clock or SystemClock()
        self.ctx = LiveContext(self._load_context)
        self.recovery_key: str | None = None
        self._unsubscribe = self.changes.subscribe(self._on_changes)

    @property
    def encrypted(self) -> bool:
        """Whether the store is encrypted at rest (SQLCipher, key in the OS keyring)."""
        return self.db.encrypted

    @property
    def changes(self) -> ChangeBus:
        """What each commit changed, published after the commit (on the committing thread)."""
        return self.db.changes

    def _on_changes(self, changes: Changes) -> None:
        if changes.context:
            self.ctx.refresh()
        if changes.settings:
            # Which machine numbers certifications is a setting: the service is rebuilt on next use.
            self.__dict__.pop("certification", None)

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def open(cls, data_dir: Path, clock: Clock | None = None) -> CounterApp:
        if not paths.database_path(data_dir).exists():
            raise ConfigurationError(
                f"Chưa khởi tạo quầy trong thư mục dữ liệu {data_dir}. "
                "Chạy: counter-app init --agency-code MÃ --agency-name TÊN",
                "database not found",
            )
        db = prepare_store(data_dir)
        if not SetupService(lambda: SqlUnitOfWork(db, write=False)).is_initialised():
            db.dispose()
            raise ConfigurationError("Cơ sở dữ liệu chưa có thông tin cơ quan; chạy counter-app init.",
                                     "not initialised")
        return cls(data_dir, db, clock)

    @classmethod
    def initialise(cls, data_dir: Path, *, agency_code: str, agency_name: str, province: str = "",
                   desk: int = 1, catalogue_file: Path | None = None, clock: Clock | None = None,
                   serves: str = "") -> CounterApp:
        agency = make_agency(agency_code, agency_name, province)
        served = parse_serves(serves, known_agency_names(load_json(paths.resource_path(*FORMER_UNITS))),
                              agency.code)
        settings = CounterSettings(agency=agency, desk=validate_slot(desk), device_slot=desk,
                                   forms=FormSettings.from_values(default_form_values(agency)))
        procedures = parse_catalogue(load_json(catalogue_file or paths.resource_path(*BUNDLED_CATALOGUE)))
        schedules = load_copy_schedules(paths.resource_path(*BUNDLED_FEES))
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        recovery = provision_key(data_dir)
        db = prepare_store(data_dir)
        try:
            SetupService(lambda: SqlUnitOfWork(db)).initialise(settings, procedures, schedules, served)
        except Exception:
            db.dispose()
            raise
        app = cls(data_dir, db, clock)
        app.recovery_key = recovery  # for the face to show once; it is never stored
        return app

    def close(self) -> None:
        self._unsubscribe()
        self.db.dispose()

    def idle_maintenance(self) -> dict:
        """Index merging, a WAL checkpoint and the daily backup, for the window to run when the counter is quiet."""
        from counter_app.storage.maintenance import idle_maintenance

        result = idle_maintenance(self.db.path)
        s = self.ctx.settings
        if s.backup_folder:  # the daily backup, at most once a day, at a quiet moment
            from counter_app.storage.backup import daily_backup

            try:
                result["backup"] = daily_backup(self.db.path, Path(s.backup_folder), s.backup_keep,
                                                self.clock.now().date())
            except (OSError, CounterError) as exc:  # USB drive out: try again at the next quiet moment
                result["backup"] = {"made": None, "reason": str(exc)}
        return result

    def restore_from_backup(self, backup: Path) -> dict:
        """Replace this store with a checked backup (the current file is kept aside). This core's
        connections are closed only after the file has passed its checks, so a bad file leaves it
        working. After a restore the window must be reopened; if another process holds the store it
        is refused and this core goes on working (the engine reconnects on next use)."""
        import time

        from counter_app.startup import restore_store
        from counter_app.storage.backup import StoreInUse

        for attempt in range(11):  # a screen's background read may hold a connection for a moment
            try:
                return restore_store(self.data_dir, Path(backup), release=self.db.dispose)
            except StoreInUse:
                if attempt == 10:
                    raise  # still in use: refused with the message
                time.sleep(0.3)

    # -- transactions -------------------------------------------------------------------------
    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.db, write=True)

    def read_uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.db, write=False)

    def _load_context(self) -> CounterContext:
        with self.read_uow() as uow:
            agencies = uow.settings.load_agencies()
            values = uow.settings.all()
            overrides = uow.calendar.overrides()
            published_swaps = uow.calendar.swaps()
            schedules = uow.fees.copy_schedules()
            aliases = uow.settings.load_agency_aliases()
            enrolled = uow.sync_state.get(DEVICE_ID) is not None
        own = next(a for a in agencies if a.own)
        units = load_json(paths.resource_path(*FORMER_UNITS))
        settings = settings_from_values(own, values)
        provinces = load_json(paths.resource_path(*PROVINCE_CODES))
        return CounterContext(
            settings=settings,
            calendar=WorkingCalendar(settings.hours, tuple(overrides), own.code,
                                     merge_swaps(parse_swaps(load_json(paths.resource_path(*BUNDLED_SWAPS))),
                                                 published_swaps)),
            provinces=provinces,
            copy_fee_schedules=tuple(schedules) or (DEFAULT_COPY_SCHEDULE,),
            served_agencies=tuple(a for a in agencies if not a.own),
            # The office's own entries after the shipped ones: both are searched alike.
            agency_aliases=(*bundled_aliases(units), *aliases),
            province_names=province_names(units),
            enrolled=enrolled,
        )

    # -- services -----------------------------------------------------------------------------
    @cached_property
    def intake(self) -> IntakeService:
        return IntakeService(self.uow, self.ctx, self.clock)

    @cached_property
    def actions(self) -> DossierService:
        return DossierService(self.uow, self.ctx, self.clock)

    @cached_property
    def postal(self) -> PostalService:
        return PostalService(self.uow, self.ctx, self.clock)

    @cached_property
    def staff(self) -> StaffHandoverService:
        return StaffHandoverService(self.uow, self.ctx, self.clock)

    @cached_property
    def transfers(self) -> PaperTransferService:
        return PaperTransferService(self.uow, self.read_uow, self.ctx, self.clock)

    @cached_property
    def history(self) -> HistoryImportService:
        """Dossiers taken over from the previous system (``import-dossiers``)."""
        return HistoryImportService(self.uow, self.read_uow, self.ctx, self.clock, load_bytes)

    @cached_property
    def queries(self) -> DossierQueries:
        return DossierQueries(self.read_uow)

    @cached_property
    def reports(self) -> ReportService:
        return ReportService(self.read_uow, self.ctx, self.clock)

    @cached_property
    def flags(self) -> FlagService:
        return FlagService(self.read_uow)

    @cached_property
    def catalogue(self) -> CatalogueService:
        return CatalogueService(self.uow)

    @cached_property
    def calendar_admin(self) -> CalendarService:
        return CalendarService(self.uow)

    @cached_property
    def prints(self) -> PrintService:
        return PrintService(self.uow, self.read_uow, self.ctx, self.clock)

    @cached_property
    def tracking_register(self) -> TrackingRegister:
        return TrackingRegister(self.read_uow, self.ctx)

    @cached_property
    def certification(self):
        from counter_app.core.certify import CertificationService

        s = self.ctx.settings
        if s.register_holder:
            from counter_app.holder.client import remote_holder

            holder = remote_holder(s.register_holder, s.desk)
        else:
            from counter_app.storage.register_holder import LocalRegisterHolder

            holder = LocalRegisterHolder(self.uow, self.read_uow, s.agency.code, s.cert_book_size, self.clock)
        return CertificationService(self.uow, self.read_uow, self.ctx, self.clock, holder,
                                    load_signature_schedules(paths.resource_path(*BUNDLED_FEES)))

    @cached_property
    def officers(self) -> OfficerService:
        return OfficerService(self.uow)

    @cached_property
    def setup(self) -> SetupService:
        return SetupService(self.uow)

    @cached_property
    def holder_admin(self):
        """Pairing desks, joining a holder, moving the registers, serving them on the network."""
        from counter_app.holder.admin import HolderAdminService

        from counter_app.core.certification import item_fee

        signatures = load_signature_schedules(paths.resource_path(*BUNDLED_FEES))

        def fee_of(kind, item, day):
            return item_fee(kind, item, day, self.ctx.copy_fee_schedules, signatures)

        return HolderAdminService(self.uow, self.read_uow, lambda: self.ctx.settings, self.clock, self.db,
                                  data_dir=self.data_dir, fee_of=fee_of)

    @cached_property
    def outbox(self) -> OutboxService:
        return OutboxService(self.uow, self.read_uow)

    @cached_property
    def enrollment(self):
        from counter_app.sync.enrollment import EnrollmentService

        return EnrollmentService(self.uow, self.clock, lambda: self.ctx.settings.agency.code)

    @cached_property
    def release_verifier(self):
        """The release keys this build carries; tests and a province's test bench may set their own."""
        from counter_app.sync.install import refused_versions
        from counter_app.sync.releases import ReleaseVerifier

        return ReleaseVerifier(refused=lambda: refused_versions(self.data_dir))

    @cached_property
    def updates(self):
        from counter_app.storage.backup import write_backup
        from counter_app.sync.updates import UpdateService

        return UpdateService(self.read_uow, self.release_verifier, self.data_dir, settings=lambda: self.ctx.settings,
                             engine=self.sync_engine, backup=lambda out: write_backup(self.db.path, out))

    def sync_engine(self):
        """The sync engine for this data directory, or None when the counter was never enrolled."""
        from counter_app.sync.engine import SyncEngine
        from counter_app.sync.enrollment import token_store
        from counter_app.sync.lock import InstanceLock

        identity = self.outbox.identity()
        if identity is None:
            return None
        url, device = identity

        def uow_factory(write: bool = True) -> SqlUnitOfWork:
            return SqlUnitOfWork(self.db, write=write)

        def database_key() -> bytes | None:
            from counter_app.storage.cipher import load_key

            return load_key(self.db.path) if self.encrypted else None

        return SyncEngine(uow_factory, self.clock, InstanceLock(self.data_dir / SYNC_LOCK_FILE), server_url=url,
                          token=token_store(url, device).load(), database_key=database_key,
                          releases=self.release_verifier, updates=self.updates.downloader)


def enroll(data_dir: Path, server_url: str, code: str, *, clock: Clock | None = None,
           device_name: str | None = None) -> dict:
    """Enroll the counter of ``data_dir`` with the provincial server; an empty data directory is
    initialised from the agency the server assigns."""
    from counter_app.sync.enrollment import exchange, server_url as checked_url

    if paths.database_path(data_dir).exists():
        app = CounterApp.open(data_dir, clock)
        try:
            return app.enrollment.enroll(server_url, code, device_name)
        finally:
            app.close()
    url = checked_url(server_url)
    answer = exchange(url, code, device_name=device_name)
    agency = answer.agency
    app = CounterApp.initialise(data_dir, agency_code=agency.code, agency_name=agency.name,
                                province=agency.province, clock=clock)
    try:
        return app.enrollment.apply(url, answer)
    finally:
        app.close()
