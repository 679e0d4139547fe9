"""Calls whose end event is lost are ended: ringing ones soon, conversations much later."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from trubka.core.model import CallEvent, Direction, EventKind
from trubka.relay.app import build_relay, close_relay
from trubka.relay.config import RelayConfig
from trubka.relay.store import calls, users


async def test_ringing_expires_after_ring_timeout_conversation_does_not(tmp_path: Path) -> None:
    """Both calls untouched for two hours: the ringing one ends (journal: missed), the
    answered one goes on until 12 hours without an event."""
    relay = await build_relay(RelayConfig(data_dir=tmp_path))
    store, ingest = relay.store, relay.ingest
    async with store.write() as conn:
        user = await users.add_user(conn, "Иванов", "100")
    for callid, kinds in (("ringing", [EventKind.RINGING]),
                          ("talking", [EventKind.RINGING, EventKind.ANSWERED])):
        for kind in kinds:
            await ingest.events([CallEvent("prostiezvonki", callid, kind,
                                            direction=Direction.IN, ext="100",
                                            phone_raw="89991234567")])

    async def age(hours: int) -> None:
        async with store.write() as conn:
            await conn.execute(sa.text(
                f"update calls set updated_at = datetime('now', '-{hours} hours')"))

    await age(2)
    assert await ingest.end_stale_calls() == 1
    async with store.read() as conn:
        left = await calls.in_progress(conn, user.id)
        entries = await calls.list_journal(conn, user.id, "all", 10, None)
    assert [c.provider_call_id for c in left] == ["talking"]
    assert [e.status.value for e in entries] == ["missed"]
    await age(13)
    assert await ingest.end_stale_calls() == 1
    async with store.read() as conn:
        assert await calls.in_progress(conn, user.id) == []
    await close_relay(relay)
