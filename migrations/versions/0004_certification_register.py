"""certification register

The certification registers (sổ chứng thực) held on this machine with their entries (one number per
original, voided never deleted), and the desk's own record of each certification request.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from counter_app.storage.coltypes import LocalDateTime

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cert_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency', sa.String(length=35), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('register_type', sa.String(length=20), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('book', sa.String(length=10), nullable=False),
    sa.Column('request_id', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('applicant_name', sa.String(length=200), nullable=False),
    sa.Column('applicant_id', sa.String(length=20), nullable=True),
    sa.Column('document', sa.Text(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('fee', sa.Integer(), nullable=False),
    sa.Column('officer', sa.String(length=100), nullable=False),
    sa.Column('desk', sa.Integer(), nullable=False),
    sa.Column('dossier_code', sa.String(length=60), nullable=True),
    sa.Column('reserved_at', LocalDateTime(), nullable=False),
    sa.Column('void_reason', sa.Text(), nullable=True),
    sa.Column('voided_at', LocalDateTime(), nullable=True),
    sa.Column('voided_by', sa.String(length=100), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cert_entry')),
    sa.UniqueConstraint('agency', 'year', 'register_type', 'number', name='uq_cert_entry_number'),
    sa.UniqueConstraint('request_id', 'position', name='uq_cert_entry_request')
    )
    with op.batch_alter_table('cert_entry', schema=None) as batch_op:
        batch_op.create_index('ix_cert_entry_day', ['register_type', 'day'], unique=False)
        batch_op.create_index(batch_op.f('ix_cert_entry_dossier_code'), ['dossier_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_cert_entry_request_id'), ['request_id'], unique=False)

    op.create_table('cert_register',
    sa.Column('agency', sa.String(length=35), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('register_type', sa.String(length=20), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.Column('closed_at', LocalDateTime(), nullable=True),
    sa.Column('closed_count', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('agency', 'year', 'register_type', name=op.f('pk_cert_register'))
    )
    op.create_table('certification',
    sa.Column('dossier_code', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('request_id', sa.String(length=40), nullable=False),
    sa.Column('exemption_reason', sa.Text(), nullable=True),
    sa.Column('extension_days', sa.Integer(), nullable=False),
    sa.Column('extension_reason', sa.Text(), nullable=True),
    sa.Column('holder_confirmed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_code'], ['dossier.code'], name=op.f('fk_certification_dossier_code_dossier')),
    sa.PrimaryKeyConstraint('dossier_code', name=op.f('pk_certification')),
    sa.UniqueConstraint('request_id', name=op.f('uq_certification_request_id'))
    )
    op.create_table('cert_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_code', sa.String(length=60), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('document', sa.Text(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('fee', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('book', sa.String(length=10), nullable=True),
    sa.Column('void', sa.Boolean(), nullable=False),
    sa.Column('void_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['dossier_code'], ['certification.dossier_code'], name=op.f('fk_cert_item_dossier_code_certification')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cert_item')),
    sa.UniqueConstraint('dossier_code', 'position', name='uq_cert_item_position')
    )
    with op.batch_alter_table('cert_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cert_item_dossier_code'), ['dossier_code'], unique=False)



    op.create_table('holder_desk',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('paired_at', LocalDateTime(), nullable=False),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holder_desk')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_holder_desk_token_hash'))
    )
    op.create_table('holder_pair_code',
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', LocalDateTime(), nullable=False),
    sa.Column('expires_at', LocalDateTime(), nullable=False),
    sa.Column('used_at', LocalDateTime(), nullable=True),
    sa.Column('desk_id', sa.Integer(), nullable=True),
    sa.Column('nonce_hash', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('code_hash', name=op.f('pk_holder_pair_code'))
    )


def downgrade() -> None:
    op.drop_table('holder_pair_code')
    op.drop_table('holder_desk')
    with op.batch_alter_table('cert_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cert_item_dossier_code'))

    op.drop_table('cert_item')
    op.drop_table('certification')
    op.drop_table('cert_register')
    with op.batch_alter_table('cert_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cert_entry_request_id'))
        batch_op.drop_index(batch_op.f('ix_cert_entry_dossier_code'))
        batch_op.drop_index('ix_cert_entry_day')

    op.drop_table('cert_entry')
