from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import keyring
import pytest
from counter_app.storage.cipher import open_store

from tests.conftest import receivable_anywhere, request
from tests.sync.servers import ROOT, PostgresCluster, ServerProcess
from tests.testkeyring import FileKeyring

AGENCY_A, AGENCY_B, AGENCY_R = "H52.101", "H52.102", "H52.900"


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch, tmp_path):
    """One keyring for the test process and the counter CLIs it starts (a file outside every data
    directory), as the OS keyring is one per user: a store encrypted by ``init`` opens in ``sync``."""
    monkeypatch.setenv("TEST_KEYRING_FILE", str(tmp_path / "os-keyring.json"))
    kr, previous = FileKeyring(), keyring.get_keyring()
    keyring.set_keyring(kr)
    # The server subprocess runs this checkout's code (not whatever the venv installed) and finds testkeyring.
    monkeypatch.setenv("PYTHONPATH", f"{ROOT}{os.pathsep}{ROOT / 'tests'}")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "testkeyring.FileKeyring")
    yield kr
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def postgres():
    base = Path(tempfile.mkdtemp(prefix="counter-pg-"))  # not under pytest's 0700 root-owned tmp
    cluster = PostgresCluster(base).start()
    yield cluster
    cluster.stop()
    shutil.rmtree(base, ignore_errors=True)


class Province:
    """The reference server for one test: its database, admin service and running process."""

    def __init__(self, db_url: str, workdir: Path) -> None:
        from provincial_server.db import ServerDatabase
        from provincial_server.service import ProvincialService

        self.db = ServerDatabase(db_url)
        self.db.upgrade()
        self.service = ProvincialService(self.db)
        self.process = ServerProcess(db_url, workdir)
        self.service.add_agency(AGENCY_A, "UBND xã Định Mỹ", "Gia Lai")
        self.service.add_agency(AGENCY_B, "UBND xã Định Hòa", "Gia Lai")
        self.service.add_agency(AGENCY_R, "Trung tâm PVHCC khu vực 1", "Gia Lai", serves=[AGENCY_A, AGENCY_B])

    @property
    def url(self) -> str:
        return self.process.url

    def code(self, agency: str = AGENCY_A) -> str:
        return self.service.create_enroll_code(agency)["code"]

    def events(self) -> list[dict]:
        """Every stored event as (uuid, dossier_code, device_seq, device_id), in arrival order."""
        from sqlalchemy import select

        from provincial_server.models import Event

        with self.db.read() as s:
            return [dict(uuid=e.uuid, dossier=e.dossier_code, device_seq=e.device_seq, device=e.device_id,
                         applied=e.applied) for e in s.scalars(select(Event).order_by(Event.seq))]

    def close(self) -> None:
        self.process.stop()
        self.db.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_province(request, tmp_path):
    db_url = (request.getfixturevalue("postgres").new_database() if request.param == "postgresql"
              else f"sqlite:///{tmp_path / 'province.sqlite'}")
    p = Province(db_url, tmp_path)
    p.process.start()
    yield p
    p.close()


@pytest.fixture
def province(tmp_path):
    p = Province(f"sqlite:///{tmp_path / 'province.sqlite'}", tmp_path)
    p.process.start()
    yield p
    p.close()


class Counter:
    def __init__(self, app) -> None:
        self.app = app
        self._engine = None

    @property
    def engine(self):
        if self._engine is None:
            self._engine = self.app.sync_engine()
        return self._engine

    def sync(self, cancel=None):
        return self.engine.run_once(cancel)

    def receive(self, n: int = 1, **kw) -> list[str]:
        return [self.app.intake.receive(request(**kw)).code for _ in range(n)]

    def local_events(self) -> list[dict]:
        con = open_store(self.app.db.path)
        try:
            rows = con.execute("SELECT event_uuid, dossier_code, device_seq, state FROM outbox ORDER BY device_seq")
            return [dict(uuid=u, dossier=c, device_seq=s, state=st) for u, c, s, st in rows]
        finally:
            con.close()

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
        self.app.close()


@pytest.fixture
def make_counter(tmp_path):
    from counter_app.app import CounterApp, enroll

    made: list[Counter] = []

    def make(province: Province, agency: str = AGENCY_A, name: str = "c1", url: str | None = None,
             clock=None) -> Counter:
        """``url``: the link the counter syncs through (e.g. a fault proxy); enrollment goes direct."""
        data_dir = tmp_path / name
        enroll(data_dir, province.url, province.code(agency), clock=clock)
        counter = Counter(CounterApp.open(data_dir, clock))
        receivable_anywhere(counter.app)  # so a regional counter may receive the tests' procedure for A and B
        if url:
            counter.engine.client.base_url = url
        made.append(counter)
        return counter

    yield make
    for c in made:
        c.close()


class _SharedUow:
    """Hands the same open transaction to every service call; the caller commits once at the end.
    Only for building large test backlogs: the real code path, without 10,000 fsyncs."""

    def __init__(self, uow) -> None:
        self.uow = uow

    def __call__(self):
        return self

    def __enter__(self):
        return self.uow

    def __exit__(self, *exc):
        return False


def bulk_receive(app, n: int, **kw) -> list[str]:
    from counter_app.core.intake import IntakeService

    with app.uow() as uow:
        uow.commit = lambda: None  # the services' commits become no-ops inside the one transaction
        intake = IntakeService(_SharedUow(uow), app.ctx, app.clock)
        codes = []
        for i in range(n):
            codes.append(intake.receive(request(**kw)).code)
            if i % 200 == 199:  # keep the identity map small; flushes stay cheap
                uow.session.flush()
                uow.session.expunge_all()
        uow.session.commit()
    return codes
