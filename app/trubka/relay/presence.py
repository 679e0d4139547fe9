"""When each device (token) was last connected, for the console's user list.

Sockets come and go in storms (every desktop reconnects after a relay restart), so a
connect or close only notes the time in memory; `flush` writes the notes (every few
seconds, and at shutdown) as one prepared UPDATE run for many rows, in transactions of
`BATCH`: a statement built per token took 60 ms of the event loop for 1,200 sockets,
holding up the webhooks behind it (bench/fanout.py's tail).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from trubka.core.model import utcnow
from trubka.relay.store.db import Store
from trubka.relay.store.schema import tokens

FLUSH_SECONDS = 10.0
BATCH = 500

_TOUCH = (tokens.update().where(tokens.c.id == sa.bindparam("token_id"))
          .values(last_seen_at=sa.bindparam("when")))


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
        rows = [{"token_id": token_id, "when": when} for token_id, when in notes.items()]
        for start in range(0, len(rows), BATCH):
            async with store.write() as conn:
                await conn.execute(_TOUCH, rows[start:start + BATCH])
        return len(rows)



