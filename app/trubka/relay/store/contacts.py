"""The shared address book and the number lookup of SPEC §6.

A lookup is at most two indexed queries: the exact canonical number, then (when the
number has more than N digits) a prefix range over the reversed digits, which is the
"last N digits" rule. Ties are broken by the longest common suffix, then by the contact
called most recently.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

import phonenumbers
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from trubka.core.contacts import Contact
from trubka.core.model import utcnow
from trubka.core.numbers import DEFAULT_COUNTRY, Number, common_suffix, suffix_key
from trubka.relay.store import raw
from trubka.relay.store.schema import contact_phones, contacts

MAX_CANDIDATES = 200


def _columns(contact: Contact) -> dict[str, object]:
    search = " ".join([contact.name, contact.company, contact.email]).casefold()
    return {"name": contact.name, "company": contact.company, "email": contact.email,
            "responsible_ext": contact.responsible_ext, "note": contact.note,
            "crm_url": contact.crm_url, "search_text": search}


def _phone_rows(contact_id: int, phones: Iterable[Number]) -> list[dict[str, object]]:
    return [{"contact_id": contact_id, "position": i, "number": p.canonical,
             "digits_rev": suffix_key(p.digits), "raw": p.raw[:80]}
            for i, p in enumerate(phones)]


async def create(conn: AsyncConnection, data: Contact) -> int:
    now = utcnow()
    result = await conn.execute(contacts.insert().values(**_columns(data), created_at=now,
                                                         updated_at=now)
                                .returning(contacts.c.id))
    contact_id = int(result.scalar_one())
    if data.phones:
        await conn.execute(contact_phones.insert(), _phone_rows(contact_id, data.phones))
    return contact_id


async def create_many(conn: AsyncConnection, items: Sequence[Contact]) -> int:
    for item in items:
        await create(conn, item)
    return len(items)


async def update(conn: AsyncConnection, contact_id: int, data: Contact) -> bool:
    result = await conn.execute(contacts.update().where(contacts.c.id == contact_id)
                                .values(**_columns(data), updated_at=utcnow()))
    if not result.rowcount:
        return False
    await conn.execute(contact_phones.delete().where(contact_phones.c.contact_id == contact_id))
    if data.phones:
        await conn.execute(contact_phones.insert(), _phone_rows(contact_id, data.phones))
    return True


async def delete(conn: AsyncConnection, contact_id: int) -> bool:
    await conn.execute(contact_phones.delete().where(contact_phones.c.contact_id == contact_id))
    result = await conn.execute(contacts.delete().where(contacts.c.id == contact_id))
    return bool(result.rowcount)


_TOUCH_CALLED = contacts.update().where(contacts.c.id == sa.bindparam("cid"))


async def touch_called(conn: AsyncConnection, contact_id: int) -> None:
    await conn.execute(_TOUCH_CALLED, {"cid": contact_id, "last_call_at": utcnow()})


async def get(conn: AsyncConnection, contact_id: int) -> Contact | None:
    found = await _load(conn, [contact_id])
    return found[0] if found else None


async def _load(conn: AsyncConnection, ids: Sequence[int]) -> list[Contact]:
    if not ids:
        return []
    rows = (await conn.execute(sa.select(contacts).where(contacts.c.id.in_(ids)))).all()
    phones = await _phones(conn, ids)
    by_id = {r.id: _record(r, phones.get(r.id, [])) for r in rows}
    return [by_id[i] for i in ids if i in by_id]


async def _phones(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, list[Number]]:
    if not ids:
        return {}
    rows = (await conn.execute(
        sa.select(contact_phones).where(contact_phones.c.contact_id.in_(ids))
        .order_by(contact_phones.c.contact_id, contact_phones.c.position))).all()
    phones: dict[int, list[Number]] = {}
    for p in rows:
        phones.setdefault(p.contact_id, []).append(
            Number(p.number, p.raw or p.number, p.number.startswith("+")))
    return phones


def _record(row: sa.Row, phones: list[Number]) -> Contact:  # type: ignore[type-arg]
    return Contact(row.id, row.name, row.company, tuple(phones), row.email,
                   row.responsible_ext, row.note, row.crm_url)


def _digit_variants(digits: str, country: str) -> set[str]:
    """The digits as typed, and — when they start with the country's trunk prefix, as
    people type national numbers (`8 999 …` in Russia) — with the country code instead,
    the way numbers are stored (`+7999…`)."""
    variants = {digits}
    meta = phonenumbers.PhoneMetadata.metadata_for_region(country.upper(), None)
    prefix = meta.national_prefix if meta is not None else None
    if prefix and digits.startswith(prefix) and len(digits) > len(prefix):
        variants.add(str(meta.country_code) + digits[len(prefix):])  # type: ignore[union-attr]
    return variants


async def search(
    conn: AsyncConnection, query: str, limit: int = 50, offset: int = 0,
    country: str = DEFAULT_COUNTRY,
) -> list[Contact]:
    """By name, company, e-mail or any part of a number; all contacts for an empty query."""
    stmt = sa.select(contacts.c.id).order_by(contacts.c.name, contacts.c.id)
    text = query.strip().casefold()
    if text:
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions = [contacts.c.search_text.like(like, escape="\\")]
        digits = "".join(ch for ch in text if ch.isdigit())
        if len(digits) >= 3 and len(digits) >= len(text.replace(" ", "")) // 2:
            conditions.append(contacts.c.id.in_(
                sa.select(contact_phones.c.contact_id).where(sa.or_(*(
                    contact_phones.c.number.like(f"%{variant}%")
                    for variant in sorted(_digit_variants(digits, country)))))))
        stmt = stmt.where(sa.or_(*conditions))
    ids = list((await conn.execute(stmt.limit(limit).offset(offset))).scalars())
    return await _load(conn, ids)


async def count(conn: AsyncConnection) -> int:
    return int((await conn.execute(sa.select(sa.func.count()).select_from(contacts)))
               .scalar_one())


# The lookup every new call runs, built once (see store/calls.py): the exact number, or
# also the last-N-digits range over the reversed digits.
_CANDIDATES = sa.select(contact_phones.c.number, contacts).join(
    contacts, contacts.c.id == contact_phones.c.contact_id)
_EXACT = contact_phones.c.number == sa.bindparam("number")
_MATCH_EXACT = raw.Statement(_CANDIDATES.where(_EXACT).limit(MAX_CANDIDATES))
_MATCH_SUFFIX = raw.Statement(_CANDIDATES.where(sa.or_(_EXACT, sa.and_(
    contact_phones.c.digits_rev >= sa.bindparam("low"),
    contact_phones.c.digits_rev < sa.bindparam("high")))).limit(MAX_CANDIDATES))


def _match_many_statement() -> raw.Statement:
    """PostgreSQL: the candidates of a JSON array of match keys, each row with its key's
    position (from 1). Each key is its own `LATERAL` probe of the two indexes, as one
    `match` would run it (a join the planner chose could scan the phones instead)."""
    keys = sa.cast(sa.bindparam("keys", type_=sa.String), sa.JSON)
    k = sa.func.json_array_elements(keys).table_valued(
        "value", with_ordinality="ordinality").alias("k")

    def item(index: int) -> Any:
        return k.c.value.op("->>")(sa.literal_column(str(index)))

    found = _CANDIDATES.where(sa.or_(contact_phones.c.number == item(0), sa.and_(
        contact_phones.c.digits_rev >= item(1), contact_phones.c.digits_rev < item(2),
    ))).limit(MAX_CANDIDATES).lateral("c")
    return raw.Statement(sa.select(k.c.ordinality.label("k"), *found.c)
                         .select_from(k.join(found, sa.true())))


_MATCH_MANY = _match_many_statement()


# What a match asks the database: the canonical number, and the reversed-digits range of
# its last N digits ("" and "" when the number has no more than N digits: exact only).
MatchKey = tuple[str, str, str]
Candidates = dict[MatchKey, list[Any]]  # a match key's candidate rows, read ahead


def match_key(number: Number, last_digits: int) -> MatchKey:
    digits = number.digits
    if len(digits) <= last_digits:
        return number.canonical, "", ""
    prefix = suffix_key(digits[-last_digits:])
    return number.canonical, prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


async def match(
    conn: AsyncConnection, number: Number, last_digits: int, limit: int = 10,
    ahead: Candidates | None = None,
) -> list[Contact]:
    """Contacts whose numbers match `number` (SPEC §6), best first, without their numbers.

    One indexed query (the relay runs it for every new call): candidates by the exact
    canonical number or by the reversed-digits prefix of the last N digits — or the
    candidates `candidates_ahead` read for a batch (`ahead`), when it read this number's.
    Exact matches, when there are any, exclude the suffix ones; then the longest common
    suffix wins, then the contact called most recently.
    """
    key = match_key(number, last_digits)
    rows = ahead.get(key) if ahead else None
    if rows is None:
        rows = await _candidates(conn, key)
    return _best(rows, number, limit)


async def _candidates(conn: AsyncConnection, key: MatchKey) -> list[Any]:
    number, low, high = key
    if not low:
        return await raw.rows(conn, _MATCH_EXACT, {"number": number})
    return await raw.rows(conn, _MATCH_SUFFIX, {"number": number, "low": low, "high": high})


async def candidates_ahead(conn: AsyncConnection, keys: Sequence[MatchKey]) -> Candidates:
    """The candidates of several numbers for `match(ahead=…)`: on PostgreSQL in one
    statement, each number its own index probes (the event writer reads a batch's new
    calls' numbers ahead: one round trip where each call would take one); on SQLite
    number by number, as `match` would (a statement there costs microseconds, no trip)."""
    wanted = sorted(set(keys))
    if conn.dialect.name != "postgresql":
        return {key: await _candidates(conn, key) for key in wanted}
    found: Candidates = {key: [] for key in wanted}
    if wanted:
        for row in await raw.rows(conn, _MATCH_MANY, {"keys": json.dumps(wanted)}):
            found[wanted[row.k - 1]].append(row)
    return found


def forget_ahead(ahead: Candidates, contact_id: int) -> None:
    """A contact was called (`touch_called`): the candidate rows read ahead that hold it
    are out of date for ranking; a later match reads them again."""
    for key in [k for k, rows in ahead.items() if any(r.id == contact_id for r in rows)]:
        del ahead[key]


def _best(rows: Sequence[Any], number: Number, limit: int) -> list[Contact]:
    digits = number.digits
    if any(r.number == number.canonical for r in rows):
        rows = [r for r in rows if r.number == number.canonical]
    best: dict[int, tuple[int, float]] = {}
    records: dict[int, Any] = {}
    for row in rows:
        score = (common_suffix(digits, row.number.lstrip("+")), _ts(row.last_call_at))
        if score > best.get(row.id, (-1, 0.0)):
            best[row.id] = score
            records[row.id] = row
    order = sorted(best, key=lambda cid: (-best[cid][0], -best[cid][1], cid))[:limit]
    return [_record(records[cid], []) for cid in order]


async def lookup(
    conn: AsyncConnection, number: Number, last_digits: int, limit: int = 10
) -> list[Contact]:
    """`match`, with each contact's numbers (for the API)."""
    found = await match(conn, number, last_digits, limit)
    phones = await _phones(conn, [r.id for r in found if r.id is not None])
    return [replace(r, phones=tuple(phones.get(r.id, ()) if r.id is not None else ()))
            for r in found]


def _ts(value: datetime | None) -> float:
    return value.timestamp() if value else 0.0


async def iterate(conn: AsyncConnection, batch: int = 1000) -> list[Contact]:
    """Every contact, for export (in id order)."""
    out: list[Contact] = []
    last = 0
    while True:
        ids = list((await conn.execute(sa.select(contacts.c.id).where(contacts.c.id > last)
                                       .order_by(contacts.c.id).limit(batch))).scalars())
        if not ids:
            return out
        out.extend(await _load(conn, ids))
        last = ids[-1]
