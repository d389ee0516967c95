"""What the register holder accepts from a desk: every field of a numbering request checked
against the holder's own rules (the desk's word is not enough for the legal register)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from counter_app.core.certification import (
    MAX_COPIES, MAX_PAGES, CertItemInput, CertKind, EntryDraft, kind_of_register,
)
from counter_app.core.errors import CounterError
from counter_app.core.formats import group_digits

MAX_ENTRIES = 500
MAX_TEXT = {"document": 500, "applicant_name": 200, "officer": 200}
_ID = re.compile(r"^[0-9]{9,13}(-[0-9]{3})?$")  # personal ID (9 or 12 digits) or tax code (10, 13, 10-3)

FeeOf = Callable[[CertKind, CertItemInput, date], int]


class Refused(CounterError):
    """A request the holder will not write into the register (HTTP 400 with this message)."""


def check_entries(register_type: str, year: int | None, entries: tuple[EntryDraft, ...], desk: int,
                  today: date, fee_of: FeeOf) -> int:
    """The register year to number in; raises ``Refused`` naming the first bad field."""
    kind = kind_of_register(register_type)
    if year is not None and year != today.year:
        raise Refused(f"Chỉ cấp số trong sổ năm {today.year}, không cấp cho năm {year}.", f"year={year}")
    if not 1 <= len(entries) <= MAX_ENTRIES:
        raise Refused(f"Mỗi yêu cầu cấp từ 1 đến {MAX_ENTRIES} số.", "bad entry count")
    if sorted(e.position for e in entries) != list(range(1, len(entries) + 1)):
        raise Refused("Thứ tự các dòng của yêu cầu không liền nhau từ 1.", "positions must be 1..n")
    fees = []
    for n, e in enumerate(entries, 1):
        where = f"Dòng {n}"
        if e.desk != desk:
            raise Refused(f"{where}: quầy này được ghép với số quầy {desk}, không ghi thay quầy {e.desk}.",
                          f"desk={e.desk}, paired desk={desk}")
        if e.day.year != today.year or e.day > today + timedelta(days=1):  # a desk's clock a little ahead
            raise Refused(f"{where}: ngày {e.day:%d/%m/%Y} không thuộc năm {today.year} hoặc ở tương lai.",
                          f"day={e.day.isoformat()}")
        for name, limit in MAX_TEXT.items():
            value = getattr(e, name)
            if not value.strip() or len(value) > limit:
                raise Refused(f"{where}: trường {name} trống hoặc dài quá {limit} ký tự.", f"{name} length")
        if e.applicant_id is not None and not _ID.match(e.applicant_id):
            raise Refused(f"{where}: số giấy tờ tùy thân hoặc mã số thuế không hợp lệ (chỉ chữ số).", "applicant_id format")
        if not 1 <= e.pages <= MAX_PAGES:
            raise Refused(f"{where}: số trang phải từ 1 đến {MAX_PAGES}.", f"pages={e.pages}")
        if not 1 <= e.copies <= MAX_COPIES:
            raise Refused(f"{where}: số bản phải từ 1 đến {MAX_COPIES}.", f"copies={e.copies}")
        expected = fee_of(kind, CertItemInput(e.document, e.pages, e.copies), e.day)
        if e.fee not in (0, expected):  # 0: the request is exempt (its reason stays on the desk's dossier)
            raise Refused(f"{where}: lệ phí {group_digits(e.fee)}đ không đúng biểu phí ({group_digits(expected)}đ).",
                          f"fee={e.fee}, schedule={expected}")
        fees.append(e.fee)
    if 0 in fees and any(fees):
        raise Refused("Yêu cầu miễn phí phải miễn cho mọi dòng.", "mixed exemption")
    return today.year
