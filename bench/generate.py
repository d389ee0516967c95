"""Build a benchmark data directory holding N realistic dossiers.

    .venv/bin/python bench/generate.py --data-dir /tmp/bench1m --count 1000000

The counter is set up through the application itself (CounterApp.initialise: migrations,
catalogue, settings), then the dossiers are bulk-loaded with plain sqlite3 executemany: going
through IntakeService would take hours at a million rows. Rows are written exactly as the ORM
writes them (checked against a dossier received through the CLI), and the code, register and
outbox counters are moved past the loaded data so that real intakes afterwards continue without
collisions. The FTS5 name-index triggers are dropped during the load and the index rebuilt in one
pass afterwards (15x faster than row-by-row trigger inserts); the triggers are then recreated from
their own stored SQL, so the schema ends up byte-for-byte as the migration made it.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import time
import uuid
from collections import Counter, defaultdict
from datetime import date, datetime, time as dtime, timedelta
from functools import lru_cache
from pathlib import Path

from counter_app import paths
from counter_app.app import CounterApp
from counter_app.storage import cipher
from counter_app.core.calendar import TZ
from counter_app.core.codes import format_code
from counter_app.core.fees import schedule_on
from counter_app.core.location_free import parse_list
from counter_app.core.model import Agency
from counter_app.core.text import fold

sys.path.insert(0, str(Path(__file__).resolve().parent))
from people import People  # noqa: E402

fold_name = lru_cache(maxsize=None)(fold)  # the same name_key the repository computes, memoised

AGENCY = dict(agency_code="H52.101", agency_name="UBND xã Định Mỹ", province="Gia Lai", desk=1)
DATASET_FILE = "bench-dataset.json"  # generation facts, read by run.py for the report
BATCH = 50_000
COMMIT_EVERY = 250_000
YEARS = 2

# Share of dossiers per procedure at a commune counter. Certified copies dominate everywhere;
# the rest follows the civil-status / residence / business mix of commune reports. Procedures not
# listed share OTHER_SHARE; those without a time limit in the catalogue are skipped (intake
# refuses them).
MIX = {
    "2.000815": 45.0,  # chứng thực bản sao từ bản chính
    "2.000884": 6.0,   # chứng thực chữ ký
    "1.001193": 9.0,   # đăng ký khai sinh
    "1.004873": 5.0,   # xác nhận tình trạng hôn nhân
    "1.000894": 4.0,   # đăng ký kết hôn
    "1.004194": 4.0,   # đăng ký tạm trú
    "1.004222": 3.0,   # đăng ký thường trú
    "1.001612": 3.0,   # đăng ký thành lập hộ kinh doanh
    "1.000656": 2.5,   # đăng ký khai tử
    "2.000635": 2.5,   # bản sao trích lục hộ tịch
    "2.001035": 2.0,   # chứng thực giao dịch động sản
    "1.012753": 2.0,   # đăng ký đất đai lần đầu
    "2.000720": 1.0,   # thay đổi đăng ký hộ kinh doanh
    "1.002755": 1.0,   # gia hạn tạm trú
    "1.003677": 1.0,   # khai báo tạm vắng
    "1.013225": 1.0,   # giấy phép xây dựng
}
OTHER_SHARE = 8.0
# A regional counter (--agencies N) receives for N-1 communes besides its own agency, only the
# procedures on the province's location-independent list; these are the ones provinces put on
# such lists first (certified copies, civil-status extracts and registrations).
REGIONAL_LIST = ("2.000815", "2.000884", "1.001193", "1.004873", "1.000656", "2.000635")
REGIONAL_DECISION = ("01/2024/QĐ-BENCH", "2024-01-01")  # synthetic: the data starts in Dec 2024
OFFICERS = ["Nguyễn Thị Lan", "Trần Văn Hùng", "Lê Thị Mai", "Phạm Minh Tuấn", "Rơ Mah H'Blin"]
MORNING = (7 * 3600 + 30 * 60, 11 * 3600 + 30 * 60)
AFTERNOON = (13 * 3600 + 30 * 60, 17 * 3600)

# Column lists, in the order of the tuples built below.
DOSSIER_COLS = ("id, code, procedure_code, procedure_name, receiving_agency, competent_agency, channel, "
                "applicant_kind, applicant_name, name_key, id_number, date_of_birth, gender, phone, email, "
                "address, received_at, due_at, return_method, return_address, receiving_officer, status, "
                "desk, sets, register_book, register_serial, reschedule_count")
SQL = {
    "dossier": f"INSERT INTO dossier ({DOSSIER_COLS}) VALUES ({', '.join('?' * 27)})",
    "document": "INSERT INTO dossier_document (dossier_id, position, name, kind, count, pages) "
                "VALUES (?, 0, ?, ?, ?, ?)",
    "fee": "INSERT INTO dossier_fee (dossier_id, position, name, amount_vnd, code) VALUES (?, 0, ?, ?, NULL)",
    "event": "INSERT INTO dossier_event (id, uuid, dossier_id, kind, at, officer, status_before, "
             "status_after, payload) VALUES (?, ?, ?, 'received', ?, ?, NULL, 'received', '{}')",
    "outbox": "INSERT INTO outbox (id, event_uuid, device_seq, dossier_code, state, created_at) "
              "VALUES (?, ?, ?, ?, ?, ?)",
}


def stamp(d: date, seconds: int) -> str:
    """The text SQLAlchemy's DateTime writes on SQLite (naive local wall time, microseconds)."""
    return f"{d.isoformat()} {seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.000000"


