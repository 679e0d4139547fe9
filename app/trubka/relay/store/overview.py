"""Company-wide views for the administrator: calls in progress and the journal of every
user (the desktop's own queries in calls.py are per user)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from trubka.core.model import Call, JournalEntry
from trubka.relay.store.calls import JOURNAL_FILTERS, LIVE_STATES, _call, _entry
from trubka.relay.store.schema import calls, contact_phones, journal, users
from trubka.relay.store.users import User, _user


async def live_calls(conn: AsyncConnection) -> list[tuple[User, Call]]:
    """Every employee's calls still ringing or answered, oldest first."""
    rows = (await conn.execute(
        sa.select(calls, *[c.label("u_" + c.name) for c in users.c])
        .join(users, users.c.id == calls.c.user_id)
        .where(calls.c.state.in_(LIVE_STATES))
        .order_by(calls.c.started_at, calls.c.id).limit(1000))).all()
    return [(_user_of(row), _call(row)) for row in rows]


def _user_of(row: sa.Row) -> User:  # type: ignore[type-arg]
    return _user(_Prefixed(row))  # type: ignore[arg-type]


class _Prefixed:
    """A joined row's `u_*` columns read as a users row."""

    def __init__(self, row: sa.Row) -> None:  # type: ignore[type-arg]
        self._row = row

    def __getattr__(self, name: str) -> object:
        return getattr(self._row, "u_" + name)


@dataclass(frozen=True, slots=True)
class JournalQuery:
    ext: str = ""
    kind: str = "all"  # all | missed | in | out
    since: datetime | None = None
    until: datetime | None = None
    phone: str = ""  # digits anywhere in the number
    limit: int = 100
    before: str = ""  # the id of the last entry of the previous page


async def journal_all(conn: AsyncConnection, q: JournalQuery) -> list[tuple[User, JournalEntry]]:
    """The journal of every user (or one), newest first, filtered."""
    stmt = (sa.select(journal, *[c.label("u_" + c.name) for c in users.c])
            .join(users, users.c.id == journal.c.user_id))
    condition = JOURNAL_FILTERS.get(q.kind)
    if condition is not None:
        stmt = stmt.where(condition)
    if q.ext:
        stmt = stmt.where(users.c.ext == q.ext)
    if q.since is not None:
        stmt = stmt.where(journal.c.started_at >= q.since)
    if q.until is not None:
        stmt = stmt.where(journal.c.started_at < q.until)
    digits = "".join(ch for ch in q.phone if ch.isdigit())
    if digits:
        stmt = stmt.where(journal.c.phone.contains(digits, autoescape=True))
    if q.before:
        anchor = (await conn.execute(sa.select(journal.c.started_at, journal.c.id).where(
            journal.c.id == q.before))).first()
        if anchor is not None:
            stmt = stmt.where(sa.or_(
                journal.c.started_at < anchor.started_at,
                sa.and_(journal.c.started_at == anchor.started_at, journal.c.id < anchor.id)))
    rows = (await conn.execute(stmt.order_by(journal.c.started_at.desc(), journal.c.id.desc())
                               .limit(q.limit))).all()
    return [(_user_of(row), _entry(row)) for row in rows]


async def owners_of(conn: AsyncConnection, numbers: list[str]) -> dict[str, int]:
    """Which address-book contact already has each of these normalised numbers."""
    if not numbers:
        return {}
    rows = (await conn.execute(sa.select(contact_phones.c.number, contact_phones.c.contact_id)
                               .where(contact_phones.c.number.in_(numbers)))).all()
    return {row.number: int(row.contact_id) for row in rows}


async def everyone(conn: AsyncConnection) -> list[User]:
    """Every user, in the order they were added."""
    rows = (await conn.execute(sa.select(users).order_by(users.c.id))).all()
    return [_user(row) for row in rows]
