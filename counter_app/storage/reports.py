"""The counter's dossiers as the report reads them: one row per dossier with its outcome, read
through the DB-API driver (no ORM objects, no type adapters: a year of a busy counter is hundreds
of thousands of rows, and the report must stay within seconds)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from counter_app.core.calendar import TZ
from counter_app.core.report import CertificationFigures, DossierFact

_FACTS = (
    "SELECT d.code, d.procedure_code, d.procedure_name, d.receiving_agency, d.competent_agency, d.channel, "
    "d.return_method, d.status, d.received_at, d.due_at, o.finished_at, o.returned_at, o.rating, "
    "d.reschedule_count FROM dossier d LEFT JOIN dossier_outcome o ON o.dossier_id = d.id "
    "WHERE d.received_at >= ? AND d.received_at < ?")
# Certified copies: pages are the pages of every copy certified (what the fee is charged on).
_CERT = (
    "SELECT count(DISTINCT c.dossier_code), count(i.id), coalesce(sum(i.copies), 0), "
    "coalesce(sum(i.pages * i.copies), 0), coalesce(sum(i.fee), 0) FROM certification c "
    "JOIN dossier d ON d.code = c.dossier_code JOIN cert_item i ON i.dossier_code = c.dossier_code AND i.void = 0 "
    "WHERE d.received_at >= ? AND d.received_at < ?")


def _stored(day: date) -> str:
    """A day's first instant as LocalDateTime stores it (naive local wall time, text)."""
    return datetime.combine(day, datetime.min.time()).isoformat(sep=" ", timespec="microseconds")


# Vietnam keeps +07:00 all year (no DST), so a stored wall time with this offset is the same instant
# as with TZ; parsing it with the offset is one C call, where ``replace(tzinfo=TZ)`` cost a second
# per year of dossiers.
_OFFSET = datetime(2024, 1, 1, tzinfo=TZ).isoformat()[-6:]


def _when(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value + _OFFSET)


def _scope(start: date, end: date, agencies: Sequence[str] | None) -> tuple[str, list]:
    where, params = "", [_stored(start), _stored(end + timedelta(days=1))]
    if agencies is not None:
        marks = ", ".join("?" for _ in agencies)
        where = f" AND (d.competent_agency IN ({marks}) OR d.receiving_agency IN ({marks}))"
        params += [*agencies, *agencies]
    return where, params


class SqlReports:
    def __init__(self, session: Session) -> None:
        self.s = session

    def count(self, start: date, end: date, agencies: Sequence[str] | None) -> int:
        where, params = _scope(start, end, agencies)
        sql = "SELECT count(*) FROM dossier d WHERE d.received_at >= ? AND d.received_at < ?" + where
        return self.s.connection().exec_driver_sql(sql, tuple(params)).scalar_one()

    def facts(self, start: date, end: date, agencies: Sequence[str] | None) -> Iterator[DossierFact]:
        """The dossiers received from ``start`` to ``end`` (both included) whose competent or
        receiving agency is one of ``agencies`` (None: every dossier of the store)."""
        where, params = _scope(start, end, agencies)
        # The driver's own cursor: SQLAlchemy's row objects cost a second per year of dossiers.
        cursor = self.s.connection().connection.cursor()
        cursor.execute(_FACTS + where, tuple(params))
        for (code, proc, name, receiving, competent, channel, method, status, received, due, finished,
             returned, rating, reschedules) in cursor:
            yield DossierFact(code, proc, name, receiving, competent, channel, method, status, _when(received),
                              _when(due), _when(finished), _when(returned), rating, reschedules or 0)

    def certification(self, start: date, end: date, agencies: Sequence[str] | None) -> CertificationFigures:
        where, params = _scope(start, end, agencies)
        row = self.s.connection().exec_driver_sql(_CERT + where, tuple(params)).one()
        return CertificationFigures(*row)
