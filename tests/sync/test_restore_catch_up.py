"""A counter restored from an older backup (issue 13): it takes back from the server what it had sent
since the backup, writes nothing before that, and then syncs without a duplicate or a conflict."""

from __future__ import annotations

from datetime import timedelta

import pytest

from counter_app.core.errors import ValidationError
from counter_app.startup import backup_store, check_store
from counter_app.storage import cipher


def dossier_codes(app) -> list[str]:
    return sorted(s.code for s in app.queries.list(limit=100))


def test_a_restored_counter_catches_up_then_syncs_without_duplicates(province, make_counter, tmp_path):
    counter = make_counter(province)
    app = counter.app
    assert app.encrypted  # the counter as set up on a machine with a keyring
    first = counter.receive(2)
    assert counter.sync().ok
    backup = tmp_path / "before.sqlite"
    backup_store(app.data_dir, backup)
    later = counter.receive(3)
    app.actions.result_ready(first[0], "Cán bộ A")
    due = app.queries.get(later[0]).due_at
    app.actions.reschedule(later[0], "Cán bộ A", due + timedelta(days=3), "Chờ xác minh")
    assert counter.sync().ok
    on_server = province.service.stats()
    assert (on_server["dossiers"], on_server["events"]) == (5, 7)

    result = app.restore_from_backup(backup)  # the disk died; yesterday's copy is all there is
    assert result["catch_up"] and result["encrypted"] and cipher.file_state(app.db.path) == "encrypted"
    assert dossier_codes(app) == sorted(first)
    with pytest.raises(ValidationError, match="khôi phục từ bản sao lưu") as refused:
        counter.receive(1)
    assert "trùng mã" in refused.value.message
    assert dossier_codes(app) == sorted(first)  # nothing written

    report = counter.sync()
    assert report.ok and report.recovered == 5 and report.rejected == report.conflicts == 0
    assert dossier_codes(app) == sorted(first + later)
    assert app.queries.get(first[0]).status == "result_ready"
    back = app.queries.get(later[0])
    assert back.due_at == due + timedelta(days=3) and back.reschedule_count == 1
    assert back.applicant.full_name == "Nguyễn Văn Ấn"

    (fresh,) = counter.receive(1)
    assert fresh not in first + later and fresh > max(later)  # the code sequence moved past the lost ones
    report = counter.sync()
    assert report.ok and report.accepted == 1 and report.rejected == report.conflicts == 0
    on_server = province.service.stats()
    assert (on_server["dossiers"], on_server["events"], on_server["quarantined"]) == (6, 8, 0)
    events = counter.local_events()
    assert [e["device_seq"] for e in events] == list(range(1, 9))  # one unbroken device sequence
    assert all(e["state"] == "delivered" for e in events)
    assert check_store(app.data_dir).ok


def test_an_unenrolled_counter_restores_and_goes_on_at_once(app, tmp_path):
    from tests.conftest import request

    code = app.intake.receive(request()).code
    backup_store(app.data_dir, tmp_path / "copy.sqlite")
    app.intake.receive(request())
    result = app.restore_from_backup(tmp_path / "copy.sqlite")
    assert result["catch_up"] is False
    assert app.intake.receive(request()).code > code  # nobody to catch up from: no waiting
