"""Backups that restore (issue 13, item 3): atomic backup, restore, and ``check`` on a damaged file."""

import errno
import os
import random
import sqlite3
import subprocess
import sys
import time

import pytest

from counter_app import cli
from counter_app.storage import backup as backup_mod
from tests.cli.test_cli import run, run_json
from tests.conftest import ROOT

INTAKE = ("intake", "--procedure", "1.001612", "--name", "Nguyễn Văn Ấn", "--id-number", "052090123456",
          "--dob", "01/01/1990", "--gender", "Nam", "--phone", "0912 345 678")


@pytest.fixture()
def data(tmp_path):
    d = tmp_path / "data"
    run(d, "init", "--agency-code", "H52.101", "--agency-name", "UBND xã Định Mỹ", "--province", "Gia Lai",
        "--desk", "2")
    return d


def codes(db):
    con = sqlite3.connect(db)
    try:
        return sorted(r[0] for r in con.execute("SELECT code FROM dossier"))
    finally:
        con.close()


def test_backup_killed_at_random_points_never_leaves_a_file_under_its_name(tmp_path):
    # A store big enough (about 24 MB) that the copy takes long enough to be killed inside it.
    data = tmp_path / "data"
    data.mkdir()
    con = sqlite3.connect(data / "counter.sqlite")
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, blob BLOB)")
    con.executemany("INSERT INTO filler (blob) VALUES (?)", ((os.urandom(4000),) for _ in range(6000)))
    con.commit()
    con.close()
    started = time.monotonic()
    run(data, "backup", "--out", str(tmp_path / "timing.sqlite"))
    duration = time.monotonic() - started
    rng = random.Random(13)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    outcomes = {"none": 0, "complete": 0}
    for i in range(12):
        out = tmp_path / "usb" / f"b{i}.sqlite"
        proc = subprocess.Popen([sys.executable, "-m", "counter_app", "backup", "--out", str(out), "--data-dir",
                                 str(data)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.0, duration * 1.1))
        proc.kill()
        proc.wait(timeout=30)
        if out.exists():
            assert backup_mod.integrity_problem(out) is None
            assert not out.with_name(out.name + "-journal").exists()
            con = sqlite3.connect(out)
            assert con.execute("SELECT count(*) FROM filler").fetchone()[0] == 6000
            con.close()
            outcomes["complete"] += 1
        else:
            outcomes["none"] += 1
        if time.monotonic() - started > 90:  # bounded time on a slow machine
            break
    assert outcomes["none"] >= 1, outcomes  # some kills did land inside the copy
    # A later backup to a killed one's name succeeds and cleans the temporary files away.
    out = tmp_path / "usb" / "b0.sqlite"
    if not out.exists():
        run(data, "backup", "--out", str(out))
        assert backup_mod.integrity_problem(out) is None
    assert not [p for p in (tmp_path / "usb").iterdir() if p.name.startswith(".b0.sqlite.")]


def test_backup_to_a_full_disk_leaves_nothing_and_says_so(data, tmp_path, monkeypatch, capsys):
    out = tmp_path / "usb" / "copy.sqlite"
    real_copy = backup_mod._copy_into

    def disk_full(src, dst, key):
        real_copy(src, dst, key)  # the bytes are there, then the disk fills before the copy is finished
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    monkeypatch.setattr(backup_mod, "_copy_into", disk_full)
    assert cli.main(["backup", "--out", str(out), "--data-dir", str(data)]) == 1
    err = capsys.readouterr().err
    assert "ổ đĩa đã đầy" in err and "Traceback" not in err
    assert list((tmp_path / "usb").iterdir()) == []  # no 0-byte file to block the next backup
    monkeypatch.undo()
    assert cli.main(["backup", "--out", str(out), "--data-dir", str(data)]) == 0
    assert backup_mod.integrity_problem(out) is None


def test_a_backup_that_fails_its_check_is_not_kept(data, tmp_path, monkeypatch, capsys):
    out = tmp_path / "copy.sqlite"
    monkeypatch.setattr(backup_mod, "integrity_problem", lambda path, deep=True, key=None: "integrity_check: page 7 broken")
    assert cli.main(["backup", "--out", str(out), "--data-dir", str(data)]) == 1
    assert "kiểm tra toàn vẹn" in capsys.readouterr().err
    assert list(tmp_path.glob("*copy.sqlite*")) == []


def test_restore_brings_back_exactly_the_backed_up_dossiers(data, tmp_path):
    run(data, *INTAKE)
    before = codes(data / "counter.sqlite")
    out = tmp_path / "copy.sqlite"
    run(data, "backup", "--out", str(out))
    run(data, *INTAKE)
    run(data, *INTAKE)
    assert len(codes(data / "counter.sqlite")) == 3
    result = run_json(data, "restore", str(out))
    assert codes(data / "counter.sqlite") == before
    kept = result["previous"]
    assert kept and len(codes(kept)) == 3  # the replaced database is kept aside, whole
    assert not (data / "counter.sqlite-wal").exists() or os.path.getsize(data / "counter.sqlite-wal") == 0
    assert run_json(data, "check")["ok"]
    # The restored counter keeps working: new dossiers follow on.
    run(data, *INTAKE)
    assert len(codes(data / "counter.sqlite")) == 2


