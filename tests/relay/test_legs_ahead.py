"""Call legs read ahead for a batch of webhooks (`calls.lock_legs`, `EventWriter.submit`'s
`legs`): one statement reads and locks the legs a batch's jobs said they would change,
and a job never acts on a leg that an earlier job of the same batch has changed since."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from trubka.core.model import Call, CallEvent, CallState, Direction, EventKind
from trubka.relay.app import build_relay, close_relay
from trubka.relay.config import RelayConfig
from trubka.relay.deps import Relay
from trubka.relay.hub.memory import MemoryHub
from trubka.relay.store import calls, users
from trubka.relay.store.db import Store
from trubka.relay.writer import EventWriter, Outbox


def leg(call_id: str, ext: str) -> Call:
    return Call(id=calls.new_id(), provider="pbx", provider_call_id=call_id,
                direction=Direction.IN, state=CallState.RINGING, phone="+79031112233",
                phone_raw="89031112233", ext=ext)


async def test_legs_are_read_and_locked_in_one_statement(store: Store) -> None:
    async with store.write() as conn:
        anna = (await users.add_user(conn, "Анна", "101")).id
        boris = (await users.add_user(conn, "Борис", "102")).id
        ringing = leg("c1", "101")
        await calls.save(conn, anna, ringing, is_new=True)
    keys = [("pbx", "c1", anna), ("pbx", "c1", boris), ("pbx", "c2", anna), ("pbx", "c1", anna)]
    async with store.write("lane") as conn:
        found = await calls.lock_legs(conn, keys)
        assert found == {("pbx", "c1", anna): ringing, ("pbx", "c1", boris): None,
                         ("pbx", "c2", anna): None}
        if store.is_sqlite:
            return  # one writer at a time: nothing else could change the leg meanwhile
        async with store.read() as other:
            driver = (await other.get_raw_connection()).driver_connection
            assert driver is not None
            with pytest.raises(Exception, match="could not obtain lock"):
                await driver.fetch("SELECT id FROM calls WHERE id = $1 FOR UPDATE NOWAIT",
                                   ringing.id)


async def test_a_leg_read_ahead_is_taken_once_then_read_with_the_batch_s_writes(
        store: Store) -> None:
    """Two jobs of one batch for the same new leg: the first finds it absent (read ahead)
    and creates it; the second must see that leg, not the absence read before it."""
    async with store.write() as conn:
        anna = (await users.add_user(conn, "Анна", "101")).id
    writer = EventWriter(store, MemoryHub())
    key = ("pbx", "c1", anna)
    seen: list[tuple[bool, Call | None]] = []

    async def job(conn: AsyncConnection, outbox: Outbox) -> None:
        was_ahead = key in outbox.legs
        current = await calls.take_leg(conn, outbox.legs, *key)
        seen.append((was_ahead, current))
        if current is None:
            await calls.save(conn, anna, leg("c1", "101"), is_new=True)

    # submitted in one turn of the loop: one lane, one batch
    await asyncio.gather(*(writer.submit(job, key="101", legs=[key]) for _ in range(2)))
    await writer.stop()
    (first_ahead, first), (second_ahead, second) = seen
    assert first_ahead and first is None  # read by the batch's one statement
    assert not second_ahead and second is not None and second.provider_call_id == "c1"


@pytest.fixture
async def relay(tmp_path: Path, database_url: str | None) -> AsyncIterator[Relay]:
    relay = await build_relay(RelayConfig(data_dir=tmp_path, database_url=database_url))
    try:
        yield relay
    finally:
        await close_relay(relay)


async def test_a_colleague_s_answer_in_the_same_batch_is_not_undone(relay: Relay) -> None:
    """Boris's end event is written in the same transaction as Anna's answer, right after
    it. Anna's answer turned Boris's leg into "answered elsewhere"; his end must apply to
    that, not to the ringing leg read ahead for the batch (which would log him a missed
    call)."""
    writer = relay.ingest.writer
    anna_ext = "101"
    boris_ext = next(e for e in (str(n) for n in range(102, 200))
                     if writer._lane(e) is writer._lane(anna_ext))  # one batch
    async with relay.store.write() as conn:
        await users.add_user(conn, "Анна", anna_ext)
        await users.add_user(conn, "Борис", boris_ext)
    for ext in (anna_ext, boris_ext):
        await relay.ingest.events([CallEvent("zadarma", "group", EventKind.RINGING,
                                             direction=Direction.IN, ext=ext,
                                             phone_raw="89031112233")])
    await asyncio.gather(
        relay.ingest.events([CallEvent("zadarma", "group", EventKind.ANSWERED, ext=anna_ext)]),
        relay.ingest.events([CallEvent("zadarma", "group", EventKind.ENDED, ext=boris_ext)]))
    async with relay.store.read() as conn:
        by_ext = {c.ext: c for _, c in await calls.legs(conn, "zadarma", "group")}
        boris_entry = await calls.journal_for_call(conn, by_ext[boris_ext].id)
    assert by_ext[anna_ext].state is CallState.ANSWERED
    assert by_ext[boris_ext].state is CallState.ANSWERED_ELSEWHERE
    assert boris_entry is None
