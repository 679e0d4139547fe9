"""The real PostgreSQL and Redis servers the scale-out tests use (127.0.0.1 by default).

Without them those tests skip with the reason; with TRUBKA_REQUIRE_SERVICES=1 (set by
.ci/run) a missing server fails the run instead.
"""

from __future__ import annotations

import asyncio
import os
import threading
import uuid
from collections.abc import Coroutine
from typing import Any, TypeVar

import pytest

POSTGRES = os.environ.get("TRUBKA_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("TRUBKA_TEST_REDIS", "redis://127.0.0.1:6379/0")
T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion on a loop of its own (safe inside async tests)."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


def unavailable(what: str, error: BaseException) -> None:
    reason = f"{what} not reachable ({type(error).__name__}: {error})"
    if os.environ.get("TRUBKA_REQUIRE_SERVICES") == "1":
        pytest.fail(reason + "; TRUBKA_REQUIRE_SERVICES=1 requires it")
    pytest.skip(reason)


def create_database() -> str:
    """A fresh, empty PostgreSQL database; returns its URL."""
    import asyncpg

    name = "trubka_test_" + uuid.uuid4().hex[:12]

    async def create() -> None:
        conn = await asyncpg.connect(POSTGRES, timeout=5)
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    try:
        run(create())
    except (OSError, asyncpg.PostgresError) as exc:
        unavailable("PostgreSQL at " + POSTGRES, exc)
    return POSTGRES.rsplit("/", 1)[0] + "/" + name


def drop_database(url: str) -> None:
    import asyncpg

    name = url.rsplit("/", 1)[1]

    async def drop() -> None:
        conn = await asyncpg.connect(POSTGRES, timeout=5)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    run(drop())


def sql(url: str, statement: str) -> list[tuple[Any, ...]]:
    """Run one SQL statement on a PostgreSQL database (test set-up and inspection)."""
    import asyncpg

    async def go() -> list[tuple[Any, ...]]:
        conn = await asyncpg.connect(url, timeout=5)
        try:
            return [tuple(r) for r in await conn.fetch(statement)]
        finally:
            await conn.close()

    return run(go())


def redis_prefix() -> str:
    """A Redis URL is shared; each test keeps its keys under a prefix of its own."""
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_timeout=3).ping()
    except (OSError, redis.RedisError) as exc:
        unavailable("Redis at " + REDIS, exc)
    return "trubka-test-" + uuid.uuid4().hex[:12]
