"""code_slot: each device's slot in the code space of every agency it issues codes for

Every enrolled device keeps its own-agency slot (copied from ``device.slot``). Each device of an
agency that serves others gets a slot in each served agency (the lowest free one, devices in
enrollment order), and each such agency gets a ``serves`` change so its counters learn their slots
at the next pull; until then they keep issuing codes under their own agency's prefix, which the
server still accepts.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

MAX_SLOT = 99


def upgrade() -> None:
    op.create_table('code_slot',
    sa.Column('agency', sa.String(length=35), nullable=False),
    sa.Column('slot', sa.Integer(), nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency'], ['agency.code'], name=op.f('fk_code_slot_agency_agency')),
    sa.ForeignKeyConstraint(['device_id'], ['device.id'], name=op.f('fk_code_slot_device_id_device')),
    sa.PrimaryKeyConstraint('agency', 'slot', name=op.f('pk_code_slot')),
    sa.UniqueConstraint('device_id', 'agency', name='uq_code_slot_device_agency')
    )
    op.create_index(op.f('ix_code_slot_device_id'), 'code_slot', ['device_id'], unique=False)
    bind = op.get_bind()
    bind.execute(sa.text("INSERT INTO code_slot (agency, slot, device_id) SELECT agency, slot, id FROM device"))
    devices = bind.execute(sa.text("SELECT id, agency, slot FROM device WHERE NOT revoked ORDER BY id")).all()
    serves = bind.execute(sa.text("SELECT agency, served FROM agency_serves ORDER BY agency, served")).all()
    names = {c: (n, p) for c, n, p in bind.execute(sa.text("SELECT code, name, province FROM agency")).all()}
    used: dict[str, set[int]] = {}
    for agency, slot in bind.execute(sa.text("SELECT agency, slot FROM code_slot")).all():
        used.setdefault(agency, set()).add(slot)
    slots: dict[str, dict[str, dict[str, int]]] = {}
    for device_id, agency, own_slot in devices:
        mine = {agency: own_slot}
        for served in (b for a, b in serves if a == agency):
            taken = used.setdefault(served, set())
            slot = next((n for n in range(1, MAX_SLOT + 1) if n not in taken), None)
            if slot is None:
                continue  # that agency is full: the counter is told to sync when it tries
            taken.add(slot)
            bind.execute(sa.text("INSERT INTO code_slot (agency, slot, device_id) VALUES (:a, :s, :d)"),
                         {"a": served, "s": slot, "d": device_id})
            mine[served] = slot
        slots.setdefault(agency, {})[str(device_id)] = mine
    change = sa.table('change', sa.column('agency', sa.String), sa.column('kind', sa.String),
                      sa.column('created_at', sa.DateTime(timezone=True)), sa.column('data', sa.JSON().with_variant(JSONB(), 'postgresql')))
    now = datetime.now(timezone.utc)
    for agency, per_device in sorted(slots.items()):
        served = [{"code": b, "name": names[b][0], "province": names[b][1] or "", "slot": None}
                  for a, b in serves if a == agency]
        if served:
            op.bulk_insert(change, [{"agency": agency, "kind": "serves", "created_at": now,
                                     "data": {"serves": served, "slots": per_device}}])


def downgrade() -> None:
    op.drop_index(op.f('ix_code_slot_device_id'), table_name='code_slot')
    op.drop_table('code_slot')
