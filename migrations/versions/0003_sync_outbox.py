"""sync: outbox delivery state, sync bookkeeping, deferred pulled changes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29

Outbox rows gain attempts, a lease for "sending", the server's result and reason and the last
transport error; a (dossier_code, device_seq) index finds each event's predecessor. Rows are
only added to, never rewritten or dropped, so batch mode copies every existing row across.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from counter_app.storage.coltypes import LocalDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("lease_until", LocalDateTime(), nullable=True))
        batch.add_column(sa.Column("delivered_at", LocalDateTime(), nullable=True))
        batch.add_column(sa.Column("result", sa.String(length=12), nullable=True))
        batch.add_column(sa.Column("reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("last_error", sa.Text(), nullable=True))
        batch.create_index("ix_outbox_dossier_seq", ["dossier_code", "device_seq"], unique=False)
    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(length=50), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sync_state")),
    )
    op.create_table(
        "sync_deferred",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("change_seq", sa.Integer(), nullable=False),
        sa.Column("dossier_code", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_deferred")),
        sa.UniqueConstraint("change_seq", name=op.f("uq_sync_deferred_change_seq")),
    )
    op.create_index(op.f("ix_sync_deferred_dossier_code"), "sync_deferred", ["dossier_code"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_sync_deferred_dossier_code"), table_name="sync_deferred")
    op.drop_table("sync_deferred")
    op.drop_table("sync_state")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_dossier_seq")
        for name in ("last_error", "reason", "result", "delivered_at", "lease_until", "attempts"):
            batch.drop_column(name)
