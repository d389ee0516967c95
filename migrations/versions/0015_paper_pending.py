"""paper files waiting for hand-over

The dossiers whose paper file is still at this counter (received here for another agency, not
online, not refused, on no hand-over list), kept as a small table so that the waiting list and
the status bar do not scan the whole dossier table. Filled from the existing dossiers; no
dossier row is changed.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'paper_pending',
        sa.Column('dossier_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_paper_pending_dossier_id_dossier'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('dossier_id', name=op.f('pk_paper_pending')),
    )
    op.execute(
        "INSERT INTO paper_pending (dossier_id) SELECT d.id FROM dossier d "
        "WHERE d.desk != 0 AND d.competent_agency != d.receiving_agency AND d.channel != 'online' "
        "AND d.status != 'refused' "
        "AND NOT EXISTS (SELECT 1 FROM transfer_batch_item t WHERE t.dossier_code = d.code)")


def downgrade() -> None:
    op.drop_table('paper_pending')
