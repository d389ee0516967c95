"""Measure the storage layer on a generated data directory and write docs/benchmarks.md.

    .venv/bin/python bench/run.py --data-dir /tmp/bench1m [--out docs/benchmarks.md]

Everything goes through the application's own services (CounterApp.open → intake / queries), so
the figures include validation, the ORM and the real connection settings. Timings are wall-clock
(time.perf_counter) per call, after a warm-up, with a warm OS page cache. Note that the intake
measurement adds ~2,050 real dossiers to the data directory each time it runs.

Only the part of the report between the RESULTS markers is rewritten; the rest of the file is
prose kept by hand.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import random
import re
import sqlite3
import sys
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import event

from counter_app import paths
from counter_app.app import CounterApp
from counter_app.storage import cipher
from counter_app.core.calendar import TZ
from counter_app.core.intake import ApplicantInput, IntakeRequest
from counter_app.core.model import Gender
from counter_app.core.text import fold

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import bench_key  # noqa: E402
from people import People  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PLAIN_MARKERS = "<!-- RESULTS:START (written by bench/run.py) -->", "<!-- RESULTS:END -->"
ENCRYPTED_MARKERS = "<!-- RESULTS-ENCRYPTED:START (written by bench/run.py) -->", "<!-- RESULTS-ENCRYPTED:END -->"
REGIONAL_MARKERS = "<!-- RESULTS-REGIONAL:START (written by bench/run.py) -->", "<!-- RESULTS-REGIONAL:END -->"
START, END = PLAIN_MARKERS
INTAKES, INTAKE_WARMUP = 2_000, 50
LOOKUPS, LOOKUP_WARMUP = 1_000, 100
NAME_RUNS, NAME_WARMUP = 200, 20
INTAKE_PROCEDURE = "1.001612"  # đăng ký thành lập hộ kinh doanh: fixed fee, 3 working days
REGIONAL_PROCEDURE = "1.004873"  # xác nhận tình trạng hôn nhân: on the bench's location-independent list
LIST_RUNS, LIST_WARMUP = 30, 3
BUDGET_INTAKE, BUDGET_LOOKUP, BUDGET_NAME = 20.0, 5.0, 30.0  # ms, judged on p99
NAME_QUERIES = [  # (label, what the officer types)
    ("very common: family + middle name", "nguyen van"),
    ("full name", "tran thi huong"),
    ("rare given name", "khue"),
    ("đ typed as d", "dang duc"),
    ("single short prefix", "ngu"),
    ("four-word full name", "nguyen thi thu huong"),
]


# -- measuring --------------------------------------------------------------------------------
def percentile(sorted_ms: list[float], p: float) -> float:
    """Nearest-rank percentile: the smallest value with at least p% of samples at or below it."""
    return sorted_ms[max(0, math.ceil(p / 100 * len(sorted_ms)) - 1)]


class FullGcWatch:
    """Durations of Python's full (generation 2) garbage collections: they land inside whatever call
    is running and explain one-off maxima that have nothing to do with SQLite."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self._start = 0.0
        gc.callbacks.append(self._on)

    def _on(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        elif info["generation"] == 2:
            self.pauses.append((time.perf_counter() - self._start) * 1000)


GC = FullGcWatch()


def timed(fn, args_list, warmup: int) -> tuple[dict, list]:
    """Call fn(*args) for each args (the first ``warmup`` calls untimed); return stats and results."""
    for args in args_list[:warmup]:
        fn(*args)
    ms, results = [], []
    GC.pauses.clear()
    for args in args_list[warmup:]:
        t = time.perf_counter()
        results.append(fn(*args))
        ms.append((time.perf_counter() - t) * 1000)
    ms.sort()
    stats = {"n": len(ms), "p50": percentile(ms, 50), "p95": percentile(ms, 95), "p99": percentile(ms, 99),
             "max": ms[-1], "full_gc_ms": list(GC.pauses)}
    return stats, results


def fsync_floor(data_dir: Path, n: int = 200) -> dict:
    """Cost of one empty-ish durable commit on this disk (WAL + synchronous=FULL, one tiny row):
    the part of the intake latency no code change can remove."""
    path = data_dir / "fsync-probe.sqlite"
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")
        con.execute("CREATE TABLE IF NOT EXISTS t (x)")
        insert = lambda i: con.execute("INSERT INTO t VALUES (?)", (i,))  # noqa: E731 – autocommit
        stats, _ = timed(insert, [(i,) for i in range(n + 20)], 20)
    finally:
        con.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    return stats


def intake_requests(app: CounterApp, n: int, rng: random.Random) -> list[tuple[IntakeRequest]]:
    """On a regional dataset the intakes go round every agency served: the own agency's with the
    usual procedure, the others' with one on the location-independent list."""
    people = People(app.ctx.provinces, rng)
    today = app.clock.now().date()
    agencies = [a.code for a in app.ctx.agencies]
    out = []
    for i in range(n):
        name, ident, dob, gender, phone, address = people.new_person(today, always_id=True)
        applicant = ApplicantInput(full_name=name, id_number=ident, date_of_birth=dob, gender=Gender(gender),
                                   phone=phone, address=address)
        competent = agencies[i % len(agencies)]
        procedure = INTAKE_PROCEDURE if competent == agencies[0] else REGIONAL_PROCEDURE
        out.append((IntakeRequest(procedure, applicant, officer="Nguyễn Thị Lan", competent_agency=competent),))
    return out


def sample_values(db: Path, n: int, rng: random.Random) -> dict[str, list[str]]:
    """n random existing codes, ID numbers and phone numbers, read with plain sqlite3."""
    con = cipher.open_store(db, mode="ro")
    try:
        top = con.execute("SELECT max(id) FROM dossier").fetchone()[0]
        ids = rng.sample(range(1, top + 1), 4 * n)
        marks = ",".join("?" * len(ids))
        sql = f"SELECT code, id_number, phone FROM dossier WHERE id IN ({marks})"
        rows = con.execute(sql, ids).fetchall()
    finally:
        con.close()
    rng.shuffle(rows)
    return {k: [r[i] for r in rows if r[i]][:n] for i, k in enumerate(("code", "id_number", "phone"))}


def name_ok(query: str, applicant_name: str) -> bool:
    """Every word typed is the start of some word of the folded name."""
    words = fold(applicant_name).split()
    return all(any(w.startswith(q) for w in words) for q in fold(query).split())


class SqlCapture:
    """Remembers the last SQL statements the app's engine ran, to EXPLAIN them afterwards."""

    def __init__(self, engine) -> None:
        self.engine, self.log = engine, []
        event.listen(engine, "before_cursor_execute", self._on)

    def _on(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.log.append((statement, parameters))

    def plan_of(self, fn, *args) -> tuple[str, list[str]]:
        self.log.clear()
        fn(*args)
        stmt, params = next((s, p) for s, p in self.log if s.lstrip().upper().startswith("SELECT"))
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + stmt, params).all()
        return stmt, [r[-1] for r in rows]


# -- the run ----------------------------------------------------------------------------------
def run(data_dir: Path, seed: int) -> dict:
    rng = random.Random(seed)
    db_path = paths.database_path(data_dir)
    dataset = json.loads((data_dir / "bench-dataset.json").read_text("utf-8"))
    res: dict = {"dataset": dataset, "rows": [], "checks": {}}
    # Write back whatever is still dirty in the OS cache (a freshly generated 1.4 GB file is):
    # otherwise the first fsyncs wait for that writeback and the intake tail measures the loader.
    os.sync()
    res["fsync_floor"] = fsync_floor(data_dir)

    app = CounterApp.open(data_dir)
    try:
        capture = SqlCapture(app.db.engine)
        with app.db.engine.connect() as conn:  # the settings every pooled connection gets
            res["synchronous"] = conn.exec_driver_sql("PRAGMA synchronous").scalar()
            if app.encrypted:
                res["cipher_version"] = conn.exec_driver_sql("PRAGMA cipher_version").scalar()
            res["journal_mode"] = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
        assert res["synchronous"] == 2, f"synchronous={res['synchronous']}, expected 2 (FULL)"
        before = app.queries.list(limit=1)[0].code

        # 1. Intake: full service path, one transaction per call.
        reqs = intake_requests(app, INTAKES + INTAKE_WARMUP, rng)
        stats, made = timed(app.intake.receive, reqs, INTAKE_WARMUP)
        codes = [d.code for d in made]
        res["checks"]["intake codes unique"] = len(set(codes)) == len(codes) and before not in codes
        res["checks"]["each intake coded for its competent agency"] = all(
            d.code.startswith(f"{d.competent_agency}-") or d.competent_agency == app.ctx.settings.agency.code
            for d in made)
        res["rows"].append(("Intake commit (`intake.receive`, synchronous=FULL)", stats, BUDGET_INTAKE))

        # 2. Exact look-ups by values that exist.
        values = sample_values(db_path, LOOKUPS + LOOKUP_WARMUP, rng)
        lookups = [
            ("Look-up by code (`queries.search`)", app.queries.search, "code",
             lambda v, r: len(r) == 1 and r[0].code == v),
            ("Look-up by code (`queries.get`, full dossier)", app.queries.get, "code",
             lambda v, r: r.code == v),
            ("Look-up by ID number (`queries.search`)", app.queries.search, "id_number",
             lambda v, r: bool(r) and all(x.id_number == v for x in r)),
            ("Look-up by phone (`queries.search`)", app.queries.search, "phone",
             lambda v, r: bool(r) and all(x.phone == v for x in r)),
        ]
        for label, fn, key, ok in lookups:
            vals = values[key]
            stats, results = timed(fn, [(v,) for v in vals], LOOKUP_WARMUP)
            checked = zip(vals[LOOKUP_WARMUP:], results)
            res["checks"][f"{label}: all correct"] = all(ok(v, r) for v, r in checked)
            res["rows"].append((label, stats, BUDGET_LOOKUP))

        # 3. Name search, typed without diacritics.
        con = cipher.open_store(db_path, mode="ro")
        matches = {q: con.execute("SELECT count(*) FROM dossier_fts WHERE dossier_fts MATCH ?",
                                  (" ".join(f'"{w}"*' for w in q.split()),)).fetchone()[0]
                   for _, q in NAME_QUERIES}
        con.close()
        for label, q in NAME_QUERIES:
            stats, results = timed(app.queries.search, [(q,)] * (NAME_RUNS + NAME_WARMUP), NAME_WARMUP)
            last = results[-1]
            stats |= {"returned": len(last), "matching": matches[q]}
            res["checks"][f"name «{q}»: non-empty, every row matches"] = bool(last) and all(
                name_ok(q, r.applicant_name) for r in last)
            res["rows"].append((f"Name search «{q}» ({label})", stats, BUDGET_NAME))

        # 4. A regional counter's ready-made lists (the hand-over screen and its status-bar count).
        if res["dataset"].get("agencies", 1) > 1:
            for label, fn, ok in (
                ("Paper files waiting for hand-over (`transfers.waiting`)", app.transfers.waiting,
                 lambda r: all(x.competent_agency != x.receiving_agency for x in r)),
                ("Paper files late for hand-over (`transfers.late`, the status bar)", app.transfers.late,
                 lambda r: True),
                ("Awaiting another agency's result (`transfers.awaiting_result`)", app.transfers.awaiting_result,
                 lambda r: all(x.competent_agency != app.ctx.settings.agency.code for x in r)),
            ):
                stats, results = timed(fn, [()] * (LIST_RUNS + LIST_WARMUP), LIST_WARMUP)
                stats |= {"rows": len(results[-1])}
                res["checks"][f"{label}: rows as asked"] = ok(results[-1])
                res["rows"].append((label, stats, None))  # the issue sets no budget: for information

        # 5. Query plans of the statements the repository actually sends.
        res["plans"] = {
            "name": capture.plan_of(app.queries.search, "nguyen van"),
            "code": capture.plan_of(app.queries.search, values["code"][0]),
            "id/phone": capture.plan_of(app.queries.search, values["id_number"][0]),
        }
        name_plan = res["plans"]["name"][1]
        res["fts_driven"] = (bool(name_plan) and name_plan[0].startswith("SCAN dossier_fts VIRTUAL TABLE")
                             and not any("TEMP B-TREE" in line for line in name_plan))
    finally:
        app.close()
    res["db_bytes_after"] = db_path.stat().st_size
    return res


# -- the report -------------------------------------------------------------------------------
def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    mem = re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text())
    return {"cores": os.cpu_count(), "cpu": model.group(1).strip() if model else platform.processor(),
            "ram_gib": round(int(mem.group(1)) / 2**20) if mem else None, "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, "os": f"{platform.system()} {platform.release()}",
            "date": datetime.now(TZ).strftime("%Y-%m-%d %H:%M %Z")}


