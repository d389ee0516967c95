import shutil
import sqlite3
from pathlib import Path

from counter_app.app import CounterApp
from counter_app.storage.migrate import current_revision, drift, head_revision, upgrade
from counter_app.storage.maintenance import check_database
from tests.migrations.seed import MIGRATIONS, insert_dossier, insert_procedure, migrate_to

FIXTURES = Path(__file__).parent / "fixtures"


def test_upgrade_from_an_empty_database_reaches_head_without_drift(tmp_path):
    db = tmp_path / "counter.sqlite"
    result = upgrade(db, MIGRATIONS, tmp_path / "backups")
    assert (result.before, result.after, result.backup) == (None, head_revision(MIGRATIONS), None)
    assert current_revision(db) == head_revision(MIGRATIONS)
    assert drift(db) == [], "models and migrations differ: write a migration"
    con = sqlite3.connect(db)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")}
    assert {"dossier", "dossier_event", "outbox", "dossier_fts", "dossier_fts_ai"} <= tables


def test_upgrade_from_the_first_released_schema_keeps_every_dossier(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(FIXTURES / "schema-0001.sqlite", data / "counter.sqlite")
    app = CounterApp.open(data)
    try:
        rows = app.queries.list()
        assert len(rows) == 3
        assert {r.status for r in rows} == {"processing", "returned", "refused"}
        returned = next(r for r in rows if r.status == "returned")
        assert [e.kind for e in app.queries.get(returned.code).events] == [
            "received", "forwarded", "result_ready", "returned"]
        assert [r.code for r in app.queries.search("dang huong")] == [returned.code]
        assert drift(data / "counter.sqlite") == []
    finally:
        app.close()
    assert check_database(data, MIGRATIONS).ok


def test_a_database_behind_head_is_backed_up_before_upgrading(tmp_path):
    """A future release adds a revision after today's head; the 0001 database is copied to backups/
    first, then brought through every revision."""
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "0099_test_addition.py").write_text(
        '"""test addition"""\n'
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f"revision = '0099'\ndown_revision = '{head_revision(MIGRATIONS)}'\nbranch_labels = None\n"
        "depends_on = None\n\n\n"
        "def upgrade():\n"
        "    with op.batch_alter_table('dossier') as b:\n"
        "        b.add_column(sa.Column('archived', sa.Boolean(), nullable=False, server_default='0'))\n\n\n"
        "def downgrade():\n"
        "    with op.batch_alter_table('dossier') as b:\n"
        "        b.drop_column('archived')\n",
        encoding="utf-8")
    db = tmp_path / "counter.sqlite"
    shutil.copy(FIXTURES / "schema-0001.sqlite", db)
    result = upgrade(db, scripts, tmp_path / "backups")
    assert (result.before, result.after) == ("0001", "0099")
    assert result.backup is not None and result.backup.parent == tmp_path / "backups"
    assert current_revision(result.backup) == "0001"
    con = sqlite3.connect(db)
    # The batch rebuild of the parent table must not cascade into its children (FKs off).
    assert con.execute("SELECT count(*) FROM dossier").fetchone()[0] == 3
    assert con.execute("SELECT count(*) FROM dossier_document").fetchone()[0] > 0
    assert con.execute("SELECT count(*) FROM dossier_event").fetchone()[0] == 7
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    # The name-search index and its triggers survive a rebuild of the dossier table.
    triggers = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {"dossier_fts_ai", "dossier_fts_ad", "dossier_fts_au"} <= triggers
    con.execute("INSERT INTO dossier_fts(dossier_fts, rank) VALUES('integrity-check', 1)")
    hits = con.execute("SELECT rowid FROM dossier_fts WHERE dossier_fts MATCH '\"dang\"* \"huong\"*'").fetchall()
    assert len(hits) == 1


def test_fast_head_revision_agrees_with_alembic():
    from alembic.script import ScriptDirectory

    assert head_revision(MIGRATIONS) == ScriptDirectory(str(MIGRATIONS)).get_current_head()


