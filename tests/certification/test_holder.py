"""Several desks of one office drawing numbers from one register holder over the network."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import keyring
import pytest
from counter_app.storage.cipher import open_store

from counter_app.core.certify import HolderUnavailable
from counter_app.core.errors import ValidationError
from counter_app.holder.tls import peer_fingerprint
from tests.certification.test_desk import cert_request
from tests.conftest import ROOT
from tests.sync.servers import free_port
from tests.testkeyring import FileKeyring

AGENCY = "H52.101"


@pytest.fixture
def os_keyring(tmp_path, monkeypatch):
    """A keyring the desk subprocesses can read too (stands in for the OS keyring)."""
    previous = keyring.get_keyring()  # before the variable below: in-process, tests/ is not on sys.path
    monkeypatch.setenv("TEST_KEYRING_FILE", str(tmp_path / "os-keyring.json"))
    monkeypatch.setenv("PYTHONPATH", str(ROOT / "tests"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "testkeyring.FileKeyring")
    keyring.set_keyring(FileKeyring())
    yield
    keyring.set_keyring(previous)


class Holder:
    def __init__(self, data_dir, timeout: float = 86400) -> None:
        self.data_dir, self.port, self.timeout, self.proc = data_dir, free_port(), timeout, None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def start(self) -> Holder:
        self.proc = subprocess.Popen([sys.executable, "-m", "counter_app", "holder", "serve", "--host", "127.0.0.1",
                                      "--port", str(self.port), "--reservation-timeout", str(self.timeout),
                                      "--data-dir", str(self.data_dir)], cwd=ROOT, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        for _ in range(300):
            try:
                peer_fingerprint("127.0.0.1", self.port, timeout=1)
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("holder did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def entries(self) -> list[tuple[int, str, str | None]]:
        con = open_store(self.data_dir / "counter.sqlite")
        try:
            return con.execute("SELECT number, state, dossier_code FROM cert_entry WHERE register_type='SCT/BS' "
                               "ORDER BY number").fetchall()
        finally:
            con.close()


def _init(data_dir, desk: int):
    from counter_app.app import CounterApp

    return CounterApp.initialise(data_dir, agency_code=AGENCY, agency_name="UBND xã Định Mỹ", province="Gia Lai",
                                 desk=desk)


@pytest.fixture
def office(tmp_path, os_keyring):
    """A holder machine (desk 1) serving, and two more desks paired with it."""
    holder_app = _init(tmp_path / "holder", 1)
    codes = []
    with holder_app.uow() as uow:
        codes = [uow.holder_desks.new_pair_code(holder_app.clock.now()) for _ in range(2)]
        uow.commit()
    holder_app.close()
    holder = Holder(tmp_path / "holder").start()
    desks = []
    for n, code in zip((2, 3), codes):
        app = _init(tmp_path / f"desk{n}", n)
        app.holder_admin.join(holder.url, code)
        desks.append(app)
    yield holder, desks
    for app in desks:
        app.close()
    holder.stop()


def desk_numbers(app) -> list[int]:
    con = open_store(app.db.path)
    try:
        return [n for (n,) in con.execute("SELECT number FROM cert_item WHERE number IS NOT NULL AND NOT void")]
    finally:
        con.close()


def _certify_loop(app, n: int) -> subprocess.Popen:
    env = {**os.environ, "COUNTER_APP_OFFICER": "Cán bộ", "PYTHONIOENCODING": "utf-8"}
    script = ("import sys;from counter_app.cli import main\n"
              f"for i in range({n}):\n"
              "    main(['certify','--name','Lê Văn Tám','--document','Giấy khai sinh|pages=2|copies=2',"
              "'--document','Sổ hộ khẩu|pages=12|copies=1','--data-dir',sys.argv[1]])\n")
    return subprocess.Popen([sys.executable, "-c", script, str(app.data_dir)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def test_two_desks_drawing_at_once_get_one_unbroken_sequence(office):
    holder, (a, b) = office
    procs = [_certify_loop(a, 25), _certify_loop(b, 25)]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0 and "Lỗi" not in err, err
    entries = holder.entries()
    assert [n for n, _, _ in entries] == list(range(1, 101))
    assert all(state == "issued" and code for _, state, code in entries)
    na, nb = desk_numbers(a), desk_numbers(b)
    assert len(na) == len(nb) == 50 and not set(na) & set(nb) and sorted(na + nb) == list(range(1, 101))
    # The office's book, read from either desk, is the holder's.
    from datetime import date

    from counter_app.core.certification import CertKind

    book = a.certification.book(CertKind.COPY, date(2000, 1, 1), date(2100, 1, 1))
    assert [e.number for e in book] == list(range(1, 101))


def test_a_desk_killed_mid_request_leaves_a_void_line_never_a_gap(tmp_path, os_keyring):
    holder_app = _init(tmp_path / "holder", 1)
    with holder_app.uow() as uow:
        code = uow.holder_desks.new_pair_code(holder_app.clock.now())
        uow.commit()
    holder_app.close()
    holder = Holder(tmp_path / "holder", timeout=3).start()
    desk = _init(tmp_path / "desk", 2)
    try:
        desk.holder_admin.join(holder.url, code)
        for delay in (0.2, 0.45):
            before = len(holder.entries())
            proc = _certify_loop(desk, 500)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and len(holder.entries()) == before:
                time.sleep(0.02)
            time.sleep(delay)  # the loop is running: the kill lands somewhere in a request
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            desk.certification.confirm_pending()  # what the desk does at its next start
        time.sleep(5)  # past the 3 s timeout even with whole-second clock readings
        desk.certification.certify(cert_request(("Giấy khai sinh", 1, 1)))  # the holder sweeps stale reservations
        entries = holder.entries()
        numbers = [n for n, _, _ in entries]
        assert numbers == list(range(1, len(numbers) + 1))
        used = set(desk_numbers(desk))
        for number, state, dossier_code in entries:
            if number in used:
                assert state == "issued" and dossier_code, number
            else:
                assert state == "void", (number, state)
        assert not [e for e in entries if e[1] == "reserved"]
    finally:
        desk.close()
        holder.stop()


def test_holder_unreachable_says_so_and_can_queue_without_a_number(office):
    holder, (a, _b) = office
    holder.stop()
    with pytest.raises(HolderUnavailable, match="Không liên lạc được máy giữ sổ"):
        a.certification.certify(cert_request(("Giấy khai sinh", 1, 2)))
    assert desk_numbers(a) == []
    dossier, cert = a.certification.certify(cert_request(("Giấy khai sinh", 1, 2), queue_if_unreachable=True))
    assert not cert.numbered and cert.items[0].number is None and cert.fee_total == 4_000
    with pytest.raises(ValidationError, match="chưa có số chứng thực"):
        from counter_app.core.prints import FormKind
        from counter_app.printing.forms import render

        a.prints.produce(cert.code, FormKind.STAMPS, "Cán bộ", render)
    holder.start()
    assert a.certification.assign_pending("Cán bộ") == [cert.code]
    numbered = a.certification.get(cert.code)
    assert numbered.items[0].number == 1
    assert holder.entries() == [(1, "issued", cert.code)]
    kinds = [e.kind for e in a.queries.get(cert.code).events]
    assert kinds == ["received", "certificate_numbered"]


def test_void_from_a_desk_is_recorded_by_the_holder(office):
    holder, (a, _b) = office
    _, cert = a.certification.certify(cert_request(("A", 1, 1), ("B", 1, 1)))
    a.certification.void(cert.code, 2, "Nhầm", "Cán bộ")
    assert holder.entries() == [(1, "issued", cert.code), (2, "void", cert.code)]


def test_pairing_needs_a_valid_code_and_a_token(office, tmp_path):
    holder, _ = office
    from counter_app.holder.client import HolderClient

    c = _init(tmp_path / "stranger", 9)
    try:
        with pytest.raises(ValidationError, match="Mã ghép quầy không đúng"):
            c.holder_admin.join(holder.url, "AAAA-BBBB-CCCC")
        with pytest.raises(Exception, match="chưa được ghép"):
            HolderClient(holder.url, "forged-token", peer_fingerprint("127.0.0.1", holder.port)).entries("SCT/BS", __import__("datetime").date(2026, 1, 1),
                                                             __import__("datetime").date(2026, 12, 31))
    finally:
        c.close()
