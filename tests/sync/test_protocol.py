"""The protocol's rules, each against the real server: idempotency, quarantine, set-aside items,
per-dossier order, auth, the version gate, the clock, reconciliation, leases, the instance lock."""

from __future__ import annotations

import uuid
from datetime import timedelta

import requests
from sqlalchemy import text

from counter_app.core import protocol
from counter_app.sync.lock import InstanceLock
from tests.conftest import FixedClock
from tests.sync.conftest import AGENCY_A, AGENCY_B
from tests.sync.pushing import claimed as _claimed, push as _post, token_of as _token




def test_a_resent_uuid_with_another_payload_is_quarantined_never_applied(province, make_counter):
    counter = make_counter(province)
    counter.receive(1)
    (event,) = _claimed(counter)
    assert _post(province, counter, [event]).json()["results"][0]["result"] == protocol.ACCEPTED
    assert _post(province, counter, [event]).json()["results"][0]["result"] == protocol.DUPLICATE
    forged = dict(event, payload={**event["payload"], "dossier": {**event["payload"]["dossier"],
                                                                   "applicant_name": "Người khác"}})
    answer = _post(province, counter, [forged]).json()["results"][0]
    assert answer["result"] == protocol.REJECTED and answer["reason"] == "payload_mismatch"
    stats = province.service.stats()
    assert stats["events"] == 1 and stats["quarantined"] == 1
    from provincial_server.models import Dossier

    with province.db.read() as s:
        assert s.get(Dossier, event["dossier_code"]).applicant_name != "Người khác"


def test_a_rejected_event_is_set_aside_and_does_not_block_the_others(province, make_counter):
    counter = make_counter(province)
    # This counter also receives for agency B locally, but the province never allowed it to.
    counter.app.setup.add_served_agency(__import__("counter_app.core.model", fromlist=["Agency"]).Agency(
        AGENCY_B, "UBND xã Định Hòa", "Gia Lai", False))
    good = counter.receive(2)
    (foreign,) = counter.receive(1, receiving_agency=AGENCY_B)
    counter.app.actions.forward(foreign, "Cán bộ A")
    more = counter.receive(1)
    report = counter.sync()
    assert report.rejected == 2 and report.pushed == 3  # the intake and its forward; the rest went
    assert report.failed == 2 and report.pending == 0
    with counter.app.read_uow() as uow:
        items = uow.outbox.items(states=("rejected",))
    assert all("không được phép" in i.reason and i.dossier_code == foreign for i in items)
    assert {e["dossier"] for e in province.events()} == set(good + more)
    # A later event of that dossier waits behind the set-aside ones instead of overtaking them.
    counter.app.actions.result_ready(foreign, "Cán bộ A")
    report = counter.sync()
    assert report.pushed == 0 and report.pending == 1
    with counter.app.read_uow() as uow:
        assert uow.outbox.counts()["waiting"] == 1
    # The province fixes its configuration; staff press "Gửi lại": all three go, in order.
    province.service.add_agency(AGENCY_A, "UBND xã Định Mỹ", "Gia Lai", serves=[AGENCY_B])
    with counter.app.uow() as uow:
        assert uow.outbox.retry_set_aside() == 2
        uow.commit()
    report = counter.sync()
    assert report.ok and report.pending == 0 and report.failed == 0
    seqs = [e["device_seq"] for e in province.events() if e["dossier"] == foreign]
    assert seqs == sorted(seqs) and len(seqs) == 3


def test_a_later_event_that_arrives_first_waits_for_its_predecessor(province, make_counter):
    counter = make_counter(province)
    (code,) = counter.receive(1)
    counter.app.actions.forward(code, "Cán bộ A")
    counter.app.actions.result_ready(code, "Cán bộ A")
    intake, forward, ready = _claimed(counter)
    assert forward["prev_uuid"] == intake["uuid"] and ready["prev_uuid"] == forward["uuid"]
    assert _post(province, counter, [ready])  # dossier unknown yet: stored, held
    assert _post(province, counter, [forward]).json()["results"][0]["held"] is True
    assert province.service.stats()["held_events"] == 2
    assert _post(province, counter, [intake]).json()["results"][0]["held"] is False
    assert province.service.stats()["held_events"] == 0
    from provincial_server.models import Dossier

    with province.db.read() as s:
        assert s.get(Dossier, code).status == "result_ready"


