"""The register holder attacked from the office network (issue 12, item 3): what a curious machine
on the wire sees, a relay with its own certificate, a hostile paired desk, a slow or malformed
client, guessing pairing codes. Each attack worked on the plain-HTTP holder."""

from __future__ import annotations

import os
import socket
import ssl
import stat
import time
from datetime import date

import pytest

from counter_app.core.certification import EntryDraft
from counter_app.core.errors import ConfigurationError, CounterError, ValidationError
from counter_app.holder import transport
from counter_app.holder.client import HolderClient, holder_pin_store, holder_token_store
from counter_app.holder.service import Lockout
from tests.certification.relays import Mitm, Tap
from tests.certification.test_desk import cert_request
from tests.sync.servers import free_port

AGENCY = "H52.101"
ID = "052090123456"


def _init(path, desk: int, clock):
    from counter_app.app import CounterApp

    return CounterApp.initialise(path, agency_code=AGENCY, agency_name="UBND xã Định Mỹ", province="Gia Lai",
                                 desk=desk, clock=clock)


@pytest.fixture
def holder(tmp_path, clock, memory_keyring):
    app = _init(tmp_path / "holder", 1, clock)
    server = app.holder_admin.server("127.0.0.1", free_port()).start()
    yield app, server
    server.stop()
    app.close()


@pytest.fixture
def desks(tmp_path, clock, holder):
    """Two desks (numbers 2 and 3) paired with the holder."""
    app, server = holder
    out = []
    for n in (2, 3):
        desk = _init(tmp_path / f"desk{n}", n, clock)
        desk.holder_admin.join(server.url, app.holder_admin.new_pair_code(), f"Quầy {n}")
        out.append(desk)
    yield out
    for desk in out:
        desk.close()


def _client(desk) -> HolderClient:
    return desk.certification.holder.client


# -- 1. TLS, pinned at pairing ----------------------------------------------------------------
def test_the_wire_carries_no_id_number_name_token_or_code(tmp_path, clock, holder):
    app, server = holder
    tap = Tap(server.port)
    desk = _init(tmp_path / "desk", 2, clock)
    try:
        code = app.holder_admin.new_pair_code()
        desk.holder_admin.join(tap.url, code, "Quầy 2")
        _, cert = desk.certification.certify(cert_request(("Giấy khai sinh", 1, 2)))
        assert cert.items[0].number == 1
        desk.certification.book(cert.kind, date(2026, 1, 1), date(2026, 12, 31))
        token = holder_token_store(tap.url, 2).load()
        wire = bytes(tap.bytes)
        assert len(wire) > 2000  # the traffic went through the tap
        for secret in (ID, "Nguyễn Văn Ấn", token, code, code.replace("-", ""), "Giấy khai sinh", "Bearer"):
            assert secret.encode("utf-8") not in wire, secret
    finally:
        desk.close()
        tap.close()


def test_a_relay_with_its_own_certificate_cannot_pair(tmp_path, clock, holder):
    app, server = holder
    mitm = Mitm(server.port, tmp_path / "mitm")
    desk = _init(tmp_path / "desk", 2, clock)
    try:
        code = app.holder_admin.new_pair_code()
        with pytest.raises(ValidationError, match="Mã ghép quầy không đúng"):
            desk.holder_admin.join(mitm.url, code, "Quầy 2")  # the holder refuses a proof over another certificate
        assert code.encode() not in bytes(mitm.seen) and code.replace("-", "").encode() not in bytes(mitm.seen)
        assert app.holder_admin.desks() == [] and desk.ctx.settings.register_holder == ""
        desk.holder_admin.join(server.url, code, "Quầy 2")  # the code was not spent: the real holder pairs
        assert [d["desk"] for d in app.holder_admin.desks()] == [2]
    finally:
        desk.close()
        mitm.close()


