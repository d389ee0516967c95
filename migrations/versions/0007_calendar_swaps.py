"""calendar swaps published by the province

The government's swaps of days off and make-up working days ship in
resources/calendar/vn-swaps.json; the province publishes corrections and new years as a
``calendar_swaps`` change, kept here and laid over the bundled file by id.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_swap",
        sa.Column("swap_id", sa.String(length=60), nullable=False),
        sa.Column("day_off", sa.Date(), nullable=True),
        sa.Column("working_day", sa.Date(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("swap_id", name=op.f("pk_calendar_swap")),
    )


def downgrade() -> None:
    op.drop_table("calendar_swap")
