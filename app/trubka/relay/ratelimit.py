"""Throttling repeated failures (wrong tokens, wrong enrolment codes) per client address.

A sliding window per key: after `limit` failures within `window` seconds, further
attempts from that key get 429 with how long to wait, until the oldest failure ages
out. Successes are not counted, so a working client is never slowed down.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

from trubka.core.errors import RateLimited

MAX_KEYS = 100_000  # a flood of addresses cannot grow the table without bound


class FailureLimiter:
    def __init__(self, limit: int = 10, window: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str) -> deque[float]:
        now = self.clock()
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def check(self, key: str) -> None:
        """Raise RateLimited when `key` has failed `limit` times within the window."""
        times = self._recent(key)
        if len(times) >= self.limit:
            wait = times[0] + self.window - self.clock()
            raise RateLimited(max(1, math.ceil(wait)))

    def failed(self, key: str) -> None:
        if len(self._failures) >= MAX_KEYS and key not in self._failures:
            self._failures.pop(next(iter(self._failures)))
        self._failures.setdefault(key, deque()).append(self.clock())