def test_certifications_made_before_signers_were_recorded_count_as_signed_on_their_day(tmp_path, clock):
    """0008: requests certified before the revision were signed on paper at the time; they must not
    flood the list awaiting signature, and their register lines keep their day in column (2)."""
    from alembic import command
    from sqlalchemy import create_engine, pool

    from counter_app.storage.migrate import _config
    from tests.certification.test_desk import cert_request

    data = tmp_path / "data"
    app = CounterApp.initialise(data, agency_code="H52.101", agency_name="UBND xã Định Mỹ", province="Gia Lai",
                                desk=1, clock=clock)
    _, cert = app.certification.certify(cert_request(("A", 1, 1)))
    app.close()
    db = data / "counter.sqlite"
    cfg = _config(MIGRATIONS)
    engine = create_engine(f"sqlite:///{db}", poolclass=pool.NullPool)
    with engine.connect() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0007")
    engine.dispose()
    assert current_revision(db) == "0007"
    app = CounterApp.open(data, clock=clock)
    try:
        assert app.certification.awaiting_signature() == []
        assert app.certification.get(cert.code).signed_at == cert.received_at
        line = app.certification.book(cert.kind, cert.received_at.date(), cert.received_at.date())[0]
        assert line.signed_on == cert.received_at.date() and line.signer_name is None
    finally:
        app.close()


def test_0011_keeps_every_officer_and_gives_them_no_organisation(tmp_path):
    """Issue 15 item 5: accounts made before the organisation existed are the commune's own staff,
    and going back to 0010 keeps them too."""
    db = tmp_path / "counter.sqlite"
    migrate_to(db, "0010")
    con = sqlite3.connect(db)
    con.executemany("INSERT INTO officer (username, full_name, password_hash, role, active) VALUES (?, ?, ?, ?, 1)",
                    [("bich.tt", "Trần Thị Bích", "x", "admin"), ("an.bd", "Phạm Thị An", "y", "officer")])
    con.commit()
    con.close()
    assert upgrade(db, MIGRATIONS, tmp_path / "backups").after == head_revision(MIGRATIONS)
    con = sqlite3.connect(db)
    assert con.execute("SELECT username, full_name, organisation FROM officer ORDER BY username").fetchall() == [
        ("an.bd", "Phạm Thị An", None), ("bich.tt", "Trần Thị Bích", None)]
    con.execute("UPDATE officer SET organisation = 'Bưu điện xã Định Mỹ' WHERE username = 'an.bd'")
    con.commit()
    con.close()
    migrate_to(db, "0010", down=True)
    con = sqlite3.connect(db)
    assert con.execute("SELECT username, password_hash FROM officer ORDER BY username").fetchall() == [
        ("an.bd", "y"), ("bich.tt", "x")]
    con.close()


def test_0015_lists_the_paper_files_still_here(tmp_path):
    """Issue 15: the waiting list reads paper_pending; the upgrade fills it with exactly the files
    received here for another agency that are on no hand-over list (not refused, not online,
    not imported from another counter)."""
    db = tmp_path / "counter.sqlite"
    migrate_to(db, "0014")
    con = sqlite3.connect(db)
    insert_procedure(con, "1.004873", location_independent=True)
    rows = [  # id, code, competent, channel, status, desk
        (1, "H52.102-260601-010001", "H52.102", "counter", "received", 1),   # waits
        (2, "H52.102-260601-010002", "H52.102", "counter", "received", 1),   # on a list
        (3, "H52.101-260601-010001", "H52.101", "counter", "received", 1),   # own agency
        (4, "H52.102-260601-010003", "H52.102", "online", "received", 1),    # no paper
        (5, "H52.102-260601-010004", "H52.102", "counter", "refused", 1),    # refused at the desk
        (6, "H52.102-260601-020001", "H52.102", "counter", "processing", 0),  # another counter's
        (7, "H52.102-260601-010005", "H52.102", "post", "processing", 1),    # waits
    ]
    for i, code, competent, channel, status, desk in rows:
        insert_dossier(con, i, code, "1.004873", competent=competent, channel=channel, status=status, desk=desk)
    con.execute("INSERT INTO transfer_batch (id, code, to_agency, created_at, handed_at, giver, receiver) VALUES "
                "(1, 'BG-H52.102-20260602-1', 'H52.102', '2026-06-02 08:00:00.000000', "
                "'2026-06-02 08:00:00.000000', 'Lan', 'Văn thư')")
    con.execute("INSERT INTO transfer_batch_item (batch_id, position, dossier_code) "
                "VALUES (1, 0, 'H52.102-260601-010002')")
    con.commit()
    con.close()
    assert upgrade(db, MIGRATIONS, tmp_path / "backups").after == head_revision(MIGRATIONS)
    con = sqlite3.connect(db)
    assert [r[0] for r in con.execute("SELECT dossier_id FROM paper_pending ORDER BY dossier_id")] == [1, 7]
    assert con.execute("SELECT count(*) FROM dossier").fetchone()[0] == 7
    con.close()
