"""release.path: where the stored release file is, so counters can download it

The download answers only from this column, never from the request's path. Rows added before this
revision have no path and answer 404 until the release is added again.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('release', schema=None) as batch_op:
        batch_op.add_column(sa.Column('path', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('release', schema=None) as batch_op:
        batch_op.drop_column('path')
