"""Vietnamese text rules: everything stored is NFC; search keys fold case, diacritics and đ."""

from __future__ import annotations

import re
import unicodedata

from counter_app.core.errors import ValidationError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
_SURROGATE = re.compile("[\ud800-\udfff]")
_NON_ASCII_DIGIT = re.compile(r"(?![0-9])\d")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def ascii_digits(text: str) -> str:
    """Fullwidth, Arabic-Indic and other Unicode decimal digits → 0–9 (what search and the
    national formats expect)."""
    return _NON_ASCII_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group())), text)


def clean(text: str | None) -> str:
    """NFC, without control characters, with runs of whitespace collapsed, digits in ASCII: the
    form we store. Text that was not valid UTF-8 (bytes smuggled in as lone surrogates) and values
    that are not text at all are refused with a message."""
    if text is None:
        return ""
    if not isinstance(text, str):
        raise ValidationError(f"Giá trị «{str(text)[:40]}» phải là chuỗi ký tự.",
                              f"expected text, got {type(text).__name__}")
    if _SURROGATE.search(text):
        raise ValidationError("Văn bản có ký tự không đọc được (không phải UTF-8); hãy nhập lại.",
                              "text is not valid UTF-8 (lone surrogates)")
    text = ascii_digits(_CONTROL.sub("", nfc(text)))
    return _SPACES.sub(" ", text).strip()


def clean_lines(text: str | None) -> str:
    """Like :func:`clean`, line by line: a reason typed as several lines keeps them (one "\n"
    between lines, blank lines dropped), so a form can print each on its own."""
    if text is None:
        return ""
    if not isinstance(text, str):
        return clean(text)
    return "\n".join(line for line in (clean(part) for part in text.splitlines()) if line)


def clean_optional(text: str | None) -> str | None:
    cleaned = clean(text)
    return cleaned or None


def fold(text: str) -> str:
    """Search key: lower case, no diacritics, đ/Đ → d, words separated by single spaces.

    U+0111 (đ) has no canonical decomposition, so it is mapped by hand before stripping marks.
    """
    text = nfc(text).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    words = re.findall(r"[0-9a-z]+", stripped.lower())
    return " ".join(words)


def nfc_deep(value):
    """NFC every string inside a JSON-like value (provenance notes, event payloads)."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [nfc_deep(v) for v in value]
    if isinstance(value, dict):
        return {nfc(k) if isinstance(k, str) else k: nfc_deep(v) for k, v in value.items()}
    return value


def parse_dmy(text: str):
    """Kept for callers written before ``core.formats``; it also accepts ISO dates now."""
    from counter_app.core.formats import parse_date

    return parse_date(text)
