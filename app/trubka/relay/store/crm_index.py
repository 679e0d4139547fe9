"""The local index of a CRM's phones (1C): objects with their versions, and their numbers.

A lookup in it is the address book's (store/contacts.py `match`): the exact canonical
number, or a prefix range over the reversed digits for the last-N-digits rule, so a call
never waits on the CRM. A full load replaces an entity's rows; an incremental refresh
replaces only the objects whose version changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from trubka.core.numbers import Number, common_suffix, suffix_key
from trubka.relay.store.schema import crm_objects, crm_phones

MAX_CANDIDATES = 200


@dataclass(frozen=True, slots=True)
class Entry:
    """One CRM object as indexed: its key, version, card fields and numbers."""

    entity: str
    ref: str
    version: str
    card: Mapping[str, Any]
    numbers: tuple[Number, ...] = field(default=())


async def replace(conn: AsyncConnection, connector: str, entries: Sequence[Entry],
                  fresh: bool = False) -> None:
    """Store `entries`, replacing what the index held for the same objects (`fresh`:
    it held none of them, as in a first load)."""
    if not entries:
        return
    if not fresh:
        await remove(conn, connector, [(e.entity, e.ref) for e in entries])
    await conn.execute(crm_objects.insert(), [
        {"connector": connector, "entity": e.entity, "ref": e.ref, "version": e.version[:200],
         "card": dict(e.card)} for e in entries])
    phones = [{"connector": connector, "entity": e.entity, "ref": e.ref,
               "number": n.canonical, "digits_rev": suffix_key(n.digits)}
              for e in entries for n in e.numbers]
    if phones:
        await conn.execute(crm_phones.insert(), phones)


async def remove(conn: AsyncConnection, connector: str,
                 keys: Iterable[tuple[str, str]]) -> None:
    by_entity: dict[str, list[str]] = {}
    for entity, ref in keys:
        by_entity.setdefault(entity, []).append(ref)
    for entity, refs in by_entity.items():
        for start in range(0, len(refs), 500):
            chunk = refs[start:start + 500]
            for table in (crm_objects, crm_phones):
                await conn.execute(table.delete().where(
                    table.c.connector == connector, table.c.entity == entity,
                    table.c.ref.in_(chunk)))


async def clear(conn: AsyncConnection, connector: str, entity: str | None = None) -> None:
    for table in (crm_objects, crm_phones):
        stmt = table.delete().where(table.c.connector == connector)
        if entity is not None:
            stmt = stmt.where(table.c.entity == entity)
        await conn.execute(stmt)


async def versions(conn: AsyncConnection, connector: str, entity: str) -> dict[str, str]:
    """Every indexed object of `entity`: ref → version (what an incremental refresh
    compares the CRM's listing with)."""
    rows = await conn.execute(sa.select(crm_objects.c.ref, crm_objects.c.version).where(
        crm_objects.c.connector == connector, crm_objects.c.entity == entity))
    return {str(ref): str(version) for ref, version in rows.all()}


async def counts(conn: AsyncConnection, connector: str) -> tuple[int, int]:
    """(objects, numbers) in the index."""
    objects = (await conn.execute(sa.select(sa.func.count()).select_from(crm_objects).where(
        crm_objects.c.connector == connector))).scalar_one()
    numbers = (await conn.execute(sa.select(sa.func.count()).select_from(crm_phones).where(
        crm_phones.c.connector == connector))).scalar_one()
    return int(objects), int(numbers)


async def match(conn: AsyncConnection, connector: str, number: Number,
                last_digits: int) -> Mapping[str, Any] | None:
    """The card of the best indexed object for `number` (SPEC §6 rules), or None."""
    digits = number.digits
    condition = crm_phones.c.number == number.canonical
    if len(digits) > last_digits:
        prefix = suffix_key(digits[-last_digits:])
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        condition = sa.or_(condition, sa.and_(crm_phones.c.digits_rev >= prefix,
                                              crm_phones.c.digits_rev < upper))
    # By the number indexes alone (as the address book's match): one connector keeps an
    # index at a time, so the connector is checked on the rows, not in the index probe.
    rows = [r for r in (await conn.execute(
        sa.select(crm_phones.c.number, crm_objects.c.card, crm_objects.c.entity,
                  crm_objects.c.ref, crm_objects.c.connector)
        .join(crm_objects, sa.and_(crm_objects.c.connector == crm_phones.c.connector,
                                   crm_objects.c.entity == crm_phones.c.entity,
                                   crm_objects.c.ref == crm_phones.c.ref))
        .where(condition).limit(MAX_CANDIDATES))).all() if r.connector == connector]
    if not rows:
        return None
    best = max(rows, key=lambda r: (r.number == number.canonical,
                                    common_suffix(digits, r.number.lstrip("+")),
                                    r.entity, r.ref))
    card: Mapping[str, Any] = best.card
    return card


async def name_of(conn: AsyncConnection, connector: str, ref: str) -> str:
    """The name of an indexed object (a contact person's counterparty: its company)."""
    rows = (await conn.execute(sa.select(crm_objects.c.card).where(
        crm_objects.c.connector == connector, crm_objects.c.ref == ref).limit(1))).first()
    card = rows[0] if rows else None
    return str(card.get("name") or "") if isinstance(card, dict) else ""
