"""Alembic environment, configured in code by ``counter_app.storage.migrate`` (no alembic.ini at
run time, so it works from a frozen build).

Foreign keys are switched off for the whole run: batch mode rebuilds tables by copy-and-drop, and
with foreign keys on, dropping a parent table cascades into its children (rows silently lost).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from counter_app.storage.models import Base, include_name

config = context.config
target_metadata = Base.metadata

def _configure(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      include_name=include_name, compare_type=True)


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True, include_name=include_name)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
    with engine.connect() as connection:
        _run(connection)


def _run(connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        # Without this commit SQLAlchemy 2 has autobegun a transaction and Alembic never commits.
        connection.commit()
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()
    if connection.dialect.name == "sqlite":
        problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"foreign key check failed after migration: {problems[:5]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
