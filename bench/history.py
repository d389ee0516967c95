"""A province-year of commune dossiers from the previous system, imported and reported on (issue 16).

    .venv/bin/python bench/history.py [--count 300000] [--keep DIR] [--out docs/benchmarks.md]

1. Writes a CSV of ``--count`` dossiers received in 2024 with known distributions shaped like the
   issue's 2024 figures: certified copies 45% of the total; 4 procedures with ≥ 10,000 dossiers, 8
   with 1,000–9,999, 13 with 100–999, 22 with 10–99 and the rest of the bundled catalogue (90
   procedures, fewer than the province's 160) with 1–9, keeping a few with none; statuses, channels,
   on-time and late results, date-only due days, applicants from bench/people.py.
2. Times ``counter-app import-dossiers`` on it as a real process in a fresh data folder (budget
   ≤ 60 s), then a re-import (everything already present), then ``counter-app check``.
3. Times the full-year report over the imported store (``time_report``; budget ≤ 3 s) and checks
   its per-procedure counts and volume bands against what was written.

Rewrites the section of docs/benchmarks.md between the HISTORY markers.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

from counter_app.app import CounterApp
from counter_app.core.calendar import TZ

sys.path.insert(0, str(Path(__file__).resolve().parent))
from people import People  # noqa: E402
from sections import write_section  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- HISTORY:START (written by bench/history.py) -->", "<!-- HISTORY:END -->"
YEAR = 2024
AGENCY, AGENCY_NAME = "H52.101", "UBND xã Định Mỹ"
CERTIFIED_COPY = "2.000815"  # chứng thực bản sao từ bản chính
CERTIFIED_SHARE = 0.45
OTHER_LARGE = (0.17, 0.10, 0.06)  # the other three procedures above 10,000 (shares of the total)
BANDS = ((100, 999, 13), (10, 99, 22))  # (low, high, procedures) below the 1,000–9,999 band
MID_BAND = (1_000, 9_999, 8)
SMALL_BAND, KEEP_UNUSED = 49, 6  # 1–9 dossiers: up to 49 procedures, leaving this many with none
BUDGET_IMPORT, BUDGET_REPORT = 60.0, 3.0
HEADER = ("code", "procedure_code", "received_at", "due_at", "finished_at", "returned_at", "status", "channel",
          "applicant_name", "id_number")


# -- the distributions ---------------------------------------------------------------------------
def plan_counts(codes: list[str], total: int, rng: random.Random) -> dict[str, int]:
    """Dossiers per procedure: the certified copy first, then bands in the issue's shape; the
    1,000–9,999 band takes whatever the others leave so the total is exact."""
    others = [c for c in codes if c != CERTIFIED_COPY]
    rng.shuffle(others)
    counts = {CERTIFIED_COPY: round(total * CERTIFIED_SHARE)}
    pos = 0
    for share in OTHER_LARGE:
        counts[others[pos]] = round(total * share)
        pos += 1
    mid = others[pos:pos + MID_BAND[2]]
    pos += MID_BAND[2]
    for low, high, n in BANDS:
        for code in others[pos:pos + n]:
            counts[code] = rng.randint(low, high)
        pos += n
    small = min(SMALL_BAND, len(others) - pos - KEEP_UNUSED)
    for code in others[pos:pos + small]:
        counts[code] = rng.randint(1, 9)
    rest = total - sum(counts.values())
    weights = [rng.uniform(0.8, 1.2) for _ in mid]
    shares = [int(rest * w / sum(weights)) for w in weights]
    shares[0] += rest - sum(shares)
    counts.update(zip(mid, shares))
    bands = volume_bands(counts)
    if not all(MID_BAND[0] <= counts[c] <= MID_BAND[1] for c in mid) or bands[">=10000"] != 1 + len(OTHER_LARGE):
        raise SystemExit(f"--count {total} is too small for the issue's bands: {bands}")
    return counts


def volume_bands(counts: dict[str, int]) -> dict[str, int]:
    edges = ((">=10000", 10_000, None), ("1000-9999", 1_000, 9_999), ("100-999", 100, 999), ("10-99", 10, 99),
             ("1-9", 1, 9))
    return {k: sum(1 for n in counts.values() if n >= low and (high is None or n <= high)) for k, low, high in edges}


def working_days(calendar) -> list[date]:
    day, out = date(YEAR, 1, 1), []
    while day.year == YEAR:
        if calendar.is_working_day(day):
            out.append(day)
        day += timedelta(days=1)
    return out


def _iso(t: datetime | None) -> str:
    return "" if t is None else t.strftime("%Y-%m-%dT%H:%M:%S")


def write_csv(path: Path, counts: dict[str, int], app: CounterApp, seed: int) -> dict:
    """The file, with what it holds by status and channel (what the report must find again)."""
    rng = random.Random(seed)
    calendar = app.ctx.calendar
    days = working_days(calendar)
    wd = {p.code: p.working_days or 0 for p in app.catalogue.procedures()}
    people = People(app.ctx.provinces, rng)
    rows = []
    for code, n in counts.items():
        for _ in range(n):
            day = rng.choice(days)
            minute = rng.randrange(7 * 60 + 30, 16 * 60 + 45)
            rows.append((datetime(day.year, day.month, day.day, minute // 60, minute % 60, rng.randrange(60),
                                  tzinfo=TZ), code))
    rows.sort()
    seq: Counter[date] = Counter()
    by_status: Counter[str] = Counter()
    by_channel: Counter[str] = Counter()
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        for received, proc in rows:
            seq[received.date()] += 1
            code = f"{AGENCY}-{received:%y%m%d}-01{seq[received.date()]:04d}"
            copy = proc == CERTIFIED_COPY
            due = calendar.due_at(received, wd[proc])
            r = rng.random()
            status = ("refused" if r < 0.015 else "withdrawn" if r < 0.025 else "stopped" if r < 0.03
                      else "received" if r < 0.033 else "processing" if r < 0.038 else "supplement_requested"
                      if r < 0.04 else "result_ready" if r < 0.06 else "returned")
            finished = returned = None
            if status in ("result_ready", "returned"):
                if copy:
                    finished = received + timedelta(minutes=rng.randint(10, 40))
                elif rng.random() < 0.88:
                    finished = received + (due - received) * rng.random()
                else:
                    finished = due + timedelta(days=rng.randint(1, 10))
                if status == "returned":
                    returned = finished if copy else finished + timedelta(hours=rng.choice((0, 2, 20, 48, 70)))
            channel = "counter" if copy else rng.choices(("counter", "online", "post"), (65, 30, 5))[0]
            name, ident, *_ = people.new_person(received.date())
            due_text = "" if status == "refused" else due.date().isoformat() if rng.random() < 0.3 else _iso(due)
            out.writerow((code, proc, _iso(received), due_text, "" if status == "returned" and copy else _iso(finished),
                          _iso(returned), status, channel, name, ident or ""))
            by_status[status] += 1
            by_channel[channel] += 1
    return {"rows": len(rows), "by_status": dict(by_status), "by_channel": dict(by_channel)}


# -- timing --------------------------------------------------------------------------------------
def counter_cli(data_dir: Path, *args: str) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall time, CPU time (user + system, both threads) and the finished process."""
    env = {**os.environ, "COUNTER_APP_OFFICER": "Bench", "PYTHONIOENCODING": "utf-8"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "counter_app", *args, "--data-dir", str(data_dir)], cwd=ROOT,
                          env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done


