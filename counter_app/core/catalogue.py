"""Procedure catalogue import/export in the agreed JSON shape.

``{"procedures": [{"code", "name", "field", "working_days", "fee_vnd", "online_level",
"location_independent", "documents": [{"name", "kind", "count"}]}]}`` plus optional keys
(``local_code``, ``max_extension_days``, ``postal_allowed``, ``fee_rule``, ``active``,
``online_levels``, the dated history of the online level (core.online_levels), and
provenance such as ``source``, ``confidence``, ``fee_note``, ``legal_basis``, ``unsettled``), which
are kept and exported again.

A document may also carry ``group`` (a label shared by alternatives: the citizen submits one of
them) and ``case`` (the named case it is needed in, the text after "trường hợp"). A document
without either is required; files written before these keys existed load unchanged.
"""

from __future__ import annotations

import re
from typing import Any

from counter_app.core.errors import ValidationError
from counter_app.core.model import DocumentKind, FeeRule, OnlineLevel, Procedure, RequiredDocument
from counter_app.core.online_levels import LEVELS_KEY, parse_history
from counter_app.core.text import clean, nfc_deep

PROCEDURE_CODE_RE = re.compile(r"^\d\.\d{6}$")
_KNOWN = {
    "code", "name", "field", "working_days", "fee_vnd", "online_level", "location_independent",
    "documents", "local_code", "max_extension_days", "postal_allowed", "fee_rule", "active",
}


MAX_INT = 10**12  # fees in đồng, days, counts: far above any real value, far below SQLite's limit


def _int(value: Any, where: str, *, minimum: int = 0, allow_none: bool = False) -> int | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= MAX_INT:
        raise ValidationError(f"{where}: phải là số nguyên từ {minimum} đến {MAX_INT}.", f"{where}={value!r}")
    return value


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(f"{where}: phải là true hoặc false.", f"{where}={value!r}")
    return value


def _enum(enum_type, value: Any, where: str):
    try:
        return enum_type(value)
    except ValueError:
        allowed = ", ".join(e.value for e in enum_type)
        raise ValidationError(f"{where}: giá trị «{value}» không hợp lệ (cho phép: {allowed}).",
                              f"{where}={value!r}") from None


def _text(value: Any, where: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValidationError(f"{where}: phải là chuỗi ký tự.", f"{where}={value!r}")
    return clean(value) or None


def parse_document(doc: Any, where: str) -> RequiredDocument:
    if not isinstance(doc, dict) or not isinstance(doc.get("name"), str) or not clean(doc["name"]):
        raise ValidationError(f"{where}: thiếu tên.", "document without name")
    return RequiredDocument(
        name=clean(doc["name"]),
        kind=_enum(DocumentKind, doc.get("kind", "original"), f"{where} kind"),
        count=_int(doc.get("count", 1), f"{where} count", minimum=1),
        group=_text(doc.get("group"), f"{where} group"),
        case=_text(doc.get("case"), f"{where} case"),
    )


def document_to_dict(d: RequiredDocument) -> dict[str, Any]:
    """The catalogue file's shape of a document; ``group`` and ``case`` only when set."""
    out: dict[str, Any] = {"name": d.name, "kind": d.kind.value, "count": d.count}
    if d.group:
        out["group"] = d.group
    if d.case:
        out["case"] = d.case
    return out


def parse_procedure(item: Any, where: str) -> Procedure:
    if not isinstance(item, dict):
        raise ValidationError(f"{where}: phải là một đối tượng JSON.", "procedure must be an object")
    missing = [k for k in ("code", "name", "field", "working_days") if k not in item]
    if missing:
        raise ValidationError(f"{where}: thiếu trường {', '.join(missing)}.", f"missing {missing}")
    code = _text(item["code"], f"{where} code") or ""
    if not PROCEDURE_CODE_RE.match(code):
        raise ValidationError(f"{where}: mã thủ tục «{code}» không đúng dạng 1.234567.", "bad code")
    where = f"{where} ({code})"
    name = _text(item["name"], f"{where} name") or ""
    if not name:
        raise ValidationError(f"{where}: tên thủ tục trống.", "empty name")
    documents = [parse_document(doc, f"{where} giấy tờ {j}")
                 for j, doc in enumerate(item.get("documents") or [], start=1)]
    levels = parse_history(item.get(LEVELS_KEY), where)  # validated here, kept in ``extra``
    extra = nfc_deep({k: v for k, v in item.items() if k not in _KNOWN})
    if levels:
        extra[LEVELS_KEY] = [c.as_dict() for c in levels]
    return Procedure(
        code=code,
        name=name,
        field=_text(item["field"], f"{where} field") or "",
        working_days=_int(item["working_days"], f"{where} working_days", allow_none=True),
        fee_vnd=_int(item.get("fee_vnd", 0), f"{where} fee_vnd"),
        online_level=_enum(OnlineLevel, item.get("online_level", "paper"), f"{where} online_level"),
        location_independent=_bool(item.get("location_independent", False), f"{where} location_independent"),
        postal_allowed=_bool(item.get("postal_allowed", True), f"{where} postal_allowed"),
        documents=tuple(documents),
        local_code=_text(item.get("local_code"), f"{where} local_code"),
        max_extension_days=_int(item.get("max_extension_days", 0), f"{where} max_extension_days"),
        fee_rule=_enum(FeeRule, item.get("fee_rule", "fixed"), f"{where} fee_rule"),
        active=_bool(item.get("active", True), f"{where} active"),
        extra=extra,
    )


def parse_catalogue(data: Any) -> list[Procedure]:
    """Validate a whole catalogue document; the first problem raises and nothing is imported."""
    if not isinstance(data, dict) or not isinstance(data.get("procedures"), list):
        raise ValidationError("Tệp danh mục phải có dạng {\"procedures\": [...]}.", "bad catalogue root")
    procedures = [parse_procedure(item, f"Thủ tục thứ {i}") for i, item in enumerate(data["procedures"], 1)]
    seen: set[str] = set()
    for p in procedures:
        if p.code in seen:
            raise ValidationError(f"Mã thủ tục {p.code} xuất hiện hai lần trong tệp.", "duplicate code")
        seen.add(p.code)
    return procedures


def procedure_to_dict(p: Procedure) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": p.code,
        "name": p.name,
        "field": p.field,
        "working_days": p.working_days,
        "fee_vnd": p.fee_vnd,
        "online_level": p.online_level.value,
        "location_independent": p.location_independent,
        "documents": [document_to_dict(d) for d in p.documents],
        "postal_allowed": p.postal_allowed,
        "max_extension_days": p.max_extension_days,
        "fee_rule": p.fee_rule.value,
        "active": p.active,
    }
    if p.local_code:
        out["local_code"] = p.local_code
    out.update(p.extra)
    return out


def export_catalogue(procedures: list[Procedure]) -> dict[str, Any]:
    return {"procedures": [procedure_to_dict(p) for p in sorted(procedures, key=lambda p: p.code)]}
