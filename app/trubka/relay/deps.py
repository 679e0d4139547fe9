"""The relay's parts, wired once in `app.build_relay`, and the request dependencies."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated

import httpx
from fastapi import Depends, Request, WebSocket

from trubka.core.errors import Unauthorized
from trubka.relay.config import RelayConfig
from trubka.relay.hub.base import Hub
from trubka.relay.metrics import Metrics
from trubka.relay.presence import Presence
from trubka.relay.ratelimit import FailureLimiter, Limiter
from trubka.relay.registry import ProviderRegistry
from trubka.relay.replay import MemoryReplayGuard, ReplayGuard
from trubka.relay.store import users
from trubka.relay.store.db import Store
from trubka.relay.writer import EventWriter

if TYPE_CHECKING:
    from trubka.relay.admin import Admin
    from trubka.relay.ingest import Ingest
    from trubka.relay.lookups import Lookups


@dataclass
class Relay:
    config: RelayConfig
    store: Store
    hub: Hub
    http: httpx.AsyncClient
    metrics: Metrics
    writer: EventWriter
    registry: ProviderRegistry
    lookups: Lookups
    ingest: Ingest
    admin: Admin
    presence: Presence = field(default_factory=Presence)
    limiter: Limiter = field(default_factory=FailureLimiter)
    replay: ReplayGuard = field(default_factory=MemoryReplayGuard)


def relay_of(request: Request | WebSocket) -> Relay:
    return request.app.state.relay  # type: ignore[no-any-return]


def bearer(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


@dataclass(frozen=True, slots=True)
class Credential:
    """Who a request comes from, and with which token (sockets close when it is revoked)."""

    user: users.User
    token_id: int | None = None


async def authenticate(relay: Relay, header: str | None) -> Credential | None:
    token = bearer(header)
    if token is None or len(token) > 200:
        return None
    async with relay.store.quick_read() as conn:
        owner = await users.token_owner(conn, token)
    return Credential(*owner) if owner else None


async def current_user(request: Request) -> users.User:
    credential = await authenticate(relay_of(request), request.headers.get("authorization"))
    if credential is None:
        raise Unauthorized()
    return credential.user


CurrentUser = Annotated[users.User, Depends(current_user)]
