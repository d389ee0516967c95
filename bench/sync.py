"""Sync throughput against the real reference server on loopback.

    .venv/bin/python bench/sync.py [--events 10000] [--out docs/benchmarks.md]

1. A counter receives ``--events`` dossiers while the server is down (one intake event each,
   through the real IntakeService in one transaction, as tests/sync does), then one
   ``SyncEngine.run_once`` pushes the whole backlog: timed against a SQLite-backed and a
   PostgreSQL-backed server (budget ≤ 20 s for 10,000 events).
2. Server ingest rate on PostgreSQL: the same events, already serialised, posted back-to-back in
   batches of 250 by one device to a fresh database (budget ≥ 1,000 events/s). The PostgreSQL
   cluster runs with its default durability (fsync on, synchronous_commit on).

Needs PostgreSQL's initdb/pg_ctl (run as the postgres user when run as root), like the tests.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import keyring
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from counter_app.app import CounterApp  # noqa: E402
from counter_app.core.calendar import TZ  # noqa: E402
from counter_app.app import enroll  # noqa: E402
from tests.sync.conftest import Province, bulk_receive  # noqa: E402
from tests.sync.servers import PostgresCluster  # noqa: E402
from tests.testkeyring import MemoryKeyring  # noqa: E402
from sections import write_section  # bench/sections.py, next to this script  # noqa: E402

START, END = "<!-- SYNC:START (written by bench/sync.py) -->", "<!-- SYNC:END -->"


def copy_counter(src: Path, dst: Path) -> None:
    dst.mkdir(parents=True)
    with sqlite3.connect(src / "counter.sqlite") as a, sqlite3.connect(dst / "counter.sqlite") as b:
        a.backup(b)


def push_backlog(province: Province, data_dir: Path, expected: int) -> float:
    enroll(data_dir, province.url, province.code())
    app = CounterApp.open(data_dir)
    engine = app.sync_engine()
    try:
        t = time.perf_counter()
        report = engine.run_once()
        elapsed = time.perf_counter() - t
    finally:
        engine.close()
        app.close()
    assert report.ok and report.pending == 0 and report.pushed == expected, report
    assert province.service.stats()["events"] == expected
    return elapsed


def serialised_batches(data_dir: Path) -> list[list[dict]]:
    app = CounterApp.open(data_dir)
    batches = []
    try:
        with app.uow() as uow:  # claim everything, then roll back: the queue is left as it was
            while batch := uow.outbox.claim(datetime.now(TZ), timedelta(minutes=5)):
                batches.append(batch)
    finally:
        app.close()
    return batches


def ingest_rate(province: Province, batches: list[list[dict]]) -> tuple[float, list[float]]:
    code = province.code()
    token = requests.post(f"{province.url}/api/v1/enroll", json={"code": code}, timeout=10).json()["token"]
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    times = []
    for batch in batches:
        t = time.perf_counter()
        answer = session.post(f"{province.url}/api/v1/sync/push", json={"events": batch}, timeout=60)
        times.append(time.perf_counter() - t)
        assert answer.ok and all(r["result"] == "accepted" for r in answer.json()["results"])
    total = sum(len(b) for b in batches)
    return total / sum(times), times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    keyring.set_keyring(MemoryKeyring())
    base = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    cluster = PostgresCluster(Path(tempfile.mkdtemp(prefix="bench-pg-"))).start()
    provinces = []
    try:
        sqlite_province = Province(f"sqlite:///{base / 'province.sqlite'}", base)
        (base / "pg1").mkdir()
        (base / "pg2").mkdir()
        pg_province = Province(cluster.new_database(), base / "pg1")
        pg_ingest = Province(cluster.new_database(), base / "pg2")
        provinces = [sqlite_province, pg_province, pg_ingest]
        for p in provinces:
            p.process.start()

        origin = base / "origin"
        app = CounterApp.initialise(origin, agency_code="H52.101", agency_name="UBND xã Định Mỹ", province="Gia Lai")
        t = time.perf_counter()
        bulk_receive(app, args.events)
        backlog_s = time.perf_counter() - t
        app.close()
        for name in ("to-sqlite", "to-pg", "bodies"):
            copy_counter(origin, base / name)

        push_sqlite = push_backlog(sqlite_province, base / "to-sqlite", args.events)
        push_pg = push_backlog(pg_province, base / "to-pg", args.events)
        enroll(base / "bodies", pg_ingest.url, pg_ingest.code())
        batches = serialised_batches(base / "bodies")
        rate, times = ingest_rate(pg_ingest, batches)
    finally:
        for p in provinces:
            p.close()
        cluster.stop()
        shutil.rmtree(base, ignore_errors=True)

    n = args.events
    ok = lambda good: "PASS" if good else "**FAIL**"  # noqa: E731
    section = f"""{START}

_Last run: {datetime.now(TZ):%Y-%m-%d %H:%M} +07; {n:,} events; server and counter on one 2-core machine._

| Measurement | Result | Budget | |
|---|---:|---:|:---:|
| Push a {n:,}-event offline backlog, one `run_once`, server on SQLite | {push_sqlite:.1f} s ({n / push_sqlite:,.0f} events/s) | ≤ 20 s | {ok(push_sqlite <= 20)} |
| Same backlog, server on PostgreSQL | {push_pg:.1f} s ({n / push_pg:,.0f} events/s) | ≤ 20 s | {ok(push_pg <= 20)} |
| Server ingest on PostgreSQL: pre-serialised batches of 250, one device | {rate:,.0f} events/s (batch median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms) | ≥ 1,000 events/s | {ok(rate >= 1000)} |
| (setup) creating the backlog: {n:,} intakes in one transaction | {backlog_s:.1f} s | – | – |

{END}"""
    write_section(Path(args.out), START, END, section,
                  "\n## Sync\n\nReproduce: `.venv/bin/python bench/sync.py`. The counter's push includes reading the "
                 "outbox, building each event with its predecessor, marking leases and settling the per-event "
                 "results in SQLite; the server stores every event under its permanent UUID index and applies "
                 "it to the dossier in the same transaction.\n\n")
    print(section)


if __name__ == "__main__":
    main()
