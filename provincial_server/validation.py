"""What the server accepts from a counter: a strict schema for every pushed event, safe JSON parsing
and bounded query parameters.

Nothing a counter sends is trusted to be well formed: statuses and kinds are enumerated, dates are
ISO 8601 between 2000 and one year ahead, integers fit in 2^53, strings have a length and no NUL or
lone surrogate (PostgreSQL refuses both), payloads have a size and a nesting depth. A bad event is
answered ``rejected`` with its own reason code and never stored; the rest of the batch still lands.
Described in ``docs/sync-protocol.md`` (Validation).
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

from counter_app.core import protocol
from counter_app.core.errors import IllegalTransition
from counter_app.core.lifecycle import (
    PAPER_TRANSFER, POSTAL_HANDOVER, PRINTED, STAFF_HANDOVER, Action, Status, transition,
)
from provincial_server.service import ServerError

MAX_SAFE_INT = 2 ** 53  # exact in every JSON reader (JavaScript, PostgreSQL's jsonb, SQLite)
MAX_DEPTH = 16  # nesting of an event's payload; a real intake is 4 deep
MAX_EVENT_BYTES = 256 * 1024
MAX_STRING = 10_000  # any string inside a payload
EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)
VN = timezone(timedelta(hours=7))
TOO_DEEP = "\x00too_deep"  # what a container nested past the parser's limit is replaced with

# Certification notes (counter_app.core.certify.VOIDED/NUMBERED/SIGNED) travel as their own kinds.
ACTIONS = frozenset(a.value for a in Action)
EVENT_KINDS = ACTIONS | {PRINTED, POSTAL_HANDOVER, STAFF_HANDOVER, PAPER_TRANSFER, "certificate_voided",
                         "certificate_numbered", "certificate_signed"}
INTAKE_KINDS = frozenset({Action.RECEIVE.value, Action.REFUSE.value})
STATUSES = frozenset(s.value for s in Status)
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_BAD_CHARS = re.compile(r"[\x00\ud800-\udfff]")

# reason codes of a rejected event
INVALID = "invalid_event"
TOO_LARGE = "event_too_large"
TOO_DEEP_REASON = "event_too_deep"
BAD_DATE = "invalid_date"
BAD_STATUS = "invalid_status"
BAD_KIND = "invalid_kind"
BAD_NUMBER = "invalid_number"
BAD_TRANSITION = "invalid_transition"


class Invalid(ValueError):
    """One field that breaks the schema: ``reason`` is the code the counter gets, ``detail`` English."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


MESSAGES = {
    INVALID: "Sự kiện sai cấu trúc.",
    TOO_LARGE: "Sự kiện quá lớn.",
    TOO_DEEP_REASON: "Dữ liệu sự kiện lồng nhau quá sâu.",
    BAD_DATE: "Ngày giờ trong sự kiện không hợp lệ hoặc ngoài khoảng cho phép.",
    BAD_STATUS: "Trạng thái hồ sơ không hợp lệ.",
    BAD_KIND: "Loại sự kiện không hợp lệ.",
    BAD_NUMBER: "Số trong sự kiện không hợp lệ hoặc ngoài khoảng cho phép.",
    BAD_TRANSITION: "Trạng thái trước và sau không khớp với thao tác theo quy trình hồ sơ.",
}


# -- JSON ------------------------------------------------------------------------------------
def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text[:20]} out of range")
    return value


def loads(raw: bytes) -> Any:
    """JSON without NaN/Infinity. A document nested deeper than the parser's recursion limit is
    parsed with each container past ``MAX_DEPTH + 4`` levels replaced by ``TOO_DEEP``: the event
    that holds it is rejected, its neighbours in the batch are not. Raises ``ValueError``."""
    text = raw.decode("utf-8")
    try:
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except RecursionError:
        pass
    try:
        return json.loads(_flatten_deep(text, MAX_DEPTH + 4), parse_constant=_no_constant,
                          parse_float=_finite)
    except RecursionError:  # brackets the scanner could not pair: not JSON anyway
        raise ValueError("JSON nested too deep") from None


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.S)


