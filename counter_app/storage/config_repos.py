"""Repositories for the counter's reference data: catalogue, agencies and settings, calendar
overrides and fee schedules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from counter_app.core.calendar import CalendarOverride, OverrideKind
from counter_app.core.swaps import PublishedSwap
from counter_app.core.catalogue import document_to_dict
from counter_app.core.fees import CertifiedCopyFeeSchedule
from counter_app.core.model import (
    Agency, AgencyAlias, DocumentKind, FeeRule, OnlineLevel, Procedure, RequiredDocument,
)
from counter_app.core.text import fold
from counter_app.core.officers import Officer
from counter_app.storage.models import (
    CalendarSwapRow,
    AgencyAliasRow, AgencyRow, OfficerRow, CalendarOverrideRow, DossierRow, FeeScheduleRow, ProcedureRow, SettingRow,
)

COPY_RULE = "certified_copy_pages"


def _procedure_from_row(r: ProcedureRow) -> Procedure:
    return Procedure(
        code=r.code, name=r.name, field=r.field, working_days=r.working_days, fee_vnd=r.fee_vnd,
        online_level=OnlineLevel(r.online_level), location_independent=r.location_independent,
        postal_allowed=r.postal_allowed,
        documents=tuple(RequiredDocument(d["name"], DocumentKind(d["kind"]), d["count"],
                                         d.get("group"), d.get("case")) for d in r.documents),
        local_code=r.local_code, max_extension_days=r.max_extension_days, fee_rule=FeeRule(r.fee_rule),
        active=r.active, extra=dict(r.extra or {}),
    )


def _procedure_values(p: Procedure) -> dict[str, Any]:
    return dict(
        local_code=p.local_code, name=p.name, name_key=fold(f"{p.code} {p.name}"), field=p.field,
        working_days=p.working_days, max_extension_days=p.max_extension_days, fee_vnd=p.fee_vnd,
        fee_rule=p.fee_rule.value, online_level=p.online_level.value,
        location_independent=p.location_independent, postal_allowed=p.postal_allowed, active=p.active,
        documents=[document_to_dict(d) for d in p.documents],  # group/case only when set
        extra=dict(p.extra),
    )


class SqlCatalogueRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def get(self, code: str) -> Procedure | None:
        row = self.s.get(ProcedureRow, code)
        return _procedure_from_row(row) if row else None

    def all(self, *, include_closed: bool = True) -> list[Procedure]:
        stmt = select(ProcedureRow).order_by(ProcedureRow.code)
        if not include_closed:
            stmt = stmt.where(ProcedureRow.active.is_(True))
        return [_procedure_from_row(r) for r in self.s.scalars(stmt)]

    def upsert(self, procedure: Procedure) -> str:
        values = _procedure_values(procedure)
        row = self.s.get(ProcedureRow, procedure.code)
        if row is None:
            self.s.add(ProcedureRow(code=procedure.code, **values))
            return "added"
        if all(getattr(row, k) == v for k, v in values.items()):
            return "unchanged"
        for k, v in values.items():
            setattr(row, k, v)
        return "updated"

    def close_or_delete_missing(self, keep: Iterable[str]) -> tuple[list[str], list[str]]:
        keep = set(keep)
        closed, deleted = [], []
        for row in self.s.scalars(select(ProcedureRow).where(ProcedureRow.code.not_in(keep))):
            referenced = self.s.scalar(select(exists().where(DossierRow.procedure_code == row.code)))
            if referenced:
                if row.active:
                    row.active = False
                    closed.append(row.code)
            else:
                deleted.append(row.code)
                self.s.delete(row)
        return closed, deleted


class SqlSettingsRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def load_agencies(self) -> list[Agency]:
        rows = self.s.scalars(select(AgencyRow).order_by(AgencyRow.own.desc(), AgencyRow.code))
        return [Agency(r.code, r.name, r.province, r.own) for r in rows]

    def save_agency(self, agency: Agency) -> None:
        if agency.own:
            for row in self.s.scalars(select(AgencyRow).where(AgencyRow.own.is_(True))):
                row.own = False
        self.s.merge(AgencyRow(code=agency.code, name=agency.name, province=agency.province, own=agency.own))

    def load_agency_aliases(self) -> list[AgencyAlias]:
        rows = self.s.scalars(select(AgencyAliasRow).order_by(AgencyAliasRow.agency_code, AgencyAliasRow.id))
        return [AgencyAlias(r.agency_code, r.former_name, r.former_code, r.until, r.source) for r in rows]

    def save_agency_alias(self, alias: AgencyAlias) -> None:
        """Adds the former name, or updates its code, date and source if the agency already has it."""
        key = fold(alias.former_name)
        row = self.s.scalar(select(AgencyAliasRow).where(AgencyAliasRow.agency_code == alias.agency_code,
                                                         AgencyAliasRow.name_key == key))
        if row is None:
            row = AgencyAliasRow(agency_code=alias.agency_code, name_key=key)
            self.s.add(row)
        row.former_name, row.former_code, row.until, row.source = (alias.former_name, alias.former_code,
                                                                   alias.until, alias.source)

    def get(self, key: str, default=None):
        row = self.s.get(SettingRow, key)
        return default if row is None else row.value

    def set(self, key: str, value) -> None:
        self.s.merge(SettingRow(key=key, value=value))

    def all(self) -> dict[str, Any]:
        return {r.key: r.value for r in self.s.scalars(select(SettingRow))}


class SqlCalendarRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def overrides(self) -> list[CalendarOverride]:
        rows = self.s.scalars(select(CalendarOverrideRow).order_by(CalendarOverrideRow.day))
        return [CalendarOverride(r.day, OverrideKind(r.kind), r.agency_code or None, r.note) for r in rows]

    def replace_overrides(self, overrides: Sequence[CalendarOverride]) -> None:
        self.s.execute(delete(CalendarOverrideRow))
        self.s.add_all(CalendarOverrideRow(day=o.day, kind=o.kind.value, agency_code=o.agency_code or "",
                                           note=o.note) for o in overrides)

    def swaps(self) -> list[PublishedSwap]:
        rows = self.s.scalars(select(CalendarSwapRow).order_by(CalendarSwapRow.swap_id))
        return [PublishedSwap(r.swap_id, r.day_off, r.working_day, r.name, r.source, r.verified, r.cancelled)
                for r in rows]

    def replace_swaps(self, swaps: Sequence[PublishedSwap]) -> None:
        self.s.execute(delete(CalendarSwapRow))
        self.s.add_all(CalendarSwapRow(swap_id=s.id, day_off=s.day_off, working_day=s.working_day, name=s.name,
                                       source=s.source, verified=s.verified, cancelled=s.cancelled) for s in swaps)


class SqlFeeRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def copy_schedules(self) -> list[CertifiedCopyFeeSchedule]:
        rows = self.s.scalars(select(FeeScheduleRow).where(FeeScheduleRow.rule == COPY_RULE)
                              .order_by(FeeScheduleRow.effective_from))
        return [CertifiedCopyFeeSchedule(effective_from=r.effective_from, source=r.source, **r.params)
                for r in rows]

    def save_copy_schedule(self, schedule: CertifiedCopyFeeSchedule) -> None:
        params = {"first_pages": schedule.first_pages, "first_page_fee": schedule.first_page_fee,
                  "next_page_fee": schedule.next_page_fee, "max_per_copy": schedule.max_per_copy}
        row = self.s.scalar(select(FeeScheduleRow).where(FeeScheduleRow.rule == COPY_RULE,
                                                         FeeScheduleRow.effective_from == schedule.effective_from))
        if row is None:
            self.s.add(FeeScheduleRow(rule=COPY_RULE, effective_from=schedule.effective_from, params=params,
                                      source=schedule.source))
        else:
            row.params, row.source = params, schedule.source


class SqlOfficerRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def all(self) -> list[Officer]:
        rows = self.s.scalars(select(OfficerRow).order_by(OfficerRow.username))
        return [Officer(r.username, r.full_name, r.role, r.active, r.organisation) for r in rows]

    def get(self, username: str) -> tuple[Officer, str] | None:
        r = self.s.get(OfficerRow, username)
        return None if r is None else (Officer(r.username, r.full_name, r.role, r.active, r.organisation),
                                       r.password_hash)

    def add(self, officer: Officer, password_hash: str) -> None:
        self.s.add(OfficerRow(username=officer.username, full_name=officer.full_name, role=officer.role,
                              active=officer.active, organisation=officer.organisation,
                              password_hash=password_hash))

    def set_password(self, username: str, password_hash: str) -> None:
        self.s.get(OfficerRow, username).password_hash = password_hash

    def set_role(self, username: str, role: str) -> None:
        self.s.get(OfficerRow, username).role = role

    def set_active(self, username: str, active: bool) -> None:
        self.s.get(OfficerRow, username).active = active

    def set_organisation(self, username: str, organisation: str | None) -> None:
        self.s.get(OfficerRow, username).organisation = organisation
