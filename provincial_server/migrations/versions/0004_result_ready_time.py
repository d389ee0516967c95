"""dossier.result_ready_at: when the result was ready (the national portal's NgayKetThucXuLy)

Set from a counter's result_ready event or the province's set-status; rows older than this
revision are left empty and the export falls back to their stored events.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.add_column(sa.Column('result_ready_at', sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_column('result_ready_at')
