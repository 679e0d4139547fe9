"""What every hub does, and the bookkeeping they share.

A hub hands each committed frame to the sockets of its user (`publish`) and, where it
keeps frames itself, replays them (`replay`). The embedded `MemoryHub` delivers within
the process; `RedisHub` across replicas. `open_hub(url)` picks one by the URL's scheme
and imports the Redis client only when a Redis URL is given, so the default install
never needs it (broadcaster's backend-by-URL pattern).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterator
from typing import Protocol

from trubka.core.sequence import SeqGate
from trubka.relay.config import MissingExtra

DEFAULT_QUEUE = 1024


class Subscription:
    """One socket's feed of `(seq, frame_text)`; `None` from `get` means "stop": the
    client fell behind (reconnect with since) or its token was revoked (`revoked`)."""

    def __init__(self, owner: SubscriberSet, user_id: int, maxsize: int,
                 token_id: int | None = None) -> None:
        self.owner = owner
        self.user_id = user_id
        self.token_id = token_id
        self.gate = SeqGate()  # what its socket has sent (routes/events.py moves it)
        self.queue: asyncio.Queue[tuple[int, str] | None] = asyncio.Queue(maxsize)
        self.lagging = False
        self.revoked = False

    def offer(self, seq: int, frame: str) -> None:
        if self.lagging:
            return
        try:
            self.queue.put_nowait((seq, frame))
        except asyncio.QueueFull:
            self.kick()

    def kick(self, revoked: bool = False) -> None:
        """End this feed: the socket closes and the client resumes with `since` (or, when
        `revoked`, is told its token is no longer valid)."""
        self.revoked = self.revoked or revoked
        self.lagging = True
        while not self.queue.empty():
            self.queue.get_nowait()
        self.queue.put_nowait(None)

    async def get(self) -> tuple[int, str] | None:
        return await self.queue.get()

    def close(self) -> None:
        self.owner.discard(self)


class SubscriberSet:
    """The sockets subscribed in this process, by user."""

    def __init__(self, queue_size: int = DEFAULT_QUEUE) -> None:
        self.queue_size = queue_size
        self._by_user: dict[int, set[Subscription]] = defaultdict(set)

    def add(self, user_id: int, token_id: int | None = None) -> Subscription:
        sub = Subscription(self, user_id, self.queue_size, token_id)
        self._by_user[user_id].add(sub)
        return sub

    def discard(self, sub: Subscription) -> None:
        subs = self._by_user.get(sub.user_id)
        if subs is None:
            return
        subs.discard(sub)
        if not subs:
            del self._by_user[sub.user_id]

    def offer(self, user_id: int, seq: int, frame: str) -> None:
        for sub in list(self._by_user.get(user_id, ())):
            sub.offer(seq, frame)

    def __iter__(self) -> Iterator[Subscription]:
        for subs in list(self._by_user.values()):
            yield from list(subs)

    def kick_all(self) -> None:
        for sub in self:
            sub.kick()
        self._by_user.clear()

    def users(self) -> set[int]:
        return set(self._by_user)

    def of(self, user_id: int) -> list[Subscription]:
        return list(self._by_user.get(user_id, ()))

    def count(self, user_id: int | None = None) -> int:
        if user_id is not None:
            return len(self._by_user.get(user_id, ()))
        return sum(len(s) for s in self._by_user.values())


class Hub(Protocol):
    """The fan-out the relay uses; see memory.py and redis.py."""

    subscribers: SubscriberSet

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    def subscribe(self, user_id: int, token_id: int | None = None) -> Subscription: ...

    async def publish(self, user_id: int, seq: int, frame: str) -> None: ...

    async def replay(self, user_id: int, since: int, last: int) -> list[tuple[int, str]] | None:
        """Frames `since < seq <= last` if the hub has them all, else None (the
        database log has them)."""

    async def ready(self) -> bool: ...


def open_hub(url: str | None, *, prefix: str = "trubka", queue_size: int = DEFAULT_QUEUE,
             ttl_seconds: int = 72 * 3600) -> Hub:
    """The hub for `url`: none → in-process; `redis://`, `rediss://`, `unix://` → Redis."""
    if not url:
        from trubka.relay.hub.memory import MemoryHub

        return MemoryHub(queue_size)
    scheme = url.split("://", 1)[0].lower()
    if scheme not in ("redis", "rediss", "unix"):
        raise ValueError(f"not a Redis URL: {scheme}://…")
    try:
        from trubka.relay.hub.redis import RedisHub
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] == "redis":
            raise MissingExtra("--redis-url", "redis", "scale") from None
        raise
    return RedisHub(url, prefix=prefix, queue_size=queue_size, ttl_seconds=ttl_seconds)
