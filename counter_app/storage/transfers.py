"""Paper hand-over lists to competent agencies, and the regional counter's ready-made lists."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from counter_app.core.errors import NotFound
from counter_app.core.lifecycle import Action, Status
from counter_app.core.transfer import ListedDossier, TransferBatch
from counter_app.storage.handover_models import PaperPendingRow, TransferBatchItemRow, TransferBatchRow
from counter_app.storage.models import DossierEventRow, DossierRow

_LISTED = (DossierRow.code, DossierRow.procedure_name, DossierRow.applicant_name, DossierRow.receiving_agency,
           DossierRow.competent_agency, DossierRow.return_agency, DossierRow.channel, DossierRow.status,
           DossierRow.received_at, DossierRow.due_at, DossierRow.sets)
# No paper goes over for these: refused at the desk, or the applicant took the file back.
_NO_PAPER = (Status.REFUSED.value, Status.WITHDRAWN.value)
_OPEN = (Status.RECEIVED.value, Status.PROCESSING.value, Status.SUPPLEMENT_REQUESTED.value)
_POSTAL_KINDS = (Action.POST_RESULT.value, Action.POSTAL_UNDELIVERED.value, Action.RETURN.value)


def _batch(r: TransferBatchRow) -> TransferBatch:
    return TransferBatch(code=r.code, to_agency=r.to_agency, created_at=r.created_at, handed_at=r.handed_at,
                         giver=r.giver, receiver=r.receiver, note=r.note,
                         dossier_codes=tuple(i.dossier_code for i in r.items))


def paper_goes_elsewhere(row: DossierRow) -> bool:
    """A dossier just received here whose paper file must go to another (competent) agency."""
    return (row.desk != 0 and row.competent_agency != row.receiving_agency and row.channel != "online"
            and row.status != Status.REFUSED.value)


def _received_here(here: Sequence[str]):
    # desk 0 marks a dossier received at another counter and imported here (storage/remote.py).
    return DossierRow.receiving_agency.in_(list(here)) & (DossierRow.desk != 0)


class SqlPaperTransfers:
    def __init__(self, session: Session) -> None:
        self.s = session

    def _rows(self, stmt) -> list[ListedDossier]:
        return [ListedDossier(*row) for row in self.s.execute(stmt).all()]

    def waiting(self, here: Sequence[str], to_agency: str | None) -> list[ListedDossier]:
        """Received here for another agency, not online, not refused or withdrawn, and on no
        hand-over list yet; oldest first."""
        # IN on the primary key drives the query from the few pending rows; a join lets SQLite
        # walk every dossier in received_at order instead (measured 0.5 s at a million).
        stmt = (select(*_LISTED).where(DossierRow.id.in_(select(PaperPendingRow.dossier_id)), _received_here(here),
                                       DossierRow.status.not_in(_NO_PAPER))
                .order_by(DossierRow.received_at, DossierRow.id))
        if to_agency:
            stmt = stmt.where(DossierRow.competent_agency == to_agency)
        return self._rows(stmt)

    def awaiting_result(self, here: Sequence[str], own: str) -> list[ListedDossier]:
        """Decided by another agency, returned at this counter (or received here to go out by
        post), still being processed there; soonest due first."""
        # A return point names a counter by its agency: this counter is its own agency's, not the
        # counters of the agencies it receives for.
        returned_here = ((DossierRow.return_agency == own)
                         | (DossierRow.return_agency.is_(None) & _received_here(here)))
        stmt = (select(*_LISTED).where(DossierRow.competent_agency != own, DossierRow.status.in_(_OPEN), returned_here)
                .order_by(DossierRow.due_at, DossierRow.id))
        return self._rows(stmt)

    def with_post(self) -> list[ListedDossier]:
        """Results whose last postal fact is the hand-over to the post (not delivered, not brought back)."""
        def last(column):
            return (select(column).where(DossierEventRow.dossier_id == DossierRow.id,
                                         DossierEventRow.kind.in_(_POSTAL_KINDS))
                    .order_by(DossierEventRow.id.desc()).limit(1).correlate(DossierRow).scalar_subquery())

        kind, payload = last(DossierEventRow.kind), last(DossierEventRow.payload)
        stmt = (select(*_LISTED, payload).where(DossierRow.status == Status.RESULT_READY.value,
                                                kind == Action.POST_RESULT.value)
                .order_by(DossierRow.id))
        out = []
        for row in self.s.execute(stmt).all():
            detail = row[-1] if isinstance(row[-1], dict) else None
            out.append(ListedDossier(*row[:-1], detail=detail))
        return out

    def next_code(self, to_agency: str, day: date, slot: int) -> str:
        # The device slot keeps two desks of one agency from printing the same list number.
        prefix = f"BG-{to_agency}-{day:%Y%m%d}-{slot:02d}-"
        n = self.s.scalar(select(func.count()).select_from(TransferBatchRow)
                          .where(TransferBatchRow.code.like(f"{prefix}%"))) or 0
        return f"{prefix}{n + 1}"

    def add(self, batch: TransferBatch) -> None:
        self.s.add(TransferBatchRow(
            code=batch.code, to_agency=batch.to_agency, created_at=batch.created_at, handed_at=batch.handed_at,
            giver=batch.giver, receiver=batch.receiver, note=batch.note,
            items=[TransferBatchItemRow(position=i, dossier_code=c) for i, c in enumerate(batch.dossier_codes)]))
        self.s.execute(delete(PaperPendingRow).where(PaperPendingRow.dossier_id.in_(
            select(DossierRow.id).where(DossierRow.code.in_(batch.dossier_codes)))))
        self.s.flush()

    def get(self, code: str) -> TransferBatch:
        row = self.s.scalars(select(TransferBatchRow).where(TransferBatchRow.code == code)
                             .options(selectinload(TransferBatchRow.items))).one_or_none()
        if row is None:
            raise NotFound(f"Không có danh sách bàn giao {code}.", "unknown transfer batch")
        return _batch(row)

    def batch_of(self, dossier_code: str) -> TransferBatch | None:
        batch_id = self.s.scalar(select(TransferBatchItemRow.batch_id)
                                 .where(TransferBatchItemRow.dossier_code == dossier_code))
        if batch_id is None:
            return None
        return _batch(self.s.scalars(select(TransferBatchRow).where(TransferBatchRow.id == batch_id)
                                     .options(selectinload(TransferBatchRow.items))).one())

    def batches(self, to_agency: str | None, limit: int) -> list[TransferBatch]:
        stmt = select(TransferBatchRow).options(selectinload(TransferBatchRow.items))
        if to_agency:
            stmt = stmt.where(TransferBatchRow.to_agency == to_agency)
        return [_batch(r) for r in self.s.scalars(stmt.order_by(TransferBatchRow.id.desc()).limit(limit))]
