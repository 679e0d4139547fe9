"""The SQLite relay's write-ahead log under a load without pauses (store/db.py
`Store.checkpoint`, store/sqlite_file.py `fold_log`).

The log is begun anew only by the first commit after a checkpoint that copied all of it,
and a passive checkpoint running beside commits leaves the frames they added: before the
bound, a relay under a steady 1,000 webhooks/s grew `relay.db-wal` by 40 MB a second for as
long as the load lasted (docs/performance.md). Here the relay's checkpoint task runs beside
a writer that never pauses, with the bound lowered, and the log's file stays near it."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from trubka.relay.store import sqlite_file
from trubka.relay.store.db import InlineConnection, Store

BOUND = 100  # frames, for the test
TRANSACTIONS = 400
FRAME = 4096 + 24  # a page and its frame header


@pytest.fixture
async def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Store]:
    monkeypatch.setattr(sqlite_file, "WAL_BOUND_FRAMES", BOUND)
    store = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'relay.db'}",
                             background_checkpoints=True)
    async with store.write() as conn:
        assert isinstance(conn, InlineConnection)
        conn.sync_connection.exec_driver_sql("CREATE TABLE scratch (x BLOB)")
    yield store
    await store.close()


def log_generation(wal: Path) -> bytes:
    """The log header's checkpoint sequence: it moves when a commit begins the log anew."""
    with open(wal, "rb") as log:
        return os.pread(log.fileno(), 4, 12)


async def test_a_load_without_pauses_keeps_the_log_near_its_bound(store: Store,
                                                                  tmp_path: Path) -> None:
    running = True

    async def checkpoints() -> None:  # relay/app.py runs it each second; here more often
        while running:
            await store.checkpoint()
            await asyncio.sleep(0.005)

    task = asyncio.create_task(checkpoints())
    wal = tmp_path / "relay.db-wal"
    generations = {log_generation(wal)}
    try:
        for _ in range(TRANSACTIONS):
            async with store.write() as conn:  # about four pages each
                assert isinstance(conn, InlineConnection)
                conn.sync_connection.exec_driver_sql(
                    "INSERT INTO scratch VALUES (randomblob(12000))")
            generations.add(log_generation(wal))
            await asyncio.sleep(0)  # the checkpoint task's turn; the writer goes on at once
    finally:
        running = False
        await task
    written = TRANSACTIONS * 4 * FRAME
    assert len(generations) > 2, "the log was never begun anew"
    assert wal.stat().st_size < written / 4, (wal.stat().st_size, written)
    async with store.read() as conn:  # and nothing written was lost on the way
        count = (await conn.exec_driver_sql("SELECT count(*) FROM scratch")).scalar_one()
    assert count == TRANSACTIONS
