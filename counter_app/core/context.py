"""What the services need to know about this counter, loaded once by the composition root."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from counter_app.core.calendar import WorkingCalendar, now_local
from counter_app.core.fees import DEFAULT_COPY_SCHEDULE, CertifiedCopyFeeSchedule
from counter_app.core.model import Agency
from counter_app.core.settings import CounterSettings


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

    def agency(self, code: str | None) -> Agency | None:
        """The own agency or one this counter serves, by code (None: the own agency)."""
        if code is None or code == self.settings.agency.code:
            return self.settings.agency
        return next((a for a in self.served_agencies if a.code == code), None)


def new_event_uuid() -> str:
    return str(uuid.uuid4())
