"""Users, their access tokens, and each user's durable event log.

Tokens are random 256-bit strings shown once; only their SHA-256 is stored. The event
log gives every frame a per-user `seq` from `users.last_seq`, bumped with
`UPDATE … RETURNING` inside the writing transaction, so seqs stay strictly increasing
however many writers there are.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from trubka.core.model import utcnow
from trubka.relay.store import raw, settings
from trubka.relay.store.schema import events, pbx_identities, tokens, users

TOKEN_PREFIX = "trk_"


ROLES = ("user", "admin")


@dataclass(frozen=True, slots=True)
class User:
    id: int
    name: str
    ext: str
    pbx_user: str = ""
    email: str = ""
    role: str = "user"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _user(row: sa.Row) -> User:  # type: ignore[type-arg]
    return User(row.id, row.name, row.ext, row.pbx_user or "", row.email or "",
                row.role or "user")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


async def add_user(conn: AsyncConnection, name: str, ext: str, pbx_user: str = "",
                   email: str = "", role: str = "user") -> User:
    result = await conn.execute(
        users.insert().values(name=name, ext=ext, pbx_user=pbx_user or None,
                              email=email or None, role=role, created_at=utcnow())
        .returning(users)
    )
    return _user(result.one())


async def update_user(conn: AsyncConnection, user_id: int, **values: str) -> User:
    """Change name, pbx_user, email or role; empty strings clear the optional ones. The
    extension never changes. Marks the configuration changed: relays keep employees by
    extension per configuration version (relay/registry.py), and sessions and sockets
    re-check their rights."""
    columns = {k: (v or None) if k in ("pbx_user", "email") else v for k, v in values.items()}
    result = await conn.execute(users.update().where(users.c.id == user_id)
                                .values(**columns).returning(users))
    await settings.changed(conn)
    return _user(result.one())


async def issue_token(conn: AsyncConnection, user_id: int) -> str:
    return (await issue_token_with_id(conn, user_id))[0]


async def issue_token_with_id(conn: AsyncConnection, user_id: int) -> tuple[str, int]:
    token = new_token()
    result = await conn.execute(tokens.insert().values(
        user_id=user_id, token_hash=hash_token(token), created_at=utcnow())
        .returning(tokens.c.id))
    return token, int(result.scalar_one())


async def user_by_id(conn: AsyncConnection, user_id: int) -> User:
    return _user((await conn.execute(sa.select(users).where(users.c.id == user_id))).one())


async def revoke_tokens(conn: AsyncConnection, user_id: int,
                        keep: int | None = None) -> int:
    """Revoke the user's tokens (all, or all but `keep`); open sockets of revoked tokens
    close within a second on every relay (relay/watch.py notices the change)."""
    condition = [tokens.c.user_id == user_id, tokens.c.revoked_at.is_(None)]
    if keep is not None:
        condition.append(tokens.c.id != keep)
    result = await conn.execute(tokens.update().where(*condition).values(revoked_at=utcnow()))
    await settings.changed(conn)
    return result.rowcount or 0


async def token_owner(conn: AsyncConnection, token: str) -> tuple[User, int] | None:
    """The user a valid token belongs to, and the token's id."""
    row = (await conn.execute(
        sa.select(users, tokens.c.id.label("token_id"))
        .join(tokens, tokens.c.user_id == users.c.id)
        .where(tokens.c.token_hash == hash_token(token), tokens.c.revoked_at.is_(None))
    )).first()
    return (_user(row), int(row.token_id)) if row else None


async def user_by_token(conn: AsyncConnection, token: str) -> User | None:
    owner = await token_owner(conn, token)
    return owner[0] if owner else None


async def revoked_among(conn: AsyncConnection, token_ids: Sequence[int]) -> set[int]:
    """Which of these token ids are revoked (or gone)."""
    if not token_ids:
        return set()
    valid = set((await conn.execute(sa.select(tokens.c.id).where(
        tokens.c.id.in_(token_ids), tokens.c.revoked_at.is_(None)))).scalars())
    return set(token_ids) - valid


async def touch_token(conn: AsyncConnection, token_id: int) -> None:
    await conn.execute(tokens.update().where(tokens.c.id == token_id)
                       .values(last_seen_at=utcnow()))


