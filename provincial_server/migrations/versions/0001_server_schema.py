"""server schema

Agencies, enrolled devices, the append-only event store with its permanent UUID index, quarantine,
materialised dossiers, the change feed counters pull, and attachments.

Revision ID: 0001
Revises:
Create Date: 2026-11-29 03:23:24.963589
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('agency',
    sa.Column('code', sa.String(length=35), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('province', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_agency'))
    )
    op.create_table('change',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('agency', sa.String(length=35), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_change'))
    )
    with op.batch_alter_table('change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_agency'), ['agency'], unique=False)

    op.create_table('dossier',
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('receiving_agency', sa.String(length=35), nullable=False),
    sa.Column('competent_agency', sa.String(length=35), nullable=False),
    sa.Column('return_agency', sa.String(length=35), nullable=False),
    sa.Column('procedure_code', sa.String(length=40), nullable=False),
    sa.Column('procedure_name', sa.Text(), nullable=False),
    sa.Column('applicant_name', sa.String(length=200), nullable=False),
    sa.Column('received_at', sa.String(length=40), nullable=False),
    sa.Column('due_at', sa.String(length=40), nullable=True),
    sa.Column('returned_at', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('status_source', sa.String(length=10), nullable=False),
    sa.Column('intake_uuid', sa.String(length=36), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_dossier'))
    )
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_competent_agency'), ['competent_agency'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossier_receiving_agency'), ['receiving_agency'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossier_return_agency'), ['return_agency'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossier_updated_at'), ['updated_at'], unique=False)

    op.create_table('server_setting',
    sa.Column('key', sa.String(length=50), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_server_setting'))
    )
    op.create_table('agency_serves',
    sa.Column('agency', sa.String(length=35), nullable=False),
    sa.Column('served', sa.String(length=35), nullable=False),
    sa.ForeignKeyConstraint(['agency'], ['agency.code'], name=op.f('fk_agency_serves_agency_agency')),
    sa.ForeignKeyConstraint(['served'], ['agency.code'], name=op.f('fk_agency_serves_served_agency')),
    sa.PrimaryKeyConstraint('agency', 'served', name=op.f('pk_agency_serves'))
    )
    op.create_table('device',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency', sa.String(length=35), nullable=False),
    sa.Column('slot', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('enrolled_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('client_version', sa.String(length=40), nullable=False),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['agency'], ['agency.code'], name=op.f('fk_device_agency_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_device')),
    sa.UniqueConstraint('agency', 'slot', name='uq_device_agency_slot'),
    sa.UniqueConstraint('token_hash', name=op.f('uq_device_token_hash'))
    )
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_device_agency'), ['agency'], unique=False)

    op.create_table('attachment',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('received', sa.BigInteger(), nullable=False),
    sa.Column('complete', sa.Boolean(), nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['device.id'], name=op.f('fk_attachment_device_id_device')),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_attachment'))
    )
    op.create_table('enroll_code',
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('agency', sa.String(length=35), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('device_id', sa.Integer(), nullable=True),
    sa.Column('nonce_hash', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['agency'], ['agency.code'], name=op.f('fk_enroll_code_agency_agency')),
    sa.ForeignKeyConstraint(['device_id'], ['device.id'], name=op.f('fk_enroll_code_device_id_device')),
    sa.PrimaryKeyConstraint('code_hash', name=op.f('pk_enroll_code'))
    )
    op.create_table('event',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('payload_hash', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=False),
    sa.Column('device_seq', sa.BigInteger(), nullable=False),
    sa.Column('device_day', sa.String(length=10), nullable=False),
    sa.Column('dossier_code', sa.String(length=60), nullable=False),
    sa.Column('agency', sa.String(length=35), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('at', sa.String(length=40), nullable=False),
    sa.Column('prev_uuid', sa.String(length=36), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('applied', sa.Boolean(), nullable=False),
    sa.Column('body', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['device.id'], name=op.f('fk_event_device_id_device')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_event')),
    sa.UniqueConstraint('uuid', name=op.f('uq_event_uuid'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_agency'), ['agency'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_applied'), ['applied'], unique=False)
        batch_op.create_index('ix_event_device_day', ['device_id', 'device_day'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_dossier_code'), ['dossier_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_prev_uuid'), ['prev_uuid'], unique=False)

    op.create_table('quarantine',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=False),
    sa.Column('payload_hash', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('body', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['device.id'], name=op.f('fk_quarantine_device_id_device')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quarantine'))
    )
    with op.batch_alter_table('quarantine', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quarantine_uuid'), ['uuid'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('quarantine', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quarantine_uuid'))

    op.drop_table('quarantine')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_prev_uuid'))
        batch_op.drop_index(batch_op.f('ix_event_dossier_code'))
        batch_op.drop_index('ix_event_device_day')
        batch_op.drop_index(batch_op.f('ix_event_applied'))
        batch_op.drop_index(batch_op.f('ix_event_agency'))

    op.drop_table('event')
    op.drop_table('enroll_code')
    op.drop_table('attachment')
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_device_agency'))

    op.drop_table('device')
    op.drop_table('agency_serves')
    op.drop_table('server_setting')
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_updated_at'))
        batch_op.drop_index(batch_op.f('ix_dossier_return_agency'))
        batch_op.drop_index(batch_op.f('ix_dossier_receiving_agency'))
        batch_op.drop_index(batch_op.f('ix_dossier_competent_agency'))

    op.drop_table('dossier')
    with op.batch_alter_table('change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_agency'))

    op.drop_table('change')
    op.drop_table('agency')