def test_a_machine_with_another_certificate_at_the_holders_address_is_refused(tmp_path, clock, holder, desks):
    app, server = holder
    port = server.port
    server.stop()
    impostor = _init(tmp_path / "impostor", 1, clock)
    other = impostor.holder_admin.server("127.0.0.1", port).start()
    try:
        with pytest.raises(ConfigurationError, match="chứng chỉ khác"):
            desks[0].certification.certify(cert_request(("Giấy khai sinh", 1, 2)))
        with impostor.read_uow() as uow:
            assert uow.cert_register.entries("SCT/BS", date(2026, 1, 1), date(2026, 12, 31)) == []
    finally:
        other.stop()
        impostor.close()


def test_the_key_stays_with_its_owner_and_the_pin_is_the_certificate(holder, desks):
    app, server = holder
    key = app.data_dir / "holder" / "key.pem"
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    pinned = holder_pin_store(server.url, 2).load()
    assert pinned == server.fingerprint and app.holder_admin.fingerprint() == f"{pinned[:4]}-{pinned[4:8]}".upper()


# -- 2. the register is the holder's: masked IDs, own numbers, strict fields --------------------
def test_entries_leave_the_holder_with_masked_id_numbers(holder, desks):
    app, _ = holder
    desks[0].certification.certify(cert_request(("Giấy khai sinh", 1, 2)))
    remote = _client(desks[1]).entries("SCT/BS", date(2026, 1, 1), date(2026, 12, 31))
    assert [e.applicant_id for e in remote] == ["052******456"]
    with app.read_uow() as uow:  # the holder keeps the full number
        assert [e.applicant_id for e in uow.cert_register.entries("SCT/BS", date(2026, 1, 1),
                                                                   date(2026, 12, 31))] == [ID]


def test_a_desk_voids_only_its_own_numbers_and_the_holder_voids_any_with_a_reason(holder, desks):
    app, _ = holder
    a, b = desks
    _, cert = a.certification.certify(cert_request(("Giấy khai sinh", 1, 2)))
    with pytest.raises(ValidationError, match="quầy 3 không được hủy"):
        _client(b).void("SCT/BS", 2026, cert.items[0].number, "Phá", "Kẻ xấu")
    with pytest.raises(ValidationError, match="lý do"):
        app.holder_admin.void_number("SCT/BS", 2026, 1, "  ", "Quản trị")
    assert app.holder_admin.void_number("SCT/BS", 2026, 1, "Quầy 2 ghi nhầm", "Quản trị")["state"] == "void"


def _draft(**kw) -> EntryDraft:
    values = dict(position=1, document="Giấy khai sinh", pages=1, copies=2, fee=4_000, applicant_name="Lê Văn Tám",
                  applicant_id=None, officer="Cán bộ", desk=2, day=date(2026, 6, 10))
    values.update(kw)
    return EntryDraft(**values)


@pytest.mark.parametrize("year, change, detail", [
    (None, {"fee": -2_000}, "fee=-2000"),
    (None, {"fee": 1}, "schedule=4000"),
    (None, {"copies": 0}, "copies=0"),
    (None, {"pages": 0}, "pages=0"),
    (None, {"desk": 99}, "desk=99"),
    (None, {"desk": 3}, "desk=3"),  # another paired desk's number
    (1900, {}, "year=1900"),
    (2099, {}, "year=2099"),
    (None, {"day": date(2099, 1, 1)}, "day=2099"),
    (None, {"applicant_id": "０５２０９０１２３４５６"}, "applicant_id"),
    (None, {"officer": ""}, "officer"),
    (None, {"document": "x" * 600}, "document"),
], ids=lambda v: str(v)[:20])
def test_every_field_is_checked_before_it_enters_the_register(holder, desks, year, change, detail):
    app, _ = holder
    with pytest.raises(ValidationError) as err:
        _client(desks[0]).reserve("0f8e9a52-3b7c-4d21-9a6e-5c1d2e3f4a5b", "SCT/BS", year, [_draft(**change)])
    assert detail in err.value.detail
    with app.read_uow() as uow:
        assert uow.cert_register.registers() == []
    good = _client(desks[0]).reserve("0f8e9a52-3b7c-4d21-9a6e-5c1d2e3f4a5b", "SCT/BS", 2026, [_draft()])
    assert [n.number for n in good] == [1]


