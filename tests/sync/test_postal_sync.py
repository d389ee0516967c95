"""Postal dossiers through the provincial server: pushed, accepted, and taken back after a restore
with the item number their chained state hash binds."""


from counter_app.core.model import Channel
from counter_app.core.postal import Direction, PostalIntake
from counter_app.startup import backup_store, check_store

ITEM = "RR123456785VN"


def test_a_postal_dossier_and_its_signed_hand_over_survive_a_restore(province, make_counter, tmp_path):
    counter = make_counter(province)
    app = counter.app
    backup = tmp_path / "before.sqlite"
    backup_store(app.data_dir, backup)
    (code,) = counter.receive(1, channel=Channel.POST, postal=PostalIntake(ITEM, employee="Phạm Văn Bưu"))
    today = app.queries.get(code).received_at.date()
    batch, _ = app.postal.prepare(Direction.IN, today, "Cán bộ A")
    app.postal.sign(batch.code, "Cán bộ A", postal_employee="Phạm Văn Bưu")
    due = app.queries.get(code).due_at
    report = counter.sync()
    assert report.ok and report.accepted == 2 and report.rejected == report.conflicts == 0

    app.restore_from_backup(backup)
    report = counter.sync()
    assert report.ok and report.recovered == 2
    back = app.queries.get(code)
    assert (back.postal_item, back.due_at, back.channel) == (ITEM, due, Channel.POST)
    assert [e.kind for e in back.events] == ["received", "postal_handover"]
    assert check_store(app.data_dir).ok  # the chain still verifies with the item number restored


def test_the_portal_record_dates_submission_from_the_signed_hand_over(province, make_counter, tmp_path):
    from datetime import datetime, timedelta

    from counter_app.core.calendar import TZ
    from tests.conftest import FixedClock
    from tests.sync.test_dvcqg_record import export, portal

    clock = FixedClock(datetime.now(TZ).replace(microsecond=0, second=0) - timedelta(days=3))
    counter = make_counter(province, clock=clock)
    app = counter.app
    (code,) = counter.receive(1, channel=Channel.POST, postal=PostalIntake(ITEM))
    (plain,) = counter.receive(1)
    received = app.queries.get(code).received_at
    clock.at += timedelta(hours=2)
    batch, _ = app.postal.prepare(Direction.IN, received.date(), "Cán bộ A")
    signed = app.postal.sign(batch.code, "Cán bộ A").signed_at
    assert counter.sync().ok
    records = export(province, tmp_path)
    assert records[code]["NgayTiepNhan"] == portal(received)
    assert records[code]["NgayNopHoSo"] == portal(signed) != portal(received)
    assert records[code]["NgayHenTra"] == portal(app.queries.get(code).due_at)
    assert records[plain]["NgayNopHoSo"] == records[plain]["NgayTiepNhan"]
