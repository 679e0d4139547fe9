"""Browser sign-ins and the single-use tickets that open the events socket (SPEC §9.5).

A session is a random value in an HttpOnly cookie; only its SHA-256 is stored, with the
CSRF token the page must echo on every write and the device token the session was made
from (revoking that token ends the session). A ticket is a random value a page gets
over an authenticated request and presents once, within seconds, in the socket's URL
(browsers cannot set headers on a WebSocket). Using a ticket is one conditional
`UPDATE … RETURNING`, so two replicas can never both accept it.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from trubka.core.model import utcnow
from trubka.relay.store.schema import sessions, tickets, tokens, users
from trubka.relay.store.users import User, _user, hash_token, revoked_among

SESSION_LIFETIME = timedelta(days=14)
TICKET_LIFETIME = timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class Session:
    user: User
    key: str  # the hash of the cookie: names the session in tickets and socket lists
    csrf: str
    token_id: int | None
    expires_at: datetime


async def create(conn: AsyncConnection, user_id: int, token_id: int | None,
                 lifetime: timedelta = SESSION_LIFETIME) -> tuple[str, str]:
    """A new session: (cookie value, CSRF token)."""
    cookie, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = utcnow()
    await conn.execute(sessions.insert().values(
        token_hash=hash_token(cookie), user_id=user_id, csrf_token=csrf, created_at=now,
        expires_at=now + lifetime, token_id=token_id))
    return cookie, csrf


def _valid(now: datetime) -> list[sa.ColumnElement[bool]]:
    """A session is valid until it expires or is revoked, and while the token it was
    made from is valid."""
    token_ok = sa.or_(sessions.c.token_id.is_(None), sa.exists().where(
        tokens.c.id == sessions.c.token_id, tokens.c.revoked_at.is_(None)))
    return [sessions.c.revoked_at.is_(None), sessions.c.expires_at > now, token_ok]


async def lookup(conn: AsyncConnection, cookie: str) -> Session | None:
    """The valid session behind a cookie value, with its user."""
    row = (await conn.execute(
        sa.select(users, sessions.c.token_hash, sessions.c.csrf_token,
                  sessions.c.token_id.label("session_token"), sessions.c.expires_at)
        .join(sessions, sessions.c.user_id == users.c.id)
        .where(sessions.c.token_hash == hash_token(cookie), *_valid(utcnow())))).first()
    if row is None:
        return None
    return Session(_user(row), row.token_hash, row.csrf_token, row.session_token,
                   row.expires_at)


async def revoke(conn: AsyncConnection, key: str) -> bool:
    result = await conn.execute(sessions.update().where(
        sessions.c.token_hash == key, sessions.c.revoked_at.is_(None))
        .values(revoked_at=utcnow()))
    return bool(result.rowcount)


async def revoke_user(conn: AsyncConnection, user_id: int) -> int:
    result = await conn.execute(sessions.update().where(
        sessions.c.user_id == user_id, sessions.c.revoked_at.is_(None))
        .values(revoked_at=utcnow()))
    return result.rowcount or 0


async def ended_among(conn: AsyncConnection, keys: Sequence[str]) -> set[str]:
    """Which of these sessions are no longer valid (signed out, expired, revoked)."""
    if not keys:
        return set()
    valid = set((await conn.execute(sa.select(sessions.c.token_hash).where(
        sessions.c.token_hash.in_(keys), *_valid(utcnow())))).scalars())
    return set(keys) - valid


# -- tickets ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Ticket:
    user: User
    session: str | None  # the session it was issued to (its sockets end with it)
    token_id: int | None


async def issue_ticket(conn: AsyncConnection, user_id: int, session: str | None,
                       token_id: int | None, lifetime: timedelta = TICKET_LIFETIME) -> str:
    ticket = secrets.token_urlsafe(32)
    await conn.execute(tickets.insert().values(
        ticket_hash=hash_token(ticket), user_id=user_id, session_hash=session,
        token_id=token_id, expires_at=utcnow() + lifetime))
    return ticket


async def use_ticket(conn: AsyncConnection, ticket: str) -> Ticket | None:
    """Spend a ticket: its owner the first time, within its lifetime; None ever after."""
    now = utcnow()
    row = (await conn.execute(
        tickets.update().where(tickets.c.ticket_hash == hash_token(ticket),
                               tickets.c.used_at.is_(None), tickets.c.expires_at > now)
        .values(used_at=now).returning(tickets.c.user_id, tickets.c.session_hash,
                                       tickets.c.token_id))).first()
    if row is None:
        return None
    if row.session_hash is not None and await ended_among(conn, [row.session_hash]):
        return None
    if row.token_id is not None and await revoked_among(conn, [row.token_id]):
        return None
    found = (await conn.execute(sa.select(users).where(users.c.id == row.user_id))).first()
    return Ticket(_user(found), row.session_hash, row.token_id) if found else None


async def purge(conn: AsyncConnection) -> int:
    """Forget used or expired tickets and sessions that ended (maintenance)."""
    now = utcnow()
    gone = await conn.execute(tickets.delete().where(
        sa.or_(tickets.c.expires_at <= now, tickets.c.used_at.is_not(None))))
    old = await conn.execute(sessions.delete().where(
        sa.or_(sessions.c.expires_at <= now,
               sessions.c.revoked_at < now - timedelta(days=1))))
    return (gone.rowcount or 0) + (old.rowcount or 0)
