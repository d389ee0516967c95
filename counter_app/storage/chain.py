"""Tamper evidence: the device's hash chain of events and the dossier state each event binds.

Written here (``seal``, ``dossier_state_hash``) and verified here (``verify``), from the same raw
column values, so the writer and ``counter-app check`` cannot disagree on a byte. What the chain
proves and what it cannot is in docs/security.md ("Tamper evidence (hash chain)").

Both sides read the database through the DB-API driver's own values (``exec_driver_sql`` at write
time, a plain ``sqlite3`` connection in ``check``): strings as SQLite stores them, never values
SQLAlchemy has converted, so a type adapter changing its formatting cannot break every hash.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterator

from sqlalchemy.orm import Session

from counter_app.core import protocol
from counter_app.core.calendar import TZ
from counter_app.core.serialize import iso

# Every dossier column but the row id, in a fixed order. A column added later must be appended here
# in the same release as its migration, or edits to it go unnoticed; listing them (not ``SELECT *``)
# keeps old hashes valid when a column is added (see ``_FIRST_COLUMNS``).
STATE_COLUMNS = (
    "code", "procedure_code", "procedure_name", "receiving_agency", "competent_agency", "channel",
    "applicant_kind", "applicant_name", "name_key", "id_number", "date_of_birth", "gender", "phone", "email",
    "address", "received_at", "due_at", "return_method", "return_address", "receiving_officer", "status",
    "desk", "sets", "register_book", "register_serial", "reschedule_count",
    "return_agency", "postal_item",  # 0009, 0010: see _FIRST_COLUMNS
)
_DOSSIER_SQL = f"SELECT id, {', '.join(STATE_COLUMNS)} FROM dossier"
_DOCS_SQL = "SELECT dossier_id, position, name, kind, count, pages FROM dossier_document"
_FEES_SQL = "SELECT dossier_id, position, name, amount_vnd, code FROM dossier_fee"
OUTBOX_SEQUENCE = "outbox_event_seq"  # the device counter that issues device_seq (storage.dossiers)
MAX_PROBLEM_LINES = 200


# The columns of the first chained release. A column appended after them counts only when it holds
# a value, so adding one (NULL in every existing row) leaves every hash already written valid.
_FIRST_COLUMNS = 26


def state_hash(dossier: tuple, documents: list[tuple], fees: list[tuple]) -> str:
    """``dossier``: the STATE_COLUMNS values; documents and fees without their dossier_id, by position."""
    values = {k: v for i, (k, v) in enumerate(zip(STATE_COLUMNS, dossier)) if i < _FIRST_COLUMNS or v is not None}
    state = {"dossier": values, "documents": [list(d) for d in documents], "fees": [list(f) for f in fees]}
    return hashlib.sha256(protocol.canonical_json(state)).hexdigest()


def dossier_state_hash(session: Session, dossier_id: int) -> str:
    """The state as stored now (pending ORM changes are flushed first)."""
    session.flush()
    con = session.connection()
    row = con.exec_driver_sql(f"{_DOSSIER_SQL} WHERE id = ?", (dossier_id,)).one()
    docs = con.exec_driver_sql(f"{_DOCS_SQL} WHERE dossier_id = ? ORDER BY position, id", (dossier_id,)).all()
    fees = con.exec_driver_sql(f"{_FEES_SQL} WHERE dossier_id = ? ORDER BY position, id", (dossier_id,)).all()
    return state_hash(tuple(row[1:]), [tuple(d[1:]) for d in docs], [tuple(f[1:]) for f in fees])


def wire_at(value: datetime | str) -> str:
    """An event time as ``claim`` sends it: stored as naive local wall time, read back as TZ."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value).replace(tzinfo=TZ)
    elif value.tzinfo is not None:
        value = value.astimezone(TZ)
    return iso(value)


def wire_body(*, uuid: str, device_seq: int, dossier_code: str, agency: str, kind: str, at: datetime | str,
              officer: str, status_before: str | None, status_after: str, prev_uuid: str | None,
              payload: Any, prev_hash: str | None, state_hash: str | None) -> protocol.EventBody:
    """The body ``SqlOutbox.claim`` pushes, built from the same values wherever they are read."""
    if isinstance(payload, str):
        payload = json.loads(payload)
    return protocol.EventBody(uuid=uuid, device_seq=device_seq, dossier_code=dossier_code, agency=agency,
                              kind=kind, at=wire_at(at), officer=officer, status_before=status_before,
                              status_after=status_after, prev_uuid=prev_uuid, payload=payload,
                              prev_hash=prev_hash, state_hash=state_hash)


@dataclass(frozen=True)
class Seal:
    prev_hash: str
    state_hash: str
    chain_hash: str


