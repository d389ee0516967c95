"""A regional counter's paper hand-over reaches the provincial server as an event of its own kind,
checked by the server's schema, and survives a restore with the chain intact."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import select

from counter_app.startup import backup_store, check_store
from provincial_server import validation
from tests.sync.conftest import AGENCY_B, AGENCY_R


def stored_events(province, kind: str) -> list[dict]:
    from provincial_server.models import Event

    with province.db.read() as s:
        return [e.body for e in s.scalars(select(Event).where(Event.kind == kind).order_by(Event.seq))]


def test_the_hand_over_is_pushed_accepted_and_restored(province, make_counter, tmp_path):
    regional = make_counter(province, AGENCY_R, "regional")
    app = regional.app
    backup = tmp_path / "before.sqlite"
    backup_store(app.data_dir, backup)
    (code,) = regional.receive(1, competent_agency=AGENCY_B)
    batch = app.transfers.record(AGENCY_B, "Cán bộ A", "Lê Văn Nhận")
    report = regional.sync()
    assert report.ok and report.accepted == 2 and report.rejected == report.conflicts == 0
    (body,) = stored_events(province, "paper_transferred")
    assert body["dossier_code"] == code and body["status_before"] == body["status_after"] == "received"
    assert {k: body["payload"][k] for k in ("batch", "to_agency", "receiver")} == {
        "batch": batch.code, "to_agency": AGENCY_B, "receiver": "Lê Văn Nhận"}

    app.restore_from_backup(backup)
    report = regional.sync()
    assert report.ok and report.recovered == 2
    assert [e.kind for e in app.queries.get(code).events] == ["received", "paper_transferred"]
    assert check_store(app.data_dir).ok


FORGED = [  # (payload field, forged value, reason code)
    ("receiver", "", validation.INVALID),
    ("giver", None, validation.INVALID),
    ("to_agency", "H52.102'; DROP", validation.INVALID),
    ("batch", None, validation.INVALID),
    ("handed_at", "hôm qua", validation.BAD_DATE),
    ("deadline", "2999-01-01T00:00:00+07:00", validation.BAD_DATE),
    ("late", "có", validation.INVALID),
]


def test_the_server_checks_a_paper_hand_over_payload(province, make_counter):
    regional = make_counter(province, AGENCY_R, "regional")
    regional.receive(1, competent_agency=AGENCY_B)
    regional.app.transfers.record(AGENCY_B, "Cán bộ A", "Lê Văn Nhận")
    assert regional.sync().ok
    (body,) = stored_events(province, "paper_transferred")
    assert validation.check_event(copy.deepcopy(body))["kind"] == "paper_transferred"
    for field, value, reason in FORGED:
        forged = copy.deepcopy(body)
        forged["payload"][field] = value
        with pytest.raises(validation.Invalid) as caught:
            validation.check_event(forged)
        assert caught.value.reason == reason, field
    moved = copy.deepcopy(body)
    moved["status_after"] = "returned"  # a hand-over is a note, never a status change
    with pytest.raises(validation.Invalid) as caught:
        validation.check_event(moved)
    assert caught.value.reason == validation.BAD_TRANSITION
