"""index: drop ix_calls_pbx_id, a prefix of the unique key uq_calls_leg

Every call leg written paid for two indexes over (provider, provider_call_id): the unique
key (provider, provider_call_id, user_id) already serves a call's legs by the PBX's call
id, in both engines (tests/relay/test_query_plans.py). One index entry fewer per leg and,
on SQLite, one page fewer in most write transactions' WAL.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_calls_pbx_id", table_name="calls")


def downgrade() -> None:
    op.create_index("ix_calls_pbx_id", "calls", ["provider", "provider_call_id"])
