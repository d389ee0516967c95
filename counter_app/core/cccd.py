"""Chip ID card (CCCD / Căn cước) QR text and the 12-digit personal ID number.

QR layouts (``LAYOUTS``): ``ID|old CMND (may be empty)|name|DOB|gender|address|issue date``, the
same without the issue date, the same without the old-ID field, and newer cards with more trailing
fields; dates ``ddMMyyyy`` or ``dd/MM/yyyy``. The layout is recognised by the shape of each field.
The parse result is a prefill the officer confirms against the card. Never log raw QR text or a
full ID number: use :func:`mask_id`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

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
    layout: str = ""  # which known layout the QR matched (see ``LAYOUTS``)


_DATE_RE = re.compile(r"(\d{2})(\d{2})(\d{4})|(\d{2})/(\d{2})/(\d{4})", re.ASCII)
_OLD_ID_RE = re.compile(r"\d{9}|\d{12}", re.ASCII)
# A person's name on the card: letters (any script, with marks), spaces, and the few separators
# seen in names (apostrophe, hyphen, dot). No digits: a digit is how a date or an ID gives itself
# away when the fields have shifted.
_NAME_RE = re.compile(r"[^\W\d_]+(?:[ .'\-][^\W\d_]+)*\.?")


def parse_card_date(text: str) -> date | None:
    """``ddMMyyyy`` (older chip cards) or ``dd/MM/yyyy`` (seen on newer cards); else None."""
    m = _DATE_RE.fullmatch(text.strip())
    if not m:
        return None
    day, month, year = (g for g in m.groups() if g is not None)
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_gender(text: str | None) -> Gender | None:
    key = fold(text or "")
    if key in ("nam", "male", "m"):
        return Gender.MALE
    if key in ("nu", "female", "f"):
        return Gender.FEMALE
    return None


# The layouts seen on cards, by the role of each field after the 12-digit ID. "old": the 9-digit
# CMND (or an older 12-digit number), may be empty; "issued": the issue date. Fields after the last
# role are the newer cards' trailing additions and are not read.
LAYOUTS: dict[str, tuple[str, ...]] = {
    "7 trường (có CMND cũ)": ("old", "name", "dob", "gender", "address", "issued"),
    "6 trường (không có ngày cấp)": ("old", "name", "dob", "gender", "address"),
    "6 trường (không có CMND cũ)": ("name", "dob", "gender", "address", "issued"),
}
_ROLE_LABELS = {"old": "số CMND cũ", "name": "họ và tên", "dob": "ngày sinh", "gender": "giới tính",
                "address": "nơi thường trú", "issued": "ngày cấp"}


def _fits(role: str, value: str) -> bool:
    if role == "old":
        return value == "" or bool(_OLD_ID_RE.fullmatch(value))
    if role == "name":
        return len(value) >= 2 and bool(_NAME_RE.fullmatch(value)) and parse_gender(value) is None
    if role in ("dob", "issued"):
        return parse_card_date(value) is not None
    if role == "gender":
        return parse_gender(value) is not None
    # An address is free text with digits (house numbers), but never only a date or only a number.
    return bool(value) and parse_card_date(value) is None and not value.isdigit()


def _match(fields: list[str]) -> tuple[str, dict[str, str]] | None:
    """The first layout every field fits. A layout whose issue date is missing must end there: a
    7th field that is not a date means the fields are not where that layout puts them."""
    rest = fields[1:]
    for name, roles in LAYOUTS.items():
        if len(rest) < len(roles):
            continue
        if "issued" not in roles and len(rest) > len(roles):
            continue
        values = dict(zip(roles, rest))
        if all(_fits(role, values[role]) for role in roles):
            return name, values
    return None


def _misfit(fields: list[str]) -> str:
    """Which field is not what the usual 7-field layout expects, to say so in the message."""
    roles = LAYOUTS["7 trường (có CMND cũ)"] if len(fields) >= 7 else LAYOUTS["6 trường (không có CMND cũ)"]
    for i, (role, value) in enumerate(zip(roles, fields[1:]), 2):
        if not _fits(role, value):
            return f"trường thứ {i} không phải {_ROLE_LABELS[role]}"
    return "các trường không khớp"


def parse_qr(text: str) -> CccdData:
    """Parse the QR text by the shape of its fields, tolerantly (CR/LF, NUL, NFD, ``dd/MM/yyyy`` or
    ``ddMMyyyy``, an empty or missing old ID, newer cards' trailing fields). A text none of the known
    layouts fits (a date where the name should be, a name where a date should be) is refused: a
    prefill filled in silently wrong is worse than none. The message never repeats the QR text."""
    if not isinstance(text, str):
        raise ValidationError("Mã QR căn cước phải là văn bản.", "QR is not text")
    cleaned = text.replace("\x00", "").replace("\r", "").replace("\n", "")
    fields = [clean(f) for f in cleaned.split("|")]
    while len(fields) > 6 and not fields[-1]:  # a reader's trailing separators are not fields
        fields.pop()
    if len(fields) < 6 or not _ID_RE.match(fields[0]):
        raise ValidationError(
            "Không đọc được mã QR căn cước: cần ít nhất 6 trường, bắt đầu bằng số định danh 12 chữ số.",
            f"unrecognised CCCD QR layout ({len(fields)} fields)",
        )
    found = _match(fields)
    if found is None:
        raise ValidationError(
            f"Mã QR căn cước không khớp bố cục nào đã biết ({_misfit(fields)}); "
            "không điền tự động, xin nhập tay theo thẻ.",
            f"CCCD QR fields do not fit a known layout ({len(fields)} fields)",
        )
    layout, v = found
    dob, issued = parse_card_date(v["dob"]), parse_card_date(v["issued"]) if "issued" in v else None
    if issued is not None and dob is not None and issued < dob:
        raise ValidationError(
            "Mã QR căn cước có ngày cấp trước ngày sinh; không điền tự động, xin nhập tay theo thẻ.",
            "CCCD QR issue date before date of birth",
        )
    return CccdData(
        id_number=fields[0],
        old_id_number=v.get("old") or None,
        full_name=v["name"],
        date_of_birth=dob,
        gender=parse_gender(v["gender"]),
        address=v["address"],
        issued_on=issued,
        layout=layout,
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
