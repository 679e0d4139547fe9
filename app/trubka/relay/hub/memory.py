"""In-process fan-out: every connected socket of a user gets every frame of that user.

Each subscription has a bounded queue. Publishing never waits: a client whose queue is
full is cut off (its socket closes with 4408) and resumes with `since`, so one slow
client never holds up the others (the pattern of websockets' broadcast notes).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any

DEFAULT_QUEUE = 1024


class Subscription:
    """One socket's feed of `(seq, frame_text)`; `None` from `get` means "fell behind"."""

    def __init__(self, hub: Any, user_id: int, maxsize: int) -> None:
        self.hub = hub
        self.user_id = user_id
        self.queue: asyncio.Queue[tuple[int, str] | None] = asyncio.Queue(maxsize)
        self.lagging = False

    def offer(self, seq: int, frame: str) -> None:
        if self.lagging:
            return
        try:
            self.queue.put_nowait((seq, frame))
        except asyncio.QueueFull:
            self.kick()

    def kick(self) -> None:
        """End this feed: the socket closes and the client resumes with `since`."""
        self.lagging = True
        while not self.queue.empty():
            self.queue.get_nowait()
        self.queue.put_nowait(None)

    async def get(self) -> tuple[int, str] | None:
        return await self.queue.get()

    def close(self) -> None:
        self.hub.unsubscribe(self)


class MemoryHub:
    """The embedded default; `redis.py` has the same interface across replicas."""

    def __init__(self, queue_size: int = DEFAULT_QUEUE) -> None:
        self.queue_size = queue_size
        self._subs: dict[int, set[Subscription]] = defaultdict(set)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        for subs in list(self._subs.values()):
            for sub in list(subs):
                sub.kick()
        self._subs.clear()

    def subscribe(self, user_id: int) -> Subscription:
        sub = Subscription(self, user_id, self.queue_size)
        self._subs[user_id].add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        subs = self._subs.get(sub.user_id)
        if subs is not None:
            subs.discard(sub)
            if not subs:
                del self._subs[sub.user_id]

    def start_after(self, user_id: int, seq: int) -> None:
        """Every frame published from now on is delivered; nothing to position."""

    async def publish(self, user_id: int, seq: int, frame: str) -> None:
        for sub in list(self._subs.get(user_id, ())):
            sub.offer(seq, frame)

    async def replay(self, user_id: int, since: int, last: int) -> list[tuple[int, str]] | None:
        """In-process frames are not kept: replay comes from the database log."""
        return None

    @property
    def connected(self) -> int:
        return sum(len(s) for s in self._subs.values())

    async def ready(self) -> bool:
        return True
