"""The CRM connector's tables: its configuration, the answer cache and the write ledger.

The local phone index (1C) is in `store/crm_index.py`. Configuration changes go through
`settings.changed` like a provider's, so every running relay rebuilds its connector.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from trubka.core.contacts import Contact
from trubka.core.model import Call, utcnow
from trubka.relay.store import calls, db, settings
from trubka.relay.store.schema import calls as calls_table
from trubka.relay.store.schema import (
    crm_cache,
    crm_config,
    crm_objects,
    crm_phones,
    crm_writes,
    journal,
)

# -- configuration ----------------------------------------------------------------------


async def configured(conn: AsyncConnection) -> tuple[str, dict[str, str]] | None:
    """The connector set with `crm set` and its options, or None."""
    row = (await conn.execute(sa.select(crm_config).order_by(
        crm_config.c.updated_at.desc()))).first()
    return (row.name, dict(row.config)) if row else None


async def put_config(conn: AsyncConnection, name: str, config: dict[str, str]) -> None:
    """Make `name` the one connector (another one configured before is replaced)."""
    await conn.execute(crm_config.delete())
    await conn.execute(crm_config.insert().values(name=name, config=config,
                                                  updated_at=utcnow()))
    await settings.changed(conn)


async def update_config(conn: AsyncConnection, name: str, values: dict[str, str]) -> None:
    """Change some options of the configured connector (tokens a CRM rotated)."""
    current = await configured(conn)
    if current is None or current[0] != name:
        return
    await conn.execute(crm_config.update().where(crm_config.c.name == name).values(
        config={**current[1], **values}, updated_at=utcnow()))
    await settings.changed(conn)


async def delete_config(conn: AsyncConnection) -> str | None:
    """`crm off`: forget the connector, its cache and its index (the ledger stays)."""
    current = await configured(conn)
    for table in (crm_config, crm_cache, crm_objects, crm_phones):
        await conn.execute(table.delete())
    await settings.changed(conn)
    return current[0] if current else None


# -- answers ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Cached:
    contact: Contact | None  # None: the CRM said "not found"


async def cached(conn: AsyncConnection, connector: str, number: str) -> Cached | None:
    row = (await conn.execute(sa.select(crm_cache.c.contact, crm_cache.c.expires_at).where(
        crm_cache.c.connector == connector, crm_cache.c.number == number))).first()
    if row is None or row.expires_at <= utcnow():
        return None
    data = row.contact
    return Cached(Contact.from_dict(data) if isinstance(data, dict) else None)


async def cache(conn: AsyncConnection, connector: str, number: str, contact: Contact | None,
                ttl: timedelta) -> None:
    await conn.execute(crm_cache.delete().where(crm_cache.c.connector == connector,
                                                crm_cache.c.number == number))
    await conn.execute(crm_cache.insert().values(
        connector=connector, number=number, expires_at=utcnow() + ttl,
        contact=contact.to_dict() if contact else None))


async def forget_answers(conn: AsyncConnection) -> None:
    """A contact changed through Trubka: no stale answer survives it."""
    await conn.execute(crm_cache.delete())


# -- cards on calls -----------------------------------------------------------------------

async def set_call_contact(conn: AsyncConnection, call_id: str, contact: Contact) -> None:
    """The card a CRM (or a contact created later) gave a call, on it and its entry."""
    data = contact.to_dict()
    await conn.execute(calls_table.update().where(calls_table.c.id == call_id)
                       .values(contact=data))
    await conn.execute(journal.update().where(journal.c.call_id == call_id).values(contact=data))


MAX_LINKED = 500


def _no_card(column: sa.Column[Any]) -> sa.ColumnElement[bool]:
    """No contact: SQL NULL, or JSON null (how the JSON type stores Python's None)."""
    return sa.or_(column.is_(None), sa.cast(column, sa.Text) == "null")


async def unlinked(conn: AsyncConnection, number: str) -> list[tuple[int, Call]]:
    """Calls of `number` (canonical) without a card: journal entries, calls in progress.
    Found through the journal's `phone` index and the few calls in progress
    (`ix_calls_state_updated`): the calls table keeps a year of calls."""
    with_entry = sa.select(journal.c.call_id).where(journal.c.phone == number,
                                                    _no_card(journal.c.contact))
    in_progress = sa.select(calls_table.c.id).where(
        calls_table.c.state.in_(calls.LIVE_STATES), calls_table.c.phone == number,
        _no_card(calls_table.c.contact))
    rows = (await conn.execute(sa.select(calls_table.c.id).where(
        calls_table.c.id.in_(sa.union(with_entry, in_progress)),
        calls_table.c.phone == number).limit(MAX_LINKED))).all()
    out = []
    for row in rows:
        found = await calls.leg_by_id(conn, row.id)
        if found is not None:
            out.append(found)
    return out


async def call_by_id(conn: AsyncConnection, call_id: str) -> tuple[int, Call] | None:
    return await calls.leg_by_id(conn, call_id)


# -- the write-back ledger ----------------------------------------------------------------

PENDING, DONE, SKIPPED, FAILED = "pending", "done", "skipped", "failed"


@dataclass(frozen=True, slots=True)
class Write:
    id: int
    connector: str
    kind: str
    provider: str
    provider_call_id: str
    call_id: str
    user_id: int
    state: str
    attempts: int
    remote_id: str


async def claim(conn: AsyncConnection, connector: str, kind: str, provider: str,
                provider_call_id: str, call_id: str, user_id: int) -> int | None:
    """Claim one write for a PBX call; its id, or None when someone claimed it before
    (another webhook, another replica: the unique key decides, no error is raised)."""
    now = utcnow()
    stmt = db.insert(conn, crm_writes).values(
        connector=connector, kind=kind, provider=provider,
        provider_call_id=provider_call_id[:200], call_id=call_id, user_id=user_id,
        state=PENDING, claimed_at=now, updated_at=now,
    ).on_conflict_do_nothing(index_elements=["connector", "kind", "provider",
                                             "provider_call_id"])
    result = await conn.execute(stmt.returning(crm_writes.c.id))
    found = result.first()
    return int(found[0]) if found else None


def _write(row: sa.Row) -> Write:  # type: ignore[type-arg]
    return Write(row.id, row.connector, row.kind, row.provider, row.provider_call_id,
                 row.call_id, row.user_id, row.state, row.attempts, row.remote_id)


async def write(conn: AsyncConnection, write_id: int) -> Write | None:
    row = (await conn.execute(sa.select(crm_writes).where(crm_writes.c.id == write_id))).first()
    return _write(row) if row else None


async def write_for(conn: AsyncConnection, connector: str, kind: str, provider: str,
                    provider_call_id: str) -> Write | None:
    row = (await conn.execute(sa.select(crm_writes).where(
        crm_writes.c.connector == connector, crm_writes.c.kind == kind,
        crm_writes.c.provider == provider,
        crm_writes.c.provider_call_id == provider_call_id[:200]))).first()
    return _write(row) if row else None


async def settle(conn: AsyncConnection, write_id: int, state: str, remote_id: str = "",
                 error: str = "") -> None:
    await conn.execute(crm_writes.update().where(crm_writes.c.id == write_id).values(
        state=state, remote_id=remote_id[:200], error=error[:500], updated_at=utcnow(),
        attempts=crm_writes.c.attempts + 1))


async def reclaim(conn: AsyncConnection, write_id: int, before: datetime) -> bool:
    """Take over a pending write nobody finished since `before` (its relay died or the
    CRM was down): only one process wins the update."""
    result = await conn.execute(crm_writes.update().where(
        crm_writes.c.id == write_id, crm_writes.c.state == PENDING,
        crm_writes.c.claimed_at < before).values(claimed_at=utcnow()))
    return bool(result.rowcount)


async def stalled(conn: AsyncConnection, before: datetime, limit: int = 100) -> list[int]:
    rows = (await conn.execute(sa.select(crm_writes.c.id).where(
        crm_writes.c.state == PENDING, crm_writes.c.claimed_at < before)
        .order_by(crm_writes.c.id).limit(limit))).scalars()
    return [int(i) for i in rows]


async def write_counts(conn: AsyncConnection) -> dict[str, int]:
    rows = (await conn.execute(sa.select(crm_writes.c.state, sa.func.count())
                               .group_by(crm_writes.c.state))).all()
    return {str(state): int(count) for state, count in rows}
