"""key_escrow: counters' database keys sealed to the province's public key

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
    op.create_table('key_escrow',
    sa.Column('device_id', sa.Integer(), nullable=False),
    sa.Column('sealed', sa.Text(), nullable=False),
    sa.Column('public_key_fingerprint', sa.String(length=16), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['device.id'], name=op.f('fk_key_escrow_device_id_device')),
    sa.PrimaryKeyConstraint('device_id', name=op.f('pk_key_escrow'))
    )


def downgrade() -> None:
    op.drop_table('key_escrow')