@pytest.mark.parametrize("kind", ["text", "truncated", "foreign", "nothing"])
def test_restore_refuses_a_bad_file_and_changes_nothing(data, tmp_path, kind):
    run(data, *INTAKE)
    bad = tmp_path / "bad.sqlite"
    if kind == "text":
        bad.write_text("Họ tên,Số định danh\n", encoding="utf-8")
    elif kind == "truncated":
        good = tmp_path / "good.sqlite"
        run(data, "backup", "--out", str(good))
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif kind == "foreign":
        con = sqlite3.connect(bad)
        con.execute("CREATE TABLE notes (x)")
        con.commit()
        con.close()
    db = data / "counter.sqlite"
    before = (codes(db), sorted(p.name for p in data.iterdir()))
    result = run(data, "restore", str(bad), ok=False)
    assert result.returncode == 1 and result.stderr.startswith("Lỗi: ") and "Traceback" not in result.stderr
    assert "không khôi phục" in result.stderr or "Không tìm thấy" in result.stderr
    assert (codes(db), sorted(p.name for p in data.iterdir())) == before


def test_restore_is_refused_while_the_store_is_open_elsewhere(data, tmp_path):
    out = tmp_path / "copy.sqlite"
    run(data, "backup", "--out", str(out))
    run(data, *INTAKE)
    holder = sqlite3.connect(data / "counter.sqlite")  # the window, as SQLite sees it
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("SELECT count(*) FROM dossier").fetchone()
    try:
        result = run(data, "restore", str(out), ok=False)
        assert result.returncode == 1 and "đang mở" in result.stderr
    finally:
        holder.close()
    assert len(codes(data / "counter.sqlite")) == 1
    assert not list(data.glob("*before-restore*"))


@pytest.mark.parametrize("kind", ["truncated", "text"])
def test_check_reports_a_damaged_file_without_a_traceback(data, kind):
    db = data / "counter.sqlite"
    run(data, *INTAKE)
    run(data, "check")  # checkpoint-free: read the file as it is
    if kind == "text":
        db.write_text("không phải cơ sở dữ liệu\n", encoding="utf-8")
    else:
        for side in ("counter.sqlite-wal", "counter.sqlite-shm"):
            (data / side).unlink(missing_ok=True)
        db.write_bytes(db.read_bytes()[:5000])
    result = run(data, "check", ok=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr + result.stdout
    assert "có vấn đề" in result.stdout
    report = run_json_failing(data, "check")
    assert not report["ok"] and report["problems"]


def run_json_failing(data, *args):
    import json

    result = run(data, *args, "--json", ok=False)
    assert result.returncode == 1
    return json.loads(result.stdout)


def test_the_service_restores_under_an_open_core_and_refuses_a_bad_file_keeping_it_working(app, tmp_path):
    from counter_app.core.errors import ValidationError
    from counter_app.startup import backup_store
    from tests.conftest import request

    first = app.intake.receive(request()).code
    out = tmp_path / "copy.sqlite"
    backup_store(app.data_dir, out)
    app.intake.receive(request())
    bad = tmp_path / "notes.txt"
    bad.write_text("không phải sao lưu", encoding="utf-8")
    with pytest.raises(ValidationError) as refused:
        app.restore_from_backup(bad)
    assert "không khôi phục" in refused.value.message
    assert len(app.intake.receive(request()).code) > 0  # the window's core goes on working
    result = app.restore_from_backup(out)
    assert codes(app.data_dir / "counter.sqlite") == [first]
    assert len(codes(result["previous"])) == 3


def test_idle_maintenance_makes_one_daily_backup_and_keeps_the_newest(app, clock, tmp_path):
    from dataclasses import replace

    from tests.conftest import request

    usb = tmp_path / "usb"
    usb.mkdir()
    for day in ("20260601", "20260602", "20260603"):
        (usb / f"counter-{day}.sqlite").write_bytes(b"old")
    (usb / "notes.txt").write_text("not ours", encoding="utf-8")
    assert "backup" not in app.idle_maintenance()  # off by default
    app.setup.save_settings(replace(app.ctx.settings, backup_folder=str(usb), backup_keep=2))
    app.intake.receive(request())
    result = app.idle_maintenance()["backup"]
    today = usb / "counter-20260610.sqlite"
    assert result["made"] == str(today) and backup_mod.integrity_problem(today) is None
    assert len(codes(today)) == 1
    assert sorted(p.name for p in usb.iterdir()) == ["counter-20260603.sqlite", "counter-20260610.sqlite",
                                                      "notes.txt"]
    assert app.idle_maintenance()["backup"]["made"] is None  # once a day
    import shutil

    shutil.rmtree(usb)
    (tmp_path / "usb").write_text("a file where the folder was", encoding="utf-8")
    assert app.idle_maintenance()["backup"]["reason"]  # the drive is gone: no crash, tried again later
