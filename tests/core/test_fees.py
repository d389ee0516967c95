from datetime import date

import pytest

from counter_app.core.errors import ValidationError
from counter_app.core.fees import (
    DEFAULT_COPY_SCHEDULE, CertifiedCopyFeeSchedule, certified_copy_fee, schedule_on,
)


@pytest.mark.parametrize("pages, copies, fee", [
    (1, 1, 2_000),
    (2, 1, 4_000),
    (3, 1, 5_000),
    (10, 1, 12_000),
    (10, 3, 36_000),
    (198, 1, 200_000),  # 4,000 + 196,000 = 200,000: exactly the cap
    (199, 1, 200_000),  # capped per copy
    (500, 2, 400_000),
])
def test_certified_copy_formula(pages, copies, fee):
    assert certified_copy_fee(pages, copies) == fee
    # The formula in domain.md §4, written independently.
    assert fee == copies * min(200_000, 2_000 * min(pages, 2) + 1_000 * max(pages - 2, 0))


@pytest.mark.parametrize("pages, copies", [(0, 1), (1, 0), (-2, 1)])
def test_certified_copy_rejects_nonsense(pages, copies):
    with pytest.raises(ValidationError):
        certified_copy_fee(pages, copies)


def test_schedule_in_force_follows_effective_dates():
    newer = CertifiedCopyFeeSchedule(effective_from=date(2027, 1, 1), first_page_fee=3_000)
    schedules = [DEFAULT_COPY_SCHEDULE, newer]
    assert schedule_on(schedules, date(2026, 12, 31)) is DEFAULT_COPY_SCHEDULE
    assert schedule_on(schedules, date(2027, 1, 1)) is newer
    assert schedule_on(schedules, date(2027, 1, 1)).fee(1, 1) == 3_000
    with pytest.raises(ValidationError):
        schedule_on(schedules, date(2010, 1, 1))
