"""Issue 16 item 4: imported dossiers are not pushed; a later action on one is, and the server keeps it
held (it never saw the dossier received), without breaking the counter's sync."""

from __future__ import annotations

from counter_app.startup import check_store

from tests.sync.conftest import AGENCY_A

HEADER = "code,procedure_code,received_at,due_at,finished_at,returned_at,status,channel,applicant_name,id_number"


def test_an_action_on_an_imported_dossier_is_delivered_and_held_by_the_server(province, make_counter, tmp_path):
    from provincial_server.models import Dossier

    counter = make_counter(province)
    code = f"{AGENCY_A}-240108-0002"
    csv = tmp_path / "old.csv"
    csv.write_text(f"{HEADER}\n{code},1.001612,2024-01-08T10:00,2024-01-12,,,processing,,Đặng Thị Huyền,\n"
                   f"{AGENCY_A}-240108-0003,1.001612,2024-01-08T10:05,,2024-01-09,2024-01-10,returned,,Lê Văn Tám,\n",
                   encoding="utf-8")
    result = counter.app.history.import_file(str(csv), "Nguyễn Thị Lan")
    assert (result.imported, result.problems) == (2, [])
    report = counter.sync()
    assert report.ok and report.pushed == 0  # the import itself is never pushed
    assert counter.local_events() == []

    counter.app.actions.result_ready(code, "Nguyễn Thị Lan")
    report = counter.sync()
    assert report.ok and (report.accepted, report.rejected, report.failed, report.pending) == (1, 0, 0, 0)
    assert [e["state"] for e in counter.local_events()] == ["delivered"]
    # Stored (so reconciliation counts it and a re-send is a duplicate) but not applied: the server
    # has no dossier under that code and none appears; the event waits for one to arrive.
    stored = province.events()
    assert [(e["dossier"], e["applied"]) for e in stored] == [(code, False)]
    with province.db.read() as s:
        assert s.get(Dossier, code) is None

    counter.app.actions.return_result(code, "Nguyễn Thị Lan", receiver_name="Đặng Thị Huyền")
    report = counter.sync()
    assert report.ok and report.accepted == 1 and report.failed == 0
    assert [e["applied"] for e in province.events()] == [False, False]
    assert counter.app.queries.get(code).status == "returned"
    assert check_store(counter.app.data_dir).ok
