"""The postal channel (Decision 45/2016/QĐ-TTg): item numbers on the phiếu gửi and what the postal
employee hands over with a dossier."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from counter_app.core.errors import ValidationError
from counter_app.core.text import clean, clean_optional

# UPU S10: 2 service letters, 8 serial digits, 1 check digit, ISO country code.
_S10_RE = re.compile(r"^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$", re.ASCII)
_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
MAX_POSTAL_FEE = 100_000_000  # a typo guard, not a tariff: fees are whatever the post office charged


def s10_check_digit(serial: str) -> int:
    """The S10 check digit of 8 serial digits: 11 - (weighted sum mod 11), 10 -> 0, 11 -> 5."""
    total = sum(int(c) * w for c, w in zip(serial, _S10_WEIGHTS))
    check = 11 - total % 11
    return {10: 0, 11: 5}.get(check, check)


def normalise_item(value: str | None) -> str:
    """An S10 item number, upper case without spaces; a malformed one or a wrong check digit is
    refused (a mistyped number would break the hand-over reconciliation)."""
    item = re.sub(r"[\s\-]", "", clean(value)).upper()
    if not item:
        raise ValidationError("Chưa nhập số hiệu bưu gửi (số phiếu gửi).", "postal item missing")
    m = _S10_RE.match(item)
    if m is None:
        raise ValidationError(
            f"Số hiệu bưu gửi «{item}» không đúng dạng: 2 chữ cái, 8 chữ số, 1 chữ số kiểm tra và "
            "2 chữ cái mã nước (ví dụ RR123456785VN).", "postal item not S10")
    expected = s10_check_digit(m.group(2))
    if int(m.group(3)) != expected:
        raise ValidationError(
            f"Số hiệu bưu gửi «{item}» sai chữ số kiểm tra (chữ số thứ 11 phải là {expected}): "
            "hãy đọc lại số trên phiếu gửi.", "postal item check digit wrong")
    return item


@dataclass(frozen=True)
class PostalIntake:
    """What the postal employee hands over with a dossier brought in by post."""

    item: str
    employee: str | None = None
    seal_intact: bool | None = None  # None: not recorded
    fee_vnd: int | None = None       # postage the post office collected, if it is to be recorded


def normalise_postal(p: PostalIntake) -> PostalIntake:
    if p.fee_vnd is not None and not 0 <= p.fee_vnd <= MAX_POSTAL_FEE:
        raise ValidationError("Cước bưu chính phải từ 0 đồng trở lên (và dưới 100 triệu).", "postal fee out of range")
    employee = clean_optional(p.employee)
    if employee and len(employee) > 200:
        raise ValidationError("Tên nhân viên bưu chính quá dài (tối đa 200 ký tự).", "postal employee too long")
    return PostalIntake(normalise_item(p.item), employee, p.seal_intact, p.fee_vnd)


def postal_to_dict(p: PostalIntake) -> dict[str, Any]:
    return {"item": p.item, "employee": p.employee, "seal_intact": p.seal_intact, "fee_vnd": p.fee_vnd}


def parse_yes_no(value: str | None) -> bool | None:
    if value is None or not value.strip():
        return None
    v = clean(value).lower()
    if v in ("yes", "có", "co", "y", "1", "true"):
        return True
    if v in ("no", "không", "khong", "n", "0", "false"):
        return False
    raise ValidationError(f"«{value}»: hãy ghi yes hoặc no (có/không).", "bad yes/no")


class Direction(str, enum.Enum):
    IN = "in"    # dossiers the post brings to the counter
    OUT = "out"  # results the counter hands to the post

    @property
    def label_vi(self) -> str:
        return "Bưu chính giao hồ sơ cho Bộ phận một cửa" if self is Direction.IN else \
            "Bộ phận một cửa giao kết quả cho bưu chính"


@dataclass(frozen=True)
class BatchItem:
    item: str
    dossier_code: str | None  # None: on the post's list but not (yet) received at the counter


@dataclass(frozen=True)
class PostalBatch:
    """One hand-over list (biên bản giao nhận) for one day and direction; frozen once signed."""

    code: str
    direction: Direction
    day: date
    created_at: datetime
    officer: str
    items: tuple[BatchItem, ...] = ()
    signed_at: datetime | None = None
    postal_employee: str | None = None
    signed_by: str | None = None
