"""The relay's parts, wired once in `app.build_relay`, and the request dependencies.

`identify` is the one place a request becomes a `Credential`: a bearer token (the
desktop), else a browser's session cookie, else — on the events socket only — a
single-use ticket. Cookie-authenticated writes must carry the session's CSRF token.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated

import httpx
from fastapi import Depends, Request, WebSocket
from starlette.requests import HTTPConnection

from trubka.core.errors import CsrfFailed, Forbidden, Unauthorized
from trubka.relay.browser import BrowserSockets
from trubka.relay.config import RelayConfig
from trubka.relay.hookstatus import WebhookStatus
from trubka.relay.hub.base import Hub
from trubka.relay.metrics import Metrics
from trubka.relay.presence import Presence
from trubka.relay.ratelimit import FailureLimiter, Limiter
from trubka.relay.registry import ProviderRegistry
from trubka.relay.replay import MemoryReplayGuard, ReplayGuard
from trubka.relay.store import sessions, users
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
    webhook_status: WebhookStatus = field(default_factory=WebhookStatus)
    browsers: BrowserSockets = field(default_factory=BrowserSockets)


def relay_of(request: Request | WebSocket) -> Relay:
    return request.app.state.relay  # type: ignore[no-any-return]


def bearer(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


SESSION_COOKIE = "trubka_session"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True, slots=True)
class Credential:
    """Who a request comes from, and with which token (sockets close when it is revoked);
    for a browser, its session (`session_key`) and that session's CSRF token."""

    user: users.User
    token_id: int | None = None
    session_key: str | None = None
    csrf: str | None = None


async def authenticate(relay: Relay, header: str | None) -> Credential | None:
    token = bearer(header)
    if token is None or len(token) > 200:
        return None
    async with relay.store.quick_read() as conn:
        owner = await users.token_owner(conn, token)
    return Credential(*owner) if owner else None


async def identify(relay: Relay, conn: HTTPConnection,
                   socket: bool = False) -> Credential | None:
    """A bearer header; else, for a socket, a `?ticket=` (spent here, once), for any
    other request the session cookie. Sockets never take the cookie itself: a ticket
    proves the page could read the relay's replies, which a foreign page cannot."""
    header = conn.headers.get("authorization")
    if header:
        return await authenticate(relay, header)
    if not socket:
        cookie = conn.cookies.get(SESSION_COOKIE)
        if not cookie or len(cookie) > 100:
            return None
        async with relay.store.read() as db:
            session = await sessions.lookup(db, cookie)
        if session is None:
            return None
        return Credential(session.user, session.token_id, session.key, session.csrf)
    value = conn.query_params.get("ticket")
    if value and len(value) <= 100:
        async with relay.store.write() as db:
            used = await sessions.use_ticket(db, value)
        if used is not None:
            return Credential(used.user, used.token_id, used.session)
    return None


def presented_credentials(conn: HTTPConnection) -> bool:
    """Whether a request carried any credential `identify` reads (a bearer, the session
    cookie, a ticket), right or wrong: the gate counts only those refusals as guesses."""
    return ("authorization" in conn.headers or SESSION_COOKIE in conn.cookies
            or "ticket" in conn.query_params)


async def credential(request: Request) -> Credential:
    found = await identify(relay_of(request), request)
    if found is None:
        raise Unauthorized()
    if found.csrf is not None and request.method in UNSAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not secrets.compare_digest(sent.encode(), found.csrf.encode()):
            raise CsrfFailed()
    return found


async def current_user(request: Request) -> users.User:
    return (await credential(request)).user


async def current_admin(request: Request) -> users.User:
    user = await current_user(request)
    if not user.is_admin:
        raise Forbidden("This needs an administrator (trubka-relay users set-role)")
    return user


CurrentCredential = Annotated[Credential, Depends(credential)]
CurrentUser = Annotated[users.User, Depends(current_user)]
CurrentAdmin = Annotated[users.User, Depends(current_admin)]
