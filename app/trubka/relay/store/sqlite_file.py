"""SQLite's side of the store (db.py): its connections' settings, the inline writer's
BEGIN, and the passes that fold the write-ahead log back into the database."""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection

# The write-ahead log is begun anew only by the first commit after a checkpoint that copied
# all of it, which a passive checkpoint beside a writer that never pauses seldom does: past
# this many frames (about 64 MiB of 4 KiB pages) `fold_log` copies the rest, its last pass
# with the writer held, so that a steady load cannot grow the log's file for as long as it
# lasts (docs/performance.md).
WAL_BOUND_FRAMES = 16_000
# Passes beside the writer before the held one: the pass after a large one waited 25–40 ms
# for the disk, the next took 1–3 ms, and the held one then under a millisecond; a pass
# beside commits may also complete in a gap between them.
UNHELD_PASSES = 2


async def fold_log(conn: AsyncConnection, writer: asyncio.Lock) -> None:
    """A passive checkpoint on `conn` (aiosqlite's thread); once the log holds more than
    `WAL_BOUND_FRAMES`, the frames added meanwhile copied again — `UNHELD_PASSES` times
    beside the writer, each pass shorter than the one before, then once holding `writer`
    (the store's write lock: the webhooks of that millisecond wait in their lane, not in
    SQLite's busy handler, and readers are never held) — so the next commit begins the log
    anew."""

    async def passive() -> int:
        """A passive checkpoint; the frames the log holds (since it was begun)."""
        _busy, frames, _copied = map(int, (await conn.exec_driver_sql(
            "PRAGMA wal_checkpoint(PASSIVE)")).one())
        return frames

    frames = await passive()
    for _ in range(UNHELD_PASSES):
        if frames <= WAL_BOUND_FRAMES:  # within the bound, or begun anew meanwhile
            return
        frames = await passive()
    if frames > WAL_BOUND_FRAMES:
        async with writer:
            await passive()


async def begin_without_blocking(conn: Connection, patience: float = 10.0) -> Any:
    """BEGIN IMMEDIATE on the inline writer, waiting for another process's write lock
    (the CLI's) with asyncio sleeps rather than SQLite's busy handler, which would
    freeze the event loop."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + patience
    while True:
        try:
            return conn.begin()
        except (OperationalError, sqlite3.OperationalError) as exc:  # BEGIN is raw (below)
            if "locked" not in str(exc) or loop.time() > deadline:
                raise
            await asyncio.sleep(0.005)


def configure(
    sync_engine: Engine, autocheckpoint: bool = True, busy_timeout_ms: int = 10_000
) -> None:
    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below emit BEGIN itself (the pysqlite recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        if not autocheckpoint:
            cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # On the DB-API connection itself: the engine's statement machinery would cost
        # as much again as the BEGIN (once per write transaction, on the busiest path).
        begin = "BEGIN IMMEDIATE" if conn.get_execution_options().get("sqlite_immediate") \
            else "BEGIN"
        raw = conn.connection.driver_connection
        if isinstance(raw, sqlite3.Connection):  # the inline engines (aiosqlite's is async)
            raw.execute(begin)
        else:
            conn.exec_driver_sql(begin)
