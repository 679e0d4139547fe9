"""Throttling repeated authentication failures per client address (issue 10 item 11).

A sliding window per key: after `limit` failures within `window` seconds, further
attempts from that key get 429 with how long to wait, until the oldest failure ages
out. Successes are not counted and never delayed, so a working client is not slowed.
The limit and window are runtime settings (`auth-failure-limit`,
`auth-failure-window-seconds`), passed on each call so a change applies at once.

`FailureLimiter` keeps the counts in this process; with `--redis-url` the relay uses
`redis_guards.RedisFailureLimiter`, the same interface with the counts shared by every
replica (relay/gate.py is the one caller).
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol

from trubka.core.errors import RateLimited

MAX_KEYS = 100_000  # a flood of addresses cannot grow the table without bound


class Limiter(Protocol):
    async def check(self, key: str, limit: int, window: float) -> None:
        """Raise RateLimited when `key` has failed `limit` times within `window`
        seconds (a limit of 0 turns throttling off)."""

    async def failed(self, key: str, window: float) -> None:
        """Count one failure of `key`."""


def wait_for(oldest: float, window: float, now: float) -> RateLimited:
    """The refusal: seconds until the oldest failure in the window ages out."""
    return RateLimited(max(1, math.ceil(oldest + window - now)))


class FailureLimiter:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str, window: float) -> deque[float]:
        now = self.clock()
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and times[0] <= now - window:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    async def check(self, key: str, limit: int, window: float) -> None:
        if limit <= 0:
            return
        times = self._recent(key, window)
        if len(times) >= limit:
            raise wait_for(times[-limit], window, self.clock())

    async def failed(self, key: str, window: float) -> None:
        if len(self._failures) >= MAX_KEYS and key not in self._failures:
            self._failures.pop(next(iter(self._failures)))
        times = self._failures.setdefault(key, deque())
        times.append(self.clock())
        while len(times) > 1 and times[0] <= self.clock() - window:
            times.popleft()
