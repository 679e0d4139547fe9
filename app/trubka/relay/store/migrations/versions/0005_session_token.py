"""browser sessions remember the device token they were made from (revoking the token
ends the session and its sockets)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("token_id", sa.Integer(), nullable=True))
    op.create_index("ix_tickets_expires_at", "tickets", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_tickets_expires_at", table_name="tickets")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("token_id")