def time_report(data_dir: Path, start: date, end: date, runs: int = 5) -> dict:
    """The report over ``[start, end]`` of the store in ``data_dir``, through ``app.reports.build``:
    median and worst of ``runs`` (after one untimed warm-up), and the last report itself."""
    app = CounterApp.open(data_dir)
    try:
        app.reports.build(start, end)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            report = app.reports.build(start, end)
            times.append(time.perf_counter() - t)
    finally:
        app.close()
    return {"runs": runs, "median_s": statistics.median(times), "max_s": max(times), "report": report}


def _counts(by: dict[str, int]) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in sorted(by.items(), key=lambda kv: -kv[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--keep", help="data folder to build and keep (default: a temporary one)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-history-") as tmp:
        data_dir = Path(args.keep) if args.keep else Path(tmp) / "data"
        setup = CounterApp.initialise(data_dir, agency_code=AGENCY, agency_name=AGENCY_NAME, province="Gia Lai")
        try:
            codes = [p.code for p in setup.catalogue.procedures()]
            counts = plan_counts(codes, args.count, random.Random(args.seed))
            csv_path = Path(tmp) / f"ho-so-{YEAR}.csv"
            t = time.perf_counter()
            written = write_csv(csv_path, counts, setup, args.seed)
            gen_s = time.perf_counter() - t
        finally:
            setup.close()
        size_mb = csv_path.stat().st_size / 1e6
        import_s, import_cpu, done = counter_cli(data_dir, "import-dossiers", str(csv_path), "--json")
        if done.returncode != 0:
            raise SystemExit(f"import failed ({done.returncode}): {done.stderr[-2000:]}")
        imported = json.loads(done.stdout)
        again_s, _, again = counter_cli(data_dir, "import-dossiers", str(csv_path), "--json")
        present = json.loads(again.stdout)["already_present"]
        check_s, _, check = counter_cli(data_dir, "check", "--json")
        check_ok = json.loads(check.stdout)["ok"]
        rep = time_report(data_dir, date(YEAR, 1, 1), date(YEAR, 12, 31))
    report = rep["report"]
    found = {p["code"]: p["count"] for p in report["by_procedure"]}
    exact = (found == {c: n for c, n in counts.items() if n} and report["total"] == args.count
             and report["volume_bands"] == volume_bands(counts))
    certified = counts[CERTIFIED_COPY] / args.count
    res = {"count": args.count, "csv_mb": size_mb, "generate_s": gen_s, "import_s": import_s, "import_cpu_s": import_cpu,
           "imported": imported["imported"], "skipped": imported["skipped"], "reimport_s": again_s,
           "reimport_present": present, "check_s": check_s, "check_ok": check_ok,
           "report_median_s": rep["median_s"], "report_max_s": rep["max_s"], "report_exact": exact,
           "bands": volume_bands(counts), "used": sum(1 for n in counts.values() if n), "catalogue": len(codes),
           "certified_share": certified, **written}
    res["load_average"] = os.getloadavg()
    print(json.dumps(res, ensure_ascii=False, indent=1))
    ok_import = "PASS" if import_s <= BUDGET_IMPORT and imported["imported"] == args.count else "**FAIL**"
    ok_report = "PASS" if rep["median_s"] <= BUDGET_REPORT and exact else "**FAIL**"
    bands = ", ".join(f"{k}: {v}" for k, v in res["bands"].items())
    section = f"""{START}

_Last run: {datetime.now(TZ):%Y-%m-%d %H:%M} +07, {os.cpu_count()} cores, load average at the end
{' / '.join(f'{x:.1f}' for x in res['load_average'])} (1 / 5 / 15 min)._

The file: {args.count:,} dossiers received in {YEAR} ({size_mb:.0f} MB), {res['used']} of the {len(codes)} catalogue
procedures with dossiers (bands {bands}), certified copies {certified:.0%}; statuses {_counts(written['by_status'])}; channels
{_counts(written['by_channel'])}.

| Measurement | Result | Budget | Verdict |
|---|---:|---:|:---:|
| `import-dossiers` in a fresh data folder (process start to exit; {imported['imported']:,} imported, {imported['skipped']} skipped) | {import_s:.1f} s wall, {import_cpu:.1f} s CPU | ≤ {BUDGET_IMPORT:.0f} s | {ok_import} |
| Same file again ({present:,} already present, nothing written) | {again_s:.1f} s | – | – |
| `counter-app check` afterwards (integrity, state hashes of every dossier) | {check_s:.1f} s, {'clean' if check_ok else '**problems**'} | – | – |
| Full-year report `app.reports.build` (median of {rep['runs']}, max {rep['max_s']:.2f} s); per-procedure counts and bands {'match the file exactly' if exact else '**differ from the file**'} | {rep['median_s']:.2f} s | ≤ {BUDGET_REPORT:.0f} s | {ok_report} |

{END}"""
    write_section(Path(args.out), START, END, section,
                  "\n## Historical import and the full-year report\n\nReproduce: `.venv/bin/python bench/history.py`"
                  " (about two minutes; the CSV and the store live in a temporary folder, `--keep DIR` keeps"
                  " the store). Writing the CSV is not timed.\n\n")
    print(section)


if __name__ == "__main__":
    main()
