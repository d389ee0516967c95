"""routing between counters: review flags pulled from the province

A dossier two counters acted on in conflict (both returned the result, offline) is flagged on the
provincial server; the flag (and later its resolution) reaches every counter involved and is kept
here to be shown with the dossier. A new table only: no existing row is touched.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'review_flag',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('server_id', sa.Integer(), nullable=False),
        sa.Column('dossier_code', sa.String(length=60), nullable=False),
        sa.Column('reason', sa.String(length=40), nullable=False),
        sa.Column('events', sa.JSON(), nullable=False),
        sa.Column('raised_at', sa.String(length=40), nullable=False),
        sa.Column('resolved_at', sa.String(length=40), nullable=True),
        sa.Column('resolved_by', sa.String(length=100), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_review_flag')),
        sa.UniqueConstraint('server_id', name=op.f('uq_review_flag_server_id')),
    )
    with op.batch_alter_table('review_flag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_flag_dossier_code'), ['dossier_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('review_flag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_flag_dossier_code'))
    op.drop_table('review_flag')
