"""location-free list and served code slots

The province's list of procedures received regardless of administrative boundary
(core.location_free): one row per procedure and listing decision, with the removing decision once
a later one takes it off. And ``agency.code_slot``: this device's slot in the code space of each
agency it receives for, assigned by the provincial server (NULL on a standalone counter and on
every existing row: such a counter keeps issuing codes in its desk slot).

Both are additions: no existing row is rewritten (``agency`` gains a nullable column with plain
ALTER TABLE ADD COLUMN, no table copy).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('agency', sa.Column('code_slot', sa.Integer(), nullable=True))
    op.create_table(
        'location_free',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('procedure_code', sa.String(length=40), nullable=False),
        sa.Column('decision', sa.String(length=100), nullable=False),
        sa.Column('decision_date', sa.Date(), nullable=False),
        sa.Column('effective_from', sa.Date(), nullable=False),
        sa.Column('removed_by', sa.String(length=100), nullable=True),
        sa.Column('removed_on', sa.Date(), nullable=True),
        sa.Column('places', sa.JSON(), nullable=False),
        sa.Column('channels', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_location_free')),
        sa.UniqueConstraint('procedure_code', 'decision', name=op.f('uq_location_free_procedure_code')),
    )
    with op.batch_alter_table('location_free', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_location_free_procedure_code'), ['procedure_code'], unique=False)


def downgrade() -> None:
    op.drop_table('location_free')
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.drop_column('code_slot')
