"""Issue 12, item 1: the server decides who may push what from its own registry, not from the event.
Each attack is made by a second enrolled counter of another agency (or another desk of the same one),
with its genuine token, as a hostile counter would."""

from __future__ import annotations

import uuid as uuidlib

import pytest
import requests
from sqlalchemy import select

from counter_app.core import protocol
from counter_app.core.calendar import TZ
from provincial_server.models import Dossier, Quarantine
from tests.sync.conftest import AGENCY_A, AGENCY_B
from tests.sync.pushing import claimed as _claimed, push as _push, token_of as _token




def _slot(province, agency: str) -> int:
    """The slot of the agency's newest device, read from the registry's table."""
    from provincial_server.models import Device

    with province.db.read() as s:
        return max(s.scalars(select(Device.slot).where(Device.agency == agency)))


def _next_code(counter, agency: str, slot: int, n: int = 1) -> str:
    """Codes are predictable: <agency>-<yyMMdd>-<slot:02d><n:04d>."""
    return f"{agency}-{counter.app.clock.now().astimezone(TZ):%y%m%d}-{slot:02d}{n:04d}"


def _forged(event: dict, **changes) -> dict:
    return {**event, "uuid": str(uuidlib.uuid4()), "prev_uuid": None, **changes}


def _dossier(province, code: str) -> Dossier | None:
    with province.db.read() as s:
        d = s.get(Dossier, code)
        if d is not None:
            s.expunge(d)
        return d


def _quarantined(province) -> list[str]:
    with province.db.read() as s:
        return list(s.scalars(select(Quarantine.reason)))


def test_a_planted_waiting_event_is_refused_when_the_real_intake_arrives(any_province, make_counter):
    province = any_province
    victim = make_counter(province, AGENCY_A, name="victim")
    attacker = make_counter(province, AGENCY_B, name="attacker")
    target = _next_code(victim, AGENCY_A, _slot(province, AGENCY_A))
    (own,) = attacker.receive(1)
    attacker.app.actions.forward(own, "Cán bộ B")
    template = [e for e in _claimed(attacker) if e["status_before"] is not None][0]
    # A life-cycle-valid forward (validation refuses received → returned outright, test_validation.py)
    # with an absurd due date: only the authorisation at release can stop it.
    planted = _forged(template, dossier_code=target, status_before="received", status_after="processing",
                      payload={"new_due_at": "2000-01-02T00:00:00+07:00"})
    answer = _push(province, attacker, [planted]).json()["results"][0]
    assert answer["result"] == protocol.ACCEPTED and answer["held"]  # waiting: its dossier is not there yet
    assert victim.receive(1) == [target]
    report = victim.sync()
    assert report.ok and report.rejected == 0 and report.conflicts == 0
    real = _dossier(province, target)
    assert real.status == "received" and real.returned_at is None and not real.due_at.startswith("2000")
    assert "not_authorised" in _quarantined(province)
    assert planted["uuid"] not in {e["uuid"] for e in province.events()}
    # Sent again, it is now refused outright rather than answered "duplicate".
    again = _push(province, attacker, [planted]).json()["results"][0]
    assert again["result"] == protocol.REJECTED and again["reason"] == "agency_not_served"


def test_squatting_another_agencys_next_code_is_refused_and_the_real_intake_lands(province, make_counter):
    victim = make_counter(province, AGENCY_A, name="victim")
    attacker = make_counter(province, AGENCY_B, name="attacker")
    target = _next_code(victim, AGENCY_A, _slot(province, AGENCY_A))
    attacker.receive(1)
    (intake,) = _claimed(attacker)
    squat = _forged(intake, dossier_code=target)
    answer = _push(province, attacker, [squat]).json()["results"][0]
    assert answer["result"] == protocol.REJECTED and answer["reason"] == "code_not_yours"
    assert "không thuộc cơ quan" in answer["message"]
    assert _dossier(province, target) is None
    assert victim.receive(1) == [target]
    report = victim.sync()
    assert report.ok and report.conflicts == 0 and report.rejected == 0 and report.accepted == 1
    assert _dossier(province, target).receiving_agency == AGENCY_A


