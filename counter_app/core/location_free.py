"""The province's list of procedures received regardless of administrative boundary ("thủ tục hành
chính không phụ thuộc địa giới hành chính", Decree 118/2025; e.g. Cần Thơ QĐ 2608/QĐ-UBND).

The list is published decision by decision, and a later decision removes procedures an earlier one
listed, so each entry keeps the decision that listed it (number, date, effective date) and, once
removed, the removing decision and the day the removal takes effect. Whether a procedure may be
received for another agency is read from the entries in force on the day of receipt.

How it combines with the catalogue's ``Procedure.location_independent`` flag (docs/decisions.md):
while no list has been loaded the flag decides; once any list is loaded the list in force on the
receipt date is authoritative and the flag is ignored.

File shape (``counter-app location-free import``, ``provincial-server publish-location-free``)::

    {"entries": [{"procedure_code": "1.001612", "decision": "2608/QĐ-UBND",
                  "decision_date": "2025-11-24", "effective_from": "2025-11-24",
                  "removed_by": null, "removed_on": null,
                  "places": ["provincial_centre", "any_commune"], "channels": ["in_person", "post"]}]}
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from counter_app.core.errors import ValidationError
from counter_app.core.model import Procedure
from counter_app.core.text import clean

# Where a dossier may be filed and by which way (domain.md §14, the Nov 2025 provincial lists).
PLACES = {"provincial_centre": "Trung tâm phục vụ hành chính công tỉnh",
          "any_commune": "bất kỳ Trung tâm phục vụ hành chính công cấp xã nào trong tỉnh"}
CHANNELS = {"in_person": "trực tiếp", "post": "qua bưu chính công ích", "online_full": "trực tuyến toàn trình",
            "online_partial": "trực tuyến một phần"}
MAX_ENTRIES = 20_000
_CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._\-]{0,39}$")
_KEYS = {"procedure_code", "decision", "decision_date", "effective_from", "removed_by", "removed_on",
         "places", "channels"}


@dataclass(frozen=True)
class ListedProcedure:
    procedure_code: str
    decision: str  # number of the decision that listed it, e.g. "2608/QĐ-UBND"
    decision_date: date
    effective_from: date
    removed_by: str | None = None  # number of the decision that removed it
    removed_on: date | None = None  # first day it is no longer on the list
    places: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (self.removed_on is None or day < self.removed_on)


def _day(value: Any, where: str, *, optional: bool = False) -> date | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ValidationError(f"{where}: cần ngày dạng YYYY-MM-DD.", f"{where}: not a date string")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(f"{where}: ngày «{value}» không hợp lệ (YYYY-MM-DD).", f"{where}: bad date") from None


def _text(value: Any, where: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    text = clean(value) if isinstance(value, str) else ""
    if not text or len(text) > 100:
        raise ValidationError(f"{where}: cần số văn bản (tối đa 100 ký tự).", f"{where}: missing text")
    return text


def _choices(value: Any, allowed: dict[str, str], where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or any(v not in allowed for v in value):
        raise ValidationError(f"{where}: chỉ gồm các giá trị {', '.join(allowed)}.", f"{where}: bad choice")
    return tuple(dict.fromkeys(value))


def parse_entry(item: Any, where: str) -> ListedProcedure:
    if not isinstance(item, dict):
        raise ValidationError(f"{where}: phải là một đối tượng JSON.", f"{where}: not an object")
    unknown = sorted(set(item) - _KEYS)
    if unknown:
        raise ValidationError(f"{where}: có trường không biết: {', '.join(unknown)}.", f"{where}: unknown keys")
    code = item.get("procedure_code")
    if not isinstance(code, str) or not _CODE_RE.match(code.strip()):
        raise ValidationError(f"{where}: mã thủ tục «{code}» không hợp lệ.", f"{where}: bad procedure code")
    entry = ListedProcedure(
        procedure_code=code.strip(), decision=_text(item.get("decision"), f"{where} (decision)"),
        decision_date=_day(item.get("decision_date"), f"{where} (decision_date)"),
        effective_from=_day(item.get("effective_from"), f"{where} (effective_from)"),
        removed_by=_text(item.get("removed_by"), f"{where} (removed_by)", optional=True),
        removed_on=_day(item.get("removed_on"), f"{where} (removed_on)", optional=True),
        places=_choices(item.get("places"), PLACES, f"{where} (places)"),
        channels=_choices(item.get("channels"), CHANNELS, f"{where} (channels)"),
    )
    if entry.effective_from < entry.decision_date:
        raise ValidationError(f"{where}: ngày hiệu lực trước ngày ban hành quyết định {entry.decision}.",
                              f"{where}: effective before decision date")
    if (entry.removed_by is None) != (entry.removed_on is None):
        raise ValidationError(f"{where}: bãi bỏ cần cả số quyết định (removed_by) và ngày (removed_on).",
                              f"{where}: removal half given")
    if entry.removed_on is not None and entry.removed_on < entry.effective_from:
        raise ValidationError(f"{where}: ngày bãi bỏ trước ngày hiệu lực.", f"{where}: removed before effective")
    return entry


def parse_list(data: Any) -> list[ListedProcedure]:
    """A whole list document (or the bare list of entries); the first problem raises, nothing is kept."""
    items = data.get("entries") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValidationError("Tệp danh mục phi địa giới phải có dạng {\"entries\": [...]}.", "bad list root")
    if len(items) > MAX_ENTRIES:
        raise ValidationError(f"Danh mục có quá nhiều dòng (tối đa {MAX_ENTRIES}).", "too many entries")
    entries = [parse_entry(item, f"Dòng thứ {i}") for i, item in enumerate(items, 1)]
    seen: set[tuple[str, str]] = set()
    for e in entries:
        if (e.procedure_code, e.decision) in seen:
            raise ValidationError(f"Thủ tục {e.procedure_code} xuất hiện hai lần theo quyết định {e.decision}.",
                                  "duplicate entry")
        seen.add((e.procedure_code, e.decision))
    return entries


def entry_to_dict(e: ListedProcedure) -> dict[str, Any]:
    return {"procedure_code": e.procedure_code, "decision": e.decision, "decision_date": e.decision_date.isoformat(),
            "effective_from": e.effective_from.isoformat(), "removed_by": e.removed_by,
            "removed_on": e.removed_on.isoformat() if e.removed_on else None,
            "places": list(e.places), "channels": list(e.channels)}


def listing(entries: Sequence[ListedProcedure], code: str, day: date) -> ListedProcedure | None:
    """The entry that puts ``code`` on the list on ``day`` (the latest decision), or None."""
    found = [e for e in entries if e.procedure_code == code and e.in_force(day)]
    return max(found, key=lambda e: (e.effective_from, e.decision_date)) if found else None


def is_location_independent(procedure: Procedure, entries: Sequence[ListedProcedure], day: date) -> bool:
    """The list decides once loaded; before that, the catalogue's flag."""
    if not entries:
        return procedure.location_independent
    return listing(entries, procedure.code, day) is not None
