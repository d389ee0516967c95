"""Dossiers of the previous system written in bulk (``counter-app import-dossiers``).

Plain ``executemany`` through SQLAlchemy's driver-level path, not ORM objects: 300,000 rows must go
in within a minute, and an ORM flush of that many objects takes several. What the ORM path would have done is therefore done here by hand:

- one event per dossier, kind ``imported``, carrying the ``state_hash`` of the row exactly as
  storage/chain.py computes it (from the raw stored values, read back in the same transaction), so
  ``counter-app check`` verifies these dossiers like any other; but no ``chain_hash`` and no outbox
  row: the event is not this device's work and is never pushed (the server did not see these
  dossiers being received, and an intake claim for them would be refused or mistaken for a new one);
- the ``dossier_outcome`` row (the after-flush hook of storage/outcomes.py sees only ORM flushes),
  with the old system's finish and return times and ``imported_at``/``import_source``.

The FTS index over applicant names is kept by its SQLite trigger, which fires for these inserts too.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from counter_app.core.calendar import TZ
from counter_app.core.codes import CODE_RE, MAX_SLOT
from counter_app.core.context import new_event_uuid
from counter_app.core.history_import import SYSTEM_OFFICER, HistoricalDossier, imported_payload
from counter_app.core.lifecycle import IMPORTED
from counter_app.core.model import ApplicantKind, ReturnMethod
from counter_app.core.text import fold
from counter_app.storage.chain import STATE_COLUMNS, state_hash
from counter_app.storage.db import WRITTEN_TABLES

_LOOKUP_CHUNK = 500  # codes per "IN (…)": well under SQLite's variable limit
_STATE_SQL = f"SELECT id, {', '.join(STATE_COLUMNS)} FROM dossier WHERE id > ? ORDER BY id"


class SqlHistoryImport:
    def __init__(self, session: Session) -> None:
        self.s = session

    def present(self, codes: Sequence[str]) -> set[str]:
        """The codes among ``codes`` that some dossier here already has."""
        con = self.s.connection()
        found: set[str] = set()
        for i in range(0, len(codes), _LOOKUP_CHUNK):
            chunk = tuple(codes[i:i + _LOOKUP_CHUNK])
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in con.exec_driver_sql(f"SELECT code FROM dossier WHERE code IN ({marks})", chunk))
        return found

    def add_batch(self, dossiers: Sequence[HistoricalDossier], *, officer: str, source: str, at: datetime) -> int:
        """Insert the dossiers whose code is not here yet, with their event and outcome; returns how
        many were inserted (the rest were already present: a re-import adds nothing twice)."""
        present = self.present([d.code for d in dossiers])
        new = [d for d in dossiers if d.code not in present]
        if not new:
            return 0
        con = self.s.connection()
        # Inside the write transaction (BEGIN IMMEDIATE) nobody else inserts: every id above the
        # current maximum is one of ours, in insertion order.
        last_id = con.exec_driver_sql("SELECT coalesce(max(id), 0) FROM dossier").scalar()
        con.exec_driver_sql(_DOSSIER_INSERT, [_dossier_values(d) for d in new])
        by_code = {d.code: d for d in new}
        stamp, source_ = stored(at), source[:300]
        events, outcomes = [], []
        for row in con.exec_driver_sql(_STATE_SQL, (last_id,)):
            dossier_id, code = row[0], row[1]
            d = by_code[code]
            # No documents or fees came with the dossier, so its state is the row alone.
            events.append((new_event_uuid(), dossier_id, IMPORTED, stamp, officer, None, d.status.value,
                           json.dumps(imported_payload(d, source), ensure_ascii=False),
                           state_hash(tuple(row[1:]), [], []), None))
            outcomes.append((dossier_id, stored(d.finished_at), stored(d.returned_at), d.rating, stamp, source_))
        if len(events) != len(new):  # would mean another writer inside our transaction: never commit that
            raise RuntimeError(f"read back {len(events)} of {len(new)} imported dossiers")
        con.exec_driver_sql(_EVENT_INSERT, events)
        con.exec_driver_sql(_OUTCOME_INSERT, outcomes)
        sequences = _code_sequences(d.code for d in new)
        if sequences:
            con.exec_driver_sql(_SEQUENCE_UPSERT, sequences)
        # Raw statements pass the engine's written-table hook by: name the tables for the commit's Changes.
        con.info.setdefault(WRITTEN_TABLES, set()).update(
            {"dossier", "dossier_event", "dossier_outcome", "code_sequence"})
        return len(new)


def stored(value: datetime | None) -> str | None:
    """A time as ``LocalDateTime`` stores it: naive Vietnam wall time, SQLite's DATETIME text
    (``YYYY-MM-DD HH:MM:SS.ffffff``). Written by hand because the type's per-value processing was a
    fifth of the import's time; tests/storage/test_history_store.py holds the two to the same text."""
    return None if value is None else value.astimezone(TZ).replace(tzinfo=None).isoformat(" ", "microseconds")


def _insert(table: str, columns: Sequence[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


# STATE_COLUMNS is every dossier column but the id, so the inserted tuple is the state itself.
_DOSSIER_INSERT = _insert("dossier", STATE_COLUMNS)
_EVENT_INSERT = _insert("dossier_event", ("uuid", "dossier_id", "kind", "at", "officer", "status_before",
                                          "status_after", "payload", "state_hash", "chain_hash"))
_OUTCOME_INSERT = _insert("dossier_outcome", ("dossier_id", "finished_at", "returned_at", "rating", "imported_at",
                                              "import_source"))
# An imported code in this counter's own format moves the code counter of its day and slot past
# it, so an intake backdated to that day never issues it again (the code is unique).
_SEQUENCE_UPSERT = ("INSERT INTO code_sequence (prefix, day, slot, last) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (prefix, day, slot) DO UPDATE SET last = max(last, excluded.last)")
_CITIZEN, _AT_COUNTER = ApplicantKind.CITIZEN.value, ReturnMethod.COUNTER.value


def _code_sequences(codes) -> list[tuple[str, str, int, int]]:
    last: dict[tuple[str, str, int], int] = {}
    for code in codes:
        m = CODE_RE.match(code)
        if m is None or len(m["seq"]) < 6:
            continue
        slot, number = int(m["seq"][:2]), int(m["seq"][2:])
        if 1 <= slot <= MAX_SLOT:
            key = (m["prefix"], m["day"], slot)
            last[key] = max(last.get(key, 0), number)
    return [(*key, n) for key, n in last.items()]


def _dossier_values(d: HistoricalDossier) -> tuple:
    values = {
        "code": d.code, "procedure_code": d.procedure_code, "procedure_name": d.procedure_name,
        "receiving_agency": d.receiving_agency, "competent_agency": d.competent_agency, "channel": d.channel.value,
        "applicant_kind": _CITIZEN, "applicant_name": d.applicant_name, "name_key": fold(d.applicant_name),
        "id_number": d.id_number, "date_of_birth": None, "gender": None, "phone": None, "email": None,
        "address": None, "received_at": stored(d.received_at), "due_at": stored(d.due_at),
        "return_method": _AT_COUNTER, "return_address": None, "receiving_officer": SYSTEM_OFFICER,
        "status": d.status.value,
        # Desk 0: not received at a desk of this counter (storage/transfers.py), so no paper
        # hand-over list and no register number claims it.
        "desk": 0, "sets": 1, "register_book": None, "register_serial": None, "reschedule_count": 0,
        "return_agency": None, "postal_item": None,
    }
    # A column appended to STATE_COLUMNS later fails here (KeyError) until it is given a value.
    return tuple(values[c] for c in STATE_COLUMNS)
