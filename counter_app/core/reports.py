"""The Báo cáo service: the report for a period and one agency (or every agency this counter
serves), computed by core.report from the counter's own store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from counter_app.core.calendar import TZ
from counter_app.core.context import CounterContext
from counter_app.core.errors import ValidationError
from counter_app.core.location_free import is_location_independent
from counter_app.core.ports import Clock, UnitOfWork
from counter_app.core.report import MAX_PERIOD_DAYS, ReportInput, build_report


class ReportService:
    def __init__(self, read_uow: Callable[[], UnitOfWork], ctx: CounterContext, clock: Clock) -> None:
        self._read, self._ctx, self._clock = read_uow, ctx, clock

    def scope_label(self, agency: str | None) -> str:
        """Whose report it is, for its heading: the agency, or the counter and all it serves."""
        if agency:
            found = self._ctx.agency(agency)
            return found.name if found is not None else agency
        names = [a.name for a in self._ctx.agencies]
        return names[0] if len(names) == 1 else f"{names[0]} và {len(names) - 1} cơ quan tiếp nhận thay"

    def build(self, start: date, end: date, agency: str | None = None, *,
              progress: Callable[[float], None] | None = None) -> dict[str, Any]:
        if end < start:
            raise ValidationError("Ngày cuối kỳ báo cáo phải từ ngày đầu kỳ trở đi.", f"from {start} > to {end}")
        if (end - start).days > MAX_PERIOD_DAYS:
            raise ValidationError("Kỳ báo cáo dài quá 5 năm: hãy kiểm tra lại năm đã nhập.", "period over 5 years")
        ctx = self._ctx
        if agency is not None and ctx.agency(agency) is None:
            known = ", ".join(a.code for a in ctx.agencies)
            raise ValidationError(f"Quầy này không tiếp nhận cho cơ quan mã «{agency}» (các mã: {known}).",
                                  f"unknown agency {agency!r}")
        agencies = [agency] if agency else [a.code for a in ctx.agencies]
        end_of_period = datetime.combine(end, time(23, 59, 59), TZ)
        with self._read() as uow:
            procedures = uow.catalogue.all(include_closed=True)
            listed = uow.catalogue.location_free()
            total = uow.reports.count(start, end, agencies)
            inp = ReportInput(
                start=start, end=end, catalogue={p.code: p for p in procedures},
                catalogue_size=sum(1 for p in procedures if p.active), calendar=ctx.calendar,
                as_of=min(end_of_period, self._clock.now()), agency=agency,
                agency_names={a.code: a.name for a in ctx.agencies},
                location_free=frozenset(p.code for p in procedures if is_location_independent(p, listed, end)),
                dissatisfied_at_most=int(ctx.settings.report_dissatisfied_at_most),
                certification=uow.reports.certification(start, end, agencies))
            return build_report(uow.reports.facts(start, end, agencies), inp, total_hint=total, progress=progress)
