"""Issue 13 item 1, privacy part: citizens' personal data on a shared office PC is readable by the
user running the counter only. On Linux and macOS every folder under the data folder is 0700 and
every file 0600 (the database, its WAL and SHM, backups, exports and prints written there, logs);
an older data folder left 755/644 is tightened when it is opened. (Windows gets a user-only ACL
through ``icacls``, best effort; it is not tested here.)"""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes; Windows uses an ACL")


def run(data: Path, *args: str, stdin: str | None = None) -> None:
    env = {**os.environ, "COUNTER_APP_OFFICER": "Cán bộ CLI", "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run([sys.executable, "-m", "counter_app", *args, "--data-dir", str(data)], cwd=ROOT,
                            env=env, input=stdin, capture_output=True, text=True, timeout=120,
                            preexec_fn=lambda: os.umask(0o022))  # a usual desktop umask: 755/644
    assert result.returncode == 0, result.stderr


def shared(data: Path) -> list[str]:
    """Everything under ``data`` (itself included) that group or others may read, write or enter."""
    found = [data, *data.rglob("*")]
    return [f"{p.relative_to(data.parent)} {stat.filemode(p.lstat().st_mode)}"
            for p in found if not p.is_symlink() and p.lstat().st_mode & 0o077]


def test_everything_the_counter_writes_in_its_data_folder_is_private(tmp_path):
    data = tmp_path / "data"
    run(data, "init", "--agency-code", "H52.101", "--agency-name", "UBND xã Định Mỹ", "--province", "Gia Lai")
    run(data, "intake", "--procedure", "1.001612", "--name", "Nguyễn Văn Ấn", "--id-number", "052090123456",
        "--received-at", "2026-06-10T09:15", "--backdate-reason", "nhập bù sổ giấy")
    run(data, "officer", "add", "bich.tt", "--name", "Trần Thị Bích", "--role", "admin", "--password-stdin",
        stdin="rất-bí-mật-1\n")  # logged: "officer account bich.tt (admin) added by ..."
    run(data, "backup", "--out", str(data / "backups" / "thu-cong.sqlite"))
    for suffix in ("xlsx", "pdf"):  # exports of personal data
        run(data, "register", "--from", "2026-06-01", "--to", "2026-06-30", "--out", str(data / f"so-theo-doi.{suffix}"))
    names = {p.name for p in data.rglob("*")}
    assert {"counter.sqlite", "backups", "thu-cong.sqlite", "so-theo-doi.xlsx", "so-theo-doi.pdf", "logs",
            "counter_app.log"} <= names
    assert (data / "logs" / "counter_app.log").read_text(encoding="utf-8")  # a log line was written
    assert shared(data) == []
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "counter.sqlite").stat().st_mode) == 0o600


def test_an_older_data_folder_is_tightened_when_opened(tmp_path):
    from counter_app import logs
    from counter_app.app import CounterApp

    data = tmp_path / "data"
    app = CounterApp.initialise(data, agency_code="H52.101", agency_name="UBND xã Định Mỹ")
    app.close()
    (data / "backups").mkdir(exist_ok=True)
    (data / "backups" / "cu.sqlite").write_bytes((data / "counter.sqlite").read_bytes())
    (data / "logs").mkdir()
    (data / "logs" / logs.LOG_NAME).write_text("old line\n", encoding="utf-8")
    (data / "counter.sqlite-wal").write_bytes(b"")
    for p in [data, *data.rglob("*")]:
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    assert shared(data)

    app = CounterApp.open(data)
    try:
        with app.db.engine.connect() as con:  # WAL and SHM in use
            con.exec_driver_sql("SELECT 1")
            assert shared(data) == [], "the database, its WAL and SHM, backups and every folder"
    finally:
        app.close()

    os.chmod(data / "logs", 0o755)
    os.chmod(data / "logs" / logs.LOG_NAME, 0o644)
    handler = logs.PrivateRotatingFileHandler(logs.log_path(data), encoding="utf-8")
    handler.close()
    assert shared(data) == []


def test_make_private_keeps_the_owner_bits_and_skips_what_is_missing(tmp_path):
    from counter_app import paths

    f = tmp_path / "f"
    f.write_bytes(b"")
    os.chmod(f, 0o444)
    paths.make_private(f)
    assert stat.S_IMODE(f.stat().st_mode) == 0o400  # read-only stays read-only
    paths.make_private(tmp_path / "missing")


def test_a_file_that_cannot_be_changed_is_logged_not_fatal(tmp_path, monkeypatch, caplog):
    from counter_app import paths

    f = tmp_path / "of-another-user.sqlite"
    f.write_bytes(b"")
    os.chmod(f, 0o644)

    def refuse(*_args, **_kwargs):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "chmod", refuse)
    assert paths.make_private(f) is False
    paths.secure_data_dir(tmp_path)  # does not raise either
    assert "could not make" in caplog.text