def _flatten_deep(text: str, limit: int) -> str:
    out, last, depth, cut_from = [], 0, 0, None
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if tok in "[{":
            depth += 1
            if depth == limit + 1 and cut_from is None:
                cut_from = m.start()
        elif tok in "]}":
            depth -= 1
            if depth == limit and cut_from is not None:
                out.append(text[last:cut_from])
                out.append(json.dumps(TOO_DEEP))
                last, cut_from = m.end(), None
    if cut_from is not None:
        raise ValueError("JSON nested too deep and not closed")
    out.append(text[last:])
    return "".join(out)


def depth_of(value: Any) -> int:
    """Nesting depth without recursion (a scalar is 0, ``{}`` is 1)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, d = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, d + 1)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((c, d + 1) for c in children)
    return deepest


def _check_free_json(value: Any, where: str) -> None:
    """Strings, numbers and keys anywhere inside a payload."""
    stack = [(value, where)]
    while stack:
        item, at = stack.pop()
        if isinstance(item, str):
            if item == TOO_DEEP:
                raise Invalid(TOO_DEEP_REASON, f"{at}: nested deeper than {MAX_DEPTH}")
            _check_text(item, at, MAX_STRING)
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if abs(item) >= MAX_SAFE_INT:
                raise Invalid(BAD_NUMBER, f"{at}: integer out of range")
        elif isinstance(item, dict):
            for k, v in item.items():
                _check_text(k, f"{at}.<key>", 100)
                stack.append((v, f"{at}.{k}"))
        elif isinstance(item, list):
            stack.extend((v, f"{at}[{i}]") for i, v in enumerate(item))


# -- fields ----------------------------------------------------------------------------------
def _check_text(value: Any, where: str, max_len: int, *, min_len: int = 0) -> str:
    if not isinstance(value, str):
        raise Invalid(INVALID, f"{where}: expected a string")
    if not min_len <= len(value) <= max_len:
        raise Invalid(INVALID, f"{where}: length must be {min_len}–{max_len}")
    if _BAD_CHARS.search(value):
        raise Invalid(INVALID, f"{where}: NUL or lone surrogate")
    return value


def is_clean_text(value: str) -> bool:
    """No NUL and no lone surrogate: text PostgreSQL and UTF-8 can hold."""
    return not _BAD_CHARS.search(value)


def _code(value: Any, where: str, max_len: int) -> str:
    _check_text(value, where, max_len, min_len=1)
    if not _CODE.match(value):
        raise Invalid(INVALID, f"{where}: only letters, digits and . _ / -")
    return value


def check_int(value: Any, where: str, low: int, high: int = MAX_SAFE_INT - 1) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise Invalid(INVALID, f"{where}: expected an integer")
    if not low <= value <= high:
        raise Invalid(BAD_NUMBER, f"{where}: must be {low}–{high}")
    return value


def check_moment(value: Any, where: str, *, optional: bool = False,
                 now: datetime | None = None) -> str | None:
    """ISO 8601 date or date-time between 2000-01-01 and one year from now (naive: Vietnam time)."""
    if value is None and optional:
        return None
    if not isinstance(value, str) or not 10 <= len(value) <= 40:
        raise Invalid(BAD_DATE, f"{where}: expected an ISO 8601 date-time")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise Invalid(BAD_DATE, f"{where}: not an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VN)
    now = now or datetime.now(timezone.utc)
    if not EARLIEST <= moment <= now + timedelta(days=366):
        raise Invalid(BAD_DATE, f"{where}: outside 2000-01-01 … now + 1 year")
    return value


def _status(value: Any, where: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or value not in STATUSES:
        raise Invalid(BAD_STATUS, f"{where}: not one of {', '.join(sorted(STATUSES))}")
    return value


def _optional_text(d: dict, key: str, where: str, max_len: int) -> None:
    if d.get(key) is not None:
        _check_text(d[key], f"{where}.{key}", max_len)


def _check_dossier(d: Any) -> None:
    """The intake's dossier: what the server copies into its ``dossier`` row and the national export."""
    if not isinstance(d, dict):
        raise Invalid(INVALID, "payload.dossier: expected an object")
    w = "payload.dossier"
    check_moment(d.get("received_at"), f"{w}.received_at", optional=True)
    check_moment(d.get("due_at"), f"{w}.due_at", optional=True)
    if d.get("status") is not None:
        _status(d["status"], f"{w}.status")
    for key in ("receiving_agency", "competent_agency", "return_agency"):
        if d.get(key):
            _code(d[key], f"{w}.{key}", 35)
    for key, n in (("procedure_code", 40), ("procedure_name", 1000), ("applicant_name", 200)):
        if key in d:  # copied into NOT NULL columns: a string when present
            _check_text(d[key], f"{w}.{key}", n)
    for key, n in (("return_method", 30), ("channel", 30), ("postal_item", 13), ("procedure_field", 500), ("procedure_field_code", 60)):
        _optional_text(d, key, w, n)
    applicant = d.get("applicant")
    if applicant is not None:
        if not isinstance(applicant, dict):
            raise Invalid(INVALID, f"{w}.applicant: expected an object")
        for key, n in (("kind", 30), ("id_number", 20), ("email", 254), ("phone", 30)):
            _optional_text(applicant, key, f"{w}.applicant", n)
    for key, fields in (("documents", ("name",)), ("fees", ("name", "code"))):
        items = d.get(key)
        if items is None:
            continue
        if not isinstance(items, list) or len(items) > 500:
            raise Invalid(INVALID, f"{w}.{key}: expected a list of at most 500")
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise Invalid(INVALID, f"{w}.{key}[{i}]: expected an object")
            for f in fields:
                _optional_text(item, f, f"{w}.{key}[{i}]", 1000)
            if key == "fees" and item.get("amount_vnd") is not None:
                check_int(item["amount_vnd"], f"{w}.fees[{i}].amount_vnd", 0)


