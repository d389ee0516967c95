"""Issue 15 item 5 through the reference server: a dossier received by the postal unit's officer and
its hand-overs to and from the specialist are pushed and accepted with the chain intact; a forged
hand-over (no direction, no giver, a bad time, or one that claims to change the status) is
rejected with its reason and never stored."""

from __future__ import annotations

import json
import uuid

from counter_app.core import protocol
from counter_app.core.officers import Operator
from counter_app.core.staff import HandoverDirection
from counter_app.startup import check_store
from tests.sync.pushing import claimed, push

POST = "Bưu điện xã Định Mỹ"


def test_hand_overs_are_accepted_and_forged_ones_rejected(province, make_counter):
    counter = make_counter(province)
    app = counter.app
    app.officers.add(Operator("root"), "an.bd", "Phạm Thị An", "mật-khẩu-2026", organisation=POST)
    (code,) = counter.receive(1, officer="Phạm Thị An", operator=POST)
    app.staff.record([code], "Phạm Thị An", giver="an.bd", receiver="Lê Văn Cường")
    forged_from = claimed(counter)[-1]  # the hand-over as the outbox would send it
    app.staff.record([code], "Lê Văn Cường", giver="Lê Văn Cường", receiver="an.bd",
                     direction=HandoverDirection.TO_COUNTER)
    report = counter.sync()
    assert report.ok and report.accepted == 3 and report.rejected == report.conflicts == 0
    assert [e["dossier"] for e in province.events()] == [code] * 3
    assert check_store(app.data_dir).ok  # the chain verifies with the hand-overs in it

    attacks = {
        "invalid_event": {"payload.direction": "sideways"},
        "invalid_event ": {"payload.giver": "  "},
        "invalid_event  ": {"payload.receiver": None},
        "invalid_date": {"payload.handed_at": "hôm qua"},
        "invalid_transition": {"status_after": "returned"},
    }
    forged = []
    for n, fields in enumerate(attacks.values()):
        event = json.loads(json.dumps(forged_from))
        event["uuid"], event["device_seq"] = str(uuid.uuid4()), 10_000 + n
        for key, value in fields.items():
            if key.startswith("payload."):
                event["payload"][key[8:]] = value
            else:
                event[key] = value
        forged.append(event)
    answer = push(province, counter, forged)
    assert answer.status_code == 200, answer.text
    for (reason, _), event, result in zip(attacks.items(), forged, answer.json()["results"]):
        assert (result["result"], result["reason"], result["uuid"]) == (protocol.REJECTED, reason.strip(),
                                                                         event["uuid"]), result
    assert len(province.events()) == 3  # nothing forged was stored
