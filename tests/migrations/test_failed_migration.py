"""Issue 17: a new version whose migration fails leaves the counter's data exactly as the previous
version left it (the backup taken before migrating is put back), so the previous version opens it."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

from counter_app.app import CounterApp
from counter_app.storage.migrate import MigrationFailed, current_revision, head_revision, upgrade
from tests.conftest import request
from tests.migrations.seed import MIGRATIONS

FAILING = '''"""a migration that writes, then fails (a bug in a new release)"""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))
    op.execute("UPDATE dossier SET applicant_name = 'hỏng'")
    raise RuntimeError("the new version's migration has a bug")


def downgrade():
    pass
'''


def test_a_failed_migration_puts_the_backup_back(tmp_path, clock):
    data = tmp_path / "data"
    app = CounterApp.initialise(data, agency_code="H52.101", agency_name="UBND xã Định Mỹ", province="Gia Lai",
                                desk=1, clock=clock)
    code = app.intake.receive(request()).code
    app.close()
    db = data / "counter.sqlite"
    head = head_revision(MIGRATIONS)
    newer = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, newer, ignore=shutil.ignore_patterns("__pycache__"))
    (newer / "versions" / "9999_failing.py").write_text(FAILING.format(head=head), encoding="utf-8")

    with pytest.raises(MigrationFailed, match="Đã khôi phục nguyên trạng") as failed:
        upgrade(db, newer, data / "backups")
    assert current_revision(db) == head
    con = sqlite3.connect(db)
    try:
        assert con.execute("SELECT applicant_name FROM dossier WHERE code = ?", (code,)).fetchone() == ("Nguyễn Văn Ấn",)
        assert con.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone() == (1,)
        assert not con.execute("SELECT name FROM sqlite_master WHERE name = 'half_done'").fetchall()
    finally:
        con.close()
    assert list(data.glob("counter.sqlite.failed-migration-*")), "the failed file is kept for support"
    assert "failed-migration" in str(failed.value)
    # The previous version (today's migrations) opens the store as it was.
    app = CounterApp.open(data, clock=clock)
    try:
        assert app.queries.get(code).applicant.full_name == "Nguyễn Văn Ấn"
    finally:
        app.close()


def test_an_update_that_cannot_migrate_is_refused_and_the_previous_version_named(tmp_path, clock, monkeypatch):
    """The update flow wrote ``updates/installing.json`` before the installer ran; the new version
    (this one) then fails to migrate: it never installs itself here again, and the window gets the
    command that starts the version it replaced, copied aside before the install."""
    from counter_app import __version__, paths
    from counter_app.sync import install

    data = tmp_path / "data"
    app = CounterApp.initialise(data, agency_code="H52.101", agency_name="UBND xã Định Mỹ", province="Gia Lai",
                                desk=1, clock=clock)
    code = app.intake.receive(request()).code
    app.close()
    previous = data / "updates" / "previous" / "1.0.0" / "counter-app"
    previous.parent.mkdir(parents=True)
    previous.write_text("#!/bin/sh\n", "utf-8")
    (data / "updates" / "installing.json").write_text(json.dumps({
        "from_version": "1.0.0", "to_version": __version__, "previous_command": [str(previous)]}), "utf-8")
    newer = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, newer, ignore=shutil.ignore_patterns("__pycache__"))
    (newer / "versions" / "9999_failing.py").write_text(FAILING.format(head=head_revision(MIGRATIONS)),
                                                        encoding="utf-8")
    monkeypatch.setattr(paths, "migrations_dir", lambda: newer)

    with pytest.raises(MigrationFailed, match="Phiên bản trước được mở lại") as failed:
        CounterApp.open(data, clock=clock)
    assert failed.value.previous == [str(previous)]
    assert __version__ in install.refused_versions(data)
    assert install.read_record(data) is None  # said once: the next start does not go back again

    monkeypatch.undo()  # the previous version's migrations: it opens the store as it was
    app = CounterApp.open(data, clock=clock)
    try:
        assert app.queries.get(code).applicant.full_name == "Nguyễn Văn Ấn"
    finally:
        app.close()
