"""Hand-over lists with the post (biên bản giao nhận) and the dossiers that belong on them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from counter_app.core.errors import NotFound
from counter_app.core.lifecycle import STAFF_HANDOVER, Action
from counter_app.core.model import DossierEvent
from counter_app.core.postal import BatchItem, Direction, PostalBatch
from counter_app.core.serialize import iso
from counter_app.storage.dossiers import _event_from_row
from counter_app.storage.handover_models import PostalBatchItemRow, PostalBatchRow
from counter_app.storage.models import DossierEventRow, DossierRow


def _batch(r: PostalBatchRow) -> PostalBatch:
    return PostalBatch(code=r.code, direction=Direction(r.direction), day=r.day, created_at=r.created_at,
                       officer=r.officer, items=tuple(BatchItem(i.item, i.dossier_code) for i in r.items),
                       signed_at=r.signed_at, postal_employee=r.postal_employee, signed_by=r.signed_by)


class SqlPostalBatches:
    def __init__(self, session: Session) -> None:
        self.s = session

    def _row(self, code: str) -> PostalBatchRow:
        row = self.s.scalars(select(PostalBatchRow).where(PostalBatchRow.code == code)
                             .options(selectinload(PostalBatchRow.items))).one_or_none()
        if row is None:
            raise NotFound(f"Không có biên bản giao nhận {code}.", "unknown postal batch")
        return row

    def get(self, code: str) -> PostalBatch:
        return _batch(self._row(code))

    def open_batch(self, direction: str, day: date, now: datetime, officer: str, slot: int) -> PostalBatch:
        """The day's unsigned list for the direction, or a new one (a signed list is never changed:
        what arrives later goes on the next list of the same day)."""
        row = self.s.scalars(select(PostalBatchRow).where(
            PostalBatchRow.direction == direction, PostalBatchRow.day == day, PostalBatchRow.signed_at.is_(None))
            .options(selectinload(PostalBatchRow.items))).first()
        if row is None:
            n = self.s.scalar(select(func.count()).select_from(PostalBatchRow).where(
                PostalBatchRow.direction == direction, PostalBatchRow.day == day)) or 0
            # The device slot keeps two desks of one agency from printing the same list number.
            row = PostalBatchRow(code=f"BC-{direction.upper()}-{day:%Y%m%d}-{slot:02d}-{n + 1}", direction=direction,
                                 day=day, created_at=now, officer=officer)
            self.s.add(row)
            self.s.flush()
        return _batch(row)

    def set_items(self, code: str, items: list[BatchItem]) -> None:
        row = self._row(code)
        row.items.clear()
        self.s.flush()
        row.items.extend(PostalBatchItemRow(position=i, item=x.item, dossier_code=x.dossier_code)
                         for i, x in enumerate(items))
        self.s.flush()

    def mark_signed(self, code: str, at: datetime, postal_employee: str | None, officer: str) -> None:
        row = self._row(code)
        row.signed_at, row.postal_employee, row.signed_by = at, postal_employee, officer

    def on_other_lists(self, direction: str, exclude: str) -> set[str]:
        """Item numbers already on another list of this direction."""
        stmt = (select(PostalBatchItemRow.item).join(PostalBatchRow, PostalBatchRow.id == PostalBatchItemRow.batch_id)
                .where(PostalBatchRow.direction == direction, PostalBatchRow.code != exclude))
        return set(self.s.scalars(stmt))

    def arrived(self, start: datetime, end: datetime) -> list[tuple[str, str]]:
        """(item, dossier code) of the dossiers brought in by post and received in [start, end)."""
        stmt = (select(DossierRow.postal_item, DossierRow.code)
                .where(DossierRow.channel == "post", DossierRow.postal_item.is_not(None),
                       DossierRow.status != "refused", DossierRow.received_at >= start, DossierRow.received_at < end)
                .order_by(DossierRow.received_at, DossierRow.id))
        return [(item, code) for item, code in self.s.execute(stmt).all()]

    def dossier_for_item(self, item: str) -> str | None:
        return self.s.scalar(select(DossierRow.code).where(DossierRow.postal_item == item).limit(1))

    def posted(self, start: datetime, end: datetime) -> list[tuple[str, str]]:
        """(item, dossier code) of results handed to the post in [start, end)."""
        item = func.json_extract(DossierEventRow.payload, "$.item")
        stmt = (select(item, DossierRow.code).join(DossierRow, DossierRow.id == DossierEventRow.dossier_id)
                .where(DossierEventRow.kind == Action.POST_RESULT.value, DossierEventRow.at >= start,
                       DossierEventRow.at < end)
                .order_by(DossierEventRow.at, DossierEventRow.id))
        return [(i, code) for i, code in self.s.execute(stmt).all()]

    def of_days(self, first: date, last: date) -> list[PostalBatch]:
        """Every list of the days from ``first`` to ``last``, signed or not, newest day first."""
        stmt = (select(PostalBatchRow).where(PostalBatchRow.day >= first, PostalBatchRow.day <= last)
                .options(selectinload(PostalBatchRow.items)).order_by(PostalBatchRow.day.desc(), PostalBatchRow.id))
        return [_batch(r) for r in self.s.scalars(stmt)]

    def staff_handovers(self, start: datetime, end: datetime) -> list[tuple[str, DossierEvent]]:
        """(dossier code, event) of the hand-overs between the counter and the specialists made in
        [start, end), by the time of the hand-over (recorded later, it still counts on its day)."""
        handed = func.json_extract(DossierEventRow.payload, "$.handed_at")
        stmt = (select(DossierRow.code, DossierEventRow).join(DossierRow, DossierRow.id == DossierEventRow.dossier_id)
                .where(DossierEventRow.kind == STAFF_HANDOVER, handed >= iso(start), handed < iso(end))
                .order_by(handed, DossierEventRow.id))
        return [(code, _event_from_row(row)) for code, row in self.s.execute(stmt).all()]

    def signed(self, direction: str | None = None) -> list[PostalBatch]:
        stmt = select(PostalBatchRow).where(PostalBatchRow.signed_at.is_not(None))
        if direction:
            stmt = stmt.where(PostalBatchRow.direction == direction)
        stmt = stmt.options(selectinload(PostalBatchRow.items)).order_by(PostalBatchRow.day, PostalBatchRow.id)
        return [_batch(r) for r in self.s.scalars(stmt)]