def _check_staff_handover(payload: dict[str, Any]) -> None:
    """A hand-over between the counter and a specialist names both people, its direction and time."""
    if payload.get("direction") not in ("to_specialist", "to_counter"):
        raise Invalid(INVALID, "payload.direction: expected to_specialist or to_counter")
    for key in ("giver", "receiver"):
        if not isinstance(payload.get(key), str) or not payload[key].strip() or len(payload[key]) > 200:
            raise Invalid(INVALID, f"payload.{key}: expected a name of 1-200 characters")
    check_moment(payload.get("handed_at"), "payload.handed_at")


def _check_transition(kind: str, before: str | None, after: str) -> None:
    """The statuses an event claims are the ones the life cycle gives for its kind: an intake starts
    ``received`` or ``refused``, an action moves along ``lifecycle``'s table, a note keeps the status."""
    if before is None:
        ok = after == kind
    elif kind in ACTIONS:
        try:
            ok = transition(before, Action(kind)).after.value == after
        except IllegalTransition:
            ok = False
    else:  # printed, hand-overs, certificate notes
        ok = before == after
    if not ok:
        raise Invalid(BAD_TRANSITION, f"{kind}: {before} → {after} is not a transition of the life cycle")


def _check_paper_transfer(p: dict[str, Any], now: datetime | None) -> None:
    """A paper hand-over to the competent agency: which list, to whom, when, who gave and who
    received the files (the counter's record of the «Danh sách bàn giao hồ sơ»)."""
    w = "payload"
    _code(p.get("batch"), f"{w}.batch", 60)
    _code(p.get("to_agency"), f"{w}.to_agency", 35)
    check_moment(p.get("handed_at"), f"{w}.handed_at", now=now)
    check_moment(p.get("deadline"), f"{w}.deadline", optional=True, now=now)
    _check_text(p.get("giver"), f"{w}.giver", 100, min_len=1)
    _check_text(p.get("receiver"), f"{w}.receiver", 200, min_len=1)
    if not isinstance(p.get("late", False), bool):
        raise Invalid(INVALID, f"{w}.late: expected true or false")


