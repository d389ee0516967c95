"""Certification fees, due times and register numbering rules."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from counter_app.core.calendar import TZ, OfficeHours, WorkingCalendar
from counter_app.core.certification import (
    DEFAULT_SIGNATURE_SCHEDULE, CertItemInput, CertKind, book_label, certification_due, item_fee,
)
from counter_app.core.errors import ValidationError
from counter_app.core.fees import DEFAULT_COPY_SCHEDULE


@pytest.mark.parametrize("pages, copies, fee", [
    (1, 1, 2_000), (2, 1, 4_000), (3, 1, 5_000), (4, 1, 6_000),  # page 3 is the first at 1,000
    (3, 3, 15_000), (10, 2, 24_000),
    (198, 1, 200_000),  # exactly the cap
    (199, 1, 200_000), (300, 1, 200_000), (300, 2, 400_000),  # capped per copy, pages of the original
])
def test_certified_copy_fee(pages, copies, fee):
    got = item_fee(CertKind.COPY, CertItemInput("Giấy tờ", pages, copies), date(2026, 6, 10),
                   (DEFAULT_COPY_SCHEDULE,), (DEFAULT_SIGNATURE_SCHEDULE,))
    assert got == fee


def test_signature_fee_is_per_case():
    assert item_fee(CertKind.SIGNATURE, CertItemInput("Giấy ủy quyền", 5, 1), date(2026, 6, 10),
                    (DEFAULT_COPY_SCHEDULE,), (DEFAULT_SIGNATURE_SCHEDULE,)) == 10_000


def test_no_fee_schedule_in_force_is_an_error():
    with pytest.raises(ValidationError):
        item_fee(CertKind.COPY, CertItemInput("x", 1, 1), date(2010, 1, 1), (DEFAULT_COPY_SCHEDULE,), ())


CAL = WorkingCalendar(OfficeHours())


@pytest.mark.parametrize("received, extension, due", [
    ("2026-06-10T09:15", 0, "2026-06-10T17:00"),  # same working day
    ("2026-06-10T15:00", 0, "2026-06-10T17:00"),  # at 15:00 exactly: "sau 15 giờ" means after, same day
    ("2026-06-10T15:01", 0, "2026-06-11T17:00"),  # after the cut-off: next working day
    ("2026-06-12T15:00", 0, "2026-06-12T17:00"),  # Friday at 15:00: still Friday
    ("2026-06-12T15:30", 0, "2026-06-15T17:00"),  # Friday after 15:00 → Monday
    ("2026-02-13T14:00", 0, "2026-02-13T17:00"),  # the Friday before Tết, before the cut-off
    ("2026-02-13T15:30", 0, "2026-02-23T17:00"),  # after it: Tết 16–20/02 → Monday 23/02
    ("2026-02-13T15:30", 2, "2026-02-25T17:00"),  # plus two working days
    ("2026-04-24T16:00", 2, "2026-05-04T17:00"),  # Hùng Kings (27/04), 30/04, 01/05 and a weekend
    ("2026-06-13T09:00", 0, "2026-06-15T17:00"),  # received on a Saturday
])
def test_due_time_with_cutoff_and_extension_on_real_holidays(received, extension, due):
    got = certification_due(CAL, datetime.fromisoformat(received).replace(tzinfo=TZ), extension)
    assert got == datetime.fromisoformat(due).replace(tzinfo=TZ)


def test_extension_is_at_most_two_working_days():
    with pytest.raises(ValidationError):
        certification_due(CAL, datetime(2026, 6, 10, 9, tzinfo=TZ), 3)


def test_books_continue_one_sequence():
    assert [book_label(n, 2026, 500) for n in (1, 500, 501, 1000, 1001)] == [
        "01/2026", "01/2026", "02/2026", "02/2026", "03/2026"]
    assert book_label(12345, 2026, 0) == "01/2026"


def test_dates_in_words_for_the_signature_statement():
    from counter_app.core.signers import date_words, number_words

    assert date_words(date(2026, 6, 10)) == "ngày mười tháng sáu năm hai nghìn không trăm hai mươi sáu"
    assert date_words(date(2025, 12, 15)) == "ngày mười lăm tháng mười hai năm hai nghìn không trăm hai mươi lăm"
    assert [number_words(n) for n in (21, 31, 105, 2001, 2010)] == [
        "hai mươi mốt", "ba mươi mốt", "một trăm lẻ năm", "hai nghìn không trăm lẻ một", "hai nghìn không trăm mười"]
