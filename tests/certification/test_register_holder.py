"""One certification flow, two register holders: this machine (``LocalRegisterHolder``) and another
desk over HTTP (``RemoteRegisterHolder``), both built by ``app.certification`` and driven through
the same ``CertificationService`` calls. Administration goes through ``HolderAdminService``."""

from __future__ import annotations

import inspect
import json
import re
from datetime import date

import keyring
import pytest

from counter_app.core import certify
from counter_app.core.certification import CertKind, HolderUnavailable
from counter_app.core.errors import ValidationError
from counter_app.holder.admin import HolderAdminService
from counter_app.holder.client import RemoteRegisterHolder
from counter_app.storage.register_holder import LocalRegisterHolder
from tests.certification.test_desk import cert_request
from tests.sync.servers import free_port
from tests.testkeyring import MemoryKeyring

AGENCY = "H52.101"
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def _admin(app) -> HolderAdminService:
    return app.holder_admin


def _init(path, desk: int, clock):
    from counter_app.app import CounterApp

    return CounterApp.initialise(path, agency_code=AGENCY, agency_name="UBND xã Định Mỹ", province="Gia Lai",
                                 desk=desk, clock=clock)


class Office:
    """The desk under test and, for the remote case, the machine holding the registers."""

    def __init__(self, desk, holder_app=None, port: int | None = None) -> None:
        self.desk, self.holder_app, self.port, self.server = desk, holder_app, port, None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def serve(self) -> None:
        self.server = _admin(self.holder_app).server("127.0.0.1", self.port).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def register(self) -> list[tuple[int, str, str | None]]:
        app = self.holder_app or self.desk
        with app.read_uow() as uow:
            return [(e.number, e.state, e.dossier_code) for e in uow.cert_register.entries("SCT/BS", *YEAR)]

    def unconfirmed(self) -> list[str]:
        with self.desk.read_uow() as uow:
            return uow.certifications.unconfirmed()


@pytest.fixture(params=["local", "remote"])
def office(request, tmp_path, clock):
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    desk = _init(tmp_path / "desk", 2, clock)
    office = Office(desk)
    if request.param == "remote":
        office = Office(desk, _init(tmp_path / "holder", 1, clock), free_port())
        office.serve()
        code = _admin(office.holder_app).new_pair_code()
        assert _admin(desk).join(f"http://127.0.0.1:{office.port}/", code, "Quầy 2")["holder"] == office.url
    yield office
    office.stop()
    for app in (desk, office.holder_app):
        if app is not None:
            app.close()
    keyring.set_keyring(previous)


def test_the_app_builds_the_holder_the_settings_name(office):
    expected = RemoteRegisterHolder if office.holder_app else LocalRegisterHolder
    assert isinstance(office.desk.certification.holder, expected)


def test_certify_and_return_now_go_through_the_life_cycle(office):
    service = office.desk.certification
    dossier, cert = service.certify(cert_request(("A", 1, 1), ("B", 2, 1), return_now=True))
    assert [i.number for i in cert.items] == [1, 2]
    events = office.desk.queries.get(cert.code).events
    assert [(e.kind, e.status_before, e.status_after) for e in events] == [
        ("received", None, "received"), ("result_ready", "received", "result_ready"),
        ("returned", "result_ready", "returned")]
    assert dossier.status == "returned" and [e.uuid for e in dossier.events] == [e.uuid for e in events]
    assert office.register() == [(1, "issued", cert.code), (2, "issued", cert.code)]
    assert office.unconfirmed() == [] and service.confirm_pending() == 0
    assert [e.number for e in service.book(CertKind.COPY, *YEAR)] == [1, 2]


def test_void_strikes_the_number_out_of_the_holders_register(office):
    service = office.desk.certification
    _, cert = service.certify(cert_request(("A", 1, 1), ("B", 1, 1)))
    voided = service.void(cert.code, 2, "Nhầm bản chính", "Cán bộ A")
    assert voided.items[1].void and office.register()[1] == (2, "void", cert.code)
    assert [(e.number, e.void) for e in service.book(CertKind.COPY, *YEAR)] == [(1, False), (2, True)]
    assert [e.kind for e in office.desk.queries.get(cert.code).events][-1] == certify.VOIDED


