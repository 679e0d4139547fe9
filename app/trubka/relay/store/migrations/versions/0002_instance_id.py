"""instance id: a random name for this database, for keys outside it (Redis streams)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

settings = sa.table("settings", sa.column("key", sa.String), sa.column("value", sa.Text))


def upgrade() -> None:
    op.bulk_insert(settings, [{"key": "instance-id", "value": uuid.uuid4().hex[:12]}])


def downgrade() -> None:
    op.execute(settings.delete().where(settings.c.key == "instance-id"))
