"""event hash chain

Tamper evidence (docs/security.md): each local event's ``prev_hash`` (on its outbox row) and
``chain_hash``, and every event's ``state_hash`` of its dossier. Rows written before stay NULL:
``counter-app check`` counts them as "chưa có chuỗi", not as problems.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('dossier_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('chain_hash', sa.String(length=64), nullable=True))
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('prev_hash')
    with op.batch_alter_table('dossier_event', schema=None) as batch_op:
        batch_op.drop_column('chain_hash')
        batch_op.drop_column('state_hash')
