"""The frozen bundle against the source (pip -e) install: bundle and package size, and warm
start-up to the login dialog, offscreen, on a set-up counter.

    .venv/bin/python installer/build.py bundle && .venv/bin/python installer/build.py deb
    .venv/bin/python bench/frozen.py [--bundle dist/counter-app] [--deb dist/counter-app_<v>_amd64.deb] [--runs 15]

Budget (issue 17): the frozen app reaches its login dialog no slower than the source install.
Warm only: a cold start needs the page cache dropped (root, and it slows every other process on a
shared machine), so it is not measured here.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from counter_app import __version__
from counter_app.app import CounterApp
from counter_app.core.calendar import TZ
from sections import write_section  # bench/sections.py, next to this script  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- FROZEN:START (written by bench/frozen.py) -->", "<!-- FROZEN:END -->"


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def time_to_login(command: list[str], data: str, runs: int) -> list[float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COUNTER_APP_EXIT_AFTER_SHOW": "1"}
    times = []
    for i in range(runs + 2):  # two warm-up runs fill the OS cache
        t = time.perf_counter()
        done = subprocess.run([*command, "--data-dir", data], env=env, cwd=ROOT, check=True, capture_output=True,
                              text=True)
        elapsed = time.perf_counter() - t
        if "shown: LoginDialog" not in done.stdout:
            raise SystemExit(f"{command[0]} did not reach the login dialog: {done.stdout}{done.stderr}")
        if i >= 2:
            times.append(elapsed)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bundle", default=str(ROOT / "dist" / "counter-app"))
    parser.add_argument("--deb", default=str(ROOT / "dist" / f"counter-app_{__version__}_amd64.deb"))
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    bundle, deb = Path(args.bundle), Path(args.deb)
    with tempfile.TemporaryDirectory() as tmp:
        core = CounterApp.initialise(Path(tmp), agency_code="H52.101", agency_name="UBND xã Định Mỹ", desk=1)
        core.officers.create("bich.tt", "Trần Thị Bích", "mật-khẩu-2026", role="admin")
        core.close()
        source = time_to_login([sys.executable, "-m", "counter_app"], tmp, args.runs)
        frozen = time_to_login([str(bundle / "counter-app")], tmp, args.runs)
    internal = bundle / "_internal"
    biggest = sorted(((folder_size(p) if p.is_dir() else p.stat().st_size, p.name) for p in internal.iterdir()
                      if not p.is_symlink()),
                     reverse=True)[:6]
    verdict = "PASS" if statistics.median(frozen) <= statistics.median(source) else "**FAIL**"
    deb_row = (f"| `.deb` (xz) | {deb.stat().st_size / 1e6:.0f} MB |\n" if deb.exists() else "")
    section = f"""{START}

_Last run: {datetime.now(TZ):%Y-%m-%d %H:%M} +07, version {__version__}._

| Artefact | Size |
|---|---:|
| `dist/counter-app/` (one folder, uncompressed) | {folder_size(bundle) / 1e6:.0f} MB |
{deb_row}| largest parts | {", ".join(f"{name} {size / 1e6:.0f} MB" for size, name in biggest)} |

| Process start → login dialog (warm, offscreen, set-up counter) | runs | median | max | Budget | Result |
|---|---:|---:|---:|---|:---:|
| source install (`python -m counter_app`) | {len(source)} | {statistics.median(source):.2f} s | {max(source):.2f} s | – | – |
| frozen bundle (`dist/counter-app/counter-app`) | {len(frozen)} | {statistics.median(frozen):.2f} s | {max(frozen):.2f} s | ≤ source | {verdict} |

{END}"""
    write_section(Path(args.out), START, END, section,
                  "\n## Installer: bundle size and frozen start-up\n\nReproduce: `.venv/bin/python installer/build.py"
                  " bundle && .venv/bin/python installer/build.py deb && .venv/bin/python bench/frozen.py`."
                  " Cold start (page cache dropped) is not measured.\n\n")
    print(section)


if __name__ == "__main__":
    main()