def seal(session: Session, *, dossier_id: int, dossier_code: str, agency: str, device_seq: int, event) -> Seal:
    """Chain data for a local event about to be written with ``device_seq``; the dossier's new state
    must already be flushed, and the event's outbox row not yet added (``prev_uuid`` is the latest)."""
    session.flush()  # raw reads below do not autoflush
    con = session.connection()
    prev = con.exec_driver_sql(
        "SELECT e.chain_hash FROM outbox o JOIN dossier_event e ON e.uuid = o.event_uuid WHERE o.device_seq = ?",
        (device_seq - 1,)).first()
    # An event before the upgrade (no chain hash) or none at all: this one starts the chain.
    prev_hash = prev[0] if prev is not None and prev[0] else protocol.CHAIN_GENESIS
    prev_uuid = con.exec_driver_sql(
        "SELECT event_uuid FROM outbox WHERE dossier_code = ? ORDER BY device_seq DESC LIMIT 1",
        (dossier_code,)).scalar()
    state = dossier_state_hash(session, dossier_id)
    # Through JSON and back, as the payload column returns it (tuples become lists, and so on).
    payload = json.loads(json.dumps(event.payload, ensure_ascii=False))
    body = wire_body(uuid=event.uuid, device_seq=device_seq, dossier_code=dossier_code, agency=agency,
                     kind=event.kind, at=event.at, officer=event.officer, status_before=event.status_before,
                     status_after=event.status_after, prev_uuid=prev_uuid, payload=payload,
                     prev_hash=prev_hash, state_hash=state)
    return Seal(prev_hash, state, protocol.chain_hash(body.to_dict()))


# -- verification -------------------------------------------------------------------------------
@dataclass
class ChainFindings:
    problems: list[str] = field(default_factory=list)
    chained_events: int = 0
    unchained_events: int = 0  # this device's events written before the chain existed
    unchained_dossiers: int = 0  # dossiers whose latest event predates state hashes

    def notes(self) -> list[str]:
        out = [f"Chuỗi sự kiện của máy: {self.chained_events} sự kiện đã kiểm tra."]
        if self.unchained_events or self.unchained_dossiers:
            out.append(f"Chưa có chuỗi (ghi trước khi nâng cấp): {self.unchained_events} sự kiện, "
                       f"{self.unchained_dossiers} hồ sơ.")
        return out


_OUTBOX_WALK = """
SELECT o.device_seq, o.event_uuid, o.dossier_code, o.prev_hash,
       LAG(o.event_uuid) OVER (PARTITION BY o.dossier_code ORDER BY o.device_seq),
       e.uuid, e.kind, e.at, e.officer, e.status_before, e.status_after, e.payload, e.state_hash, e.chain_hash,
       d.competent_agency
FROM outbox o LEFT JOIN dossier_event e ON e.uuid = o.event_uuid LEFT JOIN dossier d ON d.id = e.dossier_id
ORDER BY o.device_seq
"""


def _walk_chain(con, found: ChainFindings) -> None:
    last_seq, last_link, chained = 0, None, False
    for row in con.execute(_OUTBOX_WALK):
        seq, uuid, code, prev_hash, prev_uuid, e_uuid, kind, at, officer, before, after, payload, state, stored, \
            agency = row
        where = f"sự kiện số {seq} (hồ sơ {code})"
        where_ = f"Sự kiện số {seq} (hồ sơ {code})"  # at the start of a line
        gap = seq != last_seq + 1
        if gap:
            missing = f"số {last_seq + 1}" if seq == last_seq + 2 else f"số {last_seq + 1} đến {seq - 1}"
            found.problems.append(f"Thiếu sự kiện {missing} của máy trước {where}: đã bị xóa "
                                  "(events deleted from the device sequence).")
        last_seq = seq
        if e_uuid is None:
            found.problems.append(f"Hàng đợi đồng bộ có {where} nhưng dòng sự kiện đã bị xóa "
                                  "(outbox row without its event).")
            last_link = None
            continue
        if stored is None and prev_hash is None:
            if chained:
                found.problems.append(f"{where_} không có mã chuỗi dù ghi sau các sự kiện đã có "
                                      "chuỗi: bị chèn hoặc bị xóa mã (event inserted or stripped of its hash).")
            else:
                found.unchained_events += 1
            last_link = None
            continue
        chained = True
        found.chained_events += 1
        try:
            body = wire_body(uuid=uuid, device_seq=seq, dossier_code=code, agency=agency, kind=kind, at=at,
                             officer=officer, status_before=before, status_after=after, prev_uuid=prev_uuid,
                             payload=payload, prev_hash=prev_hash, state_hash=state)
            recomputed = protocol.chain_hash(body.to_dict())
        except (TypeError, ValueError) as exc:
            recomputed = f"unreadable: {exc}"
        if recomputed != stored:
            found.problems.append(f"{where_} đã bị sửa sau khi ghi: nội dung không khớp mã chuỗi "
                                  "(event or its dossier's agency edited).")
        expected = last_link or protocol.CHAIN_GENESIS
        if prev_hash != expected and not gap:
            found.problems.append(f"{where_} không nối với sự kiện liền trước: chuỗi bị đứt "
                                  "(chain link broken: an event inserted, deleted or rewritten).")
        last_link = stored
    counter = con.execute("SELECT value FROM device_counter WHERE name = ?", (OUTBOX_SEQUENCE,)).fetchone()
    issued = counter[0] if counter else 0
    if issued > last_seq:
        missing = f"số {issued}" if issued == last_seq + 1 else f"số {last_seq + 1} đến {issued}"
        found.problems.append(f"Thiếu sự kiện {missing}, sự kiện cuối cùng máy đã ghi: đã bị xóa "
                              "(the latest events were deleted).")
    elif issued < last_seq:
        found.problems.append(f"Có sự kiện số {last_seq} nhưng máy mới cấp đến số {issued}: sự kiện bị chèn "
                              "thêm (events inserted after the last one this device wrote).")


