"""Build ``fixtures/schema-0001.sqlite``: a counter database as the first release (schema 0001)
left it, with a few dossiers in several states. Run once per released schema, then never again:

    python -m tests.migrations.make_fixture tests/migrations/fixtures/schema-0001.sqlite

The migration tests upgrade a copy of each such file and check nothing was lost (Electrum's
storage-upgrade tests do the same with wallets saved by old versions).
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime
from pathlib import Path

from counter_app.app import CounterApp
from counter_app.core.calendar import TZ
from counter_app.storage.migrate import backup_database
from tests.conftest import FixedClock, applicant, request


def build(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        clock = FixedClock(datetime(2026, 6, 10, 9, 15, tzinfo=TZ))
        app = CounterApp.initialise(Path(tmp), agency_code="H52.101", agency_name="UBND xã Định Mỹ",
                                    province="Gia Lai", desk=1, clock=clock)
        a = app.intake.receive(request())
        b = app.intake.receive(request(applicant=applicant(full_name="Đặng Thị Hường", id_number=None,
                                                           gender=None, date_of_birth=None)))
        app.actions.forward(b.code, "Cán bộ A")
        app.actions.result_ready(b.code, "Cán bộ A")
        app.actions.return_result(b.code, "Cán bộ A", rating=4)
        app.intake.refuse(request(), "Không thuộc thẩm quyền")
        app.actions.forward(a.code, "Cán bộ A")
        app.close()
        backup_database(Path(tmp) / "counter.sqlite", out)


if __name__ == "__main__":
    build(Path(sys.argv[1]))
