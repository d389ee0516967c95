"""Issue 12 item 2: the server checks every event against a strict schema. Each attack a hostile
enrolled counter could send is rejected with its own reason while the rest of its batch lands, and
nothing stored can stop the national export."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests

from counter_app.core import protocol
from tests.sync.conftest import AGENCY_A
from tests.sync.test_protocol import _claimed, _post, _token


def _fresh(event: dict, n: int, **changes) -> dict:
    """The intake as another dossier: a new UUID and code, then ``changes``."""
    out = json.loads(json.dumps(event))
    out["uuid"] = str(uuid.uuid4())
    out["dossier_code"] = f"{event['dossier_code']}-X{n}"
    out["payload"]["dossier"]["code"] = out["dossier_code"]
    for key, value in changes.items():
        if key.startswith("dossier."):
            out["payload"]["dossier"][key[8:]] = value
        else:
            out[key] = value
    return out


def _export(province, tmp_path) -> tuple[int, dict, str]:
    import subprocess
    import sys

    from tests.sync.servers import ROOT

    out = tmp_path / "dvcqg.json"
    run = subprocess.run([sys.executable, "-m", "provincial_server", "--db", province.db.url, "export-dvcqg",
                          "--since", "2000-01-01", "--out", str(out)], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    return run.returncode, (json.loads(out.read_text("utf-8")) if out.exists() else {}), run.stderr


ATTACKS = {  # reason code ← fields of a forged intake
    "invalid_status": {"status_after": "đã duyệt"},
    "invalid_date": {"dossier.received_at": "ngày mai"},
    "invalid_number": {"device_seq": 10 ** 30},
    "invalid_kind": {"kind": "approved_by_hacker"},
    "invalid_date ": {"at": "1900-01-01T08:00:00+07:00"},
    "invalid_date  ": {"dossier.due_at": "2999-01-01T17:00:00+07:00"},
    "invalid_status ": {"dossier.status": "bogus"},
    "invalid_event": {"officer": "a\x00b"},
    "invalid_event ": {"dossier.applicant_name": "x" * 5000},
    "invalid_number ": {"dossier.fees": [{"name": "Phí", "amount_vnd": 10 ** 30, "code": None}]},
    "invalid_event  ": {"dossier_code": "H52.101-260610-01'; DROP"},
    "invalid_transition": {"kind": "returned", "status_before": "received", "status_after": "returned"},
    "invalid_transition ": {"kind": "printed", "status_before": "received", "status_after": "returned"},
    "invalid_transition  ": {"status_after": "returned"},  # an intake born returned
}


def test_each_bad_event_is_rejected_with_its_reason_and_the_rest_of_the_batch_lands(
        any_province, make_counter, tmp_path):
    counter = make_counter(any_province)
    counter.receive(1)
    (good,) = _claimed(counter)
    forged = [_fresh(good, i, **fields) for i, fields in enumerate(ATTACKS.values())]
    answer = _post(any_province, counter, [*forged, good])
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    for (reason, _), event, result in zip(ATTACKS.items(), forged, results):
        assert (result["result"], result["reason"], result["uuid"]) == (protocol.REJECTED, reason.strip(),
                                                                         event["uuid"]), result
        assert result["message"] and result["detail"]
    assert results[-1]["result"] == protocol.ACCEPTED
    assert [e["uuid"] for e in any_province.events()] == [good["uuid"]]  # nothing forged was stored
    code, exported, stderr = _export(any_province, tmp_path)
    assert code == 0, stderr
    assert [r["MaHoSo"] for r in exported["data"]] == [good["dossier_code"]]


def _nested(depth: int) -> str:
    return '{"x":' * depth + "1" + "}" * depth


def test_deeply_nested_json_is_rejected_alone_and_the_good_events_land(province, make_counter):
    counter = make_counter(province)
    counter.receive(1)
    (good,) = _claimed(counter)
    deep, deeper = _fresh(good, 1), _fresh(good, 2)
    text = json.dumps({"events": [deep, good, deeper]})
    for event, depth in ((deep, 50), (deeper, 100_000)):  # parsed and measured; past the parser's limit
        text = text.replace(json.dumps(event["payload"]), json.dumps(event["payload"])[:-1] + ', "n": '
                            + _nested(depth) + "}")
    answer = requests.post(f"{province.url}/api/v1/sync/push", data=text.encode(), timeout=30,
                           headers={"Authorization": f"Bearer {_token(counter)}",
                                    "Content-Type": "application/json"})
    assert answer.status_code == 200, answer.text[:500]
    first, middle, last = answer.json()["results"]
    too_deep = (protocol.REJECTED, "event_too_deep")
    assert (first["result"], first["reason"], first["uuid"]) == (*too_deep, deep["uuid"])
    assert (last["result"], last["reason"], last["uuid"]) == (*too_deep, deeper["uuid"])
    assert middle["result"] == protocol.ACCEPTED
    assert [e["uuid"] for e in province.events()] == [good["uuid"]]


@pytest.mark.parametrize("body", [b'{"events": [{"payload": NaN}]}', b'{"events": [1e999]}',
                                  b'{"events": "\xff\xfe"}', b"[" * 200_000,
                                  b'{"events": [' + b"[" * 100_000],
                         ids=["nan", "infinity", "not-utf8", "unclosed-deep", "half-deep"])
def test_json_the_server_cannot_store_is_refused_with_400(province, make_counter, body):
    counter = make_counter(province)
    answer = requests.post(f"{province.url}/api/v1/sync/push", data=body, timeout=30,
                           headers={"Authorization": f"Bearer {_token(counter)}",
                                    "Content-Type": "application/json"})
    assert answer.status_code == 400 and answer.json()["error"]


def test_query_parameters_out_of_range_are_refused_not_a_500(any_province, make_counter):
    counter = make_counter(any_province)
    auth = {"Authorization": f"Bearer {_token(counter)}"}
    api = f"{any_province.url}/api/v1"
    for params in ({"cursor": 10 ** 30}, {"cursor": -1}, {"limit": 10 ** 30}, {"limit": 0}, {"cursor": "x"}):
        answer = requests.get(f"{api}/sync/pull", params=params, headers=auth, timeout=10)
        assert 400 <= answer.status_code < 500 and answer.json()["error"], (params, answer.text)
    for days in (["2026-06-10\x00"], ["9" * 5000], ["2026-13-45"]):
        answer = requests.post(f"{api}/sync/reconcile", json={"days": days}, headers=auth, timeout=10)
        assert answer.status_code == 400, (days, answer.text)
    assert requests.get(f"{api}/sync/reconcile/2026-06-10%00", headers=auth, timeout=10).status_code == 400
    sha = "0" * 64
    for offset, size in ((10 ** 30, 10), (0, 10 ** 30), (-5, 10)):
        answer = requests.put(f"{api}/attachments/{sha}", params={"offset": offset, "size": size}, data=b"x",
                              headers=auth, timeout=10)
        assert 400 <= answer.status_code < 500, (offset, size, answer.text)
    answer = requests.post(f"{api}/enroll", json={"code": "ABCD-EFGH-JKLM", "device_name": "a\x00b"},
                           timeout=10)
    assert answer.status_code == 422
    long_version = {**auth, protocol.CLIENT_VERSION_HEADER: "9" * 5000}  # past int()'s 4,300 digits
    assert requests.get(f"{api}/sync/pull", headers=long_version, timeout=10).status_code < 500
    assert requests.get(f"{api}/sync/pull", headers=auth, timeout=10).ok  # the valid request still works


def test_a_counters_real_events_of_every_kind_pass(province, make_counter):
    counter = make_counter(province)
    a, b, c = counter.receive(3)
    counter.app.intake.refuse(__import__("tests.conftest", fromlist=["request"]).request(), "Thiếu giấy tờ")
    actions = counter.app.actions
    actions.forward(a, "Cán bộ A")
    actions.request_supplement(a, "Cán bộ A", "Thiếu bản sao")
    actions.supplied(a, "Cán bộ A")
    actions.result_ready(a, "Cán bộ A")
    actions.return_result(a, "Cán bộ A", receiver_name="Nguyễn Văn B")
    actions.reschedule(b, "Cán bộ A", datetime.now(timezone(timedelta(hours=7))).replace(tzinfo=None)
                       + timedelta(days=30), "Cần xác minh")
    actions.stop(b, "Cán bộ A", "Dừng")
    actions.withdraw(c, "Cán bộ A", "Công dân rút")
    report = counter.sync()
    assert report.ok and report.rejected == 0 and report.failed == 0 and report.pending == 0
    assert len(province.events()) == 12


def test_export_dvcqg_reports_and_skips_a_bad_stored_row(tmp_path, capsys):
    """Rows planted directly in the database, as an older server or a hand edit might have left them."""
    from sqlalchemy import text

    from provincial_server.cli import main
    from provincial_server.db import ServerDatabase
    from provincial_server.models import Dossier

    url = f"sqlite:///{tmp_path / 'p.sqlite'}"
    db = ServerDatabase(url)
    db.upgrade()
    now = datetime.now(timezone.utc)

    def row(code, **kw):
        values = dict(code=code, receiving_agency=AGENCY_A, competent_agency=AGENCY_A, return_agency=AGENCY_A,
                      procedure_code="1.001612", procedure_name="Thủ tục", applicant_name="Nguyễn Văn A",
                      received_at="2026-06-10T08:00:00+07:00", due_at=None, returned_at=None,
                      status="received",
                      status_source="counter", intake_uuid=str(uuid.uuid4()), updated_at=now, data={})
        values.update(kw)
        return Dossier(**values)

    with db.transaction() as s:
        s.add_all([row("A-GOOD"), row("B-STATUS", status="bogus"), row("C-DATE", received_at="ngày mai"),
                   row("D-DATA", data=["not", "an", "object"]), row("E-DOCS", data={"documents": [1, 2]}),
                   row("F-ZGOOD", due_at="2026-06-20T17:00:00+07:00")])
    with db.engine.begin() as conn:  # text that is not JSON at all in the data column
        conn.execute(text("UPDATE dossier SET data = 'not json' WHERE code = 'E-DOCS'"))
    db.dispose()
    out = tmp_path / "out.json"
    assert main(["--db", url, "export-dvcqg", "--since", "2000-01-01", "--out", str(out)]) == 0
    exported = json.loads(out.read_text("utf-8"))
    assert [r["MaHoSo"] for r in exported["data"]] == ["A-GOOD", "F-ZGOOD"]
    err = capsys.readouterr().err
    for code in ("B-STATUS", "C-DATE", "D-DATA", "E-DOCS"):
        assert f"Bỏ qua hồ sơ {code}" in err


def test_the_kinds_the_server_accepts_are_the_kinds_the_counter_writes():
    from counter_app.core.certify import NUMBERED, SIGNED, VOIDED
    from counter_app.core.lifecycle import PAPER_TRANSFER, POSTAL_HANDOVER, PRINTED, STAFF_HANDOVER, Action
    from provincial_server.validation import EVENT_KINDS

    assert EVENT_KINDS == {a.value for a in Action} | {PRINTED, POSTAL_HANDOVER, STAFF_HANDOVER, PAPER_TRANSFER,
                                                       NUMBERED, SIGNED, VOIDED}
