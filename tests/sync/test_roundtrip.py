"""Counters and the reference server, for real: enrollment, push, pull, both databases."""

from __future__ import annotations


from tests.sync.conftest import AGENCY_A, AGENCY_B, AGENCY_R


def test_two_offline_counters_reach_a_fresh_server_exactly_once(any_province, make_counter):
    a = make_counter(any_province, AGENCY_A, "a")
    b = make_counter(any_province, AGENCY_A, "b")
    any_province.process.stop()  # the link is down: both counters keep working
    codes_a = a.receive(3)
    codes_b = b.receive(2)
    for code in codes_a[:2]:
        a.app.actions.forward(code, "Cán bộ A")
    offline = a.sync()
    assert offline.error_kind == "retryable" and not offline.online
    assert offline.pending == 5 and offline.pushed == 0
    assert len(set(codes_a) | set(codes_b)) == 5  # distinct device slots: no code collides

    any_province.process.start()
    for counter in (a, b, a, b):  # resending after success changes nothing
        report = counter.sync()
        assert report.ok, report.error
        assert report.pending == 0 and report.failed == 0
    stats = any_province.service.stats()
    assert stats["dossiers"] == 5 and stats["events"] == 7 and stats["held_events"] == 0
    assert stats["agencies"][AGENCY_A] == {"dossiers": 5, "events": 7}
    server = {e["uuid"] for e in any_province.events()}
    assert server == {e["uuid"] for e in a.local_events() + b.local_events()}


def test_status_changes_flow_back_but_never_over_unsent_local_events(province, make_counter):
    a = make_counter(province)
    first, second = a.receive(2)
    assert a.sync().ok
    province.service.set_status(first, "result_ready", note="Đã ký kết quả")
    province.service.set_status(second, "result_ready")
    a.app.actions.forward(second, "Cán bộ A")  # a local event the server has not seen yet
    province.process.stop()
    a.sync()
    province.process.start()
    # Push succeeds first; then the pulled status applies to both.
    report = a.sync()
    assert report.ok and report.pulled == 2
    assert a.app.queries.get(first).status == "result_ready"
    assert a.app.queries.get(second).status == "result_ready"
    kinds = [e.kind for e in a.app.queries.get(first).events]
    assert kinds[-1] == "province_status"


def test_status_is_deferred_while_the_dossier_has_an_undelivered_event(province, make_counter):
    a = make_counter(province)
    (code,) = a.receive(1)
    assert a.sync().ok
    province.service.set_status(code, "processing")
    a.app.actions.forward(code, "Cán bộ A")
    # Pull without pushing: the engine's push is skipped by making the event set aside first.
    with a.app.uow() as uow:
        uow.session.execute(__import__("sqlalchemy").text(
            "UPDATE outbox SET state='rejected', reason='test' WHERE state='pending'"))
        uow.commit()
    report = a.sync()
    assert report.deferred == 1
    assert a.app.queries.get(code).status == "processing"  # the counter's own forward, not overwritten
    assert [e.kind for e in a.app.queries.get(code).events][-1] == "forwarded"
    with a.app.uow() as uow:
        uow.outbox.retry_set_aside()
        uow.commit()
    report = a.sync()
    assert report.ok and report.deferred == 0 and report.pending == 0
    assert [e.kind for e in a.app.queries.get(code).events][-1] == "province_status"


def test_a_dossier_received_at_a_shared_counter_is_returned_at_the_commune(province, make_counter):
    regional = make_counter(province, AGENCY_R, "regional")
    commune = make_counter(province, AGENCY_B, "commune")
    (code,) = regional.receive(1, competent_agency=AGENCY_B)
    assert regional.sync().ok
    province.service.set_status(code, "result_ready", return_at=AGENCY_B)
    report = commune.sync()
    assert report.ok and report.applied.get("dossier:added") == 1
    here = commune.app.queries.get(code)
    assert here.status == "result_ready" and here.competent_agency == AGENCY_B
    commune.app.actions.return_result(code, "Cán bộ B", receiver_name="Trần Thị Bình")
    assert commune.sync().ok
    assert province.service.stats()["agencies"][AGENCY_B]["events"] == 2
    regional_report = regional.sync()
    assert regional_report.ok
    # Routed back (issue 15 item 3): the regional counter that received it sees the return at B.
    there = regional.app.queries.get(code)
    assert there.status == "returned"
    assert [e.kind for e in there.events][-1] == "returned"
    assert there.events[-1].payload["routed_from"] == AGENCY_B



def test_certifications_sync_like_any_dossier(province, make_counter):
    from counter_app.core.certification import CertItemInput
    from counter_app.core.certify import CertRequest
    from tests.conftest import applicant

    counter = make_counter(province)
    _, cert = counter.app.certification.certify(CertRequest(
        applicant=applicant(), officer="Cán bộ A", return_now=True,
        items=(CertItemInput("Giấy khai sinh", 1, 2), CertItemInput("Sổ hộ khẩu", 12, 1))))
    counter.app.certification.void(cert.code, 2, "Nhầm bản chính", "Cán bộ A")
    report = counter.sync()
    assert report.ok and report.pushed == 4  # received, result_ready, returned, certificate_voided
    from provincial_server.models import Dossier

    with province.db.read() as s:
        d = s.get(Dossier, cert.code)
        assert d.status == "returned" and d.procedure_code == "2.000815"
