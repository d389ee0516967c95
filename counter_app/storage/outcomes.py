"""Keeps ``dossier_outcome`` in step with the events, whichever path wrote them.

Events are written by the services (``SqlDossierRepository``), by the server's routing and status
changes (``SqlRemoteChanges``) and by a catch-up from the server (``SqlCatchUp``). Rather than ask
each of them to remember the report's bookkeeping, one flush hook looks at every new event: the
first «đã có kết quả» sets ``finished_at``, a return sets ``returned_at`` (and the finish, for a
result handed over at once) and the rating. The table is therefore derived data; ``rebuild``
recomputes it from the events (the migration that created it does the same in SQL)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, func
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from counter_app.core.lifecycle import Status
from counter_app.storage.models import DossierEventRow
from counter_app.storage.outcome_models import DossierOutcomeRow

_READY, _RETURNED = Status.RESULT_READY.value, Status.RETURNED.value


def outcome_of(e: DossierEventRow) -> dict[str, Any] | None:
    """The outcome columns one event sets, or None when it sets none."""
    if e.status_after == _RETURNED and e.status_before != _RETURNED:
        rating = (e.payload or {}).get("rating")
        return {"finished_at": e.at, "returned_at": e.at,
                "rating": rating if isinstance(rating, int) and not isinstance(rating, bool) else None}
    if e.status_after == _READY and e.status_before != _READY:
        return {"finished_at": e.at, "returned_at": None, "rating": None}
    return None


def _upsert(session: Session, dossier_id: int, values: dict[str, Any]) -> None:
    t = DossierOutcomeRow.__table__.c
    stmt = insert(DossierOutcomeRow).values(dossier_id=dossier_id, **values)
    # The first finish stays (a result the post brought back is not finished again); a return and
    # its rating overwrite (only one return reaches a dossier; a second is a flagged conflict).
    stmt = stmt.on_conflict_do_update(index_elements=[t.dossier_id], set_={
        "finished_at": func.coalesce(t.finished_at, stmt.excluded.finished_at),
        "returned_at": func.coalesce(stmt.excluded.returned_at, t.returned_at),
        "rating": func.coalesce(stmt.excluded.rating, t.rating),
    })
    session.connection().execute(stmt)


def _after_flush(session: Session, _context) -> None:
    for obj in list(session.new):
        if isinstance(obj, DossierEventRow):
            values = outcome_of(obj)
            if values is not None:
                _upsert(session, obj.dossier_id, values)


def install(factory) -> None:
    """Attach the hook to a session factory (``Database`` does it for both of its factories)."""
    event.listen(factory, "after_flush", _after_flush)


# The same rules in SQL, for the migration and ``rebuild``: one pass over the events.
REBUILD_SQL = (
    "INSERT INTO dossier_outcome (dossier_id, finished_at, returned_at, rating) "
    "SELECT e.dossier_id, "
    "coalesce(min(CASE WHEN e.status_after = 'result_ready' AND coalesce(e.status_before, '') != 'result_ready' "
    "THEN e.at END), min(CASE WHEN e.status_after = 'returned' THEN e.at END)), "
    "max(CASE WHEN e.status_after = 'returned' AND coalesce(e.status_before, '') != 'returned' THEN e.at END), "
    "(SELECT CAST(json_extract(r.payload, '$.rating') AS INTEGER) FROM dossier_event r "
    " WHERE r.dossier_id = e.dossier_id AND r.status_after = 'returned' "
    " AND json_type(r.payload, '$.rating') = 'integer' ORDER BY r.id DESC LIMIT 1) "
    "FROM dossier_event e GROUP BY e.dossier_id "
    "HAVING max(e.status_after IN ('result_ready', 'returned')) = 1"
)


def rebuild(session: Session) -> int:
    """Recompute the outcomes of every dossier that has events; imported rows keep their facts."""
    con = session.connection()
    con.exec_driver_sql("DELETE FROM dossier_outcome WHERE imported_at IS NULL")
    return con.exec_driver_sql(REBUILD_SQL.replace("INSERT INTO", "INSERT OR IGNORE INTO")).rowcount
