"""Fees as dated data, so a new fee circular is a data change, not a release.

The certified-copy formula (Circular 226/2016/TT-BTC): 2,000 VND a page for pages 1–2, 1,000 VND
a page from page 3, at most 200,000 VND a copy, pages counted on the original.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from counter_app.core.errors import ValidationError


@dataclass(frozen=True)
class CertifiedCopyFeeSchedule:
    effective_from: date
    first_pages: int = 2
    first_page_fee: int = 2_000
    next_page_fee: int = 1_000
    max_per_copy: int = 200_000
    source: str = ""

    def per_copy(self, pages: int) -> int:
        if pages < 1:
            raise ValidationError("Số trang của bản chính phải từ 1 trở lên.", f"pages={pages}")
        first = min(pages, self.first_pages)
        rest = max(pages - self.first_pages, 0)
        return min(self.max_per_copy, first * self.first_page_fee + rest * self.next_page_fee)

    def fee(self, pages: int, copies: int) -> int:
        if copies < 1:
            raise ValidationError("Số bản sao phải từ 1 trở lên.", f"copies={copies}")
        return copies * self.per_copy(pages)


DEFAULT_COPY_SCHEDULE = CertifiedCopyFeeSchedule(
    effective_from=date(2017, 1, 1), source="Thông tư 226/2016/TT-BTC"
)


def schedule_on(schedules: Iterable[CertifiedCopyFeeSchedule], day: date) -> CertifiedCopyFeeSchedule:
    """The schedule in force on ``day``: the latest whose effective date is not after it."""
    in_force = [s for s in schedules if s.effective_from <= day]
    if not in_force:
        raise ValidationError(
            f"Không có biểu phí chứng thực nào có hiệu lực vào ngày {day:%d/%m/%Y}.",
            "no fee schedule in force",
        )
    return max(in_force, key=lambda s: s.effective_from)


def certified_copy_fee(pages: int, copies: int, schedule: CertifiedCopyFeeSchedule = DEFAULT_COPY_SCHEDULE
                       ) -> int:
    return schedule.fee(pages, copies)
