"""audit log: an index of the deletions by record, to name a record deleted since

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 17:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        'ix_audit_log_deleted', 'audit_log', ['entity', 'entity_id'], unique=False,
        sqlite_where=sa.text("action = '删除'"),
    )


def downgrade() -> None:
    op.drop_index('ix_audit_log_deleted', table_name='audit_log')
