"""The failure limiter and the replay guard shared by every replica through Redis
(`--redis-url`): the same interfaces as ratelimit.FailureLimiter and
replay.MemoryReplayGuard, so an address throttled, or a signature seen, on one replica
is so on all. Imported only when a Redis URL is configured (the `scale` extra).

Failures of a key are a sorted set of timestamps (trimmed to the window, expiring with
it); the keys that failed recently are listed in one more sorted set, which each replica
reads at most twice a second, so an address that never failed costs no round trip (a
failure on one replica throttles the address on the others within half a second). A
binding is one string key set with NX and an expiry, so the first writer wins.
"""

from __future__ import annotations

import hashlib
import time
import uuid

import redis.asyncio as redis

from trubka.relay.ratelimit import wait_for


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:40]


# How stale a replica's view of the failing addresses may be: a request from an address
# that failed nowhere (nearly all of them) then costs no round trip to Redis.
SUSPECTS_SECONDS = 0.5


class RedisFailureLimiter:
    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self.redis = client
        self.prefix = prefix
        self._suspects: set[str] = set()  # digests of keys that failed recently, anywhere
        self._suspects_at = float("-inf")

    def _key(self, key: str) -> str:
        return f"{self.prefix}:fail:{_digest(key)}"

    async def _suspected(self, digest: str, window: float) -> bool:
        """Whether any replica counted a failure of this key within the window (the
        shared list is read at most every SUSPECTS_SECONDS)."""
        now = time.time()
        if now - self._suspects_at > SUSPECTS_SECONDS:
            name = f"{self.prefix}:failing"
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.zremrangebyscore(name, "-inf", now - window)
                pipe.zrange(name, 0, -1)
                _, members = await pipe.execute()
            self._suspects = {m.decode() if isinstance(m, bytes) else str(m) for m in members}
            self._suspects_at = now
        return digest in self._suspects

    async def check(self, key: str, limit: int, window: float) -> None:
        if limit <= 0 or not await self._suspected(_digest(key), window):
            return
        now = time.time()
        name = self._key(key)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(name, "-inf", now - window)
            pipe.zrevrange(name, limit - 1, limit - 1, withscores=True)
            _, nth = await pipe.execute()
        if nth:  # at least `limit` failures in the window: wait for the limit-th newest
            raise wait_for(float(nth[0][1]), window, now)

    async def aclose(self) -> None:
        await self.redis.aclose()

    async def failed(self, key: str, window: float) -> None:
        now = time.time()
        digest = _digest(key)
        name = self._key(key)
        self._suspects.add(digest)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zadd(f"{self.prefix}:failing", {digest: now})
            pipe.zadd(name, {f"{now}:{uuid.uuid4().hex[:8]}": now})
            pipe.zremrangebyscore(name, "-inf", now - window)
            pipe.expire(name, max(1, int(window) + 1))
            await pipe.execute()


class RedisReplayGuard:
    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self.redis = client
        self.prefix = prefix

    async def bind(self, key: str, value: str, ttl: float) -> bool:
        name = f"{self.prefix}:bind:{_digest(key)}"
        stored = value.encode("utf-8", "surrogatepass")
        if await self.redis.set(name, stored, nx=True, px=max(1, int(ttl * 1000))):
            return True
        found = await self.redis.get(name)
        return found is None or found == stored


def open_guards(url: str, prefix: str) -> tuple[RedisFailureLimiter, RedisReplayGuard]:
    """Both on one connection pool; `limiter.aclose()` closes it with the relay."""
    client = redis.Redis.from_url(url, socket_keepalive=True)
    return RedisFailureLimiter(client, prefix), RedisReplayGuard(client, prefix)
