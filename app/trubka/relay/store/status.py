"""Status of the providers' background tasks (Beeline's subscription), kept in the
settings table under `status:<provider>` so that `provider show`, run as a separate
process, and every replica's `/readyz` see it."""

from __future__ import annotations

import json
from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from trubka.relay.store.schema import settings
from trubka.relay.store.settings import store_row

PREFIX = "status:"


async def put(conn: AsyncConnection, provider: str, status: Mapping[str, object]) -> None:
    key = PREFIX + provider
    text = json.dumps(dict(status), ensure_ascii=False, default=str)
    await store_row(conn, key, text)


async def load_all(conn: AsyncConnection, prefix: str = PREFIX) -> dict[str, dict[str, object]]:
    """Every provider's row under `prefix` (JSON objects), by provider name."""
    rows = (await conn.execute(sa.select(settings.c.key, settings.c.value).where(
        settings.c.key.startswith(prefix)))).all()
    out: dict[str, dict[str, object]] = {}
    for key, value in rows:
        try:
            data = json.loads(value)
        except ValueError:
            continue
        if isinstance(data, dict):
            out[key[len(prefix):]] = data
    return out
