"""review_flag: dossiers two counters acted on in conflict (e.g. returned twice offline)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
    serial = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
    op.create_table('review_flag',
    sa.Column('id', serial, autoincrement=True, nullable=False),
    sa.Column('dossier_code', sa.String(length=60), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('event_uuids', json, nullable=False),
    sa.Column('agencies', json, nullable=False),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.String(length=100), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_flag'))
    )
    op.create_index(op.f('ix_review_flag_dossier_code'), 'review_flag', ['dossier_code'], unique=False)
    op.create_index(op.f('ix_review_flag_raised_at'), 'review_flag', ['raised_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_review_flag_raised_at'), table_name='review_flag')
    op.drop_index(op.f('ix_review_flag_dossier_code'), table_name='review_flag')
    op.drop_table('review_flag')
