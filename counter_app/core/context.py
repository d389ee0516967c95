"""What the services need to know about this counter, loaded once by the composition root."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from counter_app.core.calendar import WorkingCalendar, now_local
from counter_app.core.fees import DEFAULT_COPY_SCHEDULE, CertifiedCopyFeeSchedule
from counter_app.core.model import Agency, AgencyAlias
from counter_app.core.settings import CounterSettings
from counter_app.core.units import find_agency


class SystemClock:
    def now(self) -> datetime:
        return now_local()


@dataclass(frozen=True)
class CounterContext:
    settings: CounterSettings
    calendar: WorkingCalendar
    provinces: Mapping[str, str]
    copy_fee_schedules: tuple[CertifiedCopyFeeSchedule, ...] = (DEFAULT_COPY_SCHEDULE,)
    served_agencies: tuple[Agency, ...] = field(default=())
    agency_aliases: tuple[AgencyAlias, ...] = field(default=())  # former names and codes (core.units)
    province_names: tuple[str, ...] = field(default=())  # current and former, stripped from typed names
    enrolled: bool = False  # joined to the provincial server: codes for served agencies need its slots

    def agency(self, code: str | None) -> Agency | None:
        """The own agency or one this counter serves, by code (None: the own agency)."""
        if code is None or code == self.settings.agency.code:
            return self.settings.agency
        return next((a for a in self.served_agencies if a.code == code), None)

    @property
    def agencies(self) -> tuple[Agency, ...]:
        return (self.settings.agency, *self.served_agencies)

    def find_agency(self, text: str | None) -> Agency | None:
        """An agency this counter knows, by current or former code or name (diacritics ignored)."""
        return find_agency(text, self.agencies, self.agency_aliases, self.province_names)


class LiveContext:
    """The counter's context as of the last commit that changed it. Services hold this object, so
    a settings change, a calendar import or a pulled catalogue reaches every service at once
    without rebuilding them; ``refresh`` swaps one reference, which readers on other threads see
    whole or not at all."""

    def __init__(self, load: Callable[[], CounterContext]) -> None:
        self._load = load
        self._current = load()

    def refresh(self) -> None:
        self._current = self._load()

    @property
    def current(self) -> CounterContext:
        return self._current

    def __getattr__(self, name: str):
        return getattr(self._current, name)


def new_event_uuid() -> str:
    return str(uuid.uuid4())
