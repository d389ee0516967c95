"""Vietnamese text rules: everything stored is NFC; search keys fold case, diacritics and đ."""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean(text: str | None) -> str:
    """NFC, without control characters, with runs of whitespace collapsed: the form we store."""
    if text is None:
        return ""
    text = _CONTROL.sub("", nfc(text))
    return _SPACES.sub(" ", text).strip()


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
