"""initial schema

Revision ID: 0001
Revises:

The first released schema. Datetimes are naive Asia/Ho_Chi_Minh wall time. The applicant-name
search index is an FTS5 external-content table over the folded name (``dossier.name_key``), kept
in step by triggers.
Create Date: 2026-11-29
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

FTS_UP = [
    # Every word of a name query is matched as a prefix. Without a prefix index of that length FTS5
    # collects every matching row before LIMIT applies ("nguyen"* is 40% of all dossiers); a
    # Vietnamese syllable has at most 7 letters, so prefixes of 2–7 cover every whole word typed.
    "CREATE VIRTUAL TABLE dossier_fts USING fts5(name_key, content='dossier', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2', prefix='2 3 4 5 6 7')",
    # Smaller, more frequent segment merges: the default (4) makes an occasional intake pay for a
    # large merge inside its transaction (measured: intake p99 26 ms → 6 ms at 1M dossiers).
    "INSERT INTO dossier_fts(dossier_fts, rank) VALUES('automerge', 16)",
    "CREATE TRIGGER dossier_fts_ai AFTER INSERT ON dossier BEGIN "
    "INSERT INTO dossier_fts(rowid, name_key) VALUES (new.id, new.name_key); END",
    "CREATE TRIGGER dossier_fts_ad AFTER DELETE ON dossier BEGIN "
    "INSERT INTO dossier_fts(dossier_fts, rowid, name_key) VALUES ('delete', old.id, old.name_key); END",
    "CREATE TRIGGER dossier_fts_au AFTER UPDATE OF name_key ON dossier BEGIN "
    "INSERT INTO dossier_fts(dossier_fts, rowid, name_key) VALUES ('delete', old.id, old.name_key); "
    "INSERT INTO dossier_fts(rowid, name_key) VALUES (new.id, new.name_key); END",
]
FTS_DOWN = [
    "DROP TRIGGER IF EXISTS dossier_fts_au",
    "DROP TRIGGER IF EXISTS dossier_fts_ad",
    "DROP TRIGGER IF EXISTS dossier_fts_ai",
    "DROP TABLE IF EXISTS dossier_fts",
]


def upgrade() -> None:
    op.create_table('agency',
    sa.Column('code', sa.String(length=35), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('province', sa.String(length=100), nullable=False),
    sa.Column('own', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_agency'))
    )
    op.create_table('calendar_override',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('agency_code', sa.String(length=35), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_override')),
    sa.UniqueConstraint('day', 'agency_code', name='day_agency')
    )
    op.create_table('code_sequence',
    sa.Column('prefix', sa.String(length=35), nullable=False),
    sa.Column('day', sa.String(length=6), nullable=False),
    sa.Column('slot', sa.Integer(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('prefix', 'day', 'slot', name=op.f('pk_code_sequence'))
    )
    op.create_table('device_counter',
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_device_counter'))
    )
    op.create_table('fee_schedule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=40), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fee_schedule')),
    sa.UniqueConstraint('rule', 'effective_from', name='rule_effective')
    )
    op.create_table('procedure',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('local_code', sa.String(length=60), nullable=True),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('name_key', sa.Text(), nullable=False),
    sa.Column('field', sa.Text(), nullable=False),
    sa.Column('working_days', sa.Integer(), nullable=True),
    sa.Column('max_extension_days', sa.Integer(), nullable=False),
    sa.Column('fee_vnd', sa.Integer(), nullable=False),
    sa.Column('fee_rule', sa.String(length=40), nullable=False),
    sa.Column('online_level', sa.String(length=10), nullable=False),
    sa.Column('location_independent', sa.Boolean(), nullable=False),
    sa.Column('postal_allowed', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('documents', sa.JSON(), nullable=False),
    sa.Column('extra', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_procedure'))
    )
    with op.batch_alter_table('procedure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procedure_name_key'), ['name_key'], unique=False)

    op.create_table('register_sequence',
    sa.Column('desk', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('desk', 'year', name=op.f('pk_register_sequence'))
    )
    op.create_table('setting',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    op.create_table('dossier',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('procedure_code', sa.String(length=20), nullable=False),
    sa.Column('procedure_name', sa.Text(), nullable=False),
    sa.Column('receiving_agency', sa.String(length=35), nullable=False),
    sa.Column('competent_agency', sa.String(length=35), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('applicant_kind', sa.String(length=15), nullable=False),
    sa.Column('applicant_name', sa.String(length=200), nullable=False),
    sa.Column('name_key', sa.String(length=200), nullable=False),
    sa.Column('id_number', sa.String(length=20), nullable=True),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('gender', sa.String(length=5), nullable=True),
    sa.Column('phone', sa.String(length=15), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=True),
    sa.Column('return_method', sa.String(length=10), nullable=False),
    sa.Column('return_address', sa.Text(), nullable=True),
    sa.Column('receiving_officer', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('desk', sa.Integer(), nullable=False),
    sa.Column('sets', sa.Integer(), nullable=False),
    sa.Column('register_book', sa.String(length=20), nullable=True),
    sa.Column('register_serial', sa.Integer(), nullable=True),
    sa.Column('reschedule_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['procedure_code'], ['procedure.code'], name=op.f('fk_dossier_procedure_code_procedure')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier')),
    sa.UniqueConstraint('code', name=op.f('uq_dossier_code'))
    )
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_id_number'), ['id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossier_phone'), ['phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossier_procedure_code'), ['procedure_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossier_received_at'), ['received_at'], unique=False)
        batch_op.create_index('ix_dossier_status_due', ['status', 'due_at'], unique=False)
        batch_op.create_index('ix_dossier_status_received', ['status', 'received_at'], unique=False)

    op.create_table('dossier_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_dossier_document_dossier_id_dossier'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_document'))
    )
    with op.batch_alter_table('dossier_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_document_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('dossier_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('officer', sa.String(length=100), nullable=False),
    sa.Column('status_before', sa.String(length=30), nullable=True),
    sa.Column('status_after', sa.String(length=30), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_dossier_event_dossier_id_dossier')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_event')),
    sa.UniqueConstraint('uuid', name=op.f('uq_dossier_event_uuid'))
    )
    with op.batch_alter_table('dossier_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_event_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('dossier_fee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('amount_vnd', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_dossier_fee_dossier_id_dossier'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_fee'))
    )
    with op.batch_alter_table('dossier_fee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_fee_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_uuid', sa.String(length=36), nullable=False),
    sa.Column('device_seq', sa.Integer(), nullable=False),
    sa.Column('dossier_code', sa.String(length=60), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_uuid'], ['dossier_event.uuid'], name=op.f('fk_outbox_event_uuid_dossier_event')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('device_seq', name=op.f('uq_outbox_device_seq')),
    sa.UniqueConstraint('event_uuid', name=op.f('uq_outbox_event_uuid'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_dossier_code'), ['dossier_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_state'), ['state'], unique=False)


    for statement in FTS_UP:
        op.execute(statement)


def downgrade() -> None:
    for statement in FTS_DOWN:
        op.execute(statement)
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_state'))
        batch_op.drop_index(batch_op.f('ix_outbox_dossier_code'))

    op.drop_table('outbox')
    with op.batch_alter_table('dossier_fee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_fee_dossier_id'))

    op.drop_table('dossier_fee')
    with op.batch_alter_table('dossier_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_event_dossier_id'))

    op.drop_table('dossier_event')
    with op.batch_alter_table('dossier_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_document_dossier_id'))

    op.drop_table('dossier_document')
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_index('ix_dossier_status_received')
        batch_op.drop_index('ix_dossier_status_due')
        batch_op.drop_index(batch_op.f('ix_dossier_received_at'))
        batch_op.drop_index(batch_op.f('ix_dossier_procedure_code'))
        batch_op.drop_index(batch_op.f('ix_dossier_phone'))
        batch_op.drop_index(batch_op.f('ix_dossier_id_number'))

    op.drop_table('dossier')
    op.drop_table('setting')
    op.drop_table('register_sequence')
    with op.batch_alter_table('procedure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procedure_name_key'))

    op.drop_table('procedure')
    op.drop_table('fee_schedule')
    op.drop_table('device_counter')
    op.drop_table('code_sequence')
    op.drop_table('calendar_override')
    op.drop_table('agency')
