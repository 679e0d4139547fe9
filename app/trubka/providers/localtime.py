"""Judging how old a PBX's local, zone-less timestamp is (Zadarma's `call_start`,
`YYYY-MM-DD HH:MM:SS` in the account's time zone, providers.md §1.1).

With the zone known, the text is read in it (both readings of an hour that repeats
when clocks go back are tried). Without it the instant is only known to within the
world's UTC offsets (UTC−12 … UTC+14), and every judgement allows for all of them: a
wrong guess must never refuse a live call, at the price of a wider window.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

log = logging.getLogger("trubka.providers")

EAST, WEST = 14 * 3600, 12 * 3600  # the furthest offsets from UTC, in seconds
SKEW = 300  # seconds a PBX's clock may run ahead of the relay's
FOLD = 3600  # an ambiguous local hour


def zone(name: str) -> tzinfo | None:
    """The zone called `name`; None (unknown) for "" or a name this system lacks."""
    if not name.strip():
        return None
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("unknown time zone %r: judging PBX times in any zone", name[:60])
        return None


def instants(text: str, where: tzinfo | None) -> tuple[float, float] | None:
    """The earliest and latest instant (unix seconds) `text` can mean; None when it is
    not a `YYYY-MM-DD HH:MM:SS` time."""
    try:
        naive = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    if where is None:
        as_utc = naive.replace(tzinfo=UTC).timestamp()
        return as_utc - EAST, as_utc + WEST
    readings = [naive.replace(tzinfo=where, fold=fold).timestamp() for fold in (0, 1)]
    return min(readings), max(readings)


def fresh(text: str, where: tzinfo | None, now: float, max_age: float) -> bool:
    """Whether the moment `text` names may lie within `max_age` seconds before `now`
    (or at most SKEW after it)."""
    span = instants(text, where)
    return span is not None and span[0] <= now + SKEW and span[1] >= now - max_age


def remember_for(max_age: float, where: tzinfo | None) -> float:
    """How long a signature over such a time can be accepted after it is first seen:
    what a replay guard must remember it for."""
    return max_age + SKEW + (EAST + WEST if where is None else FOLD)
