"""paper transfer

Hand-over lists of paper files received at this counter for another (competent) agency
(«Danh sách bàn giao hồ sơ», domain.md §14): one row per list (the competent agency, when it was
handed over, who gave and who received it) and one per dossier on it. A dossier's paper goes over
once: its code is unique among the items. Only new tables: no dossier column changes, so no
existing row or chained hash is touched.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from counter_app.storage.coltypes import LocalDateTime

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'transfer_batch',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=60), nullable=False),
        sa.Column('to_agency', sa.String(length=35), nullable=False),
        sa.Column('created_at', LocalDateTime(), nullable=False),
        sa.Column('handed_at', LocalDateTime(), nullable=False),
        sa.Column('giver', sa.String(length=100), nullable=False),
        sa.Column('receiver', sa.String(length=200), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_transfer_batch')),
        sa.UniqueConstraint('code', name=op.f('uq_transfer_batch_code')),
    )
    with op.batch_alter_table('transfer_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transfer_batch_to_agency'), ['to_agency'], unique=False)
    op.create_table(
        'transfer_batch_item',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('dossier_code', sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(['batch_id'], ['transfer_batch.id'],
                                name=op.f('fk_transfer_batch_item_batch_id_transfer_batch'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_transfer_batch_item')),
        sa.UniqueConstraint('dossier_code', name=op.f('uq_transfer_batch_item_dossier_code')),
    )
    with op.batch_alter_table('transfer_batch_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transfer_batch_item_batch_id'), ['batch_id'], unique=False)


def downgrade() -> None:
    op.drop_table('transfer_batch_item')
    op.drop_table('transfer_batch')