def office_seconds(rng: random.Random) -> int:
    """A uniformly random second within the counter's opening hours (7:30–11:30, 13:30–17:00)."""
    m = MORNING[1] - MORNING[0]
    x = rng.randrange(m + AFTERNOON[1] - AFTERNOON[0])
    return MORNING[0] + x if x < m else AFTERNOON[0] + x - m


def per_day_counts(days: list[date], n: int, rng: random.Random) -> list[int]:
    """Spread n dossiers over the working days: Mondays busiest, Fridays quieter, day-to-day noise."""
    weekday = {0: 1.25, 1: 1.05, 2: 1.0, 3: 1.0, 4: 0.85, 5: 0.5, 6: 0.5}
    w = [weekday[d.weekday()] * rng.lognormvariate(0, 0.2) for d in days]
    total = sum(w)
    counts = [int(n * x / total) for x in w]
    for i in rng.sample(range(len(days)), n - sum(counts)):  # hand out the rounding remainder
        counts[i] += 1
    return counts


class DueDates:
    """calendar.due_at, with the working-day walk cached per (day, working days): computing it a
    million times from scratch would dominate the load. Spot-checked against the real thing."""

    def __init__(self, calendar):
        self.cal = calendar
        self.hours = calendar.hours
        self.cutoff = self.hours.cutoff.hour * 3600 + self.hours.cutoff.minute * 60
        self.cache: dict[tuple[date, int], date] = {}

    def __call__(self, d: date, secs: int, wd: int) -> tuple[date, int]:
        minute = secs - secs % 60  # due_at drops the seconds before comparing and clamping
        if wd == 0:
            if secs < self.cutoff:
                day = d
            else:
                day = self.cache.get((d, 0)) or self.cache.setdefault((d, 0), self.cal.next_working_day(d))
            close = self.cal.closing_time(day)
            return day, close.hour * 3600 + close.minute * 60
        day = self.cache.get((d, wd)) or self.cache.setdefault((d, wd), self.cal.nth_working_day_after(d, wd))
        return day, minute

    def check(self, d: date, secs: int, wd: int) -> None:
        got_day, got_secs = self(d, secs, wd)
        real = self.cal.due_at(datetime.combine(d, dtime(secs // 3600, secs // 60 % 60, secs % 60), TZ), wd)
        assert stamp(got_day, got_secs) == real.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.000000"), \
            (d, secs, wd, real)


def load_procedures(con: sqlite3.Connection) -> tuple[list[tuple], list[float]]:
    rows = con.execute("SELECT code, name, working_days, fee_vnd, fee_rule, documents FROM procedure "
                       "WHERE active AND working_days IS NOT NULL").fetchall()
    others = [r for r in rows if r[0] not in MIX]
    missing = set(MIX) - {r[0] for r in rows}
    if missing:
        raise SystemExit(f"procedures missing from the catalogue: {sorted(missing)}")
    weights = [MIX[r[0]] if r[0] in MIX else OTHER_SHARE / len(others) for r in rows]
    procs = [(code, name, wd, fee, rule, json.loads(docs)) for code, name, wd, fee, rule, docs in rows]
    return procs, weights


def status_for(due: str, now: str, rng: random.Random) -> str:
    """Old dossiers have mostly been returned; those still within their time limit are open."""
    if due < now:
        x = rng.random()
        return "returned" if x < 0.975 else "result_ready" if x < 0.995 else "processing"
    x = rng.random()
    return "received" if x < 0.35 else "processing" if x < 0.75 else "result_ready"


BENCH_KEY_FILE = "bench-key.hex"


def bench_key(data_dir: Path, create: bool = False) -> bytes | None:
    """The synthetic dataset's SQLCipher key. A counter keeps its key in the OS keyring; this
    machine has none, and the data is generated, so the key sits in a file beside it and is handed
    to the app's key cache (``cipher.remember``) exactly where the keyring would answer."""
    path = data_dir / BENCH_KEY_FILE
    if create:
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(cipher.new_key().hex())
    if not path.exists():
        return None
    key = bytes.fromhex(path.read_text().strip())
    cipher.remember(paths.database_path(data_dir), key)
    return key


def served_agencies(n: int) -> list[Agency]:
    """n - 1 communes of the same province besides the counter's own agency (codes H52.102 …)."""
    return [Agency(f"H52.{102 + i}", f"UBND xã Bench {i + 1:02d}", AGENCY["province"], own=False)
            for i in range(n - 1)]


def designate_regional_list(app: CounterApp) -> None:
    """The province's location-independent list, loaded as a counter loads it (one decision)."""
    number, day = REGIONAL_DECISION
    app.catalogue.import_location_free(parse_list({"entries": [
        {"procedure_code": code, "decision": number, "decision_date": day, "effective_from": day,
         "places": ["any_commune"], "channels": ["in_person", "post"]} for code in REGIONAL_LIST]}))


def load_transfers(con: sqlite3.Connection, handed: dict[tuple[date, str], list[str]], days: list[date]) -> None:
    """One paper hand-over list per agency and day, taken over the next working morning: a
    regional counter's history has its files handed over, only the last day's still wait."""
    following = dict(zip(days, days[1:]))
    batches, items = [], []
    for n, ((d, to_agency), codes) in enumerate(sorted(handed.items()), 1):
        at = stamp(following.get(d, d), 8 * 3600)
        batches.append((n, f"BG-{to_agency}-{d:%Y%m%d}-1", to_agency, at, at, OFFICERS[0], "Văn thư UBND xã"))
        items.extend((n, i, c) for i, c in enumerate(codes))
    con.executemany("INSERT INTO transfer_batch (id, code, to_agency, created_at, handed_at, giver, receiver) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)", batches)
    con.executemany("INSERT INTO transfer_batch_item (batch_id, position, dossier_code) VALUES (?, ?, ?)", items)


def generate(data_dir: Path, count: int, seed: int, encrypt: bool = False, agencies: int = 1) -> dict:
    rng = random.Random(seed)
    t0 = time.perf_counter()
    key = bench_key(data_dir, create=True) if encrypt else None
    app = CounterApp.initialise(data_dir, **AGENCY)
    served = served_agencies(agencies)
    for agency_ in served:
        app.setup.add_served_agency(agency_)
    if served:
        designate_regional_list(app)
    ctx, today = app.ctx, app.clock.now().date()
    app.close()
    settings = ctx.settings
    prefix, slot, desk, agency = settings.prefix, settings.device_slot, settings.desk, settings.agency.code
    t_init = time.perf_counter() - t0

    con = cipher.connect(paths.database_path(data_dir), key, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")        # a crash mid-load just means: generate again
    con.execute("PRAGMA cache_size=-2000000")    # 2 GB: keeps the random-keyed indexes in memory
    con.execute("PRAGMA temp_store=MEMORY")
    procs, weights = load_procedures(con)
    li_procs = [(p, w) for p, w in zip(procs, weights) if p[0] in REGIONAL_LIST]
    competent = [agency, *(a.code for a in served)]
    people = People(ctx.provinces, rng)
    due = DueDates(ctx.calendar)
    copy_schedule = schedule_on(ctx.copy_fee_schedules, today)

    # Working days of the last YEARS years, up to yesterday; "now" splits open from finished work.
    start = today - timedelta(days=365 * YEARS)
    days = [start + timedelta(days=i) for i in range((today - start).days)]
    days = [d for d in days if ctx.calendar.is_working_day(d)]
    counts = per_day_counts(days, count, rng)
    now = stamp(today, 0)
    delivered_before = stamp(days[-1], 0)  # the last working day's events are still queued

    rows: dict[str, list[tuple]] = {k: [] for k in SQL}
    code_seq: list[tuple] = []
    register: Counter[int] = Counter()
    status_tally: Counter[str] = Counter()
    handed: defaultdict[tuple[date, str], list] = defaultdict(list)  # paper files per day and agency
    pending: list[tuple[int]] = []  # and those still here
    did = 0

    def flush() -> None:
        for key, batch in rows.items():
            con.executemany(SQL[key], batch)
            batch.clear()

    # FTS5 triggers: remember their exact SQL, drop them for the load, rebuild and restore after.
    fts_triggers = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                               "AND tbl_name = 'dossier' AND sql LIKE '%dossier_fts%'").fetchall()
    con.execute("BEGIN")
    for trigger, _ in fts_triggers:
        con.execute(f'DROP TRIGGER "{trigger}"')
    for d, n in zip(days, counts):
        procs_today = rng.choices(procs, weights, k=n)
        seq_today: Counter[str] = Counter()
        for i, secs in enumerate(sorted(office_seconds(rng) for _ in range(n))):
            did += 1
            for_agency = rng.choice(competent) if served else agency
            if for_agency == agency:
                code_, pname, wd, fee, rule, docs = procs_today[i]
            else:
                code_, pname, wd, fee, rule, docs = rng.choices(*zip(*li_procs))[0]
            seq_today[for_agency] += 1
            name, ident, dob, gender, phone, address = people.applicant(d)
            code = format_code(prefix if for_agency == agency else for_agency, d, slot, seq_today[for_agency])
            if for_agency != agency and d < days[-1]:
                handed[(d, for_agency)].append(code)  # older paper files have gone over; the last day's wait
            elif for_agency != agency:
                pending.append((did,))
            received = stamp(d, secs)
            due_day, due_secs = due(d, secs, wd)
            if did % 50_000 == 1:
                due.check(d, secs, wd)
            due_at = stamp(due_day, due_secs)
            status = status_for(due_at, now, rng)
            status_tally[status] += 1
            register[d.year] += 1
            officer = OFFICERS[secs % len(OFFICERS)]
            rows["dossier"].append((
                did, code, code_, pname, agency, for_agency, "counter", "citizen", name, fold_name(name), ident,
                dob.isoformat() if dob else None, gender, phone, None, address, received, due_at, "counter",
                None, officer, status, desk, 1, f"01/{d.year}", register[d.year], 0))
            doc = docs[0] if docs else {"name": "Đơn đề nghị", "kind": "original", "count": 1}
            pages = None
            if rule == "certified_copy_pages":
                pages, copies = rng.choice((1, 1, 1, 2, 2, 3, 4, 6, 10)), rng.choice((1, 1, 2, 2, 3, 5))
                doc = {"name": rng.choice(("Giấy khai sinh", "Căn cước", "Sổ hộ khẩu", "Bằng tốt nghiệp",
                                           "Giấy chứng nhận quyền sử dụng đất")),
                       "kind": "original", "count": copies}
                rows["fee"].append((did, f"Phí chứng thực: {doc['name']} ({copies} bản × {pages} trang)",
                                    copy_schedule.fee(pages, copies)))
            elif fee > 0:
                rows["fee"].append((did, f"Phí, lệ phí: {pname}", fee))
            rows["document"].append((did, doc["name"], doc["kind"], doc["count"], pages))
            ev = str(uuid.UUID(int=rng.getrandbits(128), version=4))  # uuid4, but reproducible
            rows["event"].append((did, ev, did, received, officer))
            state = "delivered" if received < delivered_before else "pending"
            rows["outbox"].append((did, ev, did, code, state, received))
        code_seq.extend((prefix if a == agency else a, f"{d:%y%m%d}", slot, k) for a, k in seq_today.items())
        if len(rows["dossier"]) >= BATCH:
            flush()
        if (did - n) // COMMIT_EVERY != did // COMMIT_EVERY:  # crossed a commit boundary today
            con.execute("COMMIT")
            print(f"  {did:>9,} dossiers  {time.perf_counter() - t0:6.1f} s", flush=True)
            con.execute("BEGIN")
    flush()

    load_transfers(con, handed, days)
    con.executemany("INSERT INTO paper_pending (dossier_id) VALUES (?)", pending)

    # Move every counter past the loaded data: the next real intake must get a fresh code,
    # register number and outbox sequence number.
    con.executemany("INSERT INTO code_sequence (prefix, day, slot, last) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (prefix, day, slot) DO UPDATE SET last = max(last, excluded.last)", code_seq)
    con.executemany("INSERT INTO register_sequence (desk, year, last) VALUES (?, ?, ?) "
                    "ON CONFLICT (desk, year) DO UPDATE SET last = max(last, excluded.last)",
                    [(desk, y, n) for y, n in register.items()])
    con.execute("INSERT INTO device_counter (name, value) VALUES ('outbox_event_seq', ?) "
                "ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)", (did,))
    con.execute("COMMIT")
    t_rows = time.perf_counter() - t0 - t_init
    print(f"  rows written in {t_rows:.1f} s; rebuilding the name index …", flush=True)
    con.execute("BEGIN")
    con.execute("INSERT INTO dossier_fts(dossier_fts) VALUES ('rebuild')")
    for _, sql in fts_triggers:
        con.execute(sql)
    con.execute("COMMIT")
    t_load = time.perf_counter() - t0 - t_init
    t_fts = t_load - t_rows
    t1 = time.perf_counter()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("PRAGMA synchronous=FULL")
    con.close()
    t_ckpt = time.perf_counter() - t1
    verify(data_dir, did, fts_triggers)
    size = paths.database_path(data_dir).stat().st_size
    return {
        "count": did, "seed": seed, "agencies": agencies, "first_day": days[0].isoformat(), "last_day": days[-1].isoformat(),
        "working_days": len(days), "max_per_day": max(counts), "statuses": dict(status_tally),
        "init_s": round(t_init, 1), "load_s": round(t_load, 1), "fts_rebuild_s": round(t_fts, 1),
        "checkpoint_s": round(t_ckpt, 1),
        "total_s": round(time.perf_counter() - t0, 1), "db_bytes": size,
        "generated_on": datetime.now(TZ).isoformat(timespec="seconds"),
    }


def verify(data_dir: Path, count: int, fts_triggers: list[tuple[str, str]]) -> None:
    """Cheap sanity checks: row counts, triggers back in place, FTS index consistent with dossier."""
    con = cipher.open_store(paths.database_path(data_dir))
    try:
        for table in ("dossier", "dossier_document", "dossier_event", "outbox"):
            n = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            assert n == count, f"{table}: {n} rows, expected {count}"
        now = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                          "AND sql LIKE '%dossier_fts%'").fetchall()
        assert sorted(now) == sorted(fts_triggers), "FTS triggers not restored"
        con.execute("INSERT INTO dossier_fts(dossier_fts, rank) VALUES ('integrity-check', 1)")
        hits = con.execute("SELECT count(*) FROM dossier_fts WHERE dossier_fts MATCH 'nguyen'").fetchone()[0]
        assert hits > 0, "name index empty"
    finally:
        con.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", required=True, type=Path)
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=20261129)
    ap.add_argument("--force", action="store_true", help="replace an existing database in DATA_DIR")
    ap.add_argument("--encrypt", action="store_true", help="SQLCipher, as on a counter with an OS keyring")
    ap.add_argument("--agencies", type=int, default=1,
                    help="a regional counter receiving for this many agencies (its own included)")
    args = ap.parse_args()
    data_dir = args.data_dir.resolve()
    db = paths.database_path(data_dir)
    if db.exists():
        if not args.force:
            raise SystemExit(f"{db} already exists (use --force to replace it)")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        (data_dir / DATASET_FILE).unlink(missing_ok=True)
        (data_dir / BENCH_KEY_FILE).unlink(missing_ok=True)
    print(f"Generating {args.count:,} dossiers in {data_dir} …", flush=True)
    if not 1 <= args.agencies <= 99:
        raise SystemExit("--agencies: 1 to 99")
    facts = generate(data_dir, args.count, args.seed, args.encrypt, args.agencies)
    facts["encrypted"] = args.encrypt
    (data_dir / DATASET_FILE).write_text(json.dumps(facts, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"Loaded {facts['count']:,} dossiers over {facts['working_days']} working days "
          f"({facts['first_day']} – {facts['last_day']}, busiest day {facts['max_per_day']:,}).")
    print(f"Time: set-up {facts['init_s']} s, load {facts['load_s']} s (of which name index "
          f"{facts['fts_rebuild_s']} s), checkpoint {facts['checkpoint_s']} s, "
          f"total {facts['total_s']} s ({facts['count'] / max(facts['load_s'], 1e-9):,.0f} dossiers/s).")
    print(f"Database: {db} – {facts['db_bytes'] / 2**20:,.0f} MiB")


if __name__ == "__main__":
    main()
