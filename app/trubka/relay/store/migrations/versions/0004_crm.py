"""CRM connectors: configuration, answer cache, the local phone index, write-back ledger

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "crm_config",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "crm_cache",
        sa.Column("connector", sa.String(length=40), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("contact", sa.JSON(), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("connector", "number"),
    )
    op.create_table(
        "crm_objects",
        sa.Column("connector", sa.String(length=40), nullable=False),
        sa.Column("entity", sa.String(length=200), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=200), server_default="", nullable=False),
        sa.Column("card", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("connector", "entity", "ref"),
    )
    op.create_index("ix_crm_objects_ref", "crm_objects", ["connector", "ref"])
    op.create_table(
        "crm_phones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("connector", sa.String(length=40), nullable=False),
        sa.Column("entity", sa.String(length=200), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("digits_rev", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_crm_phones_number", "crm_phones", ["number"])
    op.create_index("ix_crm_phones_digits_rev", "crm_phones", ["digits_rev"])
    op.create_index("ix_crm_phones_owner", "crm_phones", ["connector", "entity", "ref"])
    op.create_table(
        "crm_writes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("connector", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("provider", sa.String(length=40), nullable=False),
        sa.Column("provider_call_id", sa.String(length=200), nullable=False),
        sa.Column("call_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("remote_id", sa.String(length=200), server_default="", nullable=False),
        sa.Column("error", sa.String(length=500), server_default="", nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("connector", "kind", "provider", "provider_call_id",
                            name="uq_crm_writes_call"),
    )
    op.create_index("ix_crm_writes_state", "crm_writes", ["state", "claimed_at"])


def downgrade() -> None:
    for table in ("crm_writes", "crm_phones", "crm_objects", "crm_cache", "crm_config"):
        op.drop_table(table)