# -- 3. the server: address, timeouts, malformed requests ---------------------------------------
def test_the_holder_serves_only_on_the_chosen_office_address(tmp_path, clock, memory_keyring):
    app = _init(tmp_path / "h", 1, clock)
    try:
        with pytest.raises(ValidationError, match="Chưa chọn địa chỉ mạng nội bộ"):
            app.holder_admin.server(None, free_port())
        for everywhere in ("0.0.0.0", "::"):
            with pytest.raises(ValidationError, match="mọi mạng"):
                app.holder_admin.server(everywhere, free_port())
        with pytest.raises(ValidationError, match="0.0.0.0"):
            app.holder_admin.set_bind_address("0.0.0.0")
        app.holder_admin.set_bind_address("127.0.0.1")
        server = app.holder_admin.server(None, free_port())
        assert server.httpd.server_address[0] == "127.0.0.1"
        server.httpd.server_close()
    finally:
        app.close()


def _tls(port: int) -> ssl.SSLSocket:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10))
    return s


def _answer(s) -> bytes:
    out = b""
    try:
        while chunk := s.recv(65536):
            out += chunk
    except (TimeoutError, ssl.SSLError, OSError):
        pass
    return out


@pytest.mark.parametrize("request_bytes, status", [
    (b"POST /api/v1/holder/pair HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}", b"400"),
    (b"POST /api/v1/holder/pair HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n{}", b"400"),
    (b"GET /api/v1/holder/health HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n", b"400"),
    (b"GET /api/v1/holder/health HTTP/1.1\r\n" + b"".join(b"X-%d: %s\r\n" % (i, b"a" * 200) for i in range(99))
     + b"\r\n", b"431"),
    (b"GARBAGE\r\n\r\n", b"400"),
], ids=["non-number length", "negative length", "header without colon", "huge headers", "garbage line"])
def test_malformed_requests_get_a_400_in_json(holder, request_bytes, status):
    _, server = holder
    with _tls(server.port) as s:
        s.sendall(request_bytes)
        answer = _answer(s)
    assert answer.split(b" ")[1] == status, answer[:200]
    assert b"application/json" in answer and b"Traceback" not in answer


def test_a_body_that_stops_short_times_out(holder, monkeypatch):
    monkeypatch.setattr(transport, "IO_TIMEOUT", 1.0)
    app, _ = holder
    server = app.holder_admin.server("127.0.0.1", free_port()).start()
    try:
        started = time.monotonic()
        with _tls(server.port) as s:
            s.sendall(b"POST /api/v1/holder/pair HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"a\":")
            answer = _answer(s)
        assert answer.startswith(b"HTTP/1.1 408") and time.monotonic() - started < 8
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as plain:  # no TLS hello at all
            started = time.monotonic()
            assert plain.recv(100) == b"" and time.monotonic() - started < 8
    finally:
        server.stop()


# -- 4. pairing: lockout, unique desk numbers, revocation --------------------------------------
def test_pairing_locks_a_source_out_after_five_wrong_codes(tmp_path, clock, holder):
    app, server = holder
    desk = _init(tmp_path / "desk", 2, clock)
    try:
        for _ in range(5):
            with pytest.raises(ValidationError, match="Mã ghép quầy không đúng"):
                desk.holder_admin.join(server.url, "AAAA-BBBB-CCCC")
        good = app.holder_admin.new_pair_code()
        with pytest.raises(ValidationError, match="thử lại sau 15 phút"):
            desk.holder_admin.join(server.url, good)
        assert app.holder_admin.desks() == []
    finally:
        desk.close()


def test_the_lockout_forgives_after_its_window():
    now = [0.0]
    lock = Lockout(attempts=5, window=900, monotonic=lambda: now[0])
    for _ in range(5):
        lock.failed("10.0.0.7")
    with pytest.raises(Exception, match="thử lại sau"):
        lock.check("10.0.0.7")
    lock.check("10.0.0.8")  # another machine is not locked out
    now[0] = 901
    lock.check("10.0.0.7")


