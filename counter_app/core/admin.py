"""Administrative services: first set-up, catalogue import/export, calendar overrides, queries."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from counter_app.core.calendar import CalendarOverride, OverrideKind
from counter_app.core.codes import validate_prefix, validate_slot
from counter_app.core.errors import ValidationError
from counter_app.core.fees import CertifiedCopyFeeSchedule
from counter_app.core.formats import parse_json_text
from counter_app.core.location_free import ListedProcedure, is_location_independent
from counter_app.core.model import Agency, AgencyAlias, Dossier, DossierSummary, OnlineLevel, Procedure
from counter_app.core.online_levels import LEVELS_KEY, LevelChange
from counter_app.core.online_levels import history as level_history
from counter_app.core.ports import UnitOfWork
from counter_app.core.settings import CounterSettings, settings_to_values
from counter_app.core.text import clean
from counter_app.core.units import check_alias


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {k: len(v) for k, v in self.__dict__.items()} | {"closed_codes": self.closed}


def make_agency(code: str, name: str, province: str = "", own: bool = True) -> Agency:
    name = clean(name)
    if not name:
        raise ValidationError("Chưa nhập tên cơ quan.", "agency name missing")
    return Agency(code=validate_prefix(code), name=name, province=clean(province), own=own)


def parse_serves(text: str, known: Mapping[str, str], own_code: str) -> list[Agency]:
    """``CODE=Name,CODE=Name`` (``init --serves``): the agencies a shared counter receives for. A bare
    CODE takes its name from ``known`` (the bundled administrative-unit data) when it is there."""
    out: dict[str, Agency] = {}
    for piece in (p.strip() for p in (text or "").split(",")):
        if not piece:
            continue
        code, _, name = piece.partition("=")
        code = validate_prefix(code)
        name = clean(name) or known.get(code, "")
        if not name:
            raise ValidationError(f"Chưa biết tên cơ quan {code}: ghi dạng {code}=Tên cơ quan.",
                                  "served agency without a name")
        if code == own_code:
            raise ValidationError(f"{code} là cơ quan của quầy, không phải cơ quan tiếp nhận hộ.", "serves own agency")
        if code in out:
            raise ValidationError(f"Cơ quan {code} được ghi hai lần trong --serves.", "duplicate served agency")
        out[code] = Agency(code=code, name=name, own=False)
    return list(out.values())


class SetupService:
    def __init__(self, uow_factory: Callable[[], UnitOfWork]) -> None:
        self._uow = uow_factory

    def is_initialised(self) -> bool:
        with self._uow() as uow:
            return any(a.own for a in uow.settings.load_agencies())

    def initialise(self, settings: CounterSettings, procedures: Sequence[Procedure],
                   copy_schedules: Sequence[CertifiedCopyFeeSchedule], serves: Sequence[Agency] = ()) -> None:
        validate_slot(settings.desk)
        validate_slot(settings.device_slot)
        with self._uow() as uow:
            if any(a.own for a in uow.settings.load_agencies()):
                raise ValidationError("Quầy đã được khởi tạo trong thư mục dữ liệu này.", "already initialised")
            uow.settings.save_agency(settings.agency)
            for served in serves:
                uow.settings.save_agency(served)
            for key, value in settings_to_values(settings).items():
                uow.settings.set(key, value)
            for p in procedures:
                uow.catalogue.upsert(p)
            for s in copy_schedules:
                uow.fees.save_copy_schedule(s)
            uow.commit()

    def save_settings(self, settings: CounterSettings) -> None:
        with self._uow() as uow:
            for key, value in settings_to_values(settings).items():
                uow.settings.set(key, value)
            uow.commit()

    def add_served_agency(self, agency: Agency) -> None:
        with self._uow() as uow:
            uow.settings.save_agency(Agency(agency.code, agency.name, agency.province, own=False))
            uow.commit()

    def agencies(self) -> list[Agency]:
        with self._uow() as uow:
            return uow.settings.load_agencies()

    def add_agency_alias(self, alias: AgencyAlias, bundled: Sequence[AgencyAlias] = ()) -> None:
        """Record a former name of a known agency; ``bundled``: the shipped aliases, which a new
        one must not contradict either."""
        with self._uow() as uow:
            check_alias(alias, uow.settings.load_agencies(), [*bundled, *uow.settings.load_agency_aliases()])
            uow.settings.save_agency_alias(alias)
            uow.commit()

    def agency_aliases(self) -> list[AgencyAlias]:
        with self._uow() as uow:
            return uow.settings.load_agency_aliases()


class NeedsConfirmation(ValidationError):
    """An operation that would remove data; ``codes`` says what, nothing was written."""

    def __init__(self, message: str, detail: str, codes: list[str]) -> None:
        super().__init__(message, detail)
        self.codes = codes


class CatalogueService:
    def __init__(self, uow_factory: Callable[[], UnitOfWork]) -> None:
        self._uow = uow_factory

    def import_procedures(self, procedures: Sequence[Procedure], *, replace: bool = False,
                          confirmed: bool = True) -> ImportReport:
        """Add or update in place. With ``replace``, procedures absent from the file are closed when
        dossiers refer to them and deleted otherwise; a referenced procedure is never deleted.
        Unless ``confirmed``, an import that would close or delete any procedure raises
        ``NeedsConfirmation`` listing them, and writes nothing."""
        report = ImportReport()
        with self._uow() as uow:
            names = {p.code: p.name for p in uow.catalogue.all(include_closed=True)}
            for p in procedures:
                getattr(report, uow.catalogue.upsert(p)).append(p.code)
            if replace:
                report.closed, report.deleted = uow.catalogue.close_or_delete_missing(p.code for p in procedures)
                gone = [*(f"  {c}  {names.get(c, '')}  (ngừng áp dụng)" for c in report.closed),
                        *(f"  {c}  {names.get(c, '')}  (xóa)" for c in report.deleted)]
                if gone and not confirmed:  # leaving without commit: nothing is written
                    raise NeedsConfirmation(
                        f"Nhập thay thế sẽ ngừng áp dụng hoặc xóa {len(gone)} thủ tục không có trong tệp:\n"
                        + "\n".join(gone) + "\nChưa có gì được ghi. Kiểm tra lại tệp; nếu đúng, chạy lại với --yes.",
                        f"replace would close {len(report.closed)} and delete {len(report.deleted)} procedures; "
                        "confirmation required", [*report.closed, *report.deleted])
            uow.commit()
        return report

    def procedures(self, *, include_closed: bool = True) -> list[Procedure]:
        with self._uow() as uow:
            return uow.catalogue.all(include_closed=include_closed)

    def record_level(self, code: str, level: OnlineLevel, effective_from: date, decision: str = "") -> Procedure:
        """A decision upgrading or downgrading a procedure's online level from a date, added to its
        dated history (a second change on the same date replaces the first: a corrected decision)."""
        with self._uow() as uow:
            p = uow.catalogue.get(code)
            if p is None:
                raise ValidationError(f"Không có thủ tục mã {code} trong danh mục.", f"unknown procedure {code}")
            changes = [c for c in level_history(p) if c.effective_from != effective_from]
            changes.append(LevelChange(level, effective_from, clean(decision)))
            changes.sort(key=lambda c: c.effective_from)
            p = replace(p, extra={**p.extra, LEVELS_KEY: [c.as_dict() for c in changes]})
            uow.catalogue.upsert(p)
            uow.commit()
        return p

    def import_location_free(self, entries: Sequence[ListedProcedure]) -> int:
        """Replace the province's location-independent list (the file is the whole list)."""
        with self._uow() as uow:
            uow.catalogue.replace_location_free(entries)
            uow.commit()
        return len(entries)

    def location_free(self) -> list[ListedProcedure]:
        with self._uow() as uow:
            return uow.catalogue.location_free()

    def location_free_codes(self, day: date) -> frozenset[str]:
        """Codes of the procedures a counter may receive for another agency on ``day``: the list in
        force then, or the catalogue's flag while no list is loaded (core.location_free)."""
        with self._uow() as uow:
            entries = uow.catalogue.location_free()
            return frozenset(p.code for p in uow.catalogue.all(include_closed=False)
                             if is_location_independent(p, entries, day))


