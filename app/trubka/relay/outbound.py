"""Asking the PBX to do something for an employee: place a call, do-not-disturb."""

from __future__ import annotations

import logging

from trubka.core.numbers import Number, display
from trubka.providers.base import DialResult, PbxUser, Provider
from trubka.relay.deps import Relay
from trubka.relay.store import users

log = logging.getLogger("trubka.relay")


async def pbx_user(relay: Relay, provider: Provider, user: users.User) -> PbxUser:
    """The employee as `provider` knows them (their login there, where it differs)."""
    async with relay.store.quick_read() as conn:
        return PbxUser(user.ext, await users.identity(conn, provider.name, user))


async def dial(relay: Relay, user: users.User, number: Number) -> tuple[str, DialResult]:
    """Click-to-call through the outbound provider: it rings the employee, then `number`."""
    provider = await relay.registry.outbound()
    log.info("dial: ext %s → %s via %s", user.ext, display(number.canonical), provider.name)
    try:
        result = await provider.make_call(await pbx_user(relay, provider, user), number)
    except Exception:
        relay.metrics.dials.labels(provider.name, "failed").inc()
        raise
    relay.metrics.dials.labels(provider.name, "ok").inc()
    return provider.name, result


async def get_dnd(relay: Relay, user: users.User) -> bool:
    provider = await relay.registry.outbound()
    return await provider.get_dnd(await pbx_user(relay, provider, user))


async def set_dnd(relay: Relay, user: users.User, on: bool) -> bool:
    provider = await relay.registry.outbound()
    return await provider.set_dnd(await pbx_user(relay, provider, user), on)