async def user_by_ext(conn: AsyncConnection, ext: str) -> User | None:
    row = (await conn.execute(sa.select(users).where(users.c.ext == ext))).first()
    return _user(row) if row else None


async def link_account(conn: AsyncConnection, provider: str, ext: str,
                       login: str) -> User | None:
    """Record the user's login at `provider` for the user with extension `ext` (accounts
    sync, Beeline's abonents); the user, or None when no user has that extension. Kept
    per provider, so one PBX's sync never rewrites another's mapping."""
    user = await user_by_ext(conn, ext) if ext else None
    if user is None or not login:
        return None
    await conn.execute(pbx_identities.delete().where(
        pbx_identities.c.provider == provider,
        sa.or_(pbx_identities.c.user_id == user.id, pbx_identities.c.login == login)))
    await conn.execute(pbx_identities.insert().values(provider=provider, user_id=user.id,
                                                      login=login))
    return user


async def identity(conn: AsyncConnection, provider: str, user: User) -> str:
    """The user's login at `provider`: its own mapping, else `--pbx-user`, else ""."""
    login = (await conn.execute(sa.select(pbx_identities.c.login).where(
        pbx_identities.c.provider == provider, pbx_identities.c.user_id == user.id)
    )).scalar_one_or_none()
    return login or user.pbx_user


@dataclass(frozen=True, slots=True)
class UserRow:
    user: User
    active_tokens: int
    last_seen: datetime | None
    logins: dict[str, str]  # provider → the user's login there (pbx_identities)


async def list_users(conn: AsyncConnection) -> list[UserRow]:
    """Every user with the number of tokens still valid and when one was last used."""
    valid = (tokens.c.user_id == users.c.id, tokens.c.revoked_at.is_(None))
    active = sa.select(sa.func.count()).where(*valid).scalar_subquery()
    seen = sa.select(sa.func.max(tokens.c.last_seen_at)).where(*valid).scalar_subquery()
    rows = (await conn.execute(sa.select(users, active.label("active"), seen.label("seen"))
                               .order_by(users.c.ext))).all()
    logins: dict[int, dict[str, str]] = {}
    for ident in (await conn.execute(sa.select(pbx_identities))).all():
        logins.setdefault(ident.user_id, {})[ident.provider] = ident.login
    return [UserRow(_user(row), row.active, _utc(row.seen), logins.get(row.id, {}))
            for row in rows]


def _utc(value: datetime | None) -> datetime | None:
    """A timestamp from an expression, which the column type does not convert."""
    if value is None or isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value and value.tzinfo is None else value
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


async def all_user_ids(conn: AsyncConnection) -> list[int]:
    return list((await conn.execute(sa.select(users.c.id))).scalars())


async def resolve(conn: AsyncConnection, provider: str, ext: str | None,
                  login: str | None) -> User | None:
    """The relay user a PBX names by extension and/or login: the extension, the login
    recorded for this PBX, the default `--pbx-user`, the login as an extension."""
    if ext:
        row = await raw.first(conn, _BY_EXT, {"ext": ext})
        if row:
            return _user(row)
    if not login:
        return None
    row = (await conn.execute(sa.select(users).join(
        pbx_identities, pbx_identities.c.user_id == users.c.id).where(
        pbx_identities.c.provider == provider, pbx_identities.c.login == login))).first()
    for query in (sa.select(users).where(users.c.pbx_user == login),
                  sa.select(users).where(users.c.ext == login)):
        if row:
            break
        row = (await conn.execute(query)).first()
    return _user(row) if row else None


# -- the per-user event log ---------------------------------------------------------

# Every frame runs these, on the driver itself (store/raw.py).
_NEXT_SEQ = raw.Statement(users.update().where(users.c.id == sa.bindparam("uid"))
                          .values(last_seq=users.c.last_seq + 1).returning(users.c.last_seq))
_APPEND_EVENT = raw.Statement(events.insert())
_BY_EXT = raw.Statement(sa.select(users).where(users.c.ext == sa.bindparam("ext")))


