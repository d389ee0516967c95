"""The sync protocol's shared shapes: limits, result kinds, the canonical event body and its hash.

One module for both sides: ``counter_app.sync`` builds requests with it and ``provincial_server``
checks them with it, so the two can never disagree on what "the same payload" means.
Described for humans in ``docs/sync-protocol.md``.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from typing import Any

API_PREFIX = "/api/v1"
PROTOCOL_VERSION = 1

# Anki sends 250 objects per chunk; 1 MiB keeps one batch well inside a slow link's timeout.
MAX_BATCH_EVENTS = 250
MAX_BATCH_BYTES = 1024 * 1024
MAX_PULL_CHANGES = 500
CLOCK_SKEW_WARN_SECONDS = 300
MAX_TOKEN_LENGTH = 1000  # Windows Credential Manager refuses long secrets (keyring#355)

CLIENT_VERSION_HEADER = "X-Counter-Version"

# Per-event push results.
ACCEPTED = "accepted"
DUPLICATE = "duplicate"  # the server already had this UUID with this payload: counts as delivered
REJECTED = "rejected"  # set aside for staff with a reason; never blocks the rest of the queue
CONFLICT = "conflict"  # the event contradicts what the server holds (e.g. a dossier code reused)
RESULTS = (ACCEPTED, DUPLICATE, REJECTED, CONFLICT)

# Change kinds a pull returns.
CHANGE_CATALOGUE = "catalogue"  # one procedure, in the catalogue file's shape
CHANGE_CALENDAR = "calendar"  # the whole override list of an agency
CHANGE_STATUS = "status"  # processing state set in the provincial system
CHANGE_DOSSIER = "dossier"  # a dossier received elsewhere whose return point is this counter
# {"values": {key: value}}: counter settings the province decides (``core.setting_defs``, Who.PROVINCE)
CHANGE_SETTINGS = "settings"
CHANGE_KINDS = (CHANGE_CATALOGUE, CHANGE_CALENDAR, CHANGE_STATUS, CHANGE_DOSSIER, CHANGE_SETTINGS)

# The event fields covered by the payload hash, in the order they are sent.
EVENT_FIELDS = ("uuid", "device_seq", "dossier_code", "agency", "kind", "at", "officer",
                "status_before", "status_after", "prev_uuid", "payload")

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def canonical_json(value: Any) -> bytes:
    """Key-sorted, compact, UTF-8: the byte form both sides hash."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def event_body(event: dict[str, Any]) -> dict[str, Any]:
    return {k: event.get(k) for k in EVENT_FIELDS}


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
