"""Dossier repository: allocation of codes and register numbers, inserts with event and outbox,
state changes, and lookups that stay fast at a million rows."""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import Select, column, func, select, table, text
from sqlalchemy.orm import Session, selectinload

from counter_app.core.codes import format_code, looks_like_code
from counter_app.core.errors import NotFound
from counter_app.core.prints import RegisterLine
from counter_app.core.model import (
    Applicant, ApplicantKind, Channel, DocumentKind, DocumentLine, Dossier, DossierEvent, DossierSummary,
    FeeLine, Gender, RegisterEntry, ReturnMethod,
)
from counter_app.core.text import clean, fold
from counter_app.storage import chain
from counter_app.storage.chain import OUTBOX_SEQUENCE
from counter_app.storage.models import (
    CodeSequenceRow, CounterRow, DossierDocumentRow, DossierEventRow, DossierFeeRow, DossierRow, OutboxRow,
    RegisterSequenceRow,
)
from counter_app.storage.handover_models import PaperPendingRow, TransferBatchItemRow, TransferBatchRow
from counter_app.storage.transfers import paper_goes_elsewhere

_DIGITS_RE = re.compile(r"^[\d\s.+\-]+$")
_FTS = table("dossier_fts", column("rowid"))


def next_counter(session: Session, name: str) -> int:
    """Increment a named device counter inside the current transaction and return the new value."""
    row = session.get(CounterRow, name)
    if row is None:
        row = CounterRow(name=name, value=0)
        session.add(row)
    row.value += 1
    session.flush()
    return row.value


def _event_from_row(r: DossierEventRow) -> DossierEvent:
    return DossierEvent(uuid=r.uuid, kind=r.kind, at=r.at, officer=r.officer, status_before=r.status_before,
                        status_after=r.status_after, payload=r.payload)


def _dossier_from_row(r: DossierRow, *, with_events: bool = True) -> Dossier:
    return Dossier(
        code=r.code,
        procedure_code=r.procedure_code,
        procedure_name=r.procedure_name,
        receiving_agency=r.receiving_agency,
        competent_agency=r.competent_agency,
        channel=Channel(r.channel),
        applicant=Applicant(
            full_name=r.applicant_name, kind=ApplicantKind(r.applicant_kind), id_number=r.id_number,
            date_of_birth=r.date_of_birth, gender=Gender(r.gender) if r.gender else None, phone=r.phone,
            email=r.email, address=r.address,
        ),
        documents=tuple(DocumentLine(d.name, DocumentKind(d.kind), d.count, d.pages) for d in r.documents),
        fees=tuple(FeeLine(f.name, f.amount_vnd, f.code) for f in r.fees),
        received_at=r.received_at,
        due_at=r.due_at,
        return_method=ReturnMethod(r.return_method),
        return_address=r.return_address,
        receiving_officer=r.receiving_officer,
        status=r.status,
        desk=r.desk,
        sets=r.sets,
        register=RegisterEntry(r.register_book, r.register_serial) if r.register_serial else None,
        reschedule_count=r.reschedule_count,
        postal_item=r.postal_item,
        events=tuple(_event_from_row(e) for e in r.events) if with_events else (),
        return_agency=r.return_agency,
    )


_SUMMARY_COLUMNS = (
    DossierRow.code, DossierRow.status, DossierRow.procedure_code, DossierRow.procedure_name,
    DossierRow.applicant_name, DossierRow.id_number, DossierRow.phone, DossierRow.received_at,
    DossierRow.due_at, DossierRow.id,
)


def _summaries(session: Session, stmt: Select) -> list[DossierSummary]:
    return [DossierSummary(*row) for row in session.execute(stmt).all()]


def fts_query(text_: str) -> str | None:
    """An FTS5 query over the folded name: every word must match as a prefix."""
    words = fold(text_).split()
    return " ".join(f'"{w}"*' for w in words) or None


class SqlDossierRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    # -- allocation (must run inside the inserting transaction) ---------------------------------
    def allocate_code(self, prefix: str, day: date, slot: int) -> str:
        key = (prefix, f"{day:%y%m%d}", slot)
        row = self.s.get(CodeSequenceRow, key)
        if row is None:
            row = CodeSequenceRow(prefix=prefix, day=key[1], slot=slot, last=0)
            self.s.add(row)
        row.last += 1
        self.s.flush()
        return format_code(prefix, day, slot, row.last)

    def allocate_register(self, desk: int, year: int, book_size: int) -> RegisterEntry:
        row = self.s.get(RegisterSequenceRow, (desk, year))
        if row is None:
            row = RegisterSequenceRow(desk=desk, year=year, last=0)
            self.s.add(row)
        row.last += 1
        self.s.flush()
        book = 1 if book_size <= 0 else (row.last - 1) // book_size + 1
        return RegisterEntry(book=f"{book:02d}/{year}", serial=row.last)

    def counter_value(self, name: str) -> int:
        row = self.s.get(CounterRow, name)
        return row.value if row is not None else 0

    def set_counter(self, name: str, value: int) -> None:
        row = self.s.get(CounterRow, name)
        if row is None:
            self.s.add(CounterRow(name=name, value=value))
        else:
            row.value = value
        self.s.flush()

    # -- writes -------------------------------------------------------------------------------
    def _append_event(self, dossier_row: DossierRow, event: DossierEvent) -> None:
        from counter_app.storage.catch_up import refuse_while_waiting  # it imports this module

        refuse_while_waiting(self.s)
        # Sealed at write time, when every wire field is known: the dossier's new state is flushed
        # first so its hash is the state right after the event (storage/chain.py).
        seq = next_counter(self.s, OUTBOX_SEQUENCE)
        sealed = chain.seal(self.s, dossier_id=dossier_row.id, dossier_code=dossier_row.code,
                            agency=dossier_row.competent_agency, device_seq=seq, event=event)
        row = DossierEventRow(uuid=event.uuid, dossier_id=dossier_row.id, kind=event.kind, at=event.at,
                              officer=event.officer, status_before=event.status_before,
                              status_after=event.status_after, payload=event.payload,
                              state_hash=sealed.state_hash, chain_hash=sealed.chain_hash)
        self.s.add(row)
        self.s.flush()
        self.s.add(OutboxRow(event_uuid=event.uuid, device_seq=seq, dossier_code=dossier_row.code, state="pending",
                             created_at=event.at, prev_hash=sealed.prev_hash))

    def add(self, dossier: Dossier, event: DossierEvent) -> None:
        a = dossier.applicant
        row = DossierRow(
            code=dossier.code, procedure_code=dossier.procedure_code, procedure_name=dossier.procedure_name,
            receiving_agency=dossier.receiving_agency, competent_agency=dossier.competent_agency,
            channel=dossier.channel.value, applicant_kind=a.kind.value, applicant_name=a.full_name,
            name_key=fold(a.full_name), id_number=a.id_number, date_of_birth=a.date_of_birth,
            gender=a.gender.value if a.gender else None, phone=a.phone, email=a.email, address=a.address,
            received_at=dossier.received_at, due_at=dossier.due_at, return_method=dossier.return_method.value,
            return_address=dossier.return_address, receiving_officer=dossier.receiving_officer,
            status=dossier.status, desk=dossier.desk, sets=dossier.sets,
            register_book=dossier.register.book if dossier.register else None,
            register_serial=dossier.register.serial if dossier.register else None,
            reschedule_count=dossier.reschedule_count, return_agency=dossier.return_agency,
            postal_item=dossier.postal_item,
            documents=[DossierDocumentRow(position=i, name=d.name, kind=d.kind.value, count=d.count, pages=d.pages)
                       for i, d in enumerate(dossier.documents)],
            fees=[DossierFeeRow(position=i, name=f.name, amount_vnd=f.amount_vnd, code=f.code)
                  for i, f in enumerate(dossier.fees)],
        )
        self.s.add(row)
        self.s.flush()
        if paper_goes_elsewhere(row):
            self.s.add(PaperPendingRow(dossier_id=row.id))
        self._append_event(row, event)

    def record(self, code: str, event: DossierEvent, *, status: str, due_at: datetime | None,
               reschedule_count: int) -> None:
        row = self._row(code)
        row.status, row.due_at, row.reschedule_count = status, due_at, reschedule_count
        self._append_event(row, event)

    # -- reads --------------------------------------------------------------------------------
    def _row(self, code: str) -> DossierRow:
        row = self.s.scalars(
            select(DossierRow).where(DossierRow.code == code)
            .options(selectinload(DossierRow.documents), selectinload(DossierRow.fees),
                     selectinload(DossierRow.events))
        ).one_or_none()
        if row is None:
            raise NotFound(f"Không tìm thấy hồ sơ mã {code}.", "unknown dossier code")
        return row

    def get(self, code: str) -> Dossier:
        return _dossier_from_row(self._row(code))

    def get_for_update(self, code: str) -> Dossier:
        # The write transaction already holds SQLite's RESERVED lock (BEGIN IMMEDIATE).
        return self.get(code)

    @staticmethod
    def _filtered(stmt: Select, status: str | None, received_from: datetime | None,
                  received_to: datetime | None, *, statuses=None, due_from: datetime | None = None,
                  due_to: datetime | None = None) -> Select:
        if status:
            stmt = stmt.where(DossierRow.status == status)
        if statuses:
            stmt = stmt.where(DossierRow.status.in_(list(statuses)))
        if received_from:
            stmt = stmt.where(DossierRow.received_at >= received_from)
        if received_to:
            stmt = stmt.where(DossierRow.received_at < received_to)
        if due_from:
            stmt = stmt.where(DossierRow.due_at >= due_from)
        if due_to:
            stmt = stmt.where(DossierRow.due_at < due_to)
        return stmt

    def list(self, *, status: str | None = None, received_from: datetime | None = None,
             received_to: datetime | None = None, limit: int = 100, statuses=None,
             due_from: datetime | None = None, due_to: datetime | None = None, order: str = "received",
             after: DossierSummary | None = None) -> list[DossierSummary]:
        """Newest first (``order="received"``) or soonest due first (``order="due"``); ``after`` is the
        last row of the previous page (keyset paging: no OFFSET, so page 1,000 costs what page 1 does)."""
        stmt = self._filtered(select(*_SUMMARY_COLUMNS), status, received_from, received_to,
                              statuses=statuses, due_from=due_from, due_to=due_to)
        if order == "due":
            if after is not None:
                stmt = stmt.where((DossierRow.due_at > after.due_at)
                                  | ((DossierRow.due_at == after.due_at) & (DossierRow.id > after.row_id)))
            stmt = stmt.where(DossierRow.due_at.is_not(None)).order_by(DossierRow.due_at, DossierRow.id)
        else:
            if after is not None:
                stmt = stmt.where(DossierRow.id < after.row_id)
            stmt = stmt.order_by(DossierRow.id.desc())
        return _summaries(self.s, stmt.limit(limit))

    def search(self, text_: str, *, status: str | None = None, received_from: datetime | None = None,
               received_to: datetime | None = None, limit: int = 50) -> list[DossierSummary]:
        """Exact code; ID number, tax code or phone; otherwise the applicant's name ignoring
        diacritics (each word a prefix, đ folded to d). Never an unindexed LIKE."""
        query = clean(text_)
        if not query:
            return []
        base = self._filtered(select(*_SUMMARY_COLUMNS), status, received_from, received_to)
        if looks_like_code(query):
            return _summaries(self.s, base.where(DossierRow.code == query.upper()))
        if _DIGITS_RE.match(query):
            digits = re.sub(r"\D", "", query)
            phone = "0" + digits[2:] if digits.startswith("84") and len(digits) == 11 else digits
            ids = {digits, query.replace(" ", "")}  # tax codes may be written 0123456789-001
            stmt = base.where(DossierRow.id_number.in_(ids) | (DossierRow.phone == phone))
            return _summaries(self.s, stmt.order_by(DossierRow.id.desc()).limit(limit))
        match = fts_query(query)
        if match is None:
            return []
        # Driven from the FTS index in descending rowid order (FTS5 consumes that ORDER BY), so
        # LIMIT stops early even for the most common family names.
        stmt = (base.join(_FTS, _FTS.c.rowid == DossierRow.id).where(text("dossier_fts MATCH :q"))
                .order_by(_FTS.c.rowid.desc()).limit(limit))
        return _summaries(self.s, stmt.params(q=match))

    def register_lines(self, start: datetime, end: datetime, *, receiving: str | None = None,
                       competent: str | None = None, channel: str | None = None,
                       cross: bool = False) -> list[RegisterLine]:
        """Rows of the tracking register for dossiers received in [start, end), with the time of
        each hand-over taken from the event history (one query, correlated sub-selects); narrowed
        to a receiving or competent agency, a channel, or (``cross``) the dossiers received at this
        counter for another agency (desk 0: received elsewhere and imported)."""

        def when(kind: str, agg=func.max):
            return (select(agg(DossierEventRow.at)).where(DossierEventRow.dossier_id == DossierRow.id,
                                                          DossierEventRow.kind == kind)
                    .correlate(DossierRow).scalar_subquery())

        receiver = (select(func.json_extract(DossierEventRow.payload, "$.receiver_name"))
                    .where(DossierEventRow.dossier_id == DossierRow.id, DossierEventRow.kind == "returned")
                    .order_by(DossierEventRow.id.desc()).limit(1).correlate(DossierRow).scalar_subquery())
        def paper(column):
            return (select(column).join(TransferBatchItemRow, TransferBatchItemRow.batch_id == TransferBatchRow.id)
                    .where(TransferBatchItemRow.dossier_code == DossierRow.code)
                    .correlate(DossierRow).scalar_subquery())

        stmt = (select(DossierRow.register_serial, DossierRow.register_book, DossierRow.code,
                       DossierRow.procedure_name, DossierRow.sets, DossierRow.applicant_name, DossierRow.address,
                       DossierRow.phone, DossierRow.competent_agency, DossierRow.status, DossierRow.received_at,
                       DossierRow.due_at, when("forwarded", func.min), when("result_ready"), when("returned"),
                       receiver, DossierRow.channel, DossierRow.postal_item, DossierRow.receiving_agency,
                       DossierRow.return_agency, DossierRow.return_method, paper(TransferBatchRow.handed_at),
                       paper(TransferBatchRow.code))
                .where(DossierRow.received_at >= start, DossierRow.received_at < end,
                       DossierRow.status != "refused")
                .order_by(DossierRow.received_at, DossierRow.id))
        for column, value in ((DossierRow.receiving_agency, receiving), (DossierRow.competent_agency, competent),
                              (DossierRow.channel, channel)):
            if value:
                stmt = stmt.where(column == value)
        if cross:
            stmt = stmt.where(DossierRow.competent_agency != DossierRow.receiving_agency, DossierRow.desk != 0)
        return [RegisterLine(*row) for row in self.s.execute(stmt).all()]
