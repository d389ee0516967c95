"""The wire's shapes are written once (``core.protocol``): the server's request models agree with
them, every shape survives a round trip, and a wrong shape is refused with the field named."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date

import pytest

from counter_app.core import protocol
from counter_app.core.certification import EntryDraft, RegisterEntry, RegisterNumber

DRAFT = EntryDraft(1, "Giấy khai sinh", 2, 3, 6_000, "Nguyễn Văn Ấn", "052090123456", "Cán bộ A", 2,
                   date(2026, 6, 10))
ENTRY = RegisterEntry(number=7, book="01/2026", register_type="SCT/BS", day=date(2026, 6, 10),
                      applicant_name="Nguyễn Văn Ấn", applicant_id=None, document="Học bạ", pages=4, copies=1,
                      fee=5_000, officer="Cán bộ A", desk=2, dossier_code="H52.101-260610-0001", void=True,
                      void_reason="Nhầm")
EVENT = protocol.EventBody(uuid="0f8e9a52-3b7c-4d21-9a6e-5c1d2e3f4a5b", device_seq=3,
                           dossier_code="H52.101-260610-0001", agency="H52.101", kind="received",
                           at="2026-06-10T09:15:00+07:00", officer="Cán bộ A", status_after="received",
                           payload={"dossier": {"applicant": "Nguyễn Văn Ấn", "fees": [1, 2]}})

SAMPLES = [
    EVENT,
    protocol.EnrollRequest(code="AB3D-EF7H-JKLM", device_name="Quầy 1", nonce="n"),
    protocol.EnrollAnswer(device_id=4, token="t", device_slot=2,
                          agency=protocol.AgencyInfo(code="H52.101", name="UBND xã Định Mỹ", province="Gia Lai"),
                          serves=(protocol.AgencyInfo(code="H52.102", name="UBND xã Định Lộc"),)),
    protocol.PairRequest(proof="p" * 64, name="Quầy 2", nonce="n", desk=2),
    protocol.PairAnswer(desk_id=1, token="t", agency="H52.101", proof="q" * 64),
    protocol.ReserveRequest(request_id="0f8e9a52-3b7c-4d21-9a6e-5c1d2e3f4a5b", register_type="SCT/BS", year=2026,
                            entries=(DRAFT, dataclasses.replace(DRAFT, position=2, applicant_id=None))),
    protocol.ReserveAnswer(numbers=(RegisterNumber(1, "01/2026"), RegisterNumber(2, "01/2026"))),
    protocol.ConfirmRequest(request_id="0f8e9a52-3b7c-4d21-9a6e-5c1d2e3f4a5b", dossier_code="H52.101-1"),
    protocol.VoidRequest(register_type="SCT/BS", year=2026, number=2, reason="Nhầm", officer="Cán bộ A"),
    protocol.RegisterEntries(entries=(ENTRY,)),
]


def _required(model) -> dict[str, bool]:
    return {name: field.is_required() for name, field in model.model_fields.items()}


def _shape(cls) -> dict[str, bool]:
    return {f.name: protocol.wire_required(f) for f in dataclasses.fields(cls)}


@pytest.mark.parametrize("model, shape", [("EventIn", protocol.EventBody), ("EnrollIn", protocol.EnrollRequest)])
def test_the_servers_request_models_match_the_shared_shapes(model, shape):
    from provincial_server import api

    assert _required(getattr(api, model)) == _shape(shape)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: type(s).__name__)
def test_every_shape_round_trips_through_json(sample):
    data = json.loads(json.dumps(sample.to_dict(), ensure_ascii=False))
    assert type(sample).from_dict(data) == sample
    assert type(sample).from_dict({**data, "added_by_a_newer_peer": 1}) == sample


def test_the_event_hash_is_the_canonical_body_hash_of_before():
    body = EVENT.to_dict()
    # The chain's fields come after, and only when set: an event without them hashes as it always did.
    assert tuple(body) == protocol.EVENT_FIELDS[:-2] == ("uuid", "device_seq", "dossier_code", "agency", "kind",
                                                         "at", "officer", "status_before", "status_after",
                                                         "prev_uuid", "payload")
    assert protocol.EVENT_FIELDS[-2:] == protocol.LATER_EVENT_FIELDS == ("prev_hash", "state_hash")
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    assert EVENT.hash() == protocol.payload_hash(body) == hashlib.sha256(canonical).hexdigest()


@pytest.mark.parametrize("shape, data, field", [
    (protocol.EventBody, {**EVENT.to_dict(), "device_seq": "3"}, "device_seq"),
    (protocol.EventBody, {**EVENT.to_dict(), "device_seq": True}, "device_seq"),
    (protocol.EventBody, {k: v for k, v in EVENT.to_dict().items() if k != "payload"}, "payload"),
    (protocol.ReserveRequest, {"request_id": "x", "register_type": "SCT/BS", "entries": {}}, "entries"),
    (protocol.ReserveRequest, {"request_id": "x", "register_type": "SCT/BS",
                               "entries": [{**dataclasses.asdict(DRAFT), "day": "10/06/2026"}]}, "entries[0].day"),
    (protocol.EnrollAnswer, {"device_id": 1, "token": "t", "device_slot": 1, "agency": "H52.101"}, "agency"),
    (protocol.VoidRequest, {"register_type": "SCT/BS", "year": 2026, "number": 2}, "reason"),
])
def test_a_wrong_shape_is_refused_naming_the_field(shape, data, field):
    with pytest.raises(protocol.WireError, match=f"^{field.replace('[', '.').replace(']', '.')}"):
        shape.from_dict(data)
    with pytest.raises(protocol.WireError):
        shape.from_dict([data])
