"""Chip ID card (CCCD / Căn cước) QR text and the 12-digit personal ID number.

QR layout: ``ID|old CMND (may be empty)|name|ddMMyyyy|gender|address|issue ddMMyyyy`` with
possibly more trailing fields on newer cards. The parse result is a prefill the officer confirms
against the card. Never log raw QR text or a full ID number: use :func:`mask_id`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from counter_app.core.errors import ValidationError
from counter_app.core.model import Gender
from counter_app.core.text import clean, fold

_ID_RE = re.compile(r"^\d{12}$", re.ASCII)


@dataclass(frozen=True)
class CccdData:
    id_number: str
    old_id_number: str | None
    full_name: str
    date_of_birth: date | None
    gender: Gender | None
    address: str
    issued_on: date | None


def parse_date_ddmmyyyy(text: str) -> date | None:
    text = text.strip()
    if not re.fullmatch(r"\d{8}", text):
        return None
    try:
        return datetime.strptime(text, "%d%m%Y").date()
    except ValueError:
        return None


def parse_gender(text: str | None) -> Gender | None:
    key = fold(text or "")
    if key in ("nam", "male", "m"):
        return Gender.MALE
    if key in ("nu", "female", "f"):
        return Gender.FEMALE
    return None


def parse_qr(text: str) -> CccdData:
    """Parse the QR text tolerantly (CR/LF, NUL, NFD, extra trailing fields, empty old ID)."""
    cleaned = text.replace("\x00", "").replace("\r", "").replace("\n", "")
    fields = [clean(f) for f in cleaned.split("|")]
    if len(fields) < 6 or not _ID_RE.match(fields[0]) or not fields[2]:
        raise ValidationError(
            "Không đọc được mã QR căn cước: cần ít nhất 6 trường, bắt đầu bằng số định danh 12 chữ số.",
            f"unrecognised CCCD QR layout ({len(fields)} fields)",
        )
    old = fields[1] if re.fullmatch(r"\d{9}|\d{12}", fields[1]) else None
    return CccdData(
        id_number=fields[0],
        old_id_number=old,
        full_name=fields[2],
        date_of_birth=parse_date_ddmmyyyy(fields[3]),
        gender=parse_gender(fields[4]),
        address=fields[5],
        issued_on=parse_date_ddmmyyyy(fields[6]) if len(fields) > 6 else None,
    )


def id_problems(id_number: str, provinces: Mapping[str, str], *, date_of_birth: date | None = None,
                gender: Gender | None = None, today: date | None = None) -> list[str]:
    """Vietnamese descriptions of what is wrong with a 12-digit personal ID (empty list: valid).

    Digits 1–3: province of birth registration (or a country code when the first digit is not 0);
    digit 4: century and gender (odd = female; 0/1 → 1900s, 2/3 → 2000s, …); digits 5–6: year of
    birth. There is no check digit (TT 07/2016/TT-BCA).
    """
    if not _ID_RE.match(id_number):
        return ["Số định danh cá nhân phải gồm đúng 12 chữ số."]
    problems: list[str] = []
    place = id_number[:3]
    if place[0] == "0" and place not in provinces:
        problems.append(f"Mã tỉnh nơi đăng ký khai sinh «{place}» không tồn tại.")
    digit = int(id_number[3])
    birth_year = (digit // 2 + 19) * 100 + int(id_number[4:6])
    today = today or date.today()
    if birth_year > today.year:
        problems.append("Chữ số thứ 4–6 cho năm sinh ở tương lai.")
    if date_of_birth is not None and date_of_birth.year != birth_year:
        problems.append(
            f"Năm sinh theo số định danh là {birth_year}, khác năm sinh khai báo {date_of_birth.year}."
        )
    if gender is not None:
        id_gender = Gender.FEMALE if digit % 2 else Gender.MALE
        if id_gender is not gender:
            problems.append(
                f"Giới tính theo số định danh là {id_gender.value}, khác giới tính khai báo {gender.value}."
            )
    return problems


def validate_personal_id(id_number: str, provinces: Mapping[str, str], **kwargs) -> str:
    problems = id_problems(id_number, provinces, **kwargs)
    if problems:
        raise ValidationError(" ".join(problems), "invalid personal ID number")
    return id_number


def mask_id(id_number: str | None) -> str:
    """``001******789``: enough to tell people apart at the counter, not enough to copy."""
    if not id_number:
        return ""
    if len(id_number) >= 8:
        return id_number[:3] + "*" * (len(id_number) - 6) + id_number[-3:]
    return "*" * max(len(id_number) - 2, 0) + id_number[-2:]
