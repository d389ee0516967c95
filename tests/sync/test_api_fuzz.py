"""No request gives a 500: random bodies, headers, query parameters and path segments against the
real server process on PostgreSQL (the stricter store: NUL, lengths, 64-bit integers). Bounded and
reproducible: derandomised (the same 3,000 examples every run) and cut off after 50 seconds in all."""

from __future__ import annotations

import json
import time
import uuid
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counter_app.core import protocol
from tests.sync.conftest import AGENCY_A, Province

BUDGET_SECONDS = 50

scalars = (st.none() | st.booleans() | st.integers() | st.integers(min_value=-(2 ** 70), max_value=2 ** 70)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=15)
header_text = st.text(st.characters(min_codepoint=0x21, max_codepoint=0xFF,
                                    blacklist_categories=("Cc", "Zs")), max_size=60)


@pytest.fixture(scope="module")
def target(postgres, tmp_path_factory):
    p = Province(postgres.new_database(), tmp_path_factory.mktemp("fuzz"))
    p.process.start()
    enrolled = requests.post(f"{p.url}/api/v1/enroll", json={"code": p.code(AGENCY_A), "device_name": "fuzz"},
                             timeout=10).json()
    yield p, enrolled["token"]
    p.close()


def _event(n: int) -> dict:
    now = datetime.now(timezone(timedelta(hours=7))).replace(microsecond=0)
    code = f"{AGENCY_A}-{now:%y%m%d}-99{n:04d}"
    dossier = {"code": code, "status": "received", "received_at": now.isoformat(),
               "due_at": (now + timedelta(days=5)).isoformat(), "procedure_code": "1.001612",
               "procedure_name": "Thủ tục", "applicant_name": "Nguyễn Văn A",
               "applicant": {"kind": "citizen", "id_number": "001090000001"}, "receiving_agency": AGENCY_A,
               "competent_agency": AGENCY_A, "documents": [{"name": "Tờ khai"}],
               "fees": [{"name": "Phí", "amount_vnd": 10000, "code": None}]}
    return protocol.EventBody(uuid=str(uuid.uuid4()), device_seq=n + 1, dossier_code=code, agency=AGENCY_A,
                              kind="received", at=now.isoformat(), officer="Cán bộ", status_after="received",
                              payload={"dossier": dossier}).to_dict()


@st.composite
def mutated_batch(draw) -> bytes:
    """A real intake with some fields, or some fields of its dossier, replaced by random JSON."""
    event = _event(draw(st.integers(0, 9999)))
    for key in draw(st.lists(st.sampled_from(protocol.EVENT_FIELDS), max_size=3)):
        event[key] = draw(json_values)
    if isinstance(event.get("payload"), dict) and isinstance(event["payload"].get("dossier"), dict):
        dossier = event["payload"]["dossier"]
        for key in draw(st.lists(st.sampled_from(sorted(dossier) + ["new_due_at"]), max_size=3)):
            dossier[key] = draw(json_values)
    events = [event] + draw(st.lists(json_values, max_size=2))
    return json.dumps({"events": events}, allow_nan=True).encode()


bodies = st.one_of(
    mutated_batch(), mutated_batch(),
    json_values.map(lambda v: json.dumps(v, allow_nan=True).encode()),
    json_values.map(lambda v: json.dumps({"events": v}, allow_nan=True).encode()),
    json_values.map(lambda v: json.dumps({"code": "ABCD-EFGH-JKLM", "device_name": v, "nonce": v}).encode()),
    json_values.map(lambda v: json.dumps({"days": v}, allow_nan=True).encode()),
    st.binary(max_size=300),
    st.integers(1, 50_000).map(lambda n: b'{"events": [' + b"[" * n + b"]" * (n % 3)),
)
ENDPOINTS = [("GET", "/health"), ("POST", "/enroll"), ("POST", "/sync/push"), ("GET", "/sync/pull"),
             ("POST", "/sync/reconcile"), ("GET", "/sync/reconcile/{}"), ("GET", "/attachments/{}"),
             ("PUT", "/attachments/{}"), ("GET", "/releases/linux-amd64/{}/file"),
             ("GET", "/releases/{}/1.0/file")]
param_values = st.one_of(st.integers().map(str), st.integers(-(2 ** 80), 2 ** 80).map(str),
                         st.text(max_size=20))
param_names = st.sampled_from(["cursor", "limit", "offset", "size"]) | st.text(min_size=1, max_size=8)
params = st.dictionaries(param_names, param_values, max_size=4)
segments = st.one_of(st.just("2026-06-10"), st.just("0" * 64), st.text(max_size=80))


def _forget_failures(province) -> None:
    """The guesses so far leave the rate limit (a 429 ends the probe of everything behind it)."""
    from sqlalchemy import delete

    from provincial_server.models import AuditLog

    with province.db.transaction() as s:
        s.execute(delete(AuditLog))


def _check(province, http, method, url, **kw) -> None:
    answer = http.request(method, url, timeout=30, **kw)
    assert answer.status_code < 500, (method, url, kw.get("params"), kw.get("data", b"")[:300],
                                      (province.process.workdir / "server.log").read_text()[-3000:])
    if answer.status_code == 429:  # the limit's own path was exercised; open the way for the next one
        _forget_failures(province)


@pytest.mark.timeout(240)
def test_no_request_gives_a_500(target):
    """Every endpoint with anything at all: bodies, headers, parameters, path segments, methods."""
    province, token = target
    http = requests.Session()
    started = time.monotonic()

    @settings(derandomize=True, database=None, max_examples=1500, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(endpoint=st.sampled_from(ENDPOINTS), method=st.none() | st.sampled_from(["GET", "POST", "PUT"]),
           segment=segments, query=params, body=bodies,
           auth=st.one_of(st.just("good"), st.none(), header_text),
           version=st.none() | header_text | st.integers(1, 9000).map(lambda n: "9" * n),
           content_type=st.none() | st.just("application/json") | header_text)
    def probe(endpoint, method, segment, query, body, auth, version, content_type):
        if time.monotonic() - started > BUDGET_SECONDS / 2:
            return
        verb, path = endpoint
        headers = {}
        if auth is not None:
            headers["Authorization"] = f"Bearer {token}" if auth == "good" else auth
        if version is not None:
            headers[protocol.CLIENT_VERSION_HEADER] = version
        if content_type is not None:
            headers["Content-Type"] = content_type
        url = f"{province.url}{protocol.API_PREFIX}{path.format(quote(segment, safe=''))}"
        _check(province, http, method or verb, url, params=query, data=body, headers=headers)

    probe()


@pytest.mark.timeout(240)
def test_no_pushed_event_gives_a_500(target):
    """An enrolled counter's push of real intakes with fields replaced by anything: the events reach
    the validation and the store, where a 500 would lose the good events of the batch."""
    province, token = target
    http = requests.Session()
    started = time.monotonic()
    url = f"{province.url}{protocol.API_PREFIX}/sync/push"
    _forget_failures(province)

    @settings(derandomize=True, database=None, max_examples=1500, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(body=mutated_batch())
    def probe(body):
        if time.monotonic() - started > BUDGET_SECONDS / 2:
            return
        _check(province, http, "POST", url, data=body,
               headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})

    probe()
