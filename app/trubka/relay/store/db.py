"""Opening the database, migrating it, and handing out read and write transactions.

SQLite (the embedded default) runs in WAL mode with `synchronous=FULL`, so a webhook
acknowledged after its commit survives a crash of the relay or of the machine.

SQLite has one writer, so writes are serialised by an asyncio lock and `BEGIN
IMMEDIATE` (which also keeps a second process such as the CLI from failing on a busy
database). They run *inline* on a plain `sqlite3` connection in the event loop's thread:
a write transaction is a few statements of microseconds each, while the aiosqlite driver
would cost four thread hand-offs per statement and cap the relay near 100 webhooks/s
(bench/fanout.py). Reads, which can be long (a search over a million contacts), stay
on aiosqlite's thread so they never stall the loop. PostgreSQL
(`postgresql+asyncpg://`) needs none of this.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Hashable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy import Dialect, create_engine
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine, Result
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from trubka.relay.config import MissingExtra
from trubka.relay.private import database_files, write_private
from trubka.relay.store.sqlite_file import begin_without_blocking, configure, fold_log

log = logging.getLogger("trubka.relay.store")

MIGRATIONS = Path(__file__).with_name("migrations")
# Set on a write transaction's connection (`info`) by `settings.changed`: once it commits,
# a SQLite store touches its configuration stamp (`Store.config_stamp`).
CONFIG_CHANGED = "trubka_config_changed"


def database_url(data_dir: Path, url: str | None) -> str:
    """The async SQLAlchemy URL: the one given, or SQLite in the data dir."""
    if not url:
        return f"sqlite+aiosqlite:///{data_dir / 'relay.db'}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    return url


def redact(url: str) -> str:
    """The URL without its password, for logs."""
    scheme, sep, rest = url.partition("://")
    if "@" not in rest:
        return url
    creds, host = rest.rsplit("@", 1)
    user = creds.split(":", 1)[0]
    return f"{scheme}{sep}{user}:***@{host}"


class InlineConnection:
    """The part of `AsyncConnection` the store uses, run directly on a sync connection."""

    def __init__(self, connection: Connection) -> None:
        self.sync_connection = connection

    @property
    def dialect(self) -> Dialect:
        return self.sync_connection.dialect

    async def execute(self, statement: Any, parameters: Any = None) -> Result[Any]:
        return self.sync_connection.execute(statement, parameters)


class Store:
    """The relay's database: one engine (two for SQLite), migrated on open."""

    def __init__(self, engine: AsyncEngine, writer: Engine | None = None) -> None:
        self.engine = engine
        self.writer = writer
        self.is_sqlite = engine.dialect.name == "sqlite"
        self.background_checkpoints = False
        self.quick: Engine | None = None
        self._autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")
        self._probe: sqlite3.Connection | None = None
        # SQLite on a file: touched after every commit that changed the configuration,
        # by whichever process made it (the relay, the CLI); see `config_stamp`.
        self.stamp: Path | None = None
        self._stamp_fd: int | None = None
        self._writer_conn: Connection | None = None
        self._lane_conns: dict[Hashable, AsyncConnection] = {}  # PostgreSQL: `write(lane)`
        self._write_lock = asyncio.Lock()
        self._writes = 0  # write transactions begun (the checkpoint skips an idle WAL)
        self._checkpointed = 0
        # Told the seconds each write transaction's COMMIT took (the metrics' histogram):
        # on SQLite the fsync, in which the event loop waits for the disk.
        self.on_commit: Callable[[float], None] | None = None

    @classmethod
    async def open(cls, url: str, background_checkpoints: bool = False) -> Store:
        """Open and migrate. `background_checkpoints` (the server's choice) moves SQLite's
        WAL checkpoints off the inline writer to `checkpoint()`, run on a thread."""
        kwargs: dict[str, Any] = {}
        path = url.split(":///", 1)[1] if url.startswith("sqlite") else ""
        if url.startswith("sqlite"):
            if path and path != ":memory:":
                database_files(Path(path))  # 0700 directory, 0600 files: secrets inside
        else:
            # No pre-ping: it is a round trip per transaction; a connection the server
            # dropped fails its transaction once (the PBX retries a 503) and is replaced.
            kwargs.update(pool_size=10, max_overflow=20, pool_recycle=1800)
        try:
            engine = create_async_engine(url, **kwargs)
        except ModuleNotFoundError as exc:  # the driver of an optional engine
            if exc.name == "asyncpg":
                raise MissingExtra("a postgresql:// database URL", "asyncpg", "scale") from None
            raise
        writer = None
        if engine.dialect.name == "sqlite":
            configure(engine.sync_engine)
            writer = create_engine(url.replace("+aiosqlite", "+pysqlite", 1), pool_size=1,
                                   max_overflow=0)
            configure(writer, autocheckpoint=not background_checkpoints, busy_timeout_ms=0)
        store = cls(engine, writer)
        if writer is not None:
            store.quick = create_engine(url.replace("+aiosqlite", "+pysqlite", 1),
                                        pool_size=1, max_overflow=0)
            configure(store.quick, busy_timeout_ms=0)
        store.background_checkpoints = writer is not None and background_checkpoints
        await store.migrate()
        if writer is not None and path and path != ":memory:":
            store._probe = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            store.stamp = Path(path + "-config")
        return store

    def config_stamp(self) -> int | None:
        """When the configuration last changed through a store on this SQLite file (the
        stamp's modification time in ns; 0 while there is none), or None where there is no
        stamp (PostgreSQL, SQLite in memory). The registry asks on every webhook whether to
        read the configuration's version (relay/registry.py), so the stamp is kept open
        and asked with `fstat` — no path to walk — and opened again once it was removed."""
        if self.stamp is None:
            return None
        if self._stamp_fd is not None:
            found = os.fstat(self._stamp_fd)
            if found.st_nlink:
                return found.st_mtime_ns
            os.close(self._stamp_fd)  # removed (and perhaps made again): open the new one
            self._stamp_fd = None
        try:
            self._stamp_fd = os.open(self.stamp, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            return 0
        except OSError:  # not ours to open (another user's): ask by its path
            return os.stat(self.stamp).st_mtime_ns
        return os.fstat(self._stamp_fd).st_mtime_ns

    def make_stamp(self) -> None:
        """Make the stamp where there is none yet (a new database, or one from before the
        stamp), as the relay starts — so that it is the relay's file, and its check is a
        `fstat` from the first webhook on rather than a failed `open` per webhook until
        the first configuration change."""
        try:
            self._create_stamp()
        except OSError as exc:  # config_stamp then keeps looking for it, as before
            log.warning("cannot make %s (%s)", self.stamp, exc.strerror)

    def _create_stamp(self) -> None:
        if self.stamp is not None and not self.stamp.exists():
            write_private(self.stamp, "the configuration's last change (config_stamp)\n")

    def _touch_stamp(self) -> None:
        """The configuration changed: the stamp takes this moment's time to the ns (not
        the file system's coarser clock), so two changes in a row differ."""
        if self.stamp is None:
            return
        try:
            self._create_stamp()
            now = time.time_ns()
            os.utime(self.stamp, ns=(now, now))
        except OSError as exc:  # e.g. made by another user: relay/watch.py's poll still sees it
            log.warning("cannot touch %s (%s): running relays see the change within a "
                        "second", self.stamp, exc.strerror)

    def peek(self, statement: str, *params: object) -> Any:
        """SQLite: the first column of the first row of a tiny read, on a raw connection
        in the loop's thread — a few microseconds where the engine's path costs a hundred
        (the registry's version check, after a configuration change). WAL readers never
        wait."""
        if self._probe is None:
            raise RuntimeError("peek is for a SQLite store")
        row = self._probe.execute(statement, params).fetchone()
        return row[0] if row else None

    async def migrate(self) -> None:
        async with self.engine.connect() as conn:
            await conn.run_sync(_upgrade)
            await conn.commit()

    async def checkpoint(self) -> None:
        """Copy the WAL into the database file (and fsync it) on aiosqlite's thread, so
        the inline writer never pays for it (see `open`). The commit after a checkpoint
        that copied all of the log begins it anew; one that ran beside commits leaves the
        frames they added, and under a load without pauses the log's file would grow for
        as long as the load lasts (1.6 GB in 40 s at 1,000 webhooks/s,
        docs/performance.md): `sqlite_file.fold_log` bounds it."""
        if not self.is_sqlite or self._writes == self._checkpointed:
            return
        self._checkpointed = self._writes
        async with self.engine.connect() as conn:
            await fold_log(conn, self._write_lock)

    def _writer_connection(self) -> Connection:
        """The SQLite writer's one connection, kept between transactions (a pool checkout
        per transaction cost as much as a statement)."""
        if self._writer_conn is None or self._writer_conn.closed:
            assert self.writer is not None
            self._writer_conn = self.writer.connect().execution_options(
                sqlite_immediate=True)
        return self._writer_conn

    async def close(self) -> None:
        for conn in self._lane_conns.values():
            await _release(conn)
        self._lane_conns.clear()
        if self._writer_conn is not None:
            self._writer_conn.close()
            self._writer_conn = None
        if self._probe is not None:
            self._probe.close()
        if self._stamp_fd is not None:
            os.close(self._stamp_fd)
            self._stamp_fd = None
        await self.engine.dispose()
        for sync_engine in (self.writer, self.quick):
            if sync_engine is not None:
                sync_engine.dispose()

    @asynccontextmanager
    async def write(self, lane: Hashable | None = None
                    ) -> AsyncIterator[AsyncConnection]:  # or an InlineConnection
        """One write transaction, committed when the block ends without error. On
        PostgreSQL a `lane` (writer.py's: a key that one task at a time writes under) runs
        on a connection kept for it, as SQLite's writer keeps its one: a pool checkout per
        transaction cost a fifth of the write's CPU (docs/performance.md)."""
        if self.writer is not None:
            async with self._write_lock:
                self._writes += 1
                sync_conn = self._writer_connection()
                try:
                    with await begin_without_blocking(sync_conn):
                        yield InlineConnection(sync_conn)  # type: ignore[misc]
                        committing = time.perf_counter()
                except BaseException:
                    if sync_conn.invalidated or sync_conn.closed:
                        self._writer_conn = None
                    else:
                        sync_conn.info.pop(CONFIG_CHANGED, None)  # rolled back
                    raise
                self._committed(committing)
                if sync_conn.info.pop(CONFIG_CHANGED, False):
                    self._touch_stamp()
        else:
            # The transaction is the driver's own (asyncpg's BEGIN … COMMIT), with
            # SQLAlchemy in autocommit mode on the same connection: its statements and
            # the driver's (store/raw.py) share one transaction.
            conn = self._lane_conns.get(lane) if lane is not None else None
            if conn is None:
                conn = await self._autocommit.connect()
                if lane is not None:
                    self._lane_conns[lane] = conn
            try:
                driver = (await conn.get_raw_connection()).driver_connection
                assert driver is not None
                async with driver.transaction():
                    yield conn
                    committing = time.perf_counter()
            except BaseException:
                # Rolled back. A lane's next transaction takes another connection: this
                # one may be broken (the server restarted).
                if lane is not None:
                    del self._lane_conns[lane]
                await _release(conn)
                raise
            self._committed(committing)
            if lane is None:
                await _release(conn)

    def _committed(self, since: float) -> None:
        if self.on_commit is not None:
            self.on_commit(time.perf_counter() - since)

    @asynccontextmanager
    async def quick_read(self) -> AsyncIterator[AsyncConnection]:
        """A read of a few rows by key (a provider's settings on every webhook): on SQLite
        run inline like the writes — WAL readers never wait — sparing the thread hops."""
        if self.quick is None:
            async with self.read() as conn:
                yield conn
            return
        with self.quick.connect() as sync_conn, sync_conn.begin():
            yield InlineConnection(sync_conn)  # type: ignore[misc]

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.connect() as conn:
            yield conn


async def _release(conn: AsyncConnection) -> None:
    """Return a connection to the pool, or discard it if the server closed it (the
    driver's own statements bypass SQLAlchemy's disconnect detection)."""
    raw = conn.sync_connection.connection if conn.sync_connection is not None else None
    driver = raw.driver_connection if raw is not None else None
    try:
        if driver is None or driver.is_closed():
            await conn.invalidate()
    finally:
        await conn.close()


def insert(conn: AsyncConnection | Connection, table: sa.Table) -> Any:
    """The connection's dialect's INSERT for `table`: the one that can say
    `ON CONFLICT … DO UPDATE` (an upsert) on both PostgreSQL and SQLite."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def _upgrade(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        # Replicas starting together on a fresh database: one migrates, the others wait.
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7305114)")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
