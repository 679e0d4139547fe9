"""In-process fan-out: every connected socket of a user gets every frame of that user.

Each subscription has a bounded queue. Publishing never waits: a client whose queue is
full is cut off (its socket closes with 4408) and resumes with `since`, so one slow
client never holds up the others (the pattern of websockets' broadcast notes).
"""

from __future__ import annotations

from trubka.relay.hub.base import DEFAULT_QUEUE, SubscriberSet, Subscription


class MemoryHub:
    """The embedded default. Frames are not kept: replay comes from the database log."""

    def __init__(self, queue_size: int = DEFAULT_QUEUE) -> None:
        self.subscribers = SubscriberSet(queue_size)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        self.subscribers.kick_all()

    def subscribe(self, user_id: int, token_id: int | None = None) -> Subscription:
        return self.subscribers.add(user_id, token_id)

    async def publish(self, user_id: int, seq: int, frame: str) -> None:
        self.subscribers.offer(user_id, seq, frame)

    async def replay(self, user_id: int, since: int, last: int) -> list[tuple[int, str]] | None:
        return None

    async def ready(self) -> bool:
        return True
