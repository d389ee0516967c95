"""return point chosen at intake; former names of agencies

The agency whose counter hands the result over (this counter, the competent agency's counter or
another counter of the province). NULL for a postal return and for dossiers received before this
revision: those are returned where they were received, as the receipt then said.

agency_alias: the names and codes an agency went by before the 2025 mergers and renamings, with
the last day each was in force, so old papers still find the agency as it is now.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.add_column(sa.Column('return_agency', sa.String(length=35), nullable=True))
    op.create_table(
        'agency_alias',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agency_code', sa.String(length=35), nullable=False),
        sa.Column('former_name', sa.String(length=300), nullable=False),
        sa.Column('name_key', sa.String(length=300), nullable=False),
        sa.Column('former_code', sa.String(length=35), nullable=True),
        sa.Column('until', sa.Date(), nullable=True),
        sa.Column('source', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_agency_alias')),
        sa.UniqueConstraint('agency_code', 'name_key', name='uq_agency_alias_name'),
    )
    with op.batch_alter_table('agency_alias', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agency_alias_agency_code'), ['agency_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('agency_alias', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agency_alias_agency_code'))
    op.drop_table('agency_alias')
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_column('return_agency')