def _groups(cursor) -> Iterator[tuple[int, list[tuple]]]:
    """Rows ordered by their first column, grouped by it."""
    key, group = None, []
    for row in cursor:
        if row[0] != key:
            if group:
                yield key, group
            key, group = row[0], []
        group.append(tuple(row[1:]))
    if group:
        yield key, group


def _check_states(con, found: ChainFindings) -> None:
    latest = con.execute(
        "SELECT e.dossier_id, e.state_hash FROM dossier_event e WHERE e.id IN "
        "(SELECT max(id) FROM dossier_event GROUP BY dossier_id) ORDER BY e.dossier_id")
    docs = _groups(con.execute(f"{_DOCS_SQL} ORDER BY dossier_id, position, id"))
    fees = _groups(con.execute(f"{_FEES_SQL} ORDER BY dossier_id, position, id"))
    next_doc, next_fee, next_event = next(docs, None), next(fees, None), latest.fetchone()
    for row in con.execute(f"{_DOSSIER_SQL} ORDER BY id"):
        dossier_id, code = row[0], row[1]
        # Each stream is in dossier id order; a group for an id with no dossier row is skipped.
        while next_doc is not None and next_doc[0] < dossier_id:
            next_doc = next(docs, None)
        while next_fee is not None and next_fee[0] < dossier_id:
            next_fee = next(fees, None)
        while next_event is not None and next_event[0] < dossier_id:
            next_event = latest.fetchone()
        my_docs = next_doc[1] if next_doc is not None and next_doc[0] == dossier_id else []
        my_fees = next_fee[1] if next_fee is not None and next_fee[0] == dossier_id else []
        expected = next_event[1] if next_event is not None and next_event[0] == dossier_id else None
        if expected is None:
            found.unchained_dossiers += 1
            continue
        if state_hash(tuple(row[1:]), my_docs, my_fees) != expected:
            found.problems.append(f"Hồ sơ {code} đã bị sửa trực tiếp trong cơ sở dữ liệu: không khớp trạng thái "
                                  "ghi ở sự kiện cuối (dossier row, documents or fees edited).")


def _check_pairs(con, found: ChainFindings) -> None:
    for uuid, code in con.execute(
            "SELECT e.uuid, d.code FROM dossier_event e LEFT JOIN dossier d ON d.id = e.dossier_id "
            "WHERE e.chain_hash IS NOT NULL AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.event_uuid = e.uuid)"):
        found.problems.append(f"Sự kiện {uuid} của hồ sơ {code} không còn dòng trong hàng đợi đồng bộ "
                              "(outbox row deleted).")
    # After the first state hash every event gets one: a later event without it was stripped or forged.
    first = con.execute("SELECT min(id) FROM dossier_event WHERE state_hash IS NOT NULL").fetchone()[0]
    if first is not None:
        for uuid, code in con.execute(
                "SELECT e.uuid, d.code FROM dossier_event e LEFT JOIN dossier d ON d.id = e.dossier_id "
                "WHERE e.id > ? AND e.state_hash IS NULL", (first,)):
            found.problems.append(f"Sự kiện {uuid} của hồ sơ {code} thiếu mã trạng thái dù ghi sau khi có chuỗi: "
                                  "bị chèn hoặc bị sửa (event inserted or stripped of its state hash).")


def verify(con) -> ChainFindings:
    """Every finding of one DB-API connection (``con.execute(sql).fetchall()`` style); read-only,
    one pass over each table, no query per row."""
    found = ChainFindings()
    for step in (_walk_chain, _check_states, _check_pairs):
        try:
            step(con, found)
        except (TypeError, ValueError, KeyError) as exc:  # a value of the wrong type typed in by hand
            found.problems.append(f"Không kiểm tra hết được chuỗi sự kiện: có giá trị sai kiểu trong cơ sở dữ liệu "
                                  f"({type(exc).__name__}: {exc}).")
    if len(found.problems) > MAX_PROBLEM_LINES:  # a wholesale rewrite must not print a million lines
        rest = len(found.problems) - MAX_PROBLEM_LINES
        found.problems[MAX_PROBLEM_LINES:] = [f"… và {rest} vấn đề khác về chuỗi sự kiện."]
    return found
