"""Users, their access tokens, and each user's durable event log.

Tokens are random 256-bit strings shown once; only their SHA-256 is stored. The event
log gives every frame a per-user `seq` from `users.last_seq`, bumped with
`UPDATE … RETURNING` inside the writing transaction, so seqs stay strictly increasing
however many writers there are.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from trubka.core.model import utcnow
from trubka.relay.store.schema import events, tokens, users

TOKEN_PREFIX = "trk_"


@dataclass(frozen=True, slots=True)
class User:
    id: int
    name: str
    ext: str
    pbx_user: str = ""


def _user(row: sa.Row) -> User:  # type: ignore[type-arg]
    return User(row.id, row.name, row.ext, row.pbx_user or "")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


async def add_user(conn: AsyncConnection, name: str, ext: str, pbx_user: str = "") -> User:
    result = await conn.execute(
        users.insert().values(name=name, ext=ext, pbx_user=pbx_user or None,
                              created_at=utcnow()).returning(users)
    )
    return _user(result.one())


async def issue_token(conn: AsyncConnection, user_id: int) -> str:
    token = new_token()
    await conn.execute(tokens.insert().values(user_id=user_id, token_hash=hash_token(token),
                                              created_at=utcnow()))
    return token


async def revoke_tokens(conn: AsyncConnection, user_id: int) -> int:
    result = await conn.execute(
        tokens.update().where(tokens.c.user_id == user_id, tokens.c.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return result.rowcount or 0


async def user_by_token(conn: AsyncConnection, token: str) -> User | None:
    row = (await conn.execute(
        sa.select(users).join(tokens, tokens.c.user_id == users.c.id)
        .where(tokens.c.token_hash == hash_token(token), tokens.c.revoked_at.is_(None))
    )).first()
    return _user(row) if row else None


async def user_by_ext(conn: AsyncConnection, ext: str) -> User | None:
    row = (await conn.execute(sa.select(users).where(users.c.ext == ext))).first()
    return _user(row) if row else None


async def set_pbx_user(conn: AsyncConnection, user_id: int, pbx_user: str) -> None:
    await conn.execute(users.update().where(users.c.id == user_id)
                       .values(pbx_user=pbx_user or None))


async def link_account(conn: AsyncConnection, ext: str, login: str) -> User | None:
    """Record a PBX login on the user with extension `ext` (accounts sync); the user, or
    None when no user has that extension."""
    user = await user_by_ext(conn, ext) if ext else None
    if user is None or not login:
        return None
    if user.pbx_user != login:
        await set_pbx_user(conn, user.id, login)
    return user


async def list_users(conn: AsyncConnection) -> list[tuple[User, int]]:
    """Every user with the number of tokens still valid."""
    active = (sa.select(sa.func.count()).where(tokens.c.user_id == users.c.id,
                                               tokens.c.revoked_at.is_(None))
              .scalar_subquery())
    rows = (await conn.execute(sa.select(users, active.label("active"))
                               .order_by(users.c.ext))).all()
    return [(_user(row), row.active) for row in rows]


async def all_user_ids(conn: AsyncConnection) -> list[int]:
    return list((await conn.execute(sa.select(users.c.id))).scalars())


async def resolve(conn: AsyncConnection, ext: str | None, login: str | None) -> User | None:
    """The relay user a PBX names by extension and/or login (`users add --pbx-user`)."""
    for column, value in ((users.c.ext, ext), (users.c.pbx_user, login), (users.c.ext, login)):
        if value:
            row = (await conn.execute(sa.select(users).where(column == value))).first()
            if row:
                return _user(row)
    return None


# -- the per-user event log ---------------------------------------------------------

async def next_seq(conn: AsyncConnection, user_id: int) -> int:
    result = await conn.execute(
        users.update().where(users.c.id == user_id)
        .values(last_seq=users.c.last_seq + 1).returning(users.c.last_seq)
    )
    return int(result.scalar_one())


async def append_event(conn: AsyncConnection, user_id: int, seq: int, frame: str) -> None:
    await conn.execute(events.insert().values(user_id=user_id, seq=seq, frame=frame,
                                              created_at=utcnow()))


@dataclass(frozen=True, slots=True)
class LogPosition:
    last_seq: int
    trimmed_seq: int


async def log_position(conn: AsyncConnection, user_id: int) -> LogPosition:
    row = (await conn.execute(sa.select(users.c.last_seq, users.c.trimmed_seq)
                              .where(users.c.id == user_id))).one()
    return LogPosition(int(row.last_seq), int(row.trimmed_seq))


async def events_after(
    conn: AsyncConnection, user_id: int, since: int, limit: int = 10_000
) -> list[tuple[int, str]]:
    rows = (await conn.execute(
        sa.select(events.c.seq, events.c.frame)
        .where(events.c.user_id == user_id, events.c.seq > since)
        .order_by(events.c.seq).limit(limit)
    )).all()
    return [(int(r.seq), r.frame) for r in rows]


async def trim_events(conn: AsyncConnection, older_than: datetime) -> int:
    """Drop log entries older than the retention, remembering per user what went."""
    trimmed = (sa.select(sa.func.max(events.c.seq))
               .where(events.c.user_id == users.c.id, events.c.created_at < older_than)
               .scalar_subquery())
    # Entries at or below the old trimmed_seq are gone already, so the newest expired
    # seq is always above it.
    await conn.execute(
        users.update().values(trimmed_seq=trimmed)
        .where(sa.exists().where(events.c.user_id == users.c.id,
                                 events.c.created_at < older_than))
    )
    result = await conn.execute(events.delete().where(events.c.created_at < older_than))
    return result.rowcount or 0


def retention_cutoff(hours: float) -> datetime:
    return utcnow() - timedelta(hours=hours)
