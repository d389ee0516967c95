"""release: signed counter releases offered during the pull

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
    serial = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
    op.create_table('release',
    sa.Column('id', serial, autoincrement=True, nullable=False),
    sa.Column('version', sa.String(length=40), nullable=False),
    sa.Column('platform', sa.String(length=30), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('min_from', sa.String(length=40), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('published_at', sa.String(length=40), nullable=False),
    sa.Column('envelope', json, nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_release')),
    sa.UniqueConstraint('platform', 'version', name=op.f('uq_release_platform'))
    )
    op.create_index(op.f('ix_release_platform'), 'release', ['platform'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_release_platform'), table_name='release')
    op.drop_table('release')
