"""Codes stay unique when two desks of one agency issue them offline, interleaved in any order."""

import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counter_app.core.codes import CODE_RE
from counter_app.storage.db import Database
from counter_app.storage.migrate import upgrade
from counter_app.storage.uow import SqlUnitOfWork
from tests.conftest import ROOT

START = date(2026, 6, 10)


def fresh_db(folder: Path) -> Database:
    upgrade(folder / "c.sqlite", ROOT / "migrations", folder / "backups")
    return Database(folder / "c.sqlite")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from([1, 2]), st.integers(0, 2)), min_size=1, max_size=60))
def test_two_offline_desks_never_issue_the_same_code(steps):
    with tempfile.TemporaryDirectory() as tmp:
        desks = {slot: fresh_db(Path(tmp) / f"desk{slot}") for slot in (1, 2)}
        issued = []
        try:
            for slot, day_offset in steps:
                with SqlUnitOfWork(desks[slot]) as uow:
                    issued.append(uow.dossiers.allocate_code("H52.101", START + timedelta(day_offset), slot))
                    uow.commit()
        finally:
            for db in desks.values():
                db.dispose()
    assert len(issued) == len(set(issued))
    for code in issued:
        assert CODE_RE.match(code)


def test_a_rolled_back_allocation_is_never_seen_and_the_next_is_consecutive(tmp_path):
    db = fresh_db(tmp_path)
    with SqlUnitOfWork(db) as uow:
        first = uow.dossiers.allocate_code("H52.101", START, 1)
        uow.commit()
    with SqlUnitOfWork(db) as uow:
        uow.dossiers.allocate_code("H52.101", START, 1)  # rolled back: never handed out
    with SqlUnitOfWork(db) as uow:
        second = uow.dossiers.allocate_code("H52.101", START, 1)
        uow.commit()
    db.dispose()
    assert (first, second) == ("H52.101-260610-010001", "H52.101-260610-010002")