def test_a_code_in_another_desks_slot_of_the_same_agency_is_refused(province, make_counter):
    first = make_counter(province, AGENCY_A, name="desk1")
    second = make_counter(province, AGENCY_A, name="desk2")
    assert _slot(province, AGENCY_A) == 2
    target = _next_code(first, AGENCY_A, 1)
    second.receive(1)
    (intake,) = _claimed(second)
    answer = _push(province, second, [_forged(intake, dossier_code=target)]).json()["results"][0]
    assert answer["result"] == protocol.REJECTED and answer["reason"] == "code_not_yours"
    assert "số 01" in answer["message"]
    assert first.receive(1) == [target]
    assert first.sync().conflicts == 0 and _dossier(province, target).intake_uuid != intake["uuid"]


@pytest.mark.parametrize("field", ["competent_agency", "receiving_agency"])
def test_an_intake_naming_an_agency_the_device_does_not_serve_is_refused(province, make_counter, field):
    counter = make_counter(province, AGENCY_A)
    counter.receive(1)
    (intake,) = _claimed(counter)
    dossier = {**intake["payload"]["dossier"], field: AGENCY_B}
    claimed = _forged(intake, payload={**intake["payload"], "dossier": dossier})  # event agency stays A
    answer = _push(province, counter, [claimed]).json()["results"][0]
    assert answer["result"] == protocol.REJECTED and answer["reason"] == "agency_not_served"
    assert AGENCY_B in answer["message"]
    assert _dossier(province, intake["dossier_code"]) is None
    assert counter.sync().accepted == 1  # the genuine intake still lands
    assert _dossier(province, intake["dossier_code"]).competent_agency == AGENCY_A


def _raw(province, token: str):
    return requests.post(f"{province.url}/api/v1/sync/push", json={"events": []}, timeout=10,
                         headers={"Authorization": f"Bearer {token}"})


@pytest.mark.parametrize("action", ["suspend", "revoke"])
def test_a_suspended_or_revoked_counter_is_told_and_keeps_its_queue(province, make_counter, action):
    from counter_app.ui.sync_view import status_text

    counter = make_counter(province, AGENCY_A)
    counter.receive(1)
    assert counter.sync().delivered == 1
    device_id = province.service.devices()[0]["id"]
    province.service.set_device_state(device_id, action)
    counter.receive(2)
    answer = _raw(province, _token(counter))
    reason = f"device_{'suspended' if action == 'suspend' else 'revoked'}"
    assert answer.status_code == 403 and answer.json()["reason"] == reason
    assert "Hồ sơ chờ gửi vẫn được giữ nguyên" in answer.json()["error"]
    report = counter.sync()
    assert report.error_kind == "auth" and report.error_reason == reason
    assert report.pending == 2 and report.delivered == 1 and report.failed == 0
    assert [e["state"] for e in counter.local_events()] == ["delivered", "pending", "pending"]
    text = status_text(counter.app.outbox.status(), report.online, report.error_kind, report.error_reason)
    assert ("tạm ngừng" if action == "suspend" else "thu hồi") in text and "2 chờ gửi" in text
    assert province.service.devices()[0]["state"] == ("suspended" if action == "suspend" else "revoked")
    if action == "suspend":
        province.service.set_device_state(device_id, "resume")
        report = counter.sync()
        assert report.ok and report.delivered == 3
    else:
        with pytest.raises(Exception, match="đã bị thu hồi"):
            province.service.set_device_state(device_id, "resume")


def test_device_commands_on_the_command_line(province, make_counter, capsys):
    from provincial_server.cli import main

    make_counter(province, AGENCY_A)
    url = province.db.url
    assert main(["--db", url, "device", "list"]) == 0
    assert "H52.101 quầy 01" in capsys.readouterr().out
    device_id = province.service.devices()[0]["id"]
    assert main(["--db", url, "device", "suspend", str(device_id)]) == 0
    assert main(["--db", url, "device", "revoke", str(device_id)]) == 0
    assert main(["--db", url, "device", "list"]) == 0
    assert "đã thu hồi" in capsys.readouterr().out
    assert main(["--db", url, "device", "revoke", "999"]) == 2
    assert main(["--db", url, "audit"]) == 0
    out = capsys.readouterr().out
    assert "device_suspend" in out and "device_revoke" in out and "enrolled" in out


