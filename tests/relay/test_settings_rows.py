"""A row of the settings table — a status, the configuration's version — written by two
transactions at once commits in both, the later value kept. On PostgreSQL the two run on
two connections: the second waits for the first's row and updates it (a DELETE and an
INSERT failed it on the key, so a CRM's failure and a success noted together lost the
failure's reason: bitrix24's `crm show` then said nothing of it)."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa

from trubka.relay.store import status
from trubka.relay.store.db import Store

WAIT = 10.0


async def waiting_for_a_lock(store: Store) -> bool:
    async with store.read() as conn:
        waiting = await conn.execute(sa.text(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"))
        return bool(waiting.scalar_one())


async def test_two_transactions_writing_one_row_both_commit(store: Store) -> None:
    if store.is_sqlite:
        pytest.skip("SQLite has one writer: the second transaction waits for the first")
    async with store.write("first") as conn:
        await status.put(conn, "crm", {"error": "only from an application"})

    async def second() -> None:
        async with store.write("second") as other:
            await status.put(other, "crm", {"error": ""})

    async with store.write("first") as conn:
        await status.put(conn, "crm", {"error": "refused"})
        racing = asyncio.create_task(second())
        deadline = asyncio.get_running_loop().time() + WAIT
        while not await waiting_for_a_lock(store):  # the second reached the row, waits
            assert asyncio.get_running_loop().time() < deadline, "never waited"
            assert not racing.done(), racing
            await asyncio.sleep(0.02)
    await asyncio.wait_for(racing, WAIT)
    async with store.read() as conn:
        assert (await status.load_all(conn))["crm"] == {"error": ""}
