"""The frozen bundle against the source (pip -e) install: bundle and package size, and start-up to
the login dialog, offscreen, on a set-up counter, warm and cold.

    .venv/bin/python installer/build.py bundle && .venv/bin/python installer/build.py deb
    .venv/bin/python bench/frozen.py [--bundle dist/counter-app] [--deb dist/counter-app_<v>_amd64.deb]
                                     [--runs 15] [--cold-runs 7]

Budget (issue 17): the frozen app reaches its login dialog no slower than the source install.
Cold without dropping the whole page cache (root, and it slows every process on a shared machine):
before each cold run, every file that run reads from its own install is evicted with
posix_fadvise(DONTNEED): the bundle folder for the frozen app; the venv, the base interpreter's
lib/ and binary, and the repository's counter_app/ and resources/ for the source install; the
data folder for both. System libraries (libc, libGL, fontconfig) stay cached for both.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from datetime import datetime
from pathlib import Path

from counter_app import __version__
from counter_app.core.calendar import TZ
from sections import write_section  # bench/sections.py, next to this script  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- FROZEN:START (written by bench/frozen.py) -->", "<!-- FROZEN:END -->"
# In a child process: the C extensions CounterApp loads (sqlcipher3, SQLAlchemy, cryptography) would
# stay mapped in this one for the whole bench, and mapped pages cannot be evicted.
SET_UP = """import sys
from pathlib import Path
from counter_app.app import CounterApp
core = CounterApp.initialise(Path(sys.argv[1]), agency_code="H52.101", agency_name="UBND xã Định Mỹ", desk=1)
core.officers.create("bich.tt", "Trần Thị Bích", "mật-khẩu-2026", role="admin")
core.close()
"""


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def files_under(*roots: Path) -> list[str]:
    """Every regular file under ``roots``, symlinks resolved, each once."""
    found = set()
    for root in roots:
        paths = [str(root)] if root.is_file() else (
            os.path.join(folder, name) for folder, _, names in os.walk(root) for name in names)
        found.update(real for real in map(os.path.realpath, paths) if os.path.isfile(real))
    return sorted(found)


def evict(files: list[str], written: bool = False) -> None:
    """Drop ``files`` from the page cache; pages still mapped by a running process stay."""
    for path in files:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:  # unreadable to us, so to the app too: nothing of it is cached on its behalf
            continue
        try:
            if written:  # dirty pages are not dropped, only queued for writing back
                os.fdatasync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def resident_mb(files: list[str]) -> float | None:
    """How much of ``files`` is in the page cache, by util-linux fincore; None without it."""
    if not shutil.which("fincore"):
        return None
    total = 0
    for i in range(0, len(files), 2000):
        done = subprocess.run(["fincore", "--bytes", "--noheadings", "--output", "RES", *files[i:i + 2000]],
                              capture_output=True, text=True)
        total += sum(int(word) for word in done.stdout.split() if word.isdigit())
    return total / 1e6


def start_once(command: list[str], data: str) -> tuple[float, float]:
    """Seconds to the login dialog, and MB the process read from disk (the page cache's misses)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COUNTER_APP_EXIT_AFTER_SHOW": "1"}
    blocks = resource.getrusage(resource.RUSAGE_CHILDREN).ru_inblock
    t = time.perf_counter()
    done = subprocess.run([*command, "--data-dir", data], env=env, cwd=ROOT, check=True, capture_output=True,
                          text=True)
    elapsed = time.perf_counter() - t
    if "shown: LoginDialog" not in done.stdout:
        raise SystemExit(f"{command[0]} did not reach the login dialog: {done.stdout}{done.stderr}")
    return elapsed, (resource.getrusage(resource.RUSAGE_CHILDREN).ru_inblock - blocks) * 512 / 1e6


def warm(command: list[str], data: str, runs: int) -> list[tuple[float, float]]:
    for _ in range(2):  # fill the page cache
        start_once(command, data)
    return [start_once(command, data) for _ in range(runs)]


def cold(installs: dict[str, tuple[list[str], list[str]]], data: str, runs: int) -> dict[str, list]:
    """Alternate the installs so that a change in the machine's load falls on both alike. Per install:
    its times, and the MB of its files resident before and right after the first eviction."""
    result: dict[str, list] = {name: [[], None, None] for name in installs}
    for i in range(runs):
        for name, (command, files) in installs.items():
            if i == 0:
                result[name][1] = resident_mb(files)
            evict(files)
            evict(files_under(Path(data)), written=True)
            if i == 0:
                result[name][2] = resident_mb(files)
            result[name][0].append(start_once(command, data))
    return result


def row(name: str, cache: str, runs: list[tuple[float, float]], budget: str, verdict: str) -> str:
    times, read = [t for t, _ in runs], [mb for _, mb in runs]
    return (f"| {name} | {cache} | {len(times)} | {statistics.median(times):.2f} s | {max(times):.2f} s "
            f"| {statistics.median(read):.0f} MB | {budget} | {verdict} |")


def verdict(frozen: list[tuple[float, float]], source: list[tuple[float, float]]) -> str:
    faster = statistics.median(t for t, _ in frozen) <= statistics.median(t for t, _ in source)
    return "PASS" if faster else "**FAIL**"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bundle", default=str(ROOT / "dist" / "counter-app"))
    parser.add_argument("--deb", default=str(ROOT / "dist" / f"counter-app_{__version__}_amd64.deb"))
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--cold-runs", type=int, default=7)
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    bundle, deb = Path(args.bundle), Path(args.deb)
    source_cmd, frozen_cmd = [sys.executable, "-m", "counter_app"], [str(bundle / "counter-app")]
    # python -m from ROOT imports this checkout's counter_app; the base interpreter's lib/ holds
    # libpython and the standard library the venv runs on.
    source_files = files_under(Path(sys.prefix), Path(sysconfig.get_config_var("LIBDIR")),
                               Path(sys.executable), ROOT / "counter_app", ROOT / "resources")
    frozen_files = files_under(bundle)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-c", SET_UP, tmp], cwd=ROOT, check=True)
        source, frozen = warm(source_cmd, tmp, args.runs), warm(frozen_cmd, tmp, args.runs)
        colds = cold({"source": (source_cmd, source_files), "frozen": (frozen_cmd, frozen_files)}, tmp,
                     args.cold_runs)
    internal = bundle / "_internal"
    biggest = sorted(((folder_size(p) if p.is_dir() else p.stat().st_size, p.name) for p in internal.iterdir()
                      if not p.is_symlink()),
                     reverse=True)[:6]
    deb_row = (f"| `.deb` (xz) | {deb.stat().st_size / 1e6:.0f} MB |\n" if deb.exists() else "")
    checks = []
    for name, files in (("source", source_files), ("frozen", frozen_files)):
        size = sum(os.path.getsize(f) for f in files) / 1e6
        before, after = colds[name][1], colds[name][2]
        checks.append(f"{name} {len(files)} files, {size:.0f} MB: " + (
            "fincore not installed" if before is None else f"{before:.0f} MB resident → {after:.1f} MB"))
    src, frz = "source install (`python -m counter_app`)", "frozen bundle (`dist/counter-app/counter-app`)"
    section = f"""{START}

_Last run: {datetime.now(TZ):%Y-%m-%d %H:%M} +07, version {__version__}._

| Artefact | Size |
|---|---:|
| `dist/counter-app/` (one folder, uncompressed) | {folder_size(bundle) / 1e6:.0f} MB |
{deb_row}| largest parts | {", ".join(f"{name} {size / 1e6:.0f} MB" for size, name in biggest)} |

| Start → login dialog (offscreen, set up) | cache | runs | median | max | disk read | Budget | Result |
|---|---|---:|---:|---:|---:|---|:---:|
{row(src, "warm", source, "–", "–")}
{row(frz, "warm", frozen, "≤ source warm", verdict(frozen, source))}
{row(src, "cold", colds["source"][0], "–", "–")}
{row(frz, "cold", colds["frozen"][0], "≤ source cold", verdict(colds["frozen"][0], colds["source"][0]))}

Eviction before the first cold run (fincore): {"; ".join(checks)}.

{END}"""
    write_section(Path(args.out), START, END, section,
                  "\n## Installer: bundle size and frozen start-up\n\nReproduce: `.venv/bin/python "
                  "installer/build.py bundle && .venv/bin/python installer/build.py deb && "
                  ".venv/bin/python bench/frozen.py`.\n\n")
    print(section)


if __name__ == "__main__":
    main()
