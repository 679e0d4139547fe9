"""Fan-out across relay replicas on Redis Streams (issue: scale-out).

Every frame goes to two streams in one round trip:

* the user's stream `<prefix>:u:<user id>`, whose entry ids are the frames' seqs
  (`<seq>-0`), for replay from a `since` (`replay`); seqs come from the database
  (`users.last_seq`, bumped under a row lock inside the writing transaction), so they
  are strictly increasing per user whichever replica wrote the frame, and a replica that
  publishes an older seq after a newer one finds that `XADD` refused;
* the shared live stream `<prefix>:live` (`user`, `seq`, `frame`), which every replica's
  one reader task follows with a blocking `XREAD` and hands to the sockets of the users
  connected to it.

One shared stream keeps a replica's read cost per frame constant: reading one stream per
connected user made every `XREAD` name a thousand keys (two thirds of a replica's CPU
at 1,000 sockets, bench/fanout.py). Order within a user and completeness are the socket
route's business, as with the in-process hub: a seq already sent is skipped, a gap is
filled from the database log (routes/events.py). No replica holds state another one
needs. Streams are trimmed (`maxlen`) and expire after the event-log retention without
a frame.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import redis.asyncio as redis
from redis.exceptions import RedisError

from trubka.relay.hub.base import DEFAULT_QUEUE, SubscriberSet, Subscription

log = logging.getLogger("trubka.relay.hub")

READ_BATCH = 1000
# A stream's expiry is renewed by a replica at most this often (not with every frame: it
# was one command in three of a publish); a stream still expires about `ttl_seconds`
# after its last frame.
RENEW_EXPIRY_SECONDS = 600.0


class RedisHub:
    def __init__(self, url: str, prefix: str = "trubka", queue_size: int = DEFAULT_QUEUE,
                 maxlen: int = 10_000, live_maxlen: int = 50_000,
                 ttl_seconds: int = 72 * 3600) -> None:
        self.redis = redis.Redis.from_url(url, socket_keepalive=True,
                                          health_check_interval=30)
        self.reader_redis = redis.Redis.from_url(url, socket_keepalive=True)
        self.prefix = prefix
        self.maxlen = maxlen  # per user
        self.live_maxlen = live_maxlen  # a replica may fall this far behind
        self.ttl_seconds = ttl_seconds
        self.live_key = f"{prefix}:live"
        self.subscribers = SubscriberSet(queue_size)
        self._reader: asyncio.Task[None] | None = None
        self._healthy = False
        self._renewed: dict[str, float] = {}  # stream key → when its expiry was last set

    def key(self, user_id: int) -> str:
        return f"{self.prefix}:u:{user_id}"

    async def start(self) -> None:
        await self.redis.ping()
        # Follow the live stream from its current end: frames published before this
        # replica started reach its sockets through their hello's replay.
        newest: Any = await self.redis.xrevrange(self.live_key, count=1)
        position = newest[0][0].decode() if newest else "0-0"
        self._healthy = True
        self._reader = asyncio.create_task(self._read_loop(position), name="redis-hub-reader")

    async def stop(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)
        self.subscribers.kick_all()
        await self.redis.aclose()
        await self.reader_redis.aclose()

    # -- the interface the relay uses (hub.base.Hub) ---------------------------------
    def subscribe(self, user_id: int, token_id: int | None = None) -> Subscription:
        return self.subscribers.add(user_id, token_id)

    async def publish(self, user_id: int, seq: int, frame: str) -> None:
        key = self.key(user_id)
        try:
            renew = self._expiries_due(key, self.live_key)
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.xadd(key, {"f": frame}, id=f"{seq}-0", maxlen=self.maxlen,
                          approximate=True)
                pipe.xadd(self.live_key, {"u": user_id, "s": seq, "f": frame},
                          maxlen=self.live_maxlen, approximate=True)
                for stream in renew:
                    pipe.expire(stream, self.ttl_seconds)
                await pipe.execute(raise_on_error=False)
        except RedisError as exc:
            # The frame is committed to the database: sockets fill the gap from there.
            log.warning("redis publish of seq %s for user %s failed: %s", seq, user_id, exc)

    def _expiries_due(self, *streams: str) -> list[str]:
        """Those of `streams` whose expiry this replica has not renewed lately (noted as
        renewed now)."""
        now = time.monotonic()
        due = [s for s in streams
               if now - self._renewed.get(s, now - RENEW_EXPIRY_SECONDS) >= RENEW_EXPIRY_SECONDS]
        for stream in due:
            self._renewed[stream] = now
        return due

    async def replay(self, user_id: int, since: int, last: int) -> list[tuple[int, str]] | None:
        """Frames `since < seq <= last` from the stream, or None unless all are there."""
        if last <= since:
            return []
        try:
            entries: Any = await self.redis.xrange(self.key(user_id), min=f"{since + 1}-0",
                                              max=f"{last}-0")
        except RedisError:
            return None
        frames = [(int(entry_id.split(b"-")[0]), fields[b"f"].decode())
                  for entry_id, fields in entries or ()]
        if [seq for seq, _ in frames] != list(range(since + 1, last + 1)):
            return None
        return frames

    async def ready(self) -> bool:
        try:
            return bool(await self.redis.ping()) and self._healthy
        except RedisError:
            return False

    # -- the reader ---------------------------------------------------------------
    async def _read_loop(self, position: str) -> None:
        while True:
            try:
                result: Any = await self.reader_redis.xread({self.live_key: position},
                                                       block=5000, count=READ_BATCH)
                self._healthy = True
            except (RedisError, OSError) as exc:
                self._healthy = False
                log.warning("redis read failed, retrying: %s", exc)
                await asyncio.sleep(0.5)
                continue
            for _key, entries in result or ():
                position = self._deliver(entries) or position

    def _deliver(self, entries: Any) -> str | None:
        """Hand the entries `(id, {b"u", b"s", b"f"})` to the sockets connected here;
        the id of the last one."""
        last = None
        for entry_id, fields in entries:
            last = entry_id
            try:
                user_id = int(fields[b"u"])
                if self.subscribers.count(user_id):
                    self.subscribers.offer(user_id, int(fields[b"s"]), fields[b"f"].decode())
            except (KeyError, ValueError, UnicodeDecodeError):
                log.warning("redis live stream: entry %r is not a frame; skipped", entry_id)
        return last.decode() if last is not None else None
