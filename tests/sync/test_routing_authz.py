"""Issue 15 item 3: who may act on a routed dossier, what the feed carries and to whom, and the
review flag of conflicting acts. Hostile counters are enrolled counters of another agency using
their genuine token, as in test_authorisation.py."""

from __future__ import annotations

import uuid as uuidlib

from sqlalchemy import select

from counter_app.core import protocol
from provincial_server.models import Change, Dossier, Quarantine, ReviewFlag
from tests.sync.conftest import AGENCY_A, AGENCY_B, AGENCY_R
from tests.sync.pushing import claimed, push


def _changes(province, kind: str) -> list[tuple[str, dict]]:
    with province.db.read() as s:
        return [(c.agency, c.data) for c in s.scalars(select(Change).where(Change.kind == kind).order_by(Change.seq))]


def _status(province, code: str) -> str:
    with province.db.read() as s:
        return s.get(Dossier, code).status


def _forged_on(attacker, code: str) -> dict:
    """The attacker's own next event (genuine device_seq and chain link), pointed at ``code``."""
    (own,) = attacker.receive(1)
    attacker.app.actions.forward(own, "Cán bộ B")
    template = [e for e in claimed(attacker) if e["status_before"] is not None][0]
    return {**template, "uuid": str(uuidlib.uuid4()), "prev_uuid": None, "dossier_code": code,
            "agency": AGENCY_B, "kind": "result_ready", "status_before": "received", "status_after": "result_ready"}


def test_a_commune_not_involved_is_refused_on_a_routed_dossier_and_never_sees_it(province, make_counter):
    regional = make_counter(province, AGENCY_R, "regional")
    commune_a = make_counter(province, AGENCY_A, "a")
    neighbour = make_counter(province, AGENCY_B, "b")
    assert neighbour.sync().ok  # its own intake delivered first: the forged event is its next one
    (code,) = regional.receive(1, competent_agency=AGENCY_A)
    assert regional.sync().ok
    forged = _forged_on(neighbour, code)
    answer = push(province, neighbour, [forged]).json()["results"]
    assert [(r["result"], r.get("reason")) for r in answer] == [(protocol.REJECTED, "agency_not_served")]
    assert _status(province, code) == "received"
    assert all(d["event"]["uuid"] != forged["uuid"] for _, d in _changes(province, protocol.CHANGE_EVENT))
    assert neighbour.sync().ok and commune_a.sync().ok
    assert code not in {d.code for d in neighbour.app.queries.list()}
    assert commune_a.app.queries.get(code).status == "received"


def test_an_event_planted_before_a_routed_intake_arrives_is_quarantined(province, make_counter):
    """B plants an event on R's dossier for A while R is still offline; when R's intake arrives the
    held event is checked against B as the registry knows it, refused and never routed to A."""
    regional = make_counter(province, AGENCY_R, "regional")
    commune_a = make_counter(province, AGENCY_A, "a")
    neighbour = make_counter(province, AGENCY_B, "b")
    assert neighbour.sync().ok
    (code,) = regional.receive(1, competent_agency=AGENCY_A)  # offline: the code exists only at R
    forged = _forged_on(neighbour, code)
    answer = push(province, neighbour, [forged]).json()["results"]
    assert answer[0]["result"] == protocol.ACCEPTED and answer[0]["held"]
    assert regional.sync().ok
    with province.db.read() as s:
        assert list(s.scalars(select(Quarantine.reason).where(Quarantine.uuid == forged["uuid"]))) == [
            "not_authorised"]
    assert _status(province, code) == "received"
    assert commune_a.sync().ok
    assert [e.kind for e in commune_a.app.queries.get(code).events] == ["received"]


def test_the_return_point_receives_the_dossier_and_may_hand_it_over(province, make_counter):
    """R receives for B with the result returned at A's counter: A is involved only as the return
    point; it gets the dossier, sees B's result and returns it; R and B see the return."""
    regional = make_counter(province, AGENCY_R, "regional")
    commune_a = make_counter(province, AGENCY_A, "a")
    commune_b = make_counter(province, AGENCY_B, "b")
    (code,) = regional.receive(1, competent_agency=AGENCY_B, return_agency=AGENCY_A)
    assert regional.sync().ok
    assert commune_a.sync().ok and commune_b.sync().ok
    commune_b.app.actions.result_ready(code, "Cán bộ B")
    assert commune_b.sync().ok and commune_a.sync().ok
    assert commune_a.app.queries.get(code).status == "result_ready"
    commune_a.app.actions.return_result(code, "Cán bộ A", receiver_name="Nguyễn Văn An")
    assert commune_a.sync().ok
    for counter in (regional, commune_b):
        assert counter.sync().ok
        assert counter.app.queries.get(code).status == "returned"
    assert _status(province, code) == "returned"


