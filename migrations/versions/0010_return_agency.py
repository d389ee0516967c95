"""return point chosen at intake

The agency whose counter hands the result over (this counter, the competent agency's counter or
another counter of the province). NULL for a postal return and for dossiers received before this
revision: those are returned where they were received, as the receipt then said.

Revision ID: 0010
Revises: 0008 (0009 is added on a parallel branch; re-point when merging)
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.add_column(sa.Column('return_agency', sa.String(length=35), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_column('return_agency')