def test_two_desks_with_the_same_number_are_refused_at_pairing(tmp_path, clock, holder, desks):
    app, server = holder
    for n in (3, 1):  # a paired desk's number, the holder's own
        twin = _init(tmp_path / f"twin{n}", n, clock)
        try:
            with pytest.raises(ValidationError, match=f"Số quầy {n} đã được"):
                twin.holder_admin.join(server.url, app.holder_admin.new_pair_code())
        finally:
            twin.close()


def test_an_unpaired_desk_is_refused_at_once(holder, desks):
    app, _ = holder
    a, b = desks
    desk_id = next(d["id"] for d in app.holder_admin.desks() if d["desk"] == 2)
    assert app.holder_admin.unpair(desk_id)["desk"] == 2
    with pytest.raises(ConfigurationError, match="thu hồi"):
        a.certification.certify(cert_request(("Giấy khai sinh", 1, 2)))
    _, cert = b.certification.certify(cert_request(("Giấy khai sinh", 1, 2)))  # the other desk goes on
    assert cert.items[0].number is not None
    with pytest.raises(CounterError, match="Không có quầy"):
        app.holder_admin.unpair(999)


def test_desks_and_unpair_from_the_command_line(holder, desks, capsys):
    from counter_app.cli import main

    app, _ = holder
    data = str(app.data_dir)
    app_desks = app.holder_admin.desks()
    assert main(["holder", "desks", "--data-dir", data]) == 0
    listing = capsys.readouterr().out
    assert "Quầy 2" in listing and "Quầy 3" in listing
    assert main(["holder", "unpair", str(app_desks[0]["id"]), "--data-dir", data]) == 0
    assert "Đã thu hồi" in capsys.readouterr().out
    assert [d["revoked"] for d in app.holder_admin.desks()] == [True, False]
    assert main(["holder", "unpair", "999", "--data-dir", data]) != 0


def test_a_spent_code_cannot_pair_a_second_desk(holder):
    app, server = holder
    code = app.holder_admin.new_pair_code()
    assert HolderClient(server.url, None).pair(code, "Quầy 4", 4).desk_id
    with pytest.raises(ValidationError, match="Mã ghép quầy không đúng"):
        HolderClient(server.url, None).pair(code, "Quầy 5", 5)  # a new nonce is a new pairing


def test_serve_without_a_chosen_address_refuses_instead_of_listening_everywhere(tmp_path, clock, capsys):
    from counter_app.cli import main

    app = _init(tmp_path / "h", 1, clock)
    app.close()
    assert main(["holder", "serve", "--port", str(free_port()), "--data-dir", str(tmp_path / "h")]) != 0
    assert "Chưa chọn địa chỉ mạng nội bộ" in capsys.readouterr().err


def test_fuzzing_every_route_never_gives_a_500(holder, desks):
    """A bounded fuzz of every route with a paired desk's token: refusals, never a 500."""
    import json

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    client = _client(desks[0])
    leaf = st.none() | st.booleans() | st.integers(-10**30, 10**30) | st.text(max_size=30) | st.floats()
    value = st.recursive(leaf, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                          max_size=4), max_leaves=12)
    draft = st.fixed_dictionaries({k: value | st.just(v) for k, v in {
        "position": 1, "document": "Giấy khai sinh", "pages": 1, "copies": 2, "fee": 4000, "applicant_name": "A",
        "applicant_id": None, "officer": "B", "desk": 2, "day": "2026-06-10"}.items()})
    body = st.fixed_dictionaries({"request_id": st.uuids().map(str) | value, "register_type": st.just("SCT/BS") | value,
                                  "year": st.just(2026) | value, "entries": st.lists(draft, max_size=3) | value,
                                  "number": value, "reason": value, "dossier_code": value})

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(route=st.sampled_from(["/reserve", "/confirm", "/void", "/pair"]), payload=body | value)
    def fuzz(route, payload):
        r = client.session.post(f"{client.url}/api/v1/holder{route}", data=json.dumps(payload, allow_nan=True),
                                headers={"Authorization": f"Bearer {client.token}"}, timeout=10)
        assert r.status_code < 500, (route, payload, r.text)

    fuzz()
