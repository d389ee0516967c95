"""Issue 15 item 1: a counter that receives for several agencies. Dossier codes carry the competent
agency's prefix and the issuing device's slot in that agency, which the server assigns; codes stay
unique across every device issuing codes for one agency while offline, and a code in another
device's slot is refused."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid as uuidlib

import pytest
from sqlalchemy import select

from counter_app.core import protocol
from counter_app.core.codes import CODE_RE
from counter_app.core.errors import ValidationError
from provincial_server.models import CodeSlot, Dossier, Quarantine
from tests.conftest import ROOT, request
from tests.sync.conftest import AGENCY_A, AGENCY_B, AGENCY_R
from tests.sync.pushing import claimed, push

AGENCY_C = "H52.103"


def slot_of(code: str) -> tuple[str, int]:
    m = CODE_RE.match(code)
    return m["prefix"], int(m["seq"][:2])


def server_slots(province, agency: str) -> dict[int, int]:
    """device id → its slot in ``agency``, from the server's table."""
    with province.db.read() as s:
        return {d: n for d, n in s.execute(select(CodeSlot.device_id, CodeSlot.slot).where(CodeSlot.agency == agency))}


def test_a_communes_own_counter_and_a_regional_counter_never_collide_offline(any_province, make_counter):
    province = any_province
    regional = make_counter(province, AGENCY_R, "regional")  # enrolled first: it takes slot 1 in A and B
    commune = make_counter(province, AGENCY_A, "commune")
    slots = server_slots(province, AGENCY_A)
    assert len(set(slots.values())) == len(slots) == 2
    # Both offline, both issuing codes for A on the same day.
    at_region = regional.receive(30, competent_agency=AGENCY_A)
    at_commune = commune.receive(30)
    assert not set(at_region) & set(at_commune)
    assert {slot_of(c) for c in at_region} == {(AGENCY_A, regional.app.ctx.agency(AGENCY_A).slot)}
    assert {slot_of(c) for c in at_commune} == {(AGENCY_A, commune.app.ctx.settings.device_slot)}
    for counter in (regional, commune):
        report = counter.sync()
        assert report.ok and report.rejected == 0 and report.conflicts == 0
    with province.db.read() as s:
        stored = {d.code: d.competent_agency for d in s.scalars(select(Dossier))}
    assert stored == {c: AGENCY_A for c in at_region + at_commune}


def test_a_code_in_another_devices_slot_is_refused(province, make_counter):
    regional = make_counter(province, AGENCY_R, "regional")
    commune = make_counter(province, AGENCY_A, "commune")
    regional.receive(1, competent_agency=AGENCY_A)
    (intake,) = claimed(regional)
    commune_slot = commune.app.ctx.settings.device_slot
    day = intake["dossier_code"].split("-")[1]
    forged = {**intake, "uuid": str(uuidlib.uuid4()), "dossier_code": f"{AGENCY_A}-{day}-{commune_slot:02d}0001"}
    answer = push(province, regional, [forged]).json()["results"][0]
    assert answer["result"] == protocol.REJECTED and answer["reason"] == "code_not_yours"
    assert f"số {commune_slot:02d}" in answer["message"] and AGENCY_A in answer["message"]
    # A prefix the device has no slot in at all (C is served by nobody).
    other = {**intake, "uuid": str(uuidlib.uuid4()), "dossier_code": f"{AGENCY_C}-{day}-010001"}
    assert push(province, regional, [other]).json()["results"][0]["reason"] == "code_not_yours"
    with province.db.read() as s:
        assert sorted(s.scalars(select(Quarantine.reason))) == ["code_not_yours", "code_not_yours"]
    assert regional.sync().ok  # the genuine intake still lands under the regional counter's slot
    assert commune.receive(1) == [f"{AGENCY_A}-{day}-{commune_slot:02d}0001"]


def test_a_new_served_agency_reaches_the_enrolled_counter_with_its_slot(province, make_counter):
    regional = make_counter(province, AGENCY_R, "regional")
    assert regional.app.ctx.agency(AGENCY_C) is None
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", "provincial_server", "--db", province.db.url, "agency", "add",
                          "--code", AGENCY_R, "--name", "Trung tâm PVHCC khu vực 1", "--serves", f"{AGENCY_B},{AGENCY_C}"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "lần đồng bộ tới" in out.stdout
    province.service.add_agency(AGENCY_C, "UBND xã Định Tường", "Gia Lai")
    assert regional.sync().ok
    served = regional.app.ctx.agency(AGENCY_C)
    _, device = regional.app.outbox.identity()
    assert served is not None and served.slot == server_slots(province, AGENCY_C)[int(device)]
    (code,) = regional.receive(1, competent_agency=AGENCY_C)
    assert slot_of(code) == (AGENCY_C, served.slot)
    report = regional.sync()
    assert report.ok and report.rejected == 0
    # The commune C's own counter enrolled afterwards takes another slot.
    commune = make_counter(province, AGENCY_C, "commune-c")
    assert commune.app.ctx.settings.device_slot != served.slot
    # Re-running the same command adds nothing and sends nothing new.
    assert province.service.add_agency(AGENCY_R, "Trung tâm PVHCC khu vực 1", serves=[AGENCY_C]) is False


def test_the_provinces_location_free_list_is_pulled_and_decides_at_intake(province, make_counter, tmp_path):
    regional = make_counter(province, AGENCY_R, "regional")
    listed = tmp_path / "list.json"
    listed.write_text(json.dumps({"entries": [
        {"procedure_code": "1.001193", "decision": "2608/QĐ-UBND", "decision_date": "2025-11-24",
         "effective_from": "2025-11-24", "places": ["any_commune"], "channels": ["in_person", "post"]},
        {"procedure_code": "1.001612", "decision": "2608/QĐ-UBND", "decision_date": "2025-11-24",
         "effective_from": "2025-11-24", "removed_by": "2900/QĐ-UBND", "removed_on": "2026-01-01"},
    ]}, ensure_ascii=False), encoding="utf-8")
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    bad = tmp_path / "bad.json"
    bad.write_text('{"entries": [{"procedure_code": "1.001193", "decision": "x", "decision_date": "2025-13-01", '
                   '"effective_from": "2025-11-24"}]}', encoding="utf-8")
    refused = subprocess.run([sys.executable, "-m", "provincial_server", "--db", province.db.url, "publish-location-free",
                              str(bad)], capture_output=True, text=True, env=env, timeout=60)
    assert refused.returncode != 0 and "không hợp lệ" in refused.stderr
    done = subprocess.run([sys.executable, "-m", "provincial_server", "--db", province.db.url, "publish-location-free",
                           str(listed)], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert regional.sync().ok
    entries = regional.app.catalogue.location_free()
    assert [(e.procedure_code, e.decision, e.removed_by) for e in entries] == [
        ("1.001193", "2608/QĐ-UBND", None), ("1.001612", "2608/QĐ-UBND", "2900/QĐ-UBND")]
    # The list now decides: 1.001612 was removed (the catalogue flag set by the fixture no longer counts).
    with pytest.raises(ValidationError, match="1.001612.*UBND xã Định Hòa"):
        regional.app.intake.receive(request(competent_agency=AGENCY_B))
    (code,) = regional.receive(1, procedure="1.001193", competent_agency=AGENCY_B)
    assert code.startswith(AGENCY_B)
    assert regional.receive(1) and regional.sync().ok  # its own agency: any procedure
