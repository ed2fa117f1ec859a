"""no stored allocations: which charges a payment covers is computed when asked; the
summary's covering index keeps an entry in place when a payment changes paid_fen

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 19:45:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('dues_allocations', schema=None) as batch_op:
        batch_op.drop_index('ix_dues_allocations_payment')
        batch_op.drop_index(batch_op.f('ix_dues_allocations_member_id'))
        batch_op.drop_index('ix_dues_allocations_charge')
    op.drop_table('dues_allocations')
    with op.batch_alter_table('dues_charges', schema=None) as batch_op:
        batch_op.drop_index('ix_dues_charges_month_amounts')
        batch_op.create_index(
            'ix_dues_charges_month_member_amounts', ['month', 'member_id', 'due_fen', 'paid_fen'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('dues_charges', schema=None) as batch_op:
        batch_op.drop_index('ix_dues_charges_month_member_amounts')
        batch_op.create_index(
            'ix_dues_charges_month_amounts', ['month', 'due_fen', 'paid_fen', 'member_id'], unique=False
        )
    # The rows are not restored: allocations are recomputed from the payments by the code of
    # that version on its next write (DuesCharge.paid_fen is kept by both).
    op.create_table('dues_allocations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('charge_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.CheckConstraint('amount_fen > 0', name=op.f('ck_dues_allocations_amount_positive')),
    sa.ForeignKeyConstraint(['charge_id'], ['dues_charges.id'], name=op.f('fk_dues_allocations_charge_id_dues_charges')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_dues_allocations_member_id_members')),
    sa.ForeignKeyConstraint(['payment_id'], ['dues_payments.id'], name=op.f('fk_dues_allocations_payment_id_dues_payments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dues_allocations')),
    info={'label': '缴费冲抵记录'}
    )
    with op.batch_alter_table('dues_allocations', schema=None) as batch_op:
        batch_op.create_index('ix_dues_allocations_charge', ['charge_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dues_allocations_member_id'), ['member_id'], unique=False)
        batch_op.create_index('ix_dues_allocations_payment', ['payment_id'], unique=False)