def test_a_dossier_of_one_agency_is_not_routed(province, make_counter):
    counter = make_counter(province, AGENCY_A, "a")
    (code,) = counter.receive(1)
    counter.app.actions.forward(code, "Cán bộ A")
    assert counter.sync().ok
    assert _changes(province, protocol.CHANGE_EVENT) == [] and _changes(province, protocol.CHANGE_DOSSIER) == []


def test_an_act_after_another_counter_closed_the_dossier_is_kept_and_flagged(any_province, make_counter):
    """Not only two returns: R records the citizen's withdrawal while A, offline, marks the result ready.
    The dossier stays withdrawn, both events are kept on the server and on both counters, and the flag
    reaches both; the province resolves it with a note. On both databases (the feed lock, JSONB)."""
    province = any_province
    regional = make_counter(province, AGENCY_R, "regional")
    commune_a = make_counter(province, AGENCY_A, "a")
    (code,) = regional.receive(1, competent_agency=AGENCY_A)
    assert regional.sync().ok and commune_a.sync().ok
    regional.app.actions.withdraw(code, "Cán bộ R", "Công dân xin rút")
    commune_a.app.actions.result_ready(code, "Cán bộ A")
    assert regional.sync().ok and commune_a.sync().ok and regional.sync().ok
    with province.db.read() as s:
        (flag,) = s.scalars(select(ReviewFlag))
        assert (flag.dossier_code, flag.reason, len(flag.event_uuids)) == (code, "final_state_conflict", 2)
    assert _status(province, code) == "withdrawn"
    for counter in (regional, commune_a):
        here = counter.app.queries.get(code)
        assert here.status == "withdrawn"
        assert {e.uuid for e in here.events} >= set(flag.event_uuids)
        (pulled,) = counter.app.flags.list()
        assert pulled.dossier_code == code and set(pulled.events) == set(flag.event_uuids)
    resolved = province.service.resolve_flag(flag.id, "Đã xác minh: công dân đã rút", "Sở Nội vụ")
    assert resolved["resolved_at"] and resolved["note"] == "Đã xác minh: công dân đã rút"
    assert commune_a.sync().ok
    assert commune_a.app.flags.list() == [] and not commune_a.app.flags.list(open_only=False)[0].open


def test_the_receiving_counter_returns_right_after_pulling_the_communes_result(province, make_counter):
    """R is the return point: its return follows A's result_ready on the server without being held
    (its prev_uuid is R's own intake) and reaches A; nothing is flagged."""
    regional = make_counter(province, AGENCY_R, "regional")
    commune_a = make_counter(province, AGENCY_A, "a")
    (code,) = regional.receive(1, competent_agency=AGENCY_A)
    assert regional.sync().ok and commune_a.sync().ok
    commune_a.app.actions.forward(code, "Cán bộ A")
    commune_a.app.actions.result_ready(code, "Cán bộ A")
    assert commune_a.sync().ok and regional.sync().ok
    returned = regional.app.actions.return_result(code, "Cán bộ R", receiver_name="Nguyễn Văn An")
    assert "reason" not in returned.events[-1].payload  # R is the return point
    report = regional.sync()
    assert report.ok and report.accepted == 1 and report.failed == 0
    assert _status(province, code) == "returned"
    assert all(e["applied"] for e in province.events() if e["dossier"] == code)
    assert commune_a.sync().ok
    assert commune_a.app.queries.get(code).status == "returned"
    assert province.service.review_flags(open_only=False) == []


def test_resolving_a_flag_needs_a_note_and_happens_once(province, make_counter):
    import pytest

    from provincial_server.service import ServerError

    regional = make_counter(province, AGENCY_R, "regional")
    commune_a = make_counter(province, AGENCY_A, "a")
    (code,) = regional.receive(1, competent_agency=AGENCY_A, return_agency=AGENCY_A)
    assert regional.sync().ok and commune_a.sync().ok
    commune_a.app.actions.result_ready(code, "Cán bộ A")
    assert commune_a.sync().ok and regional.sync().ok
    commune_a.app.actions.return_result(code, "Cán bộ A")
    regional.app.actions.return_result(code, "Cán bộ R", reason="Công dân đến quầy khu vực")
    assert commune_a.sync().ok and regional.sync().ok
    (flag,) = province.service.review_flags()
    assert flag["reason"] == "double_return" and flag["agencies"] == sorted([AGENCY_A, AGENCY_R])
    with pytest.raises(ServerError, match="Cần ghi nội dung xử lý"):
        province.service.resolve_flag(flag["id"], "  ")
    with pytest.raises(ServerError, match="Không có cờ kiểm tra số 999"):
        province.service.resolve_flag(999, "x")
    province.service.resolve_flag(flag["id"], "Đã xác minh")
    with pytest.raises(ServerError, match="đã được xử lý"):
        province.service.resolve_flag(flag["id"], "lần hai")
    assert province.service.review_flags() == [] and len(province.service.review_flags(open_only=False)) == 1