def test_failed_tokens_are_rate_limited_per_source_and_audited(any_province, make_counter):
    province = any_province
    from provincial_server import guard
    from provincial_server.models import AuditLog

    counter = make_counter(province, AGENCY_A)
    guesses = [f"guess-{i}-{uuidlib.uuid4().hex}" for i in range(guard.MAX_PER_SOURCE)]
    assert all(_raw(province, g).status_code == 401 for g in guesses)
    limited = _raw(province, "one-more-guess")
    assert limited.status_code == 429 and limited.json()["reason"] == "rate_limited"
    assert 0 < int(limited.headers["Retry-After"]) <= guard.WINDOW.total_seconds()
    # While the source is limited, even a genuine token from it waits: a guess cannot learn it was right.
    assert _raw(province, _token(counter)).status_code == 429
    counter.receive(1)
    report = counter.sync()  # told to come back later; nothing lost
    assert report.error_kind == "retryable" and report.pending == 1 and report.delivered == 0
    with province.db.read() as s:
        rows = list(s.scalars(select(AuditLog).where(AuditLog.kind == guard.BAD_TOKEN)))
    assert len(rows) == guard.MAX_PER_SOURCE and all(r.source == "127.0.0.1" for r in rows)
    logged = " ".join(f"{r.kind} {r.source} {r.agency} {r.detail}" for r in rows)
    assert not any(g in logged for g in guesses)


def test_enrollment_code_guesses_are_rate_limited_and_audited(province):
    from provincial_server import guard

    good = province.code(AGENCY_A)

    def enroll(code):
        return requests.post(f"{province.url}/api/v1/enroll", json={"code": code, "device_name": "x"},
                             timeout=10, headers={protocol.CLIENT_VERSION_HEADER: "99"})

    guesses = [f"AAAA-{i:04d}" for i in range(guard.MAX_PER_SOURCE)]
    assert [enroll(g).status_code for g in guesses] == [400] * guard.MAX_PER_SOURCE
    limited = enroll(good)  # the right code, but only after the window
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert "thử lại sau" in limited.json()["error"]
    log = province.service.audit_log()
    assert sum(r["kind"] == guard.BAD_ENROLL_CODE for r in log) == guard.MAX_PER_SOURCE
    assert not any(g in str(log) or good in str(log) for g in guesses)


def test_guesses_at_one_agencys_codes_from_many_addresses_are_limited_per_agency(province):
    """Addresses behind the (trusted, local) proxy are told apart by X-Forwarded-For."""
    from provincial_server import guard

    def enroll(code, address):
        return requests.post(f"{province.url}/api/v1/enroll", json={"code": code, "device_name": "x"},
                             timeout=10, headers={protocol.CLIENT_VERSION_HEADER: "99",
                                                  "X-Forwarded-For": address})

    used = province.code(AGENCY_A)
    assert enroll(used, "10.0.0.1").status_code == 200
    for i in range(guard.MAX_PER_AGENCY):  # three addresses' worth, each under its own limit
        assert enroll(used, f"10.0.1.{i // 9}").status_code == 400
    fresh_a, fresh_b = province.code(AGENCY_A), province.code(AGENCY_B)
    limited = enroll(fresh_a, "10.0.2.1")
    assert limited.status_code == 429 and limited.json()["reason"] == "rate_limited"
    assert enroll(fresh_b, "10.0.2.2").status_code == 200  # another agency is not affected
    log = province.service.audit_log(500)
    assert {r["source"] for r in log if r["kind"] == guard.BAD_ENROLL_CODE} == {f"10.0.1.{i}" for i in range(4)}
    assert all(r["agency"] == AGENCY_A for r in log if r["kind"] == guard.BAD_ENROLL_CODE)