def test_one_dossier_code_from_two_intakes_is_a_conflict(province, make_counter):
    a = make_counter(province, AGENCY_A, "a")
    (code,) = a.receive(1)
    (intake,) = _claimed(a)
    assert a.sync().ok
    # The same device sends a second, different intake under that code (e.g. restored from an old backup).
    other = dict(intake, uuid=str(uuid.uuid4()),
                 payload={**intake["payload"], "dossier": {**intake["payload"]["dossier"], "applicant_name": "Khác"}})
    answer = _post(province, a, [other]).json()["results"][0]
    assert answer["result"] == protocol.CONFLICT and code in answer["message"]
    assert province.service.stats()["quarantined"] == 1


def test_a_counter_on_another_desks_slot_is_refused_not_merged(province, make_counter):
    a = make_counter(province, AGENCY_A, "a")
    b = make_counter(province, AGENCY_A, "b")
    with b.app.uow() as uow:  # a misconfigured install: both counters on one device slot
        uow.settings.set("device_slot", a.app.ctx.settings.device_slot)
        uow.commit()
    (code_a,) = a.receive(1)
    (code_b,) = b.receive(1)
    assert code_a == code_b
    assert a.sync().ok
    report = b.sync()  # the code lies in a's slot: b's intake is set aside for staff, a's dossier untouched
    assert report.rejected == 1 and report.failed == 1
    with b.app.read_uow() as uow:
        (item,) = uow.outbox.items(states=("rejected",))
    assert "dải số" in item.reason
    assert province.service.stats()["quarantined"] == 1


def test_a_wrong_token_stops_and_keeps_the_queue(province, make_counter):
    counter = make_counter(province)
    counter.receive(2)
    counter.engine.client.token = "not-the-token"
    report = counter.sync()
    assert report.error_kind == "auth" and report.online
    assert "đăng ký lại" in report.error
    assert report.pending == 2 and province.service.stats()["events"] == 0


def test_an_old_client_is_told_to_update_and_keeps_its_queue(province, make_counter):
    counter = make_counter(province)
    counter.receive(1)
    province.service.set_min_client_version("9.0")
    report = counter.sync()
    assert report.error_kind == "version" and "cập nhật" in report.error
    assert report.pending == 1
    province.service.set_min_client_version("0.1")
    assert counter.sync().ok


def test_clock_skew_over_five_minutes_warns_but_never_blocks(province, make_counter):
    from datetime import datetime

    from counter_app.core.calendar import TZ

    clock = FixedClock(datetime.now(TZ) + timedelta(minutes=12))
    counter = make_counter(province, clock=clock)
    counter.receive(1)
    report = counter.sync()
    assert report.ok and report.pushed == 1
    assert report.clock_skew_seconds > 600
    assert "nhanh 12 phút" in report.clock_warning and "Giờ đúng" in report.clock_warning


def test_reconciliation_resends_what_the_server_lost(province, make_counter):
    counter = make_counter(province)
    codes = counter.receive(3)
    assert counter.sync().ok
    with province.db.transaction() as s:  # the server lost an event (restored from an old backup)
        s.execute(text("DELETE FROM event WHERE dossier_code = :c"), {"c": codes[1]})
    report = counter.sync()
    assert report.requeued == 1 and report.pushed == 1 and report.ok
    assert {e["dossier"] for e in province.events()} == set(codes)


