"""The Redis hub against the real Redis server: live frames through the one shared stream,
replay from the users' streams (hub/redis.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as redis

from tests import services
from trubka.relay.hub.redis import RedisHub


@pytest.fixture
async def hubs() -> AsyncIterator[tuple[RedisHub, RedisHub]]:
    """Two replicas' hubs under a prefix of this test's own."""
    prefix = services.redis_prefix()
    a, b = RedisHub(services.REDIS, prefix=prefix), RedisHub(services.REDIS, prefix=prefix)
    await a.start()
    await b.start()
    yield a, b
    await a.stop()
    await b.stop()
    client = redis.Redis.from_url(services.REDIS)
    keys = [key async for key in client.scan_iter(f"{prefix}:*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


async def test_a_frame_published_on_one_replica_reaches_the_others_sockets(
    hubs: tuple[RedisHub, RedisHub],
) -> None:
    a, b = hubs
    on_b = b.subscribe(7)
    also_on_b = b.subscribe(7)
    elsewhere = b.subscribe(8)
    await a.publish(7, 1, '{"type":"call","seq":1}')
    assert await asyncio.wait_for(on_b.get(), 5) == (1, '{"type":"call","seq":1}')
    assert await asyncio.wait_for(also_on_b.get(), 5) == (1, '{"type":"call","seq":1}')
    await a.publish(8, 1, '{"type":"call","seq":1,"ext":"Пётр"}')
    assert await asyncio.wait_for(elsewhere.get(), 5) == (1, '{"type":"call","seq":1,"ext":"Пётр"}')
    assert on_b.queue.empty()  # user 8's frame went to user 8's socket only
    # the streams expire after the event-log retention without a frame
    for stream in (a.key(7), a.live_key):
        assert a.ttl_seconds - 60 < await a.redis.ttl(stream) <= a.ttl_seconds


async def test_the_reader_skips_entries_that_are_not_frames(
    hubs: tuple[RedisHub, RedisHub],
) -> None:
    a, b = hubs
    sub = b.subscribe(3)
    await a.redis.xadd(a.live_key, {"u": "3", "s": "not-a-seq", "f": "x"})
    await a.redis.xadd(a.live_key, {"u": "3", "f": "no seq"})
    await a.redis.xadd(a.live_key, {"u": "3", "s": "1", "f": b"\xff\xfe"})
    await a.publish(3, 2, "after the junk")
    assert await asyncio.wait_for(sub.get(), 5) == (2, "after the junk")
    assert sub.queue.empty()


async def test_a_replica_started_later_follows_from_the_streams_end(
    hubs: tuple[RedisHub, RedisHub],
) -> None:
    a, _ = hubs
    await a.publish(5, 1, "before")
    late = RedisHub(services.REDIS, prefix=a.prefix)
    await late.start()
    try:
        sub = late.subscribe(5)
        await a.publish(5, 2, "after")
        assert await asyncio.wait_for(sub.get(), 5) == (2, "after")  # not "before"
        # what came before is the replay's: from user 5's own stream, by seq
        assert await late.replay(5, 0, 2) == [(1, "before"), (2, "after")]
        assert await late.replay(5, 0, 3) is None  # seq 3 is not in the stream
    finally:
        await late.stop()


async def test_an_older_seq_published_late_still_goes_live_and_is_refused_by_the_users_stream(
    hubs: tuple[RedisHub, RedisHub],
) -> None:
    """Two replicas committing seqs 5 and 6 publish them out of order: the socket gets
    both (its route skips or fills by seq); replay keeps the user's stream ordered."""
    a, b = hubs
    sub = a.subscribe(9)
    await b.publish(9, 6, "six")
    await a.publish(9, 5, "five")
    assert [await asyncio.wait_for(sub.get(), 5) for _ in range(2)] == [(6, "six"), (5, "five")]
    assert await a.replay(9, 5, 6) == [(6, "six")]
