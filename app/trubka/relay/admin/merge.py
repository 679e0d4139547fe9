"""Contact imports with a preview and duplicates merged: a contact whose number is already
in the address book (or earlier in the same file) is folded into that contact — numbers
added, empty fields filled — instead of becoming a second card for the same client."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from trubka.core.contacts import Contact
from trubka.relay import addressbook
from trubka.relay.admin.book import country
from trubka.relay.admin.context import Admin
from trubka.relay.store import contacts, overview, settings

FILLED = ("company", "email", "responsible_ext", "note", "crm_url")


def merge(into: Contact, other: Contact) -> Contact:
    """`into` with `other`'s numbers added and its empty fields filled from `other`."""
    known = {p.canonical for p in into.phones}
    phones = into.phones + tuple(p for p in other.phones if p.canonical not in known)
    filled = {f: getattr(other, f) for f in FILLED if not getattr(into, f)}
    return replace(into, phones=phones, **filled)


@dataclass(frozen=True)
class ImportPlan:
    new: list[Contact]
    merged: list[tuple[Contact, Contact]]  # (as stored now, after the merge)

    @property
    def count(self) -> int:
        return len(self.new) + len(self.merged)


def parse(text: str, kind: str, default_country: str) -> list[Contact]:
    """`kind`: csv or vcard (addressbook.ImportRefused lists the problems)."""
    if kind == "vcard":
        return addressbook.parse_vcards(text, default_country)
    return addressbook.parse_csv(text, default_country)


async def _plan(conn: object, items: Sequence[Contact]) -> ImportPlan:
    folded: list[Contact] = []
    at: dict[str, int] = {}  # number -> its card in `folded` (a file of 10⁴ rows is linear)
    for item in items:  # duplicates within the file first
        i = min((at[p.canonical] for p in item.phones if p.canonical in at), default=None)
        if i is None:
            i = len(folded)
            folded.append(item)
        else:
            folded[i] = merge(folded[i], item)
        at.update((p.canonical, i) for p in folded[i].phones if p.canonical not in at)
    owners = await overview.owners_of(
        conn, sorted({p.canonical for c in folded for p in c.phones}))  # type: ignore[arg-type]
    new: list[Contact] = []
    merged: dict[int, tuple[Contact, Contact]] = {}
    for item in folded:
        owner = next((owners[p.canonical] for p in item.phones if p.canonical in owners), None)
        if owner is None:
            new.append(item)
            continue
        stored, current = merged.get(owner) or (None, None)
        if stored is None:
            stored = await contacts.get(conn, owner)  # type: ignore[arg-type]
            current = stored
        assert stored is not None and current is not None
        merged[owner] = (stored, merge(current, item))
    return ImportPlan(new, list(merged.values()))


async def preview(admin: Admin, text: str, kind: str) -> ImportPlan:
    items = parse(text, kind, await country(admin))
    async with admin.store.read() as conn:
        return await _plan(conn, items)


async def apply(admin: Admin, text: str, kind: str) -> ImportPlan:
    """Import in one transaction; every open desktop is told to reload its book."""
    items = parse(text, kind, await country(admin))
    async with admin.writer.transaction() as (conn, outbox):
        plan = await _plan(conn, items)
        await contacts.create_many(conn, plan.new)
        for stored, result in plan.merged:
            assert stored.id is not None
            await contacts.update(conn, stored.id, result)
        await outbox.contacts(None)
        await settings.changed(conn)  # a relay in another process delivers the frames
    return plan
