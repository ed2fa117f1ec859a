"""the summary's index without paid_fen, so that covering a charge leaves it alone; the
unpaid charges' partial index covers them (member, month, due, paid) for the arrears, and a
second one by month for what the summary's months still lack; a member's payments' index
covers their amounts

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 23:38:43.294792
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UNPAID = 'paid_fen < due_fen'


def upgrade() -> None:
    with op.batch_alter_table('dues_charges', schema=None) as batch_op:
        batch_op.drop_index('ix_dues_charges_month_member_amounts')
        batch_op.create_index('ix_dues_charges_month_member_due', ['month', 'member_id', 'due_fen'], unique=False)
        batch_op.drop_index('ix_dues_charges_unpaid')
        batch_op.create_index(
            'ix_dues_charges_unpaid', ['member_id', 'month', 'due_fen', 'paid_fen'], unique=False,
            sqlite_where=sa.text(_UNPAID), postgresql_where=sa.text(_UNPAID),
        )
        batch_op.create_index(
            'ix_dues_charges_unpaid_months', ['month', 'member_id', 'due_fen', 'paid_fen'], unique=False,
            sqlite_where=sa.text(_UNPAID), postgresql_where=sa.text(_UNPAID),
        )
    with op.batch_alter_table('dues_payments', schema=None) as batch_op:
        batch_op.drop_index('ix_dues_payments_member_paid_on')
        batch_op.create_index(
            'ix_dues_payments_member_paid_on_amount', ['member_id', 'paid_on', 'amount_fen'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('dues_payments', schema=None) as batch_op:
        batch_op.drop_index('ix_dues_payments_member_paid_on_amount')
        batch_op.create_index('ix_dues_payments_member_paid_on', ['member_id', 'paid_on'], unique=False)
    with op.batch_alter_table('dues_charges', schema=None) as batch_op:
        batch_op.drop_index('ix_dues_charges_unpaid_months')
        batch_op.drop_index('ix_dues_charges_unpaid')
        batch_op.create_index(
            'ix_dues_charges_unpaid', ['member_id', 'month'], unique=False,
            sqlite_where=sa.text(_UNPAID), postgresql_where=sa.text(_UNPAID),
        )
        batch_op.drop_index('ix_dues_charges_month_member_due')
        batch_op.create_index(
            'ix_dues_charges_month_member_amounts', ['month', 'member_id', 'due_fen', 'paid_fen'], unique=False
        )
