"""Which call a sighting is, for a PBX that sends no call id (Mobilon's IncomingCall).

The provider names the call by a stable key (callee and caller) and a window; a
sighting of the key less than `window` seconds after the previous one is the same
call — a sliding window, so a post repeated every few seconds across any clock
boundary stays one call — and a later one is a new call. One upsert decides it, in the
webhook's write transaction, so two replicas seeing the same post at once agree.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from trubka.core.model import CallEvent
from trubka.relay.store import db
from trubka.relay.store.schema import call_sightings


async def resolve(conn: AsyncConnection, event: CallEvent, now: float | None = None) -> CallEvent:
    """`event` with the id of the call it belongs to (unchanged without a window)."""
    if event.same_call_within is None:
        return event
    now = time.time() if now is None else now
    first = datetime.fromtimestamp(now, UTC).strftime("%Y%m%dT%H%M%S.%f")
    fresh = f"{event.provider_call_id}:{first}"
    insert = db.insert(conn, call_sightings).values(
        provider=event.provider, key=event.provider_call_id, call_id=fresh, last_seen=now)
    stale = call_sightings.c.last_seen < now - event.same_call_within
    upsert = insert.on_conflict_do_update(
        index_elements=[call_sightings.c.provider, call_sightings.c.key],
        set_={"call_id": sa.case((stale, insert.excluded.call_id),
                                 else_=call_sightings.c.call_id),
              "last_seen": insert.excluded.last_seen},
    ).returning(call_sightings.c.call_id)
    call_id = (await conn.execute(upsert)).scalar_one()
    return replace(event, provider_call_id=call_id)


async def trim(conn: AsyncConnection, older_than: float) -> int:
    """Forget keys not seen since `older_than` (they would start a new call anyway)."""
    result = await conn.execute(call_sightings.delete().where(
        call_sightings.c.last_seen < older_than))
    return int(result.rowcount or 0)
