"""device suspension and the audit log

``device.suspended`` (reversible; ``revoked`` stays final) and ``audit_log``: failed tokens and
enrollment codes (the rate limiter's sliding window), enrollments, device state changes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 17:45:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.add_column(sa.Column('suspended', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('agency', sa.String(length=35), nullable=True),
    sa.Column('device_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_kind_at', ['kind', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_agency'), ['agency'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_source'), ['source'], unique=False)


def downgrade() -> None:
    op.drop_table('audit_log')
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.drop_column('suspended')
