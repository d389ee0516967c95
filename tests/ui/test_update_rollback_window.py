"""Issue 17: a new version that cannot migrate the store, started as the window is: the officer
logs in, reads in Vietnamese that the data was put back, and the version the update replaced is
started on the restored store (the command recorded before the installer ran)."""

from __future__ import annotations

import json
import os
import shutil
import sys

from counter_app import __version__, paths
from counter_app.app import CounterApp
from counter_app.storage.migrate import head_revision
from counter_app.sync import install
from tests.conftest import request
from tests.migrations.seed import MIGRATIONS
from tests.migrations.test_failed_migration import FAILING
from tests.ui.conftest import type_text


def test_the_window_starts_the_previous_version_when_the_new_one_cannot_migrate(qtbot, tmp_path, monkeypatch,
                                                                                 dialogs, clock):
    from counter_app.ui import app_main

    data = tmp_path / "data"
    app = CounterApp.initialise(data, agency_code="H52.101", agency_name="UBND xã Định Mỹ", province="Gia Lai",
                                clock=clock)
    app.officers.create("bich.tt", "Trần Thị Bích", "mật-khẩu-2026", role="admin")
    code = app.intake.receive(request()).code
    app.close()
    started = tmp_path / "previous-started.txt"
    previous = [sys.executable, "-c",
                f"import pathlib, sys; pathlib.Path({str(started)!r}).write_text(' '.join(sys.argv[1:]))"]
    (data / "updates").mkdir()
    (data / "updates" / "installing.json").write_text(json.dumps(
        {"from_version": "0.0.9", "to_version": __version__, "previous_command": previous}), "utf-8")
    broken = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, broken, ignore=shutil.ignore_patterns("__pycache__"))
    (broken / "versions" / "9999_failing.py").write_text(FAILING.format(head=head_revision(MIGRATIONS)), "utf-8")
    monkeypatch.setattr(paths, "migrations_dir", lambda: broken)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run() installs the crash handler
    umask = os.umask(0o022)
    os.umask(umask)

    def log_in(dialog):
        type_text(dialog.username, "bich.tt")
        type_text(dialog.password, "mật-khẩu-2026")
        dialog.try_login()

    seen = {}
    dialogs.expect(log_in, lambda box: seen.setdefault("error", box.text()) and box.accept())
    try:
        assert app_main.run(str(data)) == 1
    finally:
        os.umask(umask)
    dialogs.stop()
    assert "Đã khôi phục nguyên trạng" in seen["error"] and "Phiên bản trước được mở lại" in seen["error"]
    qtbot.waitUntil(started.exists, timeout=20_000)
    assert started.read_text() == f"--data-dir {data}"
    assert __version__ in install.refused_versions(data)
    monkeypatch.undo()
    app = CounterApp.open(data, clock=clock)
    try:
        assert app.queries.get(code) is not None  # the previous version finds the store as it was
    finally:
        app.close()