def parse_overrides(text: str, fmt: str) -> list[CalendarOverride]:
    """Calendar overrides from JSON (``[{"day", "kind", "agency_code"?, "note"?}]`` or
    ``{"overrides": [...]}``) or CSV with the header ``day,kind,agency_code,note``."""
    if fmt == "json":
        data = parse_json_text(text, "Tệp lịch")
        rows = data.get("overrides") if isinstance(data, dict) else data
        if not isinstance(rows, list):
            raise ValidationError("Tệp lịch phải là danh sách các ngày điều chỉnh.", "bad overrides root")
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
    out: list[CalendarOverride] = []
    for i, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            raise ValidationError(f"Dòng {i} của tệp lịch không hợp lệ.", "bad row")
        try:
            day = date.fromisoformat(str(row.get("day", "")).strip())
        except ValueError:
            raise ValidationError(f"Dòng {i}: ngày «{row.get('day')}» phải có dạng YYYY-MM-DD.",
                                  "bad date") from None
        try:
            kind = OverrideKind(str(row.get("kind", "")).strip())
        except ValueError:
            allowed = ", ".join(k.value for k in OverrideKind)
            raise ValidationError(f"Dòng {i}: loại «{row.get('kind')}» không hợp lệ ({allowed}).",
                                  "bad kind") from None
        for key in ("agency_code", "note"):
            if row.get(key) is not None and not isinstance(row[key], str):
                raise ValidationError(f"Dòng {i}: «{key}» phải là chuỗi ký tự.", f"{key}={row[key]!r}")
        agency = clean(row.get("agency_code") or "") or None
        out.append(CalendarOverride(day, kind, agency, clean(row.get("note") or "")))
    keys = [(o.day, o.agency_code) for o in out]
    if len(keys) != len(set(keys)):
        raise ValidationError("Tệp lịch có ngày bị lặp lại cho cùng một cơ quan.", "duplicate override")
    return out


