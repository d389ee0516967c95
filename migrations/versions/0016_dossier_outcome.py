"""dossier outcomes for the reports

One row per dossier that has an outcome: when its result was first ready, when it was returned,
the rating given at the return, and, for dossiers taken over from the previous system, when and
from which file they were imported. Filled here from the existing events with the same rules the
flush hook applies from now on (storage/outcomes.py); no dossier or event row is changed.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from counter_app.storage.coltypes import LocalDateTime
from counter_app.storage.outcomes import REBUILD_SQL

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'dossier_outcome',
        sa.Column('dossier_id', sa.Integer(), nullable=False),
        sa.Column('finished_at', LocalDateTime(), nullable=True),
        sa.Column('returned_at', LocalDateTime(), nullable=True),
        sa.Column('rating', sa.Integer(), nullable=True),
        sa.Column('imported_at', LocalDateTime(), nullable=True),
        sa.Column('import_source', sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_dossier_outcome_dossier_id_dossier'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('dossier_id', name=op.f('pk_dossier_outcome')),
    )
    op.execute(REBUILD_SQL)


def downgrade() -> None:
    op.drop_table('dossier_outcome')
