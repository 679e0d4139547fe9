"""Binding what a webhook's signature does not cover (issue 10 item 9).

A provider whose signature leaves fields out (Zadarma signs three of an event's fields)
returns `Binding`s with a parsed webhook: a key derived from the signature and the
value of what the signature does not cover. The first request with a key fixes its
value for `ttl` seconds; a later request whose value differs is the signature replayed
with other fields and is refused like a wrong signature. An exact retry has the same
value and passes (its events are idempotent anyway).

`MemoryReplayGuard` remembers in this process (bounded: the oldest keys are forgotten
first past MAX_KEYS); with `--redis-url` the relay uses `redis_guards.RedisReplayGuard`,
so a signature seen by one replica binds on all.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Protocol

from trubka.providers.base import Binding

MAX_KEYS = 200_000


class ReplayGuard(Protocol):
    async def bind(self, key: str, value: str, ttl: float) -> bool:
        """True when `key` is new or already bound to `value`; False when it is bound
        to another value (a replay). A new key is bound for `ttl` seconds."""


async def all_bound(guard: ReplayGuard, bindings: Iterable[Binding]) -> bool:
    for binding in bindings:
        if not await guard.bind(binding.key, binding.value, binding.ttl):
            return False
    return True


class MemoryReplayGuard:
    def __init__(self, max_keys: int = MAX_KEYS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_keys = max_keys
        self.clock = clock
        self._seen: OrderedDict[str, tuple[str, float]] = OrderedDict()

    async def bind(self, key: str, value: str, ttl: float) -> bool:
        now = self.clock()
        self._expire(now)
        found = self._seen.get(key)
        if found is not None and found[1] > now:
            return found[0] == value
        self._seen[key] = (value, now + ttl)
        self._seen.move_to_end(key)
        while len(self._seen) > self.max_keys:
            self._seen.popitem(last=False)
        return True

    def _expire(self, now: float) -> None:
        """Drop expired keys from the oldest end (amortised: each key once)."""
        while self._seen:
            key, (_, expires) = next(iter(self._seen.items()))
            if expires > now:
                return
            del self._seen[key]
