"""postal channel

The S10 item number (số hiệu bưu gửi) of a dossier brought in by a postal employee. It is a dossier
column (appended to the chain's STATE_COLUMNS, so an edit to it breaks the hash) because the receipt,
the register and the hand-over lists look dossiers up by it; what else the employee handed over
(name, seal, postage) stays in the intake event's payload. Existing rows keep NULL: their hashes
stay valid (a column appended after the first chained release counts only when set).

Hand-over lists with the post (biên bản giao nhận, QĐ 45/2016 Art. 7): one row per list (day,
direction, when both sides signed) and one per item number on it, with the dossier when the counter
has it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from counter_app.storage.coltypes import LocalDateTime

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.add_column(sa.Column('postal_item', sa.String(length=13), nullable=True))
        batch_op.create_index(batch_op.f('ix_dossier_postal_item'), ['postal_item'], unique=False)
    op.create_table(
        'postal_batch',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=30), nullable=False),
        sa.Column('direction', sa.String(length=3), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('created_at', LocalDateTime(), nullable=False),
        sa.Column('officer', sa.String(length=100), nullable=False),
        sa.Column('signed_at', LocalDateTime(), nullable=True),
        sa.Column('postal_employee', sa.String(length=200), nullable=True),
        sa.Column('signed_by', sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_postal_batch')),
        sa.UniqueConstraint('code', name=op.f('uq_postal_batch_code')),
    )
    with op.batch_alter_table('postal_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_postal_batch_day'), ['day'], unique=False)
    op.create_table(
        'postal_batch_item',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('item', sa.String(length=13), nullable=False),
        sa.Column('dossier_code', sa.String(length=60), nullable=True),
        sa.ForeignKeyConstraint(['batch_id'], ['postal_batch.id'], name=op.f('fk_postal_batch_item_batch_id_postal_batch'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_postal_batch_item')),
        sa.UniqueConstraint('batch_id', 'item', name=op.f('uq_postal_batch_item_batch_id')),
    )
    with op.batch_alter_table('postal_batch_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_postal_batch_item_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_postal_batch_item_dossier_code'), ['dossier_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_postal_batch_item_item'), ['item'], unique=False)


def downgrade() -> None:
    op.drop_table('postal_batch_item')
    op.drop_table('postal_batch')
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_index('ix_dossier_postal_item')
        batch_op.drop_column('postal_item')
