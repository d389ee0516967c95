"""device hash chain

``event.prev_hash`` and ``quarantine.device_seq``, each indexed with the device, so a push can
find the neighbours (device_seq ± 1) of each event it receives in one query
(provincial_server/chain.py). Rows stored before stay NULL.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 19:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_event_device_seq', ['device_id', 'device_seq'], unique=False)
    with op.batch_alter_table('quarantine', schema=None) as batch_op:
        batch_op.add_column(sa.Column('device_seq', sa.BigInteger(), nullable=True))
        batch_op.create_index('ix_quarantine_device_seq', ['device_id', 'device_seq'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('quarantine', schema=None) as batch_op:
        batch_op.drop_index('ix_quarantine_device_seq')
        batch_op.drop_column('device_seq')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index('ix_event_device_seq')
        batch_op.drop_column('prev_hash')
