"""Administrative units under their current and former names (the 2025 mergers and renamings).

Since 1 July 2025 communes were merged and renamed; ID cards and old papers carry the old names
and codes. An officer may type either: the lookup answers with the agency as it is now, and
everything stored and printed uses that agency's code and current name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from counter_app.core.errors import ValidationError
from counter_app.core.model import Agency, AgencyAlias
from counter_app.core.text import clean, clean_optional, fold


def strip_province(key: str, provinces: Sequence[str]) -> str:
    """A folded name without a trailing ", tỉnh X" (old papers add the old province: "UBND xã
    Định Mỹ, tỉnh Bình Định"), for the provinces named in the bundled data."""
    for name in provinces:
        for tail in (f", tinh {fold(name)}", f" tinh {fold(name)}"):
            if key.endswith(tail):
                return key[: -len(tail)].rstrip(" ,")
    return key


def find_agency(text: str | None, agencies: Sequence[Agency], aliases: Sequence[AgencyAlias],
                provinces: Sequence[str] = ()) -> Agency | None:
    """The agency that ``text`` names: its current code, a former code, its current name or a
    former name (diacritics and case ignored; a trailing province, current or former, too). A name
    two agencies answer to is refused rather than guessed, since a dossier sent to the wrong
    commune is worse than a question."""
    wanted = clean(text or "")
    if not wanted:
        return None
    by_code = {a.code.casefold(): a for a in agencies}
    if wanted.casefold() in by_code:
        return by_code[wanted.casefold()]
    hits = {a.agency_code for a in aliases if a.former_code and a.former_code.casefold() == wanted.casefold()}
    key = strip_province(fold(wanted), provinces)
    if not hits:
        hits = {a.code for a in agencies if fold(a.name) == key}
    if not hits:
        hits = {a.agency_code for a in aliases if fold(a.former_name) == key}
    found = [by_code[c.casefold()] for c in sorted(hits) if c.casefold() in by_code]
    if len(found) > 1:
        raise ValidationError(
            f"«{wanted}» ứng với nhiều cơ quan ({', '.join(f'{a.code} {a.name}' for a in found)}): hãy nhập mã.",
            "ambiguous agency name")
    return found[0] if found else None


def search_agencies(query: str, agencies: Sequence[Agency], aliases: Sequence[AgencyAlias]
                    ) -> list[tuple[Agency, AgencyAlias | None]]:
    """Agencies whose code or name, current or former, contains ``query`` (folded); with the former
    name that matched, so a picker can show "UBND xã Mới (trước 01/07/2025: xã Cũ)"."""
    key = fold(clean(query))
    out: list[tuple[Agency, AgencyAlias | None]] = []
    for agency in agencies:
        if key in fold(f"{agency.code} {agency.name}"):
            out.append((agency, None))
            continue
        former = next((a for a in aliases if a.agency_code == agency.code
                       and key in fold(f"{a.former_code or ''} {a.former_name}")), None)
        if former is not None:
            out.append((agency, former))
    return out


def make_alias(agency_code: str, former_name: str, former_code: str | None = None, until: date | None = None,
               source: str = "") -> AgencyAlias:
    name = clean(former_name)
    if not name:
        raise ValidationError("Chưa nhập tên cũ của cơ quan.", "former name missing")
    if len(name) > 300:
        raise ValidationError("Tên cũ quá dài (tối đa 300 ký tự).", "former name too long")
    code = clean_optional(former_code)
    if code and len(code) > 35:
        raise ValidationError("Mã cũ quá dài (tối đa 35 ký tự).", "former code too long")
    return AgencyAlias(clean(agency_code), name, code, until, clean(source))


def check_alias(alias: AgencyAlias, agencies: Sequence[Agency], aliases: Sequence[AgencyAlias]) -> None:
    """Refuse an alias that would make a code or a name point at two agencies."""
    if not any(a.code == alias.agency_code for a in agencies):
        raise ValidationError(f"Quầy này chưa có cơ quan {alias.agency_code} (counter-app agency add).",
                              "alias of an unknown agency")
    others = [a for a in agencies if a.code != alias.agency_code]
    code = (alias.former_code or "").casefold()
    if code and (any(a.code.casefold() == code for a in others)
                 or any((x.former_code or "").casefold() == code for x in aliases if x.agency_code != alias.agency_code)):
        raise ValidationError(f"Mã cũ {alias.former_code} đã thuộc cơ quan khác.", "former code taken")
    key = fold(alias.former_name)
    if any(fold(a.name) == key for a in others) or any(
            fold(x.former_name) == key for x in aliases if x.agency_code != alias.agency_code):
        raise ValidationError(f"Tên «{alias.former_name}» đã là tên (hoặc tên cũ) của cơ quan khác.",
                              "former name taken")


def bundled_aliases(data: Mapping[str, Any]) -> tuple[AgencyAlias, ...]:
    """The aliases shipped in ``resources/reference/former-units.json`` (``aliases`` list)."""
    return tuple(
        make_alias(x["agency_code"], x["former_name"], x.get("former_code"),
                   date.fromisoformat(x["until"]) if x.get("until") else None, x.get("source", ""))
        for x in data.get("aliases", ()))


def known_agency_names(data: Mapping[str, Any]) -> dict[str, str]:
    """Code → current name of the agencies the bundled data names (its optional ``agencies`` list of
    ``{"code", "name"}``), for ``init --serves CODE`` without a name."""
    return {a["code"]: a["name"] for a in data.get("agencies") or ()
            if isinstance(a, dict) and isinstance(a.get("code"), str) and isinstance(a.get("name"), str)}


def province_names(data: Mapping[str, Any]) -> tuple[str, ...]:
    """Every province name, former and current, in the bundled data's ``provinces`` list."""
    names = {n for x in data.get("provinces", ()) for n in (x.get("former_name"), x.get("name")) if n}
    return tuple(sorted(names, key=len, reverse=True))


def alias_to_dict(a: AgencyAlias) -> dict[str, Any]:
    return {"agency_code": a.agency_code, "former_name": a.former_name, "former_code": a.former_code,
            "until": a.until.isoformat() if a.until else None, "source": a.source}
