"""The last webhook per provider (relay/hookstatus.py), in the settings table under
`webhook:<provider>`: every replica merges its newest note in, none waits for another."""

from __future__ import annotations

import json
from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from trubka.relay.store import status
from trubka.relay.store.schema import settings
from trubka.relay.store.settings import store_row

PREFIX = "webhook:"


def newer(old: Mapping[str, object], new: Mapping[str, object]) -> dict[str, object]:
    """The later webhook and the later error of two notes (ISO times sort as text)."""
    out = dict(old)
    if str(new.get("last_webhook_at", "")) >= str(old.get("last_webhook_at", "")):
        out.update(last_webhook_at=new.get("last_webhook_at"),
                   last_outcome=new.get("last_outcome"))
    if str(new.get("last_error_at", "")) > str(old.get("last_error_at", "")):
        out.update(last_error_at=new.get("last_error_at"), last_error=new.get("last_error"))
    return out


async def load_all(conn: AsyncConnection) -> dict[str, dict[str, object]]:
    return await status.load_all(conn, PREFIX)


async def merge(conn: AsyncConnection, provider: str, note: Mapping[str, object]) -> None:
    key = PREFIX + provider
    current = (await conn.execute(sa.select(settings.c.value).where(
        settings.c.key == key))).scalar_one_or_none()
    try:
        old = json.loads(current) if current else {}
    except ValueError:
        old = {}
    text = json.dumps(newer(old if isinstance(old, dict) else {}, note))
    await store_row(conn, key, text)
