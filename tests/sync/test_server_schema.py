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
