"""an index on dossier.received_at

The province's reports select the dossiers received in a period (provincial_server/reports.py);
without it a year's report reads the whole dossier table. No row is changed.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""
from __future__ import annotations

from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f('ix_dossier_received_at'), 'dossier', ['received_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_dossier_received_at'), table_name='dossier')