class CalendarService:
    def __init__(self, uow_factory: Callable[[], UnitOfWork]) -> None:
        self._uow = uow_factory

    def overrides(self) -> list[CalendarOverride]:
        with self._uow() as uow:
            return uow.calendar.overrides()

    def replace_overrides(self, overrides: Sequence[CalendarOverride]) -> None:
        with self._uow() as uow:
            uow.calendar.replace_overrides(overrides)
            uow.commit()


MAX_LIMIT = 100_000


def check_limit(limit: int | None) -> None:
    if limit is not None and not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(f"Số dòng tối đa (--limit) phải từ 1 đến {MAX_LIMIT}.", f"limit {limit}")


class DossierQueries:
    """Read-only look-ups for lists, search and detail screens (read transactions)."""

    def __init__(self, read_uow_factory: Callable[[], UnitOfWork]) -> None:
        self._uow = read_uow_factory

    def get(self, code: str) -> Dossier:
        with self._uow() as uow:
            return uow.dossiers.get(clean(code).upper())

    def list(self, **filters) -> list[DossierSummary]:
        """See ``SqlDossierRepository.list``: status/statuses, received and due windows, order, after."""
        if "limit" in filters:
            check_limit(filters["limit"])
        with self._uow() as uow:
            return uow.dossiers.list(**filters)

    def search(self, text: str, *, status: str | None = None, received_from: datetime | None = None,
               received_to: datetime | None = None, limit: int = 50) -> list[DossierSummary]:
        check_limit(limit)
        with self._uow() as uow:
            return uow.dossiers.search(text, status=status, received_from=received_from,
                                       received_to=received_to, limit=limit)