def check_event(item: Any, now: datetime | None = None) -> dict[str, Any]:
    """The event as the server will store it, or ``Invalid`` with the first rule it breaks."""
    if not isinstance(item, dict):
        raise Invalid(INVALID, "event: expected an object")
    missing = [f for f in ("uuid", "device_seq", "dossier_code", "agency", "kind", "at", "officer",
                           "status_after", "payload") if f not in item]
    if missing:
        raise Invalid(INVALID, f"missing: {', '.join(missing)}")
    if not isinstance(item["uuid"], str) or not protocol.is_uuid(item["uuid"]):
        raise Invalid(INVALID, "uuid: not a lowercase UUID")
    if item.get("prev_uuid") is not None and (not isinstance(item["prev_uuid"], str)
                                              or not protocol.is_uuid(item["prev_uuid"])):
        raise Invalid(INVALID, "prev_uuid: not a lowercase UUID")
    for name in protocol.LATER_EVENT_FIELDS:
        if item.get(name) is not None and (not isinstance(item[name], str) or not protocol.is_sha256(item[name])):
            raise Invalid(INVALID, f"{name}: not a lowercase SHA-256 hex digest")
    check_int(item["device_seq"], "device_seq", 1)
    _code(item["dossier_code"], "dossier_code", 60)
    _code(item["agency"], "agency", 35)
    if not isinstance(item["kind"], str) or item["kind"] not in EVENT_KINDS:
        raise Invalid(BAD_KIND, f"kind: not one of {', '.join(sorted(EVENT_KINDS))}")
    check_moment(item["at"], "at", now=now)
    _check_text(item["officer"], "officer", 100)
    _status(item.get("status_before"), "status_before", optional=True)
    _status(item["status_after"], "status_after")
    payload = item["payload"]
    if not isinstance(payload, dict):
        raise Invalid(INVALID, "payload: expected an object")
    _check_free_json(payload, "payload")
    if depth_of(payload) > MAX_DEPTH:
        raise Invalid(TOO_DEEP_REASON, f"payload: nested deeper than {MAX_DEPTH}")
    if len(protocol.canonical_json(payload)) > MAX_EVENT_BYTES:
        raise Invalid(TOO_LARGE, f"payload: over {MAX_EVENT_BYTES} bytes")
    if item.get("status_before") is None:
        if item["kind"] not in INTAKE_KINDS or "dossier" not in payload:
            raise Invalid(INVALID, "an event without status_before must be an intake with payload.dossier")
    _check_transition(item["kind"], item.get("status_before"), item["status_after"])
    if "dossier" in payload:
        _check_dossier(payload["dossier"])
    check_moment(payload.get("new_due_at"), "payload.new_due_at", optional=True)
    if item["kind"] == STAFF_HANDOVER:
        _check_staff_handover(payload)
    if item["kind"] == PAPER_TRANSFER:
        _check_paper_transfer(payload, now)
    return protocol.event_body(item)


def rejection(item: Any, exc: Invalid) -> dict[str, Any]:
    uuid = item.get("uuid") if isinstance(item, dict) and isinstance(item.get("uuid"), str) else None
    return {"uuid": uuid if uuid and protocol.is_uuid(uuid) else None, "result": protocol.REJECTED,
            "reason": exc.reason, "message": MESSAGES.get(exc.reason, MESSAGES[INVALID]),
            "detail": exc.detail[:500]}


# -- request parameters ----------------------------------------------------------------------
def day(value: Any) -> str:
    """A reconciliation day, YYYY-MM-DD (``ServerError`` 400 otherwise)."""
    try:
        if isinstance(value, str) and _DAY.match(value):
            return date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    raise ServerError("Ngày đối soát phải có dạng YYYY-MM-DD.", 400, f"bad day {str(value)[:20]!r}")


def query_int(value: int, name: str, low: int, high: int = MAX_SAFE_INT - 1) -> int:
    """A numeric query parameter in range (``ServerError`` 400 otherwise)."""
    if not low <= value <= high:
        raise ServerError(f"Tham số {name} phải từ {low} đến {high}.", 400, f"{name} out of range")
    return value


def header_text(value: str | None, max_len: int) -> str:
    """A header the server stores (the client version): printable, at most ``max_len``."""
    value = (value or "")[:max_len]
    return "".join(ch for ch in value if ch.isprintable())
