"""The server's Alembic migrations build exactly the schema its models describe, on both databases."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_server_migrations_match_the_models(backend, tmp_path, request):
    from provincial_server.db import ServerDatabase
    from provincial_server.models import Base

    url = (request.getfixturevalue("postgres").new_database() if backend == "postgresql"
           else f"sqlite:///{tmp_path / 'server.sqlite'}")
    db = ServerDatabase(url)
    try:
        db.upgrade()
        db.upgrade()  # idempotent: a second start changes nothing
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
        assert diff == []
    finally:
        db.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrading_gives_existing_devices_slots_in_the_agencies_they_serve(backend, tmp_path, request):
    """A server at 0005 with enrolled devices: each keeps its own slot, each device of a serving
    agency gets a free slot in every served agency (none taken twice), and its counters are told."""
    from datetime import datetime, timezone

    from alembic import command
    from alembic.config import Config
    from sqlalchemy import select, text

    from provincial_server.db import MIGRATIONS, ServerDatabase
    from provincial_server.models import Change, CodeSlot

    url = (request.getfixturevalue("postgres").new_database() if backend == "postgresql"
           else f"sqlite:///{tmp_path / 'server.sqlite'}")
    db = ServerDatabase(url)
    try:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0005")
            conn.execute(text("INSERT INTO agency (code, name, province) VALUES "
                              "('A', 'Xã A', ''), ('B', 'Xã B', ''), ('R', 'Khu vực R', '')"))
            conn.execute(text("INSERT INTO agency_serves (agency, served) VALUES ('R', 'A'), ('R', 'B')"))
            now = datetime.now(timezone.utc)
            for i, (agency, slot) in enumerate([("A", 1), ("A", 2), ("R", 1), ("R", 2), ("B", 1)], 1):
                conn.execute(text("INSERT INTO device (id, agency, slot, name, token_hash, enrolled_at, "
                                  "client_version, revoked, suspended) VALUES (:i, :a, :s, '', :t, :n, '', false, false)"),
                             {"i": i, "a": agency, "s": slot, "t": f"{i:064d}", "n": now})
        db.upgrade()
        with db.read() as s:
            rows = {(r.device_id, r.agency): r.slot for r in s.scalars(select(CodeSlot))}
            changes = [(c.agency, c.kind, c.data) for c in s.scalars(select(Change))]
        assert rows == {(1, "A"): 1, (2, "A"): 2, (3, "R"): 1, (4, "R"): 2, (5, "B"): 1,
                        (3, "A"): 3, (3, "B"): 2, (4, "A"): 4, (4, "B"): 3}
        assert [(a, k) for a, k, _ in changes] == [("R", "serves")]
        assert changes[0][2]["slots"] == {"3": {"R": 1, "A": 3, "B": 2}, "4": {"R": 2, "A": 4, "B": 3}}
        assert [a["code"] for a in changes[0][2]["serves"]] == ["A", "B"]
    finally:
        db.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_releases_stored_before_paths_were_recorded_are_kept_without_one(backend, tmp_path, request):
    """A release added at 0009 survives the upgrade with an empty path (its download answers 404
    until it is added again), and the way back down keeps it too."""
    import json
    from datetime import datetime, timezone

    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    from provincial_server.db import MIGRATIONS, ServerDatabase

    url = (request.getfixturevalue("postgres").new_database() if backend == "postgresql"
           else f"sqlite:///{tmp_path / 'server.sqlite'}")
    db = ServerDatabase(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))

    def migrate(step, target):
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            step(cfg, target)

    def rows(conn):
        return conn.execute(text("SELECT version, platform, sha256, envelope FROM release "
                                 "ORDER BY version")).all()

    try:
        migrate(command.upgrade, "0009")
        envelope = {"manifest": {"version": "1.0.0"}, "signature": "c2ln", "key_id": "k"}
        with db.engine.begin() as conn:
            for version in ("1.0.0", "1.1.0"):
                conn.execute(text("INSERT INTO release (version, platform, file_name, size, sha256, "
                                  "min_from, notes, published_at, envelope, added_at) VALUES (:v, "
                                  "'linux-amd64', 'f.bin', 10, :h, '0', 'Bản sửa lỗi', "
                                  "'2026-12-02T01:00:00+00:00', :e, :t)"),
                             {"v": version, "h": "a" * 64, "e": json.dumps(envelope),
                              "t": datetime.now(timezone.utc)})
            before = rows(conn)
        db.upgrade()
        with db.engine.connect() as conn:
            assert rows(conn) == before
            assert conn.execute(text("SELECT path FROM release")).scalars().all() == [None, None]
        migrate(command.downgrade, "0009")
        with db.engine.connect() as conn:
            assert rows(conn) == before
    finally:
        db.dispose()
