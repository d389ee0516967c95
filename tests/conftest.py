from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from counter_app.storage.cipher import open_store

from counter_app.core.calendar import TZ

ROOT = Path(__file__).resolve().parent.parent
PROVINCES = json.loads((ROOT / "resources" / "reference" / "cccd-province-codes.json").read_text("utf-8"))


class FixedClock:
    """A clock the test moves by hand."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def set(self, text: str) -> None:
        self.at = datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture(autouse=True)
def no_os_keyring():
    """Every test starts like a CI machine: no usable keyring, so a new store stays plain, unless
    the test installs one (``memory_keyring``). Needed because the stand-ins in tests/testkeyring.py
    register themselves with ``keyring`` on import and would otherwise become its default."""
    import keyring
    from keyring.backends import fail

    from counter_app.storage import cipher

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)
    cipher._cache.clear()  # keys this process remembered for the test's stores


@pytest.fixture
def memory_keyring():
    """The OS keyring replaced by one in memory for the test (CI machines have no keyring backend)."""
    import keyring

    from tests.testkeyring import MemoryKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield keyring.get_keyring()
    keyring.set_keyring(previous)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 6, 10, 9, 15, tzinfo=TZ))  # a Wednesday


@pytest.fixture
def app(tmp_path, clock):
    from counter_app.app import CounterApp

    a = CounterApp.initialise(tmp_path / "data", agency_code="H52.101", agency_name="UBND xã Định Mỹ",
                              province="Gia Lai", desk=1, clock=clock)
    yield a
    a.close()


def receivable_anywhere(app, *codes: str) -> None:
    """Mark procedures (default: the tests' 1.001612) location-independent by the catalogue's flag,
    as a counter with no provincial list loaded reads it (core.location_free)."""
    from dataclasses import replace

    procedures = {p.code: p for p in app.catalogue.procedures()}
    app.catalogue.import_procedures([replace(procedures[c], location_independent=True)
                                     for c in codes or ("1.001612",)])


def applicant(**kw):
    from counter_app.core.intake import ApplicantInput
    from counter_app.core.model import Gender

    values = dict(full_name="Nguyễn Văn Ấn", id_number="052090123456",
                  date_of_birth=datetime(1990, 1, 1).date(), gender=Gender.MALE, phone="0912345678",
                  address="Thôn 1, xã Định Mỹ")
    values.update(kw)
    return ApplicantInput(**values)


def request(procedure: str = "1.001612", **kw):
    from counter_app.core.intake import IntakeRequest

    values = dict(procedure_code=procedure, applicant=applicant(), officer="Cán bộ A")
    values.update(kw)
    return IntakeRequest(**values)


def outbox_count(app) -> int:
    """Rows waiting in (or delivered from) the outbox, read with a bare DB-API connection."""
    con = open_store(app.db.path)
    try:
        return con.execute("SELECT count(*) FROM outbox").fetchone()[0]
    finally:
        con.close()


def pdf_text(path) -> str:
    """A PDF's text with runs of whitespace folded, page after page (what the reader sees)."""
    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)
