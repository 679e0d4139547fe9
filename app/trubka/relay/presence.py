"""When each device (token) was last connected, for the console's user list.

Sockets come and go in storms (every desktop reconnects after a relay restart), so a
connect or close only notes the time in memory; `flush` writes the notes in one
transaction (every few seconds, and at shutdown).
"""

from __future__ import annotations

from datetime import datetime

from trubka.core.model import utcnow
from trubka.relay.store.db import Store
from trubka.relay.store.schema import tokens

FLUSH_SECONDS = 10.0


class Presence:
    def __init__(self) -> None:
        self._seen: dict[int, datetime] = {}

    def seen(self, token_id: int | None) -> None:
        if token_id is not None:
            self._seen[token_id] = utcnow()

    async def flush(self, store: Store) -> int:
        notes, self._seen = self._seen, {}
        if not notes:
            return 0
        async with store.write() as conn:
            for token_id, when in notes.items():
                await conn.execute(tokens.update().where(tokens.c.id == token_id)
                                   .values(last_seen_at=when))
        return len(notes)



