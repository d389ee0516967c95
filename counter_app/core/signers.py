"""Who signs certifications for the office, and dates written in words.

Decree 23/2015 Art. 5(2): the chairman or a vice-chairman of the commune People's Committee (or the
head or deputy of a justice office) signs and seals; the desk officer only receives and prepares.
The office keeps its list of signers with the dates each may sign (terms end, deputies change):
register column (5) and every statement name the signer with the title, never the desk officer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from counter_app.core.errors import ValidationError
from counter_app.core.text import clean, fold


@dataclass(frozen=True)
class CertSigner:
    name: str
    title: str  # "Phó Chủ tịch UBND xã Định Mỹ"
    valid_from: date | None = None
    valid_to: date | None = None  # last day the signer may sign; None: no end set

    def may_sign_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def as_values(self) -> dict:
        return {"name": self.name, "title": self.title,
                "from": self.valid_from.isoformat() if self.valid_from else None,
                "to": self.valid_to.isoformat() if self.valid_to else None}

    @classmethod
    def from_values(cls, v: dict) -> CertSigner:
        return cls(v["name"], v["title"], date.fromisoformat(v["from"]) if v.get("from") else None,
                   date.fromisoformat(v["to"]) if v.get("to") else None)


@dataclass(frozen=True)
class SignerList:
    """The office's authorised signers (a setting the office decides, kept with the other settings)."""

    signers: tuple[CertSigner, ...] = ()

    def as_values(self) -> list:
        return [s.as_values() for s in self.signers]

    @classmethod
    def from_values(cls, values) -> SignerList:
        return cls(tuple(CertSigner.from_values(v) for v in (values or ())))

    def on(self, day: date) -> list[CertSigner]:
        return [s for s in self.signers if s.may_sign_on(day)]

    def find(self, name: str, day: date) -> CertSigner:
        """The signer called ``name`` who may sign on ``day``; refused otherwise (say who may)."""
        wanted = fold(clean(name))
        same = [s for s in self.signers if fold(s.name) == wanted]
        ok = [s for s in same if s.may_sign_on(day)]
        if ok:
            return ok[0]
        allowed = ", ".join(f"{s.name} ({s.title})" for s in self.on(day)) or "chưa có ai"
        why = "không còn/chưa được giao ký ngày này" if same else "không có trong danh sách người ký"
        raise ValidationError(f"{clean(name) or '(trống)'} {why}. Người được ký chứng thực ngày "
                              f"{day:%d/%m/%Y}: {allowed}.", "signer not authorised on this day")

    def added(self, name: str, title: str, valid_from: date | None, valid_to: date | None) -> SignerList:
        name, title = clean(name), clean(title)
        if not name or not title:
            raise ValidationError("Người ký chứng thực cần họ tên và chức danh.", "signer name/title missing")
        if valid_from and valid_to and valid_to < valid_from:
            raise ValidationError("Ngày hết hạn ký phải không trước ngày bắt đầu.", "empty signer period")
        return SignerList(self.signers + (CertSigner(name, title, valid_from, valid_to),))

    def ended(self, name: str, last_day: date) -> SignerList:
        """The signer stops signing after ``last_day``; earlier signatures keep their name and title."""
        wanted = fold(clean(name))
        if not any(fold(s.name) == wanted for s in self.signers):
            raise ValidationError(f"Không có {clean(name)} trong danh sách người ký chứng thực.", "unknown signer")
        return SignerList(tuple(CertSigner(s.name, s.title, s.valid_from, last_day)
                                if fold(s.name) == wanted and (s.valid_to is None or s.valid_to > last_day) else s
                                for s in self.signers))


_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def _below_thousand(n: int, full: bool) -> str:
    """``full``: a group after a higher one says its hundreds and "lẻ" (2026: "không trăm hai mươi sáu")."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens > 1:
        words += [_DIGITS[tens], "mươi"]
        if units == 1:
            words.append("mốt")
        elif units == 5:
            words.append("lăm")
        elif units:
            words.append(_DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else _DIGITS[units])
    elif units:
        if words:
            words.append("lẻ")
        words.append(_DIGITS[units])
    return " ".join(words)


def number_words(n: int) -> str:
    if n == 0:
        return "không"
    if n >= 1_000_000:
        raise ValueError("numbers below one million only")
    thousands, rest = divmod(n, 1000)
    parts = []
    if thousands:
        parts += [_below_thousand(thousands, False), "nghìn"]
    if rest:
        parts.append(_below_thousand(rest, bool(thousands)))
    return " ".join(parts)


def date_words(day: date) -> str:
    """"ngày mười tháng sáu năm hai nghìn không trăm hai mươi sáu" (the statement's date in words)."""
    return f"ngày {number_words(day.day)} tháng {number_words(day.month)} năm {number_words(day.year)}"
