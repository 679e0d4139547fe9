"""Fan-out across relay replicas on Redis Streams (issue: scale-out).

Every user has a stream `<prefix>:u:<user id>` whose entry ids are the frames' seqs
(`<seq>-0`), so any replica can both deliver a user's frames live and replay them from a
`since`. Seqs come from the database (`users.last_seq`, bumped under a row lock inside
the writing transaction), so they are strictly increasing per user whichever replica
wrote the frame; a replica that publishes an older seq after a newer one finds its
`XADD` refused and drops it — the frame is in the database, and the socket route fills
any gap from there (routes/events.py). No replica holds state another one needs.

Streams are trimmed to `maxlen` entries and expire after the event-log retention.
One reader task per replica blocks in `XREAD` on the streams of the users connected to
it, plus a wake-up stream of its own that it is poked on when that set changes.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

import redis.asyncio as redis
from redis.exceptions import RedisError

from trubka.core.sequence import SeqGate
from trubka.relay.hub.base import DEFAULT_QUEUE, SubscriberSet, Subscription

log = logging.getLogger("trubka.relay.hub")


class RedisHub:
    def __init__(self, url: str, prefix: str = "trubka", queue_size: int = DEFAULT_QUEUE,
                 maxlen: int = 10_000, ttl_seconds: int = 72 * 3600) -> None:
        self.redis = redis.Redis.from_url(url, socket_keepalive=True,
                                          health_check_interval=30)
        self.reader_redis = redis.Redis.from_url(url, socket_keepalive=True)
        self.prefix = prefix
        self.maxlen = maxlen
        self.ttl_seconds = ttl_seconds
        self._positions: dict[int, SeqGate] = {}  # per connected user: the stream read so far
        self.subscribers = SubscriberSet(queue_size, on_user_gone=self._forget)
        self._wake_key = f"{prefix}:wake:{uuid.uuid4().hex}"
        self._wake_id = "0-0"
        self._reader: asyncio.Task[None] | None = None
        self._healthy = False

    def key(self, user_id: int) -> str:
        return f"{self.prefix}:u:{user_id}"

    async def start(self) -> None:
        await self.redis.ping()
        self._healthy = True
        self._reader = asyncio.create_task(self._read_loop(), name="redis-hub-reader")

    async def stop(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)
        self.subscribers.kick_all()
        try:
            await self.redis.delete(self._wake_key)
        except RedisError:
            pass
        await self.redis.aclose()
        await self.reader_redis.aclose()

    # -- the interface the relay uses (hub.base.Hub) ---------------------------------
    def subscribe(self, user_id: int, token_id: int | None = None) -> Subscription:
        return self.subscribers.add(user_id, token_id)

    def _forget(self, user_id: int) -> None:
        """No socket of `user_id` left here: stop reading their stream."""
        self._positions.pop(user_id, None)

    def start_after(self, user_id: int, seq: int) -> None:
        """Read `user_id`'s stream from after `seq` (the position its hello reported)."""
        gate = self._positions.get(user_id)
        if gate is None or gate.position is None or gate.position > seq:
            self._positions[user_id] = SeqGate(seq)
            asyncio.get_running_loop().create_task(self._wake())

    async def publish(self, user_id: int, seq: int, frame: str) -> None:
        key = self.key(user_id)
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.xadd(key, {"f": frame}, id=f"{seq}-0", maxlen=self.maxlen,
                          approximate=True)
                pipe.expire(key, self.ttl_seconds)
                await pipe.execute(raise_on_error=False)
        except RedisError as exc:
            # The frame is committed to the database: sockets fill the gap from there.
            log.warning("redis publish of seq %s for user %s failed: %s", seq, user_id, exc)

    async def replay(self, user_id: int, since: int, last: int) -> list[tuple[int, str]] | None:
        """Frames `since < seq <= last` from the stream, or None unless all are there."""
        if last <= since:
            return []
        try:
            entries = await self.redis.xrange(self.key(user_id), min=f"{since + 1}-0",
                                              max=f"{last}-0")
        except RedisError:
            return None
        frames = _frames(entries)
        if [seq for seq, _ in frames] != list(range(since + 1, last + 1)):
            return None
        return frames

    async def ready(self) -> bool:
        try:
            return bool(await self.redis.ping()) and self._healthy
        except RedisError:
            return False

    # -- the reader ---------------------------------------------------------------
    async def _wake(self) -> None:
        try:
            await self.redis.xadd(self._wake_key, {"w": "1"}, maxlen=10, approximate=True)
            await self.redis.expire(self._wake_key, 3600)
        except RedisError as exc:
            log.warning("redis wake-up failed: %s", exc)

    async def _read_loop(self) -> None:
        while True:
            streams: dict[Any, Any] = {self._wake_key: self._wake_id}
            streams.update({self.key(u): f"{gate.position or 0}-0"
                            for u, gate in self._positions.items()})
            try:
                result = await self.reader_redis.xread(streams, block=5000, count=1000)
                self._healthy = True
            except (RedisError, OSError) as exc:
                self._healthy = False
                log.warning("redis read failed, retrying: %s", exc)
                await asyncio.sleep(0.5)
                continue
            streams_read: Any = result or ()
            for raw_key, entries in streams_read:
                key = raw_key.decode() if isinstance(raw_key, bytes) else str(raw_key)
                if key == self._wake_key:
                    self._wake_id = entries[-1][0].decode()
                    continue
                user_id = int(key.rsplit(":", 1)[1])
                gate = self._positions.get(user_id)
                for seq, frame in _frames(entries):
                    if gate is not None:
                        gate.advance_to(seq)
                    self.subscribers.offer(user_id, seq, frame)


def _frames(entries: Any) -> list[tuple[int, str]]:
    """Stream entries `(b"<seq>-0", {b"f": frame})` as `(seq, frame text)`."""
    return [(int(entry_id.split(b"-")[0]), fields[b"f"].decode())
            for entry_id, fields in entries or ()]

