"""When each device was last connected (relay/presence.py): noted in memory, written in
batches — a reconnect storm of more sockets than one batch lands whole, on both engines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from trubka.relay import presence
from trubka.relay.presence import Presence
from trubka.relay.store import users
from trubka.relay.store.db import Store
from trubka.relay.store.schema import tokens


async def test_a_storm_of_more_devices_than_a_batch_is_written_whole(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(presence, "BATCH", 40)
    async with store.write() as conn:
        user = await users.add_user(conn, "Дарья", "104")
        ids = [(await users.issue_token_with_id(conn, user.id))[1] for _ in range(101)]
    notes = Presence()
    for token_id in ids[:100]:  # the 101st device never connected
        notes.seen(token_id)
    notes.seen(None)  # a browser session has no token: nothing to note
    before = datetime.now(UTC) - timedelta(seconds=1)
    assert await notes.flush(store) == 100
    assert await notes.flush(store) == 0  # nothing new noted since
    async with store.read() as conn:
        seen = dict((await conn.execute(sa.select(tokens.c.id, tokens.c.last_seen_at))).all())
    assert all(seen[t] is not None and seen[t].replace(tzinfo=UTC) >= before for t in ids[:100])
    assert seen[ids[100]] is None
