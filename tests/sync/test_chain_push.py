"""The device hash chain against the real server: correct chains are accepted in any arrival order,
a broken link is quarantined as ``chain_broken``, and counters from before the chain still work."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from counter_app.core import protocol
from tests.sync.pushing import claimed, push

# The event body as counters pushed it before the chain existed: its hash must never change.
OLD_FIELDS = ("uuid", "device_seq", "dossier_code", "agency", "kind", "at", "officer", "status_before",
              "status_after", "prev_uuid", "payload")


def results(answer) -> list[tuple[str, str | None]]:
    assert answer.status_code == 200, answer.text
    return [(r["result"], r.get("reason")) for r in answer.json()["results"]]


def old(event: dict) -> dict:
    """What a counter without the chain would have sent."""
    return {k: event[k] for k in OLD_FIELDS}


def test_a_counter_syncs_its_chain_and_every_event_links(any_province, make_counter):
    counter = make_counter(any_province)
    code = counter.receive(3)[1]
    counter.app.actions.forward(code, "Cán bộ A")
    bodies = claimed(counter)
    assert [b["device_seq"] for b in bodies] == [1, 2, 3, 4]
    assert bodies[0]["prev_hash"] == protocol.CHAIN_GENESIS
    assert [b["prev_hash"] for b in bodies[1:]] == [protocol.payload_hash(b) for b in bodies[:-1]]
    counter.sync()
    assert {e["state"] for e in counter.local_events()} == {"delivered"}
    assert len(any_province.events()) == 4


def test_a_correct_chain_arriving_out_of_order_is_accepted(province, make_counter):
    counter = make_counter(province)
    counter.receive(4)
    e1, e2, e3, e4 = claimed(counter)
    assert results(push(province, counter, [e3])) == [(protocol.ACCEPTED, None)]
    assert results(push(province, counter, [e1, e4])) == [(protocol.ACCEPTED, None)] * 2
    # e2 is checked against both neighbours already stored.
    assert results(push(province, counter, [e2])) == [(protocol.ACCEPTED, None)]
    assert results(push(province, counter, [e2])) == [(protocol.DUPLICATE, None)]


def _audit_of(province) -> list[dict]:
    return [a for a in province.service.audit_log() if a["kind"] == "chain_broken"]


def test_a_broken_link_is_quarantined_and_audited(province, make_counter):
    counter = make_counter(province)
    counter.receive(2)
    e1, e2 = claimed(counter)
    forged = dict(e2, prev_hash="f" * 64)
    answer = push(province, counter, [e1, forged])
    assert results(answer) == [(protocol.ACCEPTED, None), (protocol.REJECTED, "chain_broken")]
    assert "chuỗi" in answer.json()["results"][1]["message"]
    assert province.service.stats()["quarantined"] == 1
    [entry] = _audit_of(province)
    assert "device_seq 2" in entry["detail"] and entry["device_id"] is not None
    assert [e["device_seq"] for e in province.events()] == [1]


def test_a_rewritten_event_is_refused_by_the_successor_already_stored(province, make_counter):
    """The counter's copy of event 2 was rewritten (and its own prev_hash kept right) after event 3
    reached the server: event 3 names the original, so the rewrite does not fit between them."""
    counter = make_counter(province)
    counter.receive(3)
    e1, e2, e3 = claimed(counter)
    assert results(push(province, counter, [e1, e3])) == [(protocol.ACCEPTED, None)] * 2
    rewritten = dict(e2, payload={**e2["payload"], "dossier": {**e2["payload"]["dossier"],
                                                               "applicant_name": "Người khác"}})
    assert results(push(province, counter, [rewritten])) == [(protocol.REJECTED, "chain_broken")]
    assert len(_audit_of(province)) == 1


def test_a_chain_restarting_at_genesis_is_refused_after_a_chained_event(province, make_counter):
    counter = make_counter(province)
    counter.receive(2)
    e1, e2 = claimed(counter)
    assert results(push(province, counter, [e1, dict(e2, prev_hash=protocol.CHAIN_GENESIS)])) == [
        (protocol.ACCEPTED, None), (protocol.REJECTED, "chain_broken")]


def test_events_without_prev_hash_are_accepted_and_a_resend_is_duplicate(province, make_counter):
    counter = make_counter(province)
    counter.receive(3)
    e1, e2, e3 = claimed(counter)
    # A counter upgraded after its events 1 and 2: 3 starts the chain at genesis.
    first = dict(e3, prev_hash=protocol.CHAIN_GENESIS)
    assert results(push(province, counter, [old(e1), old(e2), first])) == [(protocol.ACCEPTED, None)] * 3
    assert results(push(province, counter, [old(e1), old(e2)])) == [(protocol.DUPLICATE, None)] * 2
    from provincial_server.models import Event

    with province.db.read() as s:
        stored = dict(s.execute(select(Event.device_seq, Event.payload_hash)).all())
    legacy = hashlib.sha256(protocol.canonical_json(old(e1))).hexdigest()
    assert stored[1] == legacy  # the hash a pre-chain server stored for the same event


def test_a_body_without_the_new_fields_hashes_as_before():
    body = {"uuid": "0" * 8 + "-0000-4000-8000-" + "0" * 12, "device_seq": 1, "dossier_code": "X",
            "agency": "H52.101", "kind": "received", "at": "2026-06-10T09:15:00+07:00", "officer": "A",
            "status_before": None, "status_after": "received", "prev_uuid": None, "payload": {"a": 1}}
    legacy = hashlib.sha256(protocol.canonical_json(body)).hexdigest()
    assert protocol.payload_hash(body) == legacy
    assert protocol.payload_hash({**body, "prev_hash": None, "state_hash": None}) == legacy
    assert protocol.payload_hash({**body, "prev_hash": "a" * 64}) != legacy
    assert protocol.EventBody.from_dict(body).to_dict() == body
