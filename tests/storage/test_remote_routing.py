"""Issue 15 item 3 on the counter's side: routed events and flags pulled from the server."""

from __future__ import annotations

import uuid as uuidlib

from tests.conftest import outbox_count, request


def _event(code: str, kind: str, before: str, after: str, status: str) -> dict:
    return {"code": code, "agency": "H52.102", "status": status, "due_at": None,
            "event": {"uuid": str(uuidlib.uuid4()), "kind": kind, "at": "2026-06-02T09:00:00+07:00",
                      "officer": "Cán bộ xã", "status_before": before, "status_after": after, "payload": {}}}


def _apply(app, seq: int, data: dict) -> str:
    with app.uow() as uow:
        outcome = uow.remote.apply_event(seq, data)
        uow.commit()
    return outcome


def _deliver_all(app) -> None:
    with app.uow() as uow:
        uow.session.execute(__import__("sqlalchemy").text("UPDATE outbox SET state = 'delivered'"))
        uow.commit()


def test_routed_events_wait_for_local_ones_and_stay_in_order(app):
    code = app.intake.receive(request()).code  # its intake not delivered yet
    ready = _event(code, "result_ready", "received", "result_ready", "result_ready")
    returned = _event(code, "returned", "result_ready", "returned", "returned")
    assert _apply(app, 10, ready) == "deferred"
    _deliver_all(app)
    # Delivered now, but the earlier change still waits: the later one must not overtake it.
    assert _apply(app, 12, returned) == "deferred"
    with app.uow() as uow:
        outcomes = [uow.remote.apply_event(seq, data) for seq, kind, data in uow.remote.deferred()
                    if kind == "event"]
        uow.commit()
    assert outcomes == ["applied", "applied"]
    d = app.queries.get(code)
    assert d.status == "returned" and [e.kind for e in d.events] == ["received", "result_ready", "returned"]
    assert _apply(app, 12, returned) == "already"  # pulled again after a lost answer: nothing doubles
    assert len(app.queries.get(code).events) == 3


def test_an_event_on_a_dossier_not_here_is_ignored_and_writes_nothing(app):
    before = outbox_count(app)
    assert _apply(app, 3, _event("H52.102-260601-010009", "returned", "result_ready", "returned", "returned")) == (
        "unknown")
    assert outbox_count(app) == before and app.queries.list() == []


def test_a_flag_is_kept_updated_and_listed_until_resolved(app):
    code = app.intake.receive(request()).code
    flag = {"id": 4, "code": code, "reason": "double_return", "events": ["u1", "u2"],
            "raised_at": "2026-06-10T03:00:00+00:00"}
    with app.uow() as uow:
        assert uow.flags.apply(flag) == "added"
        assert uow.flags.apply({**flag, "events": ["u1", "u2", "u3"]}) == "updated"
        uow.commit()
    (shown,) = app.flags.list()
    assert shown.open and shown.events == ("u1", "u2", "u3") and app.flags.for_dossier(code.lower()) == [shown]
    with app.uow() as uow:
        uow.flags.apply({**flag, "resolved_at": "2026-06-11T03:00:00+00:00", "resolved_by": "Sở Nội vụ",
                         "note": "Đã xác minh"})
        uow.commit()
    assert app.flags.list() == []
    (resolved,) = app.flags.list(open_only=False)
    assert not resolved.open and "đã được tỉnh xử lý (Sở Nội vụ): Đã xác minh" in resolved.text_vi()
