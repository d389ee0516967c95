"""certification signers

Who signed each certification and when (register columns 5 and 2, the statement's signer and
date), and why a register was closed before 31 December. Requests certified before this revision
were signed on paper at the time: they count as signed on their day of receipt, signer unknown
(the book keeps showing the officer recorded then).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from counter_app.storage.coltypes import LocalDateTime

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cert_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signer_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('signer_title', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('signed_on', sa.Date(), nullable=True))
    with op.batch_alter_table('cert_register', schema=None) as batch_op:
        batch_op.add_column(sa.Column('close_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('closed_signer', sa.String(length=300), nullable=True))
    with op.batch_alter_table('certification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signer_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('signer_title', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('signed_at', LocalDateTime(), nullable=True))
    op.execute("UPDATE cert_entry SET signed_on = day")
    op.execute("UPDATE certification SET signed_at = (SELECT received_at FROM dossier "
               "WHERE dossier.code = certification.dossier_code)")


def downgrade() -> None:
    with op.batch_alter_table('certification', schema=None) as batch_op:
        batch_op.drop_column('signed_at')
        batch_op.drop_column('signer_title')
        batch_op.drop_column('signer_name')
    with op.batch_alter_table('cert_register', schema=None) as batch_op:
        batch_op.drop_column('closed_signer')
        batch_op.drop_column('close_reason')
    with op.batch_alter_table('cert_entry', schema=None) as batch_op:
        batch_op.drop_column('signed_on')
        batch_op.drop_column('signer_title')
        batch_op.drop_column('signer_name')
