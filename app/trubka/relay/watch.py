"""Noticing what other processes changed: configuration, revoked tokens, frames.

The CLI, another replica or the console may change the database while this relay runs.
Every such change bumps the configuration version (store/settings.py, `changed`); this
task notices it — within `interval` on SQLite, at once on PostgreSQL through LISTEN —
and then: reloads the provider registry, closes the sockets of revoked tokens (4401),
and hands sockets the frames another process appended to their users' logs (a
`contacts import` run from the shell while desktops are connected).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from trubka.relay.deps import Relay
from trubka.relay.store import settings, users

log = logging.getLogger("trubka.relay.watch")

POLL_SQLITE = 0.5
POLL_POSTGRES = 5.0  # a fallback: NOTIFY wakes the task at once


async def watch(relay: Relay) -> None:
    changed = asyncio.Event()
    async with _listening(relay, changed):
        poll = POLL_SQLITE if relay.store.is_sqlite else POLL_POSTGRES
        seen = await _version(relay)
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), poll)
            changed.clear()
            try:
                version = await _version(relay)
                if version != seen:
                    seen = version
                    await on_change(relay)
            except Exception:
                log.exception("watching for changes failed")
                relay.metrics.failures.labels("watch").inc()


async def _version(relay: Relay) -> str:
    if relay.store.is_sqlite:  # no thread hop twice a second on an idle relay
        return str(relay.store.peek(settings.VERSION_SQL, settings.VERSION_KEY) or "")
    async with relay.store.read() as conn:
        return await settings.version(conn)


async def on_change(relay: Relay) -> None:
    relay.registry.invalidate()
    await relay.registry.reload()
    await close_revoked(relay)
    await relay.browsers.close_ended(relay.store)
    await deliver_from_log(relay)


async def close_revoked(relay: Relay) -> int:
    subs = [s for s in relay.hub.subscribers if s.token_id is not None]
    if not subs:
        return 0
    async with relay.store.read() as conn:
        revoked = await users.revoked_among(conn, sorted({s.token_id for s in subs
                                                          if s.token_id is not None}))
    closing = [s for s in subs if s.token_id in revoked]
    for sub in closing:
        sub.kick(revoked=True)
    if closing:
        log.info("closed %d socket(s) of revoked tokens", len(closing))
    return len(closing)


async def deliver_from_log(relay: Relay) -> None:
    """Offer each connected user's sockets the logged frames they have not sent yet."""
    for user_id in relay.hub.subscribers.users():
        subs = relay.hub.subscribers.of(user_id)
        positions = [s.gate.position for s in subs if s.gate.position is not None]
        if not positions:
            continue  # still replaying: the replay reads the log itself
        after = min(positions)
        async with relay.store.read() as conn:
            frames = await users.events_after(conn, user_id, after, 1000)
        for seq, text in frames:
            relay.hub.subscribers.offer(user_id, seq, text)


@contextlib.asynccontextmanager
async def _listening(relay: Relay, changed: asyncio.Event) -> AsyncIterator[None]:
    """PostgreSQL: LISTEN on the configuration channel for as long as the task runs."""
    if relay.store.is_sqlite:
        yield
        return

    def notified(*_args: Any) -> None:
        relay.registry.invalidate()
        changed.set()

    async with relay.store.engine.connect() as conn:
        raw = await conn.get_raw_connection()
        driver: Any = raw.driver_connection  # asyncpg's Connection
        await driver.add_listener(settings.CHANNEL, notified)
        try:
            yield
        finally:
            with contextlib.suppress(Exception):
                await driver.remove_listener(settings.CHANNEL, notified)