def test_a_sending_lease_runs_out_back_to_pending(province, make_counter):
    counter = make_counter(province)
    counter.receive(2)
    now = counter.app.clock.now()
    with counter.app.uow() as uow:
        assert len(uow.outbox.claim(now, timedelta(minutes=2))) == 2
        uow.commit()
    with counter.app.uow() as uow:
        assert uow.outbox.release_leases(now + timedelta(minutes=1)) == 0
        assert uow.outbox.release_leases(now + timedelta(minutes=3)) == 2
        uow.commit()
    assert counter.sync().pushed == 2


def test_a_second_instance_cannot_send_the_same_queue(province, make_counter):
    counter = make_counter(province)
    counter.receive(1)
    other = InstanceLock(counter.app.data_dir / "sync.lock")
    assert other.acquire()
    report = counter.sync()
    assert report.error_kind == "locked" and report.pending == 1
    other.release()
    assert counter.sync().pushed == 1


def test_a_retried_enrollment_whose_answer_was_lost_gets_a_working_token(province, tmp_path):
    code = province.code()
    body = {"code": code, "device_name": "quầy 1", "nonce": uuid.uuid4().hex}
    first = requests.post(f"{province.url}/api/v1/enroll", json=body, timeout=10).json()
    again = requests.post(f"{province.url}/api/v1/enroll", json=body, timeout=10).json()
    assert again["device_id"] == first["device_id"] and again["token"] != first["token"]
    stranger = requests.post(f"{province.url}/api/v1/enroll", json={**body, "nonce": "x" * 20}, timeout=10)
    assert stranger.status_code == 400 and "đã dùng" in stranger.json()["error"]
    pull = requests.get(f"{province.url}/api/v1/sync/pull", timeout=10,
                        headers={"Authorization": f"Bearer {again['token']}"})
    assert pull.ok
    assert len(again["token"]) < protocol.MAX_TOKEN_LENGTH


def test_oversized_and_malformed_batches(province, make_counter):
    counter = make_counter(province)
    counter.receive(1)
    (event,) = _claimed(counter)
    too_many = _post(province, counter, [event] * (protocol.MAX_BATCH_EVENTS + 1))
    assert too_many.status_code == 413
    huge = requests.post(f"{province.url}/api/v1/sync/push", data=b"x" * (3 * 1024 * 1024), timeout=30,
                         headers={"Authorization": f"Bearer {_token(counter)}", "Content-Type": "application/json"})
    assert huge.status_code == 413
    mixed = _post(province, counter, [{"uuid": "nope"}, event]).json()["results"]
    assert mixed[0]["result"] == protocol.REJECTED and mixed[0]["reason"] == "invalid_event"
    assert mixed[1]["result"] == protocol.ACCEPTED


def test_catalogue_and_calendar_updates_are_pulled(province, make_counter):
    counter = make_counter(province)
    procedure = next(p for p in counter.app.catalogue.procedures() if p.code == "1.001612")
    province.service.publish("catalogue", [{
        "code": "1.001612", "name": procedure.name, "field": procedure.field, "working_days": 2,
        "fee_vnd": 100000, "documents": [
            {"name": "Giấy đề nghị đăng ký hộ kinh doanh", "kind": "original"},
            {"name": "Văn bản ủy quyền cho cá nhân", "group": "Giấy tờ ủy quyền",
             "case": "ủy quyền thực hiện thủ tục"},
            {"name": "Hợp đồng dịch vụ và giấy giới thiệu", "group": "Giấy tờ ủy quyền",
             "case": "ủy quyền thực hiện thủ tục"}],
    }])
    province.service.publish("calendar", [{"day": "2026-12-31", "kind": "day_off", "note": "Nghỉ bù"}])
    report = counter.sync()
    assert report.ok and report.settings_changed
    updated = next(p for p in counter.app.catalogue.procedures() if p.code == "1.001612")
    assert updated.working_days == 2 and updated.fee_vnd == 100000
    assert [(d.required, d.group, d.case) for d in updated.documents] == [
        (True, None, None), (False, "Giấy tờ ủy quyền", "ủy quyền thực hiện thủ tục"),
        (False, "Giấy tờ ủy quyền", "ủy quyền thực hiện thủ tục")]  # a pulled catalogue keeps alternatives
    assert [o.day.isoformat() for o in counter.app.calendar_admin.overrides()] == ["2026-12-31"]
    assert counter.sync().pulled == 0  # the cursor moved: nothing applied twice


