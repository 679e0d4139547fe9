"""The shared address book and the number lookup of SPEC §6.

A lookup is at most two indexed queries: the exact canonical number, then (when the
number has more than N digits) a prefix range over the reversed digits, which is the
"last N digits" rule. Ties are broken by the longest common suffix, then by the contact
called most recently.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime

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


async def match(
    conn: AsyncConnection, number: Number, last_digits: int, limit: int = 10
) -> list[Contact]:
    """Contacts whose numbers match `number` (SPEC §6), best first, without their numbers.

    One indexed query (the relay runs it for every new call): candidates by the exact
    canonical number or by the reversed-digits prefix of the last N digits. Exact
    matches, when there are any, exclude the suffix ones; then the longest common
    suffix wins, then the contact called most recently.
    """
    digits = number.digits
    params: dict[str, object] = {"number": number.canonical}
    query = _MATCH_EXACT
    if len(digits) > last_digits:
        prefix = suffix_key(digits[-last_digits:])
        params.update(low=prefix, high=prefix[:-1] + chr(ord(prefix[-1]) + 1))
        query = _MATCH_SUFFIX
    rows = await raw.rows(conn, query, params)
    if any(r.number == number.canonical for r in rows):
        rows = [r for r in rows if r.number == number.canonical]
    best: dict[int, tuple[int, float]] = {}
    records: dict[int, sa.Row] = {}  # type: ignore[type-arg]
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
