"""Raw-SQL seeding of a counter database held at an old revision. The models of today no longer
match the schema of then, so rows go in as plain INSERTs with only the columns that revision has."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.conftest import ROOT

MIGRATIONS = ROOT / "migrations"


def migrate_to(db: Path, revision: str, down: bool = False) -> None:
    """Alembic straight to one revision, without the app's backup and checks around it."""
    from alembic import command
    from sqlalchemy import create_engine, pool

    from counter_app.storage.db import sqlite_url
    from counter_app.storage.migrate import _config

    cfg = _config(MIGRATIONS)
    engine = create_engine(sqlite_url(db, None), poolclass=pool.NullPool)
    with engine.connect() as connection:
        cfg.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(cfg, revision)
    engine.dispose()


def insert_procedure(con: sqlite3.Connection, code: str, location_independent: bool) -> None:
    con.execute(
        "INSERT INTO procedure (code, name, name_key, field, working_days, max_extension_days, fee_vnd, "
        "fee_rule, online_level, location_independent, postal_allowed, active, documents, extra) VALUES "
        "(?, 'X', 'x', '', 3, 0, 0, 'fixed', 'paper', ?, 1, 1, '[]', '{}')",
        (code, int(location_independent)))


def insert_dossier(con: sqlite3.Connection, dossier_id: int, code: str, procedure_code: str, *,
                   competent: str = "H52.101", channel: str = "counter", status: str = "received",
                   desk: int = 1) -> None:
    """A dossier received at H52.101 on 2026-06-01 08:00 by Lan, for Lê Văn A."""
    con.execute(
        "INSERT INTO dossier (id, code, procedure_code, procedure_name, receiving_agency, competent_agency, "
        "channel, applicant_kind, applicant_name, name_key, received_at, return_method, receiving_officer, "
        "status, desk, sets, reschedule_count) VALUES (?, ?, ?, 'X', 'H52.101', ?, ?, 'citizen', "
        "'Lê Văn A', 'le van a', '2026-06-01 08:00:00.000000', 'counter', 'Lan', ?, ?, 1, 0)",
        (dossier_id, code, procedure_code, competent, channel, status, desk))
