"""The wire's shared shapes: limits, result kinds, the canonical event body and its hash, and the
requests and answers of enrollment and of the register holder.

One module for every side: ``counter_app.sync`` and ``counter_app.holder`` build requests with it,
``provincial_server`` and the holder's service read them with it, so no two can disagree on what
"the same payload" means. Described for humans in ``docs/sync-protocol.md``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import types
from dataclasses import MISSING, dataclass, fields, is_dataclass
from datetime import date
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from counter_app.core.certification import EntryDraft, RegisterEntry, RegisterNumber

API_PREFIX = "/api/v1"
PROTOCOL_VERSION = 1

# Anki sends 250 objects per chunk; 1 MiB keeps one batch well inside a slow link's timeout.
MAX_BATCH_EVENTS = 250
MAX_BATCH_BYTES = 1024 * 1024
MAX_PULL_CHANGES = 500
CLOCK_SKEW_WARN_SECONDS = 300
MAX_TOKEN_LENGTH = 1000  # Windows Credential Manager refuses long secrets (keyring#355)

CLIENT_VERSION_HEADER = "X-Counter-Version"
PLATFORM_HEADER = "X-Counter-Platform"  # e.g. "windows-x64": which release the pull offers

# Per-event push results.
ACCEPTED = "accepted"
DUPLICATE = "duplicate"  # the server already had this UUID with this payload: counts as delivered
REJECTED = "rejected"  # set aside for staff with a reason; never blocks the rest of the queue
CONFLICT = "conflict"  # the event contradicts what the server holds (e.g. a dossier code reused)
RESULTS = (ACCEPTED, DUPLICATE, REJECTED, CONFLICT)

# Change kinds a pull returns.
CHANGE_CATALOGUE = "catalogue"  # one procedure, in the catalogue file's shape
CHANGE_CALENDAR = "calendar"  # the whole override list of an agency
# {"swaps": [...]} (core.swaps): the government's published days-off swaps, the province's whole
# list, laid over the file the counter ships. A kind of its own so that a counter too old to know
# it skips it instead of reading it as an (empty) office override list.
CHANGE_SWAPS = "calendar_swaps"
CHANGE_STATUS = "status"  # processing state set in the provincial system
CHANGE_DOSSIER = "dossier"  # a dossier received elsewhere for this counter's agency, or returned here
# {"code", "event": {uuid, kind, at, officer, status_before, status_after, payload}, "agency", "status",
# "due_at"}: another counter's event on a dossier this counter's agency is involved in (routing).
CHANGE_EVENT = "event"
# {"id", "code", "reason", "events": [uuid…], "raised_at", "resolved_at", "note"}: a dossier flagged
# for the province's review (two conflicting returns), sent again when it is resolved.
CHANGE_FLAG = "flag"
# {"values": {key: value}}: counter settings the province decides (``core.setting_defs``, Who.PROVINCE)
CHANGE_SETTINGS = "settings"
# {"entries": [...]} (core.location_free): the province's whole location-independent list.
CHANGE_LOCATION_FREE = "location_free"
# {"serves": [AgencyInfo], "slots": {device_id: {agency: slot}}}: an agency's served list changed;
# each counter of that agency keeps the served agencies and its own device's code slots.
CHANGE_SERVES = "serves"
CHANGE_KINDS = (CHANGE_CATALOGUE, CHANGE_CALENDAR, CHANGE_STATUS, CHANGE_DOSSIER, CHANGE_SETTINGS, CHANGE_SWAPS,
                CHANGE_EVENT, CHANGE_FLAG, CHANGE_LOCATION_FREE, CHANGE_SERVES)

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def canonical_json(value: Any) -> bytes:
    """Key-sorted, compact, UTF-8: the byte form both sides hash."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


# -- typed shapes --------------------------------------------------------------------------------
class WireError(ValueError):
    """A request or answer without the protocol's shape; services answer it with HTTP 400."""


W = TypeVar("W", bound="Wire")


