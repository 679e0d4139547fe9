"""The sockets browsers opened, by session: signing out (here or on another replica)
closes them, and a console feed closes when its user is no longer an administrator."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Protocol

import sqlalchemy as sa

from trubka.relay.store import sessions
from trubka.relay.store.db import Store
from trubka.relay.store.schema import users

log = logging.getLogger("trubka.relay.browser")


class Closable(Protocol):
    def kick(self, revoked: bool = False) -> None: ...


@dataclass(frozen=True, eq=False)
class Entry:
    session: str
    feed: Closable
    user_id: int
    admin_only: bool


class BrowserSockets:
    def __init__(self) -> None:
        self._by_session: dict[str, set[Entry]] = defaultdict(set)

    def add(self, session: str, feed: Closable, user_id: int,
            admin_only: bool = False) -> Entry:
        entry = Entry(session, feed, user_id, admin_only)
        self._by_session[session].add(entry)
        return entry

    def discard(self, entry: Entry | None) -> None:
        entries = self._by_session.get(entry.session) if entry else None
        if entry is not None and entries is not None:
            entries.discard(entry)
            if not entries:
                del self._by_session[entry.session]

    def end(self, session: str) -> int:
        """Close every socket of `session` (signed out in this process)."""
        entries = self._by_session.pop(session, set())
        for entry in entries:
            entry.feed.kick(revoked=True)
        return len(entries)

    async def close_ended(self, store: Store) -> int:
        """Close the sockets of sessions that ended elsewhere, and console feeds of users
        who lost the administrator role (relay/watch.py calls this on every change)."""
        if not self._by_session:
            return 0
        async with store.read() as conn:
            ended = await sessions.ended_among(conn, sorted(self._by_session))
            admins = set((await conn.execute(sa.select(users.c.id).where(
                users.c.role == "admin"))).scalars())
        closed = sum(self.end(key) for key in ended)
        for entries in list(self._by_session.values()):
            for entry in [e for e in entries if e.admin_only and e.user_id not in admins]:
                entry.feed.kick(revoked=True)
                entries.discard(entry)
                closed += 1
        if closed:
            log.info("closed %d browser socket(s) of ended sessions", closed)
        return closed
