"""Kill the process (SIGKILL) in the middle of a stream of intakes: every intake that reported
success is still there afterwards, and the database passes its integrity check."""

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from counter_app.app import CounterApp
from counter_app.storage.maintenance import check_database
from tests.conftest import ROOT

WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from counter_app.app import CounterApp
    from tests.conftest import request
    app = CounterApp.open(Path(sys.argv[1]))
    while True:
        dossier = app.intake.receive(request())
        print(dossier.code, flush=True)   # reported only after the commit returned
""")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("kill_after", [1, 17, 60])
def test_sigkill_mid_stream_loses_no_reported_intake(tmp_path, kill_after):
    data = tmp_path / "data"
    CounterApp.initialise(data, agency_code="H52.101", agency_name="UBND xã Định Mỹ", desk=1).close()
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(data)], cwd=ROOT, stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    reported = []
    try:
        while len(reported) < kill_after:
            line = proc.stdout.readline()
            assert line, "writer died before being killed"
            reported.append(line.strip())
        os.kill(proc.pid, signal.SIGKILL)
        reported += [line.strip() for line in proc.stdout.read().splitlines() if line.strip()]
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    con = sqlite3.connect(data / "counter.sqlite")
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {r[0] for r in con.execute("SELECT code FROM dossier")}
        outbox = con.execute("SELECT count(*) FROM outbox").fetchone()[0]
        events = con.execute("SELECT count(*) FROM dossier_event").fetchone()[0]
    finally:
        con.close()
    assert set(reported) <= stored
    assert len(stored) - len(reported) <= 1  # at most the one committed as the kill landed
    assert outbox == events == len(stored)  # never a dossier without its event and outbox row
    assert check_database(data, ROOT / "migrations").ok