def _out(value: Any) -> Any:
    if isinstance(value, Wire) or is_dataclass(value):
        return {f.name: _out(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple):
        return [_out(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value  # str, int, bool, None, and free JSON (an event's payload) as it is


def _read(hint: Any, value: Any, where: str) -> Any:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        args = get_args(hint)
        if value is None and type(None) in args:
            return None
        return _read(next(a for a in args if a is not type(None)), value, where)
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            raise WireError(f"{where}: expected a list")
        return tuple(_read(get_args(hint)[0], v, f"{where}[{i}]") for i, v in enumerate(value))
    if hint is date:
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            raise WireError(f"{where}: expected a date YYYY-MM-DD") from None
    if is_dataclass(hint):
        return _from(hint, value, where)
    expected = dict if origin is dict else hint
    # bool is an int to Python, never to the protocol: a number field given true is refused.
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise WireError(f"{where}: expected {getattr(expected, '__name__', expected)}")
    return value


def _from(cls, data: Any, where: str):
    if not isinstance(data, dict):
        raise WireError(f"{where or cls.__name__}: expected an object")
    hints = get_type_hints(cls)
    values = {}
    for f in fields(cls):
        if f.name in data:
            values[f.name] = _read(hints[f.name], data[f.name], f"{where}.{f.name}".lstrip("."))
        elif not wire_required(f):
            continue
        else:
            raise WireError(f"{where}.{f.name}: missing".lstrip("."))
    return cls(**values)  # keys the reader does not know are ignored: newer peers may add fields


def wire_required(f) -> bool:
    return f.default is MISSING and f.default_factory is MISSING


class Wire:
    """``to_dict`` gives the JSON form; ``from_dict`` checks every field's type (``WireError``)."""

    def to_dict(self) -> dict[str, Any]:
        return _out(self)

    @classmethod
    def from_dict(cls: type[W], data: Any) -> W:
        return _from(cls, data, "")


@dataclass(frozen=True, kw_only=True)
class EventBody(Wire):
    """One outbox event as pushed; its canonical form is what ``payload_hash`` covers."""

    uuid: str
    device_seq: int
    dossier_code: str
    agency: str
    kind: str
    at: str
    officer: str
    status_before: str | None = None
    status_after: str
    prev_uuid: str | None = None
    payload: dict[str, Any]
    # Tamper evidence (docs/security.md): the chain hash of this device's previous event, and the
    # SHA-256 of the dossier's stored state right after this event. Absent from older counters.
    prev_hash: str | None = None
    state_hash: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return event_body(super().to_dict())

    def hash(self) -> str:
        return payload_hash(self.to_dict())


@dataclass(frozen=True, kw_only=True)
class CodeExchange(Wire):
    """A one-time code traded for a bearer token: a counter enrolling with the province, a desk
    pairing with the register holder. The nonce makes a retry safe when the answer was lost on
    the way back: the same code with the same nonce gets a fresh token for the same device."""

    code: str
    nonce: str = ""


@dataclass(frozen=True, kw_only=True)
class EnrollRequest(CodeExchange):
    device_name: str = ""


@dataclass(frozen=True, kw_only=True)
class PairRequest(Wire):
    """A desk pairing with the register holder. The code itself never crosses the network: ``proof``
    is HMAC(code, the certificate fingerprint the desk sees, nonce) (``holder.tls.pairing_proof``),
    so a relay with its own certificate cannot pair. ``desk`` is the desk's number in the office."""

    proof: str
    nonce: str
    desk: int
    name: str = ""


@dataclass(frozen=True, kw_only=True)
class AgencyInfo(Wire):
    code: str
    name: str
    province: str = ""
    slot: int | None = None  # in an enrollment answer's ``serves``: the device's code slot in that agency


@dataclass(frozen=True, kw_only=True)
class EnrollAnswer(Wire):
    token: str
    device_id: int
    device_slot: int
    agency: AgencyInfo
    serves: tuple[AgencyInfo, ...] = ()


@dataclass(frozen=True, kw_only=True)
class PairAnswer(Wire):
    token: str
    desk_id: int
    agency: str  # its code: a desk pairs only with its own agency's holder
    proof: str = ""  # HMAC(code, the holder's own fingerprint, nonce): the desk checks it before pinning


@dataclass(frozen=True, kw_only=True)
class ReserveRequest(Wire):
    request_id: str
    register_type: str
    entries: tuple[EntryDraft, ...]
    year: int | None = None  # None: the holder's current year


@dataclass(frozen=True, kw_only=True)
class ReserveAnswer(Wire):
    numbers: tuple[RegisterNumber, ...]


@dataclass(frozen=True, kw_only=True)
class ConfirmRequest(Wire):
    request_id: str
    dossier_code: str


@dataclass(frozen=True, kw_only=True)
class VoidRequest(Wire):
    register_type: str
    year: int
    number: int
    reason: str
    officer: str = ""


@dataclass(frozen=True, kw_only=True)
class SignRequest(Wire):
    """The signer signed a request: its lines take the day of certification and the signer."""

    request_id: str
    day: date
    signer_name: str
    signer_title: str


@dataclass(frozen=True, kw_only=True)
class RegisterEntries(Wire):
    """The holder's answer to ``GET /entries``: lines of the register book."""

    entries: tuple[RegisterEntry, ...]


# The event fields covered by the payload hash, in the order they are sent.
EVENT_FIELDS = tuple(f.name for f in fields(EventBody))
# Fields added after events were first pushed: left out of the body (and so of its hash) when None,
# so an event stored before they existed keeps its hash and a resend stays ``duplicate``.
LATER_EVENT_FIELDS = ("prev_hash", "state_hash")
# ``prev_hash`` of the first event of a device's chain (a new counter, or the first event after the upgrade).
CHAIN_GENESIS = "0" * 64


def event_body(event: dict[str, Any]) -> dict[str, Any]:
    return {k: event.get(k) for k in EVENT_FIELDS
            if k not in LATER_EVENT_FIELDS or event.get(k) is not None}


def chain_hash(event: dict[str, Any]) -> str:
    """The link the next event of the same device names as ``prev_hash``: the payload hash itself,
    so the server needs nothing beyond what it already stores for idempotency."""
    return payload_hash(event)


def payload_hash(event: dict[str, Any]) -> str:
    """SHA-256 of the canonical event body: a resent UUID must carry exactly this hash."""
    return hashlib.sha256(canonical_json(event_body(event))).hexdigest()


def is_uuid(text: str) -> bool:
    return bool(_UUID.match(text or ""))


def is_sha256(text: str) -> bool:
    return bool(_SHA256.match(text or ""))


def parse_version(text: str) -> tuple[int, ...]:
    """"0.1.0" → (0, 1, 0); anything unparsable sorts as the oldest version."""
    parts = []
    for piece in (text or "").split("."):
        digits = re.match(r"\d+", piece)
        if not digits:
            break
        parts.append(int(digits.group()))
    return tuple(parts) or (0,)


def version_at_least(version: str, minimum: str) -> bool:
    return parse_version(version) >= parse_version(minimum)


# One-time codes (enrollment, desk pairing) are read aloud over the phone: no 0/O, no 1/I.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def one_time_code() -> tuple[str, str]:
    """(the code as shown, e.g. "AB3D-EF7H-JKLM"; the 12 characters whose hash is stored)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}", raw


def normalise_code(code: str) -> str:
    """What the officer typed, without dashes, spaces or case."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def secret_hash(text: str) -> str:
    """Tokens and one-time codes are stored only as this SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pairing_proof(code: str, fingerprint: str, nonce: str, side: str) -> str:
    """HMAC keyed by the one-time code over the holder certificate's fingerprint: ``side`` is "desk"
    for the desk's proof, "holder" for the holder's answer. A relay with its own certificate can
    make neither without the code, and the code itself never crosses the network."""
    return pairing_proof_from_hash(secret_hash(normalise_code(code)), fingerprint, nonce, side)


def pairing_proof_from_hash(code_hash: str, fingerprint: str, nonce: str, side: str) -> str:
    message = f"{side}|{fingerprint.lower()}|{nonce}".encode()
    return hmac.new(code_hash.encode(), message, hashlib.sha256).hexdigest()


def proofs_equal(a: str, b: str) -> bool:
    return hmac.compare_digest((a or "").encode(), (b or "").encode())
