"""The relay's parts, wired once in `app.create_app`, and the request dependencies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import httpx
from fastapi import Depends, HTTPException, Request, WebSocket

from trubka.relay.config import RelayConfig
from trubka.relay.metrics import Metrics
from trubka.relay.service import CallService
from trubka.relay.store import users
from trubka.relay.store.db import Store


@dataclass
class Relay:
    config: RelayConfig
    store: Store
    hub: Any
    http: httpx.AsyncClient
    metrics: Metrics
    service: CallService


def relay_of(request: Request | WebSocket) -> Relay:
    return request.app.state.relay  # type: ignore[no-any-return]


def bearer(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def authenticate(relay: Relay, header: str | None) -> users.User | None:
    token = bearer(header)
    if token is None or len(token) > 200:
        return None
    async with relay.store.quick_read() as conn:
        return await users.user_by_token(conn, token)


async def current_user(request: Request) -> users.User:
    user = await authenticate(relay_of(request), request.headers.get("authorization"))
    if user is None:
        raise HTTPException(401, "Invalid or revoked token",
                            headers={"WWW-Authenticate": "Bearer"})
    return user


CurrentUser = Annotated[users.User, Depends(current_user)]
