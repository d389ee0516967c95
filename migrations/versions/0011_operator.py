"""operator of the counter

An officer account may belong to an organisation other than the commune: the postal unit that
operates the counter for it (QĐ 468/QĐ-TTg; QĐ 45/2016/QĐ-TTg). NULL, as on every existing
account, means the commune's own staff. Who operated the counter for a dossier is kept in its
intake event, not here: renaming or moving an account later must not change a printed receipt.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: no table copy, so no row can be lost on SQLite (tooling.md).
    op.add_column('officer', sa.Column('organisation', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('officer', schema=None) as batch_op:
        batch_op.drop_column('organisation')