def fmt(ms: float) -> str:
    return f"{ms:.2f}" if ms < 10 else f"{ms:.1f}"


def report(res: dict) -> str:
    m, d = machine(), res["dataset"]
    lines = [
        START, "",
        f"_Last run: {m['date']}._", "",
        "**Machine.** " f"{m['cores']} cores ({m['cpu']}), {m['ram_gib']} GiB RAM, {m['os']}, "
        f"Python {m['python']}, SQLite {m['sqlite']}. Database on the local disk; "
        f"a bare durable commit (WAL, synchronous=FULL, one tiny row) costs "
        f"p50 {fmt(res['fsync_floor']['p50'])} ms / p99 {fmt(res['fsync_floor']['p99'])} ms here.", "",
        f"**Dataset.** {d['count']:,} dossiers over {d['working_days']} working days "
        f"({d['first_day']} – {d['last_day']}, busiest day {d['max_per_day']:,}), generated in "
        f"{d['total_s']:.0f} s (rows {d['load_s'] - d['fts_rebuild_s']:.0f} s, "
        f"name index {d['fts_rebuild_s']:.0f} s, "
        f"checkpoint {d['checkpoint_s']:.0f} s). Database file {d['db_bytes'] / 2**20:,.0f} MiB "
        f"({res['db_bytes_after'] / 2**20:,.0f} MiB after this run's intakes)."
        + (f" A regional counter receiving for {d['agencies']} agencies (its own and {d['agencies'] - 1} "
           "communes; about 1 in 20 dossiers its own, the rest location-independent procedures for the "
           "others, their paper files handed over the next morning except the last day's); intakes go "
           "round all of them." if d.get("agencies", 1) > 1 else ""), "",
        ("**Encryption.** SQLCipher " + res.get("cipher_version", "?") + " (AES-256 pages with an HMAC each, "
         "raw 256-bit key: no key derivation per connection), as on a counter whose OS keyring holds the key."
         if res.get("cipher_version") else "**Encryption.** None (a counter without an OS keyring)."), "",
        f"**Connection.** `PRAGMA synchronous` on the app's connection = {res['synchronous']} "
        f"({'FULL' if res['synchronous'] == 2 else 'NOT FULL'}), journal_mode = {res['journal_mode']}.", "",
        "| Measurement | n | p50 ms | p95 ms | p99 ms | max ms | Budget (p99) | Result |",
        "|---|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for label, s, budget in res["rows"]:
        verdict = "–" if budget is None else "PASS" if s["p99"] <= budget else "**FAIL**"
        extra = (f" – {s['returned']} shown of {s['matching']:,} matching" if "matching" in s
                 else f" – {s['rows']:,} rows" if "rows" in s else "")
        lines.append(f"| {label}{extra} | {s['n']:,} | {fmt(s['p50'])} | {fmt(s['p95'])} | {fmt(s['p99'])} | "
                     f"{fmt(s['max'])} | {'none' if budget is None else f'≤ {budget:g}'} | {verdict} |")
    gcs = [(label, ms) for label, s, _ in res["rows"] for ms in s["full_gc_ms"]]
    if gcs:
        where = "; ".join(f"{ms:.0f} ms during {label.split(' (')[0].lower()}" for label, ms in gcs)
        lines += ["", f"**Python full garbage collections** inside timed calls: {len(gcs)} ({where}). "
                  "Each lands in a single call, so it shows in that row's max, not in its p99."]
    failed = [k for k, ok in res["checks"].items() if not ok]
    lines += ["", "**Correctness.** Results were checked, not only timed: intake codes unique and new; every "
              "look-up returned exactly the dossier or rows asked for; every name-search result is non-empty "
              "and contains each typed word as the start of a word of the folded name. "
              + ("All checks passed." if not failed else "**FAILED: " + "; ".join(failed) + ".**"), ""]
    stmt, plan = res["plans"]["name"]
    verdict = ("driven by the FTS5 index: SQLite scans `dossier_fts` (MATCH, rowid descending, so "
               "`LIMIT` stops early) and fetches each `dossier` row by primary key; no sort step."
               if res["fts_driven"] else "**NOT driven by the FTS index as expected** – see plan.")
    sql = re.sub(r"\s+", " ", stmt).strip()
    lines += [f"**Name search query plan** – {verdict}", "",
              "```sql", sql, "```", "", "```", *plan, "```", ""]
    for key in ("code", "id/phone"):
        steps = "; ".join(f"`{p}`" for p in res["plans"][key][1])
        lines.append(f"Plan for the {key} look-up: {steps}.")
    lines += ["", END]
    return "\n".join(lines)


def write_report(out: Path, section: str) -> None:
    text = out.read_text("utf-8") if out.exists() else ""
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = (text or "# Storage benchmarks\n\n") + "\n" + section + "\n"
    out.write_text(text, "utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", required=True, type=Path)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    global START, END
    if bench_key(args.data_dir.resolve()) is not None:  # a dataset made with generate.py --encrypt
        START, END = ENCRYPTED_MARKERS
    dataset = json.loads((args.data_dir / "bench-dataset.json").read_text("utf-8"))
    if dataset.get("agencies", 1) > 1:
        START, END = REGIONAL_MARKERS
    res = run(args.data_dir.resolve(), args.seed)
    raw = json.dumps(res, indent=2, ensure_ascii=False, default=str)
    (args.data_dir / "bench-results.json").write_text(raw, "utf-8")
    section = report(res)
    write_report(args.out, section)
    print(section)
    print(f"\nWritten to {args.out}")


if __name__ == "__main__":
    main()
