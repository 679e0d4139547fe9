"""The event writer's lanes (relay/writer.py), on SQLite and PostgreSQL: PostgreSQL keeps
several write transactions in flight, one employee's jobs stay in order in one lane,
and a deadlock between two lanes costs a retry, not a job."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from trubka.core.model import Direction, JournalEntry, JournalStatus
from trubka.relay.hub.memory import MemoryHub
from trubka.relay.store import users
from trubka.relay.store.db import Store
from trubka.relay.store.schema import users as users_table
from trubka.relay.writer import PG_LANES, EventWriter, Outbox

WAIT = 10.0  # seconds; PostgreSQL finds a deadlock after its deadlock_timeout (1 s)
Job = Callable[[AsyncConnection, Outbox], Awaitable[str]]


class RecordingHub(MemoryHub):
    def __init__(self) -> None:
        super().__init__()
        self.published: list[tuple[int, int]] = []

    async def publish(self, user_id: int, seq: int, frame: str) -> None:
        self.published.append((user_id, seq))
        await super().publish(user_id, seq, frame)


async def two_users(store: Store) -> tuple[int, int]:
    async with store.write() as conn:
        return ((await users.add_user(conn, "Анна", "101")).id,
                (await users.add_user(conn, "Борис", "102")).id)


async def log(outbox: Outbox, user_id: int, note: str) -> None:
    """A frame for `user_id` (its seq is taken, and the user's row locked, at the flush)."""
    await outbox.journal(user_id, JournalEntry(note, "call", Direction.IN,
                                               JournalStatus.MISSED, "", "", note=note))


async def lock(conn: AsyncConnection, user_id: int) -> None:
    """Lock the user's row, as a call leg or a seq does."""
    await conn.execute(sa.select(users_table.c.id).where(users_table.c.id == user_id)
                       .with_for_update())


async def notes(store: Store, user_id: int) -> list[str]:
    async with store.read() as conn:
        logged = await users.events_after(conn, user_id, 0)
    assert [seq for seq, _ in logged] == list(range(1, len(logged) + 1))  # no gaps
    return [json.loads(frame)["entry"]["note"] for _, frame in logged]


def keys_in_two_lanes(writer: EventWriter) -> tuple[str, str]:
    first = "101"
    second = next(k for k in (str(n) for n in range(102, 200))
                  if writer._lane(k) is not writer._lane(first))
    return first, second


async def test_postgresql_writes_for_others_while_a_transaction_is_open(
    store: Store,
) -> None:
    if store.is_sqlite:
        pytest.skip("SQLite has one writer: one lane")
    anna, boris = await two_users(store)
    writer = EventWriter(store, RecordingHub())
    assert len(writer._lanes) == PG_LANES
    first_key, second_key = keys_in_two_lanes(writer)
    inside, release = asyncio.Event(), asyncio.Event()

    async def slow(conn: AsyncConnection, outbox: Outbox) -> str:
        await log(outbox, anna, "slow")
        inside.set()
        await release.wait()  # its transaction stays open meanwhile
        return "slow"

    async def quick(conn: AsyncConnection, outbox: Outbox) -> str:
        await log(outbox, boris, "quick")
        return "quick"

    slow_done = asyncio.ensure_future(writer.submit(slow, key=first_key))
    await asyncio.wait_for(inside.wait(), WAIT)
    # In one lane the quick job would wait behind the open transaction and time out.
    assert await asyncio.wait_for(writer.submit(quick, key=second_key), WAIT) == "quick"
    assert await notes(store, boris) == ["quick"]
    assert not slow_done.done()
    release.set()
    assert await asyncio.wait_for(slow_done, WAIT) == "slow"
    assert await notes(store, anna) == ["slow"]
    await writer.stop()


async def test_one_employee_s_jobs_commit_and_publish_in_the_order_they_came(
    store: Store,
) -> None:
    anna, boris = await two_users(store)
    hub = RecordingHub()
    writer = EventWriter(store, hub, max_batch=3)

    def job(user_id: int, n: int) -> Job:
        async def run(conn: AsyncConnection, outbox: Outbox) -> str:
            await log(outbox, user_id, str(n))
            return str(n)
        return run

    owner = {n: (anna, "101") if n % 2 else (boris, "102") for n in range(40)}
    results = await asyncio.wait_for(asyncio.gather(
        *(writer.submit(job(owner[n][0], n), key=owner[n][1]) for n in range(40))), WAIT)
    assert results == [str(n) for n in range(40)]
    for user_id in (anna, boris):
        assert await notes(store, user_id) == [str(n) for n in range(40)
                                               if owner[n][0] == user_id]
        assert [seq for uid, seq in hub.published if uid == user_id] == list(range(1, 21))
    await writer.stop()


async def test_a_deadlock_between_lanes_costs_a_retry_not_a_job(store: Store) -> None:
    if store.is_sqlite:
        pytest.skip("SQLite has one writer: one lane, no deadlock")
    anna, boris = await two_users(store)
    writer = EventWriter(store, RecordingHub())
    first_key, second_key = keys_in_two_lanes(writer)
    both_hold_one = asyncio.Barrier(2)
    attempts = {anna: 0, boris: 0}

    def crossing(first: int, second: int) -> Job:
        async def run(conn: AsyncConnection, outbox: Outbox) -> str:
            await lock(conn, first)
            attempts[first] += 1
            if attempts[first] == 1:  # the retry, alone, does not wait
                await asyncio.wait_for(both_hold_one.wait(), WAIT)
            await lock(conn, second)  # the row the other lane holds: a cycle
            await log(outbox, first, "first")
            await log(outbox, second, "second")
            return "done"
        return run

    results = await asyncio.wait_for(asyncio.gather(
        writer.submit(crossing(anna, boris), key=first_key),
        writer.submit(crossing(boris, anna), key=second_key)), WAIT)
    assert results == ["done", "done"]
    assert sorted(attempts.values()) == [1, 2]  # PostgreSQL aborted one; it ran again
    for user_id in (anna, boris):
        assert sorted(await notes(store, user_id)) == ["first", "second"]
    await writer.stop()


async def test_a_lane_whose_connection_the_server_dropped_costs_a_retry_not_a_job(
    store: Store,
) -> None:
    """PostgreSQL: each lane keeps its connection between transactions; one the server
    closed (a restart, an idle timeout) fails its batch once, and the retry runs on a
    fresh connection."""
    if store.is_sqlite:
        pytest.skip("SQLite's writer is a file, not a server connection")
    anna, _ = await two_users(store)
    writer = EventWriter(store, RecordingHub())

    async def backend(conn: AsyncConnection, outbox: Outbox) -> str:
        await log(outbox, anna, "logged")
        return str((await conn.execute(sa.text("SELECT pg_backend_pid()"))).scalar_one())

    first = await asyncio.wait_for(writer.submit(backend, key="101"), WAIT)
    assert await asyncio.wait_for(writer.submit(backend, key="101"), WAIT) == first  # kept
    async with store.read() as conn:
        await conn.execute(sa.text(f"SELECT pg_terminate_backend({int(first)})"))
    second = await asyncio.wait_for(writer.submit(backend, key="101"), WAIT)
    assert second != first
    assert await notes(store, anna) == ["logged"] * 3
    await writer.stop()


async def test_two_writers_on_one_store_never_share_a_connection(store: Store) -> None:
    """A lane's kept connection is that lane's own, not its number's: two writers of one
    store (the relay's, a command's) hold transactions open side by side."""
    anna, boris = await two_users(store)
    first, second = EventWriter(store, RecordingHub()), EventWriter(store, RecordingHub())
    both_inside = asyncio.Barrier(2)

    def holding(user_id: int) -> Job:
        async def run(conn: AsyncConnection, outbox: Outbox) -> str:
            await log(outbox, user_id, "held")
            if not store.is_sqlite:  # SQLite's one writer takes them in turn
                await asyncio.wait_for(both_inside.wait(), WAIT)
            return "held"
        return run

    assert await asyncio.wait_for(asyncio.gather(
        first.submit(holding(anna), key="101"), second.submit(holding(boris), key="101")),
        WAIT) == ["held", "held"]
    assert await notes(store, anna) == ["held"]
    assert await notes(store, boris) == ["held"]
    await first.stop()
    await second.stop()
