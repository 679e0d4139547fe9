"""The statements every webhook runs, on the database driver itself (issue 13).

SQLAlchemy's execution of a cached statement costs 4–16 µs of CPU on SQLite and 20–60 µs
on PostgreSQL on top of the driver's own work (measured: docs/performance.md), and a
webhook runs half a dozen. A `Statement` is compiled by SQLAlchemy once per dialect —
the very SQL it would send, with each parameter's and column's own type processing (UTC
datetimes, JSON) — and is then run straight on the driver: sqlite3 on the inline writer
(`InlineConnection`), asyncpg inside a transaction (`Store.write` begins it on the
driver). Any other connection (aiosqlite's reads, a PostgreSQL read that has not begun
yet) runs it through SQLAlchemy as usual, so callers need not know which they hold.
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.expression import Executable

from trubka.relay.store.db import InlineConnection

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # the parameters, in the order the SQL takes them
    binds: tuple[Processor, ...]
    nulls: tuple[Any, ...]  # what each processor makes of None (JSON's is 'null'), once
    defaults: Mapping[str, Any]  # literal values compiled into the statement
    results: tuple[Processor, ...]
    row: Callable[..., Any] | None  # a named tuple of the result columns

    def args(self, values: Mapping[str, Any]) -> list[Any]:
        out = []
        for name, process, null in zip(self.names, self.binds, self.nulls, strict=True):
            value = values[name] if name in values else self.defaults[name]
            if value is None:
                out.append(null)
            else:
                out.append(process(value) if process is not None else value)
        return out

    def make_row(self, raw: Sequence[Any]) -> Any:
        assert self.row is not None
        return self.row(*[value if process is None or value is None else process(value)
                          for value, process in zip(raw, self.results, strict=True)])


class Statement:
    """A SQLAlchemy statement run on the driver, compiled per dialect and per set of
    parameter names given (an INSERT or UPDATE is for exactly those columns), as
    SQLAlchemy's own statement cache does."""

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._compiled: dict[tuple[str, frozenset[str]], _Compiled] = {}

    def compiled(self, dialect: Dialect, keys: Iterable[str]) -> _Compiled:
        names = frozenset(keys)
        found = self._compiled.get((dialect.name, names))
        if found is None:
            found = self._compiled[dialect.name, names] = self._compile(dialect, sorted(names))
        return found

    def _compile(self, dialect: Dialect, keys: list[str]) -> _Compiled:
        compiled = self.statement.compile(dialect=dialect,  # type: ignore[attr-defined]
                                          column_keys=keys)
        names = tuple(compiled.positiontup or ())
        # dialect_impl: the dialect's own type (SQLite's DATETIME keeps text)
        binds = tuple(compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
                      for name in names)
        nulls = tuple(process(None) if process is not None else None for process in binds)
        defaults = {name: bind.effective_value for name, bind in compiled.binds.items()
                    if bind.value is not None}
        columns = list(getattr(self.statement, "exported_columns", None) or ())
        results = tuple(c.type.dialect_impl(dialect).result_processor(dialect, None)
                        for c in columns)
        row = namedtuple("Row", [c.key for c in columns]) if columns else None
        return _Compiled(compiled.string, names, binds, nulls, defaults, results, row)


async def driver_of(conn: AsyncConnection) -> Any | None:
    """The driver's connection under `conn` when statements can run on it: sqlite3 on
    the inline writer, asyncpg inside an open transaction; else None (SQLAlchemy)."""
    if isinstance(conn, InlineConnection):
        return conn.sync_connection.connection.driver_connection
    if conn.dialect.name != "postgresql":
        return None
    sync = conn.sync_connection
    if sync is not None and not sync.invalidated and not sync.closed:
        fairy = sync.connection  # open already: no I/O, so no hop to a greenlet
    else:
        fairy = await conn.get_raw_connection()
    driver = fairy.driver_connection
    return driver if driver is not None and driver.is_in_transaction() else None


async def _run(conn: AsyncConnection, statement: Statement, values: Mapping[str, Any] | None,
               many: bool) -> list[Any]:
    """The rows (all of them, or the first) the statement returns."""
    values = values or {}
    driver = await driver_of(conn)
    if driver is None:
        result = await conn.execute(statement.statement, dict(values))
        if not result.returns_rows:
            return []
        if many:
            return list(result.all())
        row = result.first()
        return [row] if row is not None else []
    compiled = statement.compiled(conn.dialect, values)
    args = compiled.args(values)
    if isinstance(driver, sqlite3.Connection):
        # fetchall even for one: a RETURNING statement is finished only once read out
        found = driver.execute(compiled.sql, args).fetchall()
    elif compiled.row is None:
        await driver.execute(compiled.sql, *args)
        return []
    elif many:
        found = await driver.fetch(compiled.sql, *args)
    else:
        found = [r for r in [await driver.fetchrow(compiled.sql, *args)] if r is not None]
    if compiled.row is None:
        return []
    return [compiled.make_row(r) for r in (found if many else found[:1])]


async def rows(conn: AsyncConnection, statement: Statement,
               values: Mapping[str, Any] | None = None) -> list[Any]:
    """Every row the statement returns (named tuples, or SQLAlchemy's rows)."""
    return await _run(conn, statement, values, many=True)


async def execute_many(conn: AsyncConnection, statement: Statement,
                       values: Sequence[Mapping[str, Any]]) -> None:
    """Run a statement that returns nothing once per set of values, all with the same
    names; on asyncpg in one round trip (its `executemany` sends them pipelined)."""
    if not values:
        return
    driver = await driver_of(conn)
    if driver is None:
        await conn.execute(statement.statement, [dict(v) for v in values])
        return
    compiled = statement.compiled(conn.dialect, values[0])
    args = [compiled.args(v) for v in values]
    if isinstance(driver, sqlite3.Connection):
        driver.executemany(compiled.sql, args)
    else:
        await driver.executemany(compiled.sql, args)


async def first(conn: AsyncConnection, statement: Statement,
                values: Mapping[str, Any] | None = None) -> Any | None:
    """The first row the statement returns, or None."""
    found = await _run(conn, statement, values, many=False)
    return found[0] if found else None


async def execute(conn: AsyncConnection, statement: Statement,
                  values: Mapping[str, Any] | None = None) -> None:
    """Run a statement that returns nothing."""
    await _run(conn, statement, values, many=False)
