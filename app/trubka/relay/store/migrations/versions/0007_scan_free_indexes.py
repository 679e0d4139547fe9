"""indexes: calls by state and last change, journal entries by start and by number

Without them the maintenance pass that ends stale calls and trims the journal read the
whole calls table three times and the journal once a minute, and linking a new CRM
contact to its number's earlier calls read both tables whole — on SQLite in the event
loop's thread.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_calls_state_updated", "calls", ["state", "updated_at"])
    op.create_index("ix_journal_started", "journal", ["started_at"])
    op.create_index("ix_journal_phone", "journal", ["phone"])


def downgrade() -> None:
    op.drop_index("ix_journal_phone", table_name="journal")
    op.drop_index("ix_journal_started", table_name="journal")
    op.drop_index("ix_calls_state_updated", table_name="calls")
