"""Dossier codes: ``<agency code>-<yyMMdd>-<sequence>``.

Counters issue codes while offline, several desks per agency, so the daily sequence is
partitioned by a device slot: the sequence is the two-digit slot followed by the desk's own
daily counter (at least four digits). Two devices with different slots can never produce the
same code, and a device never reuses one because its counter only moves forward.
"""

from __future__ import annotations

import re
from datetime import date

from counter_app.core.errors import ValidationError

MAX_SLOT = 99
# QĐ 20/2020/QĐ-TTg: an agency identifier uses ".", 0–9 and A–Z, at most 35 characters.
_PREFIX_RE = re.compile(r"^[0-9A-Z][0-9A-Z.]{0,34}$")
CODE_RE = re.compile(r"^(?P<prefix>[0-9A-Z][0-9A-Z.]{0,34})-(?P<day>\d{6})-(?P<seq>\d{4,})$")


def validate_prefix(prefix: str) -> str:
    prefix = prefix.strip().upper()
    if not _PREFIX_RE.match(prefix) or ".." in prefix or prefix.endswith("."):
        raise ValidationError(
            f"Mã cơ quan «{prefix}» không hợp lệ: chỉ gồm chữ in hoa, chữ số và dấu chấm, tối đa 35 ký tự "
            "(ví dụ 000.21.33.H08 hoặc H52.101).",
            "agency code must match [0-9A-Z.]{1,35}",
        )
    return prefix


def validate_slot(slot: int) -> int:
    if not 1 <= slot <= MAX_SLOT:
        raise ValidationError(f"Số thứ tự thiết bị (quầy) phải từ 1 đến {MAX_SLOT}.", f"slot={slot}")
    return slot


def format_code(prefix: str, day: date, slot: int, number: int) -> str:
    if number < 1:
        raise ValueError("sequence numbers start at 1")
    return f"{prefix}-{day:%y%m%d}-{validate_slot(slot):02d}{number:04d}"


def looks_like_code(text: str) -> bool:
    return bool(CODE_RE.match(text.strip().upper()))
