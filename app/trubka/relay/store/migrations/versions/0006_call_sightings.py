"""call sightings: the call id the relay chose for a PBX that sends none (Mobilon)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "call_sightings",
        sa.Column("provider", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("call_id", sa.String(length=240), nullable=False),
        sa.Column("last_seen", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("provider", "key"),
    )
    op.create_index("ix_call_sightings_last_seen", "call_sightings", ["last_seen"])


def downgrade() -> None:
    op.drop_index("ix_call_sightings_last_seen", table_name="call_sightings")
    op.drop_table("call_sightings")