def test_queue_when_unreachable_then_assign_and_confirm_pending(office):
    service = office.desk.certification
    if office.holder_app is None:  # this machine is never unreachable: nothing waits
        assert service.assign_pending("Cán bộ A") == [] and service.confirm_pending() == 0
        return
    office.stop()
    with pytest.raises(HolderUnavailable):
        service.certify(cert_request(("A", 1, 1)))
    _, queued = service.certify(cert_request(("A", 1, 1), queue_if_unreachable=True))
    assert not queued.numbered and office.register() == []
    office.serve()
    assert service.assign_pending("Cán bộ A") == [queued.code]
    assert service.get(queued.code).items[0].number == 1 and office.unconfirmed() == []
    # Committed, but the holder was not told: the reservation waits until confirm_pending.
    client = service.holder.client
    confirm = client.confirm

    def unreachable(*_args):
        raise HolderUnavailable("Không liên lạc được máy giữ sổ.", "test")

    client.confirm = unreachable
    _, cert = service.certify(cert_request(("B", 1, 1)))
    assert office.unconfirmed() == [cert.code] and office.register()[-1] == (2, "reserved", None)
    client.confirm = confirm
    assert service.confirm_pending() == 1
    assert office.register() == [(1, "issued", queued.code), (2, "issued", cert.code)]


def test_only_the_machine_holding_the_register_closes_the_year(office):
    service = office.desk.certification
    service.certify(cert_request(("A", 1, 1)))
    if office.holder_app is None:
        assert service.close_year(CertKind.COPY, 2026, force=True, reason="kiểm tra") == 1
        return
    with pytest.raises(ValidationError, match="Chỉ máy giữ sổ"):
        service.close_year(CertKind.COPY, 2026, force=True, reason="kiểm tra")


def test_closing_compares_with_the_holders_register(office):
    service = office.desk.certification
    service.certify(cert_request(("A", 1, 2)))
    report = service.closing(date(2026, 6, 10))
    assert report.balanced and report.register_certifications == 1


def test_the_service_has_one_path_for_both_holders():
    source = inspect.getsource(certify)
    assert not re.search(r"holder is (not )?None|if (not )?self\.holder\b", source)


def test_a_desk_that_draws_numbers_elsewhere_refuses_to_serve(office):
    if office.holder_app is None:
        return
    with pytest.raises(ValidationError, match="không thể đồng thời giữ sổ"):
        _admin(office.desk).server("127.0.0.1", free_port())


def test_moving_the_registers_to_another_machine(tmp_path, clock):
    old, new = _init(tmp_path / "old", 1, clock), _init(tmp_path / "new", 2, clock)
    try:
        old.certification.certify(cert_request(("A", 1, 1), ("B", 1, 1)))
        with pytest.raises(ValidationError, match="https://"):
            _admin(old).export_registers(tmp_path / "so.json", "may-moi")  # no port
        out = _admin(old).export_registers(tmp_path / "so.json", "http://may-moi:8765/")  # the holder speaks TLS only
        assert (out["registers"], out["entries"], out["holder"]) == (1, 2, "https://may-moi:8765")
        assert len(out["transfer_code"]) == 24
        assert old.ctx.settings.register_holder == "https://may-moi:8765"
        sealed = (tmp_path / "so.json").read_text("utf-8")
        assert json.loads(sealed)["format"] == "counter_app.sealed/1" and "entries" not in sealed
        with pytest.raises(ValidationError, match="mã mở tệp"):
            _admin(new).import_registers(tmp_path / "so.json")
        with pytest.raises(ValidationError, match="không đúng"):
            _admin(new).import_registers(tmp_path / "so.json", "AAAA-BBBB-CCCC-DDDD-EEEE")
        assert _admin(new).import_registers(tmp_path / "so.json", out["transfer_code"].lower()) == {"entries": 2}
        _, cert = new.certification.certify(cert_request(("C", 1, 1)))
        assert cert.items[0].number == 3  # the sequence continues on the new holder
        with pytest.raises(ValidationError, match="Không đọc được"):
            _admin(new).import_registers(tmp_path / "missing.json")
    finally:
        old.close()
        new.close()


def test_signing_writes_the_signer_and_day_into_the_holders_register(office):
    from dataclasses import replace

    desk = office.desk
    signers = desk.ctx.settings.cert_signers.added("Nguyễn Văn Chủ", "Chủ tịch UBND xã Định Mỹ", None, None)
    desk.setup.save_settings(replace(desk.ctx.settings, cert_signers=signers))
    service = desk.certification
    _, cert = service.certify(cert_request(("A", 1, 1), ("B", 1, 2)))
    service.sign(cert.code, "Nguyễn Văn Chủ", "Cán bộ A")
    lines = service.book(CertKind.COPY, *YEAR)  # read back from whichever machine holds the register
    assert [(e.signer_name, e.signer_title, e.signed_on) for e in lines] == [
        ("Nguyễn Văn Chủ", "Chủ tịch UBND xã Định Mỹ", date(2026, 6, 10))] * 2
