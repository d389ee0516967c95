"""holder desk number

Each desk paired with the register holder declares its desk number at pairing; the holder refuses
a second desk with the same number and numbers only entries of the desk that asks. Desks paired
before (NULL) must pair again.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('holder_desk', schema=None) as batch_op:
        batch_op.add_column(sa.Column('desk_number', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('holder_desk', schema=None) as batch_op:
        batch_op.drop_column('desk_number')