def test_published_swaps_are_pulled_and_laid_over_the_bundled_file(province, make_counter, tmp_path):
    """Issue 14 item 12: the province publishes the government's swaps (its whole list) with the server's
    CLI; a bad list is refused there; the counter lays the list over the file it ships."""
    import json
    import subprocess
    import sys
    from datetime import date

    from tests.sync.servers import ROOT

    counter = make_counter(province)
    cal = counter.app.ctx.calendar
    assert not cal.is_working_day(date(2026, 1, 2)) and not cal.is_working_day(date(2026, 8, 31))  # bundled

    def publish(swaps) -> subprocess.CompletedProcess:
        path = tmp_path / "swaps.json"
        path.write_text(json.dumps({"swaps": swaps}, ensure_ascii=False), "utf-8")
        return subprocess.run([sys.executable, "-m", "provincial_server", "--db", province.db.url, "publish-swaps",
                               str(path)], capture_output=True, text=True, cwd=ROOT, timeout=120)

    refused = publish([{"id": "x", "day_off": "2027-01-04"}])  # no source document
    assert refused.returncode == 2 and "văn bản" in refused.stderr
    done = publish([{"id": "2026-tet-duong-lich", "cancelled": True},
                    {"id": "2027-thu", "day_off": "2027-01-04", "working_day": "2027-01-09", "name": "Đổi ngày thử",
                     "source": "Văn bản thử của tỉnh", "verified": False}])
    assert done.returncode == 0, done.stderr
    report = counter.sync()
    assert report.ok and report.applied.get("calendar_swaps:replaced") == 1
    cal = counter.app.ctx.calendar
    assert cal.is_working_day(date(2026, 1, 2)) and not cal.is_working_day(date(2026, 1, 10))  # withdrawn
    assert not cal.is_working_day(date(2027, 1, 4)) and cal.is_working_day(date(2027, 1, 9))  # added
    assert not cal.is_working_day(date(2026, 8, 31))  # the other bundled swaps stay
    assert counter.app.calendar_admin.overrides() == []  # the office's own list is another thing
    assert counter.sync().pulled == 0


def test_attachments_upload_resumably_and_are_checked(province, make_counter):
    import hashlib

    counter = make_counter(province)
    client = counter.engine.client
    content = bytes(range(256)) * 4000  # about 1 MB
    sha = hashlib.sha256(content).hexdigest()
    assert client.attachment_state(sha) is None
    client.put_attachment_piece(sha, 0, len(content), content[:300_000])
    # The link dropped; the client asks where to resume, and a wrong offset is refused.
    state = client.attachment_state(sha)
    assert state["received"] == 300_000 and not state["complete"]
    wrong = requests.put(f"{province.url}/api/v1/attachments/{sha}", params={"offset": 0, "size": len(content)},
                         data=b"zz", headers={"Authorization": f"Bearer {_token(counter)}"}, timeout=10)
    assert wrong.status_code == 409 and "300000" in wrong.json()["error"]
    done = client.put_attachment_piece(sha, 300_000, len(content), content[300_000:])
    assert done["complete"] and (province.process.workdir / "blobs" / sha[:2] / sha).read_bytes() == content
    bad = hashlib.sha256(b"other").hexdigest()
    answer = requests.put(f"{province.url}/api/v1/attachments/{bad}", params={"offset": 0, "size": 5},
                          data=b"hello", headers={"Authorization": f"Bearer {_token(counter)}"}, timeout=10)
    assert answer.status_code == 422
    assert client.attachment_state(bad)["received"] == 0