# PostgreSQL takes a frame's seq and stores the frame in one statement (one round trip);
# a frame's text is `head + seq + tail`, the seq being the first value after its type.
_APPEND_FRAME_PG = raw.Statement(sa.text(
    "WITH s AS (UPDATE users SET last_seq = last_seq + 1 WHERE id = :uid RETURNING last_seq) "
    "INSERT INTO events (user_id, seq, created_at, frame) "
    "SELECT :uid, s.last_seq, :now, :head || s.last_seq::text || :tail FROM s RETURNING seq"
).bindparams(sa.bindparam("now", type_=events.c.created_at.type)).columns(
    events.c.seq))
# Several frames in one statement: each user's row bumped once by the number of its frames,
# which take the seqs in the order they came. It costs PostgreSQL more than the statement
# above (a plan of a dozen nodes, 0.24 ms to plan): used for a webhook's single frame it
# raised the fan-out's p99 from 8-18 to 23-30 ms (docs/performance.md), so it serves the
# transactions with more than one.
_APPEND_FRAMES_PG = raw.Statement(sa.text(
    "WITH f AS (SELECT * FROM unnest(CAST(:uids AS INTEGER[]), CAST(:heads AS TEXT[]), "
    "CAST(:tails AS TEXT[])) WITH ORDINALITY AS f(uid, head, tail, ord)), "
    "n AS (SELECT uid, count(*) AS k FROM f GROUP BY uid), "
    "u AS (UPDATE users SET last_seq = users.last_seq + n.k FROM n WHERE users.id = n.uid "
    "RETURNING users.id, users.last_seq - n.k AS base), "
    "s AS (SELECT f.uid, f.head, f.tail, "
    "u.base + row_number() OVER (PARTITION BY f.uid ORDER BY f.ord) AS seq "
    "FROM f JOIN u ON u.id = f.uid) "
    "INSERT INTO events (user_id, seq, created_at, frame) "
    "SELECT uid, seq, :now, head || seq::text || tail FROM s RETURNING user_id, seq"
).bindparams(sa.bindparam("now", type_=events.c.created_at.type)).columns(
    events.c.user_id, events.c.seq))


async def next_seq(conn: AsyncConnection, user_id: int) -> int:
    row = await raw.first(conn, _NEXT_SEQ, {"uid": user_id})
    if row is None:
        raise LookupError(f"no user {user_id}")
    return int(row[0])


async def append_frames(conn: AsyncConnection, frames: Sequence[tuple[int, str, str]]
                        ) -> list[tuple[int, str]]:
    """Log each frame `(user_id, head, tail)` as `head + seq + tail` under its user's next
    seq, in the order given; (seq, text) for each."""
    if not frames:
        return []
    now = utcnow()
    if conn.dialect.name != "postgresql":  # sqlite3 inline: two statements of 2 µs each
        out = []
        for user_id, head, tail in frames:
            seq = await next_seq(conn, user_id)
            text = f"{head}{seq}{tail}"
            await raw.execute(conn, _APPEND_EVENT, {"user_id": user_id, "seq": seq,
                                                    "frame": text, "created_at": now})
            out.append((seq, text))
        return out
    if len(frames) == 1:
        user_id, head, tail = frames[0]
        row = await raw.first(conn, _APPEND_FRAME_PG, {"uid": user_id, "now": now,
                                                       "head": head, "tail": tail})
        if row is None:
            raise LookupError(f"no user {user_id}")
        return [(int(row[0]), f"{head}{row[0]}{tail}")]
    taken: dict[int, list[int]] = {}
    for row in await raw.rows(conn, _APPEND_FRAMES_PG, {
            "uids": [f[0] for f in frames], "heads": [f[1] for f in frames],
            "tails": [f[2] for f in frames], "now": now}):
        taken.setdefault(row.user_id, []).append(int(row.seq))
    for user_seqs in taken.values():
        user_seqs.sort(reverse=True)  # popped from the end: the lowest first
    out = []
    for user_id, head, tail in frames:
        if not taken.get(user_id):
            raise LookupError(f"no user {user_id}")
        seq = taken[user_id].pop()
        out.append((seq, f"{head}{seq}{tail}"))
    return out


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
