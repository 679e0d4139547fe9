"""Who a number is: the caller's card for a new call, the PBX's caller-name and
smart-transfer questions, and the desktop's lookup (SPEC §6, §2.1, §9.6).

Two sources: the relay's own address book and the CRM connector (relay/crm/). A CRM
with a local index (1C) is consulted inside the same read as the book; a CRM asked per
number never delays a call — the call frame goes out with the book's card and the CRM's
arrives in a later frame (relay/crm/followup.py) — and a PBX waiting for an answer
gets at most `crm-timeout-ms` of it. `lookup-order` says whose card wins.
"""

from __future__ import annotations

import time

from sqlalchemy.ext.asyncio import AsyncConnection

from trubka.core.contacts import Contact
from trubka.core.numbers import Number, try_normalize
from trubka.providers.base import LookupAnswer
from trubka.relay.crm.runtime import Crm
from trubka.relay.registry import ProviderRegistry
from trubka.relay.store import contacts, users
from trubka.relay.store.db import Store
from trubka.relay.store.settings import RuntimeSettings


def prefer(crm: Contact | None, book: Contact | None, rt: RuntimeSettings) -> Contact | None:
    """The card to show when both sources may know the number."""
    if rt.lookup_order == "crm,book":
        return crm or book
    return book or crm


class Lookups:
    def __init__(self, store: Store, registry: ProviderRegistry, crm: Crm) -> None:
        self.store = store
        self.registry = registry
        self.crm = crm

    async def match(self, conn: AsyncConnection, number: Number, rt: RuntimeSettings,
                    ahead: contacts.Candidates | None = None) -> Contact | None:
        """The best contact for `number` by the matching rule (exact, then last digits)
        in the book and what the CRM is known to say — its local index, its cached
        answers — without asking it. `ahead`: the book's candidates read for a batch."""
        found = await contacts.match(conn, number, rt.last_digits, limit=1, ahead=ahead)
        book = found[0] if found else None
        if not self.crm.service.configured or (
                book is not None and rt.lookup_order != "crm,book"):
            return book
        return prefer(await self.crm.service.known(conn, number, rt), book, rt)

    async def answer(self, phone_raw: str) -> LookupAnswer:
        """Caller name and smart transfer (SPEC §2.1): the responsible employee's
        extension when the feature is on, the contact has one and that employee exists."""
        started = time.monotonic()  # the PBX's wait is counted from here
        rt = await self.registry.settings()
        number = try_normalize(phone_raw, rt.default_country)
        if number is None:
            return LookupAnswer()
        active = await self.crm.service.active()
        async with self.store.quick_read() as conn:
            contact = await self.match(conn, number, rt)
        if active is not None and active.spec.capabilities.lookup and (
                contact is None or rt.lookup_order == "crm,book"):
            budget = rt.crm_timeout_ms / 1000 - (time.monotonic() - started)
            found = await self.crm.service.find(number, rt, wait=max(0.0, budget))
            contact = prefer(found.contact, contact, rt)
        if contact is None:
            return LookupAnswer()
        responsible = ""
        if rt.smart_transfer and contact.responsible_ext:
            async with self.store.quick_read() as conn:
                if await users.user_by_ext(conn, contact.responsible_ext) is not None:
                    responsible = contact.responsible_ext
        return LookupAnswer(contact.name, responsible)

    async def contacts_for(self, phone_raw: str) -> tuple[Number | None, list[Contact]]:
        """Every contact matching a number, best first, with their numbers (the API);
        the CRM's card among them, first when `lookup-order` is crm,book."""
        rt = await self.registry.settings()
        number = try_normalize(phone_raw, rt.default_country)
        if number is None:
            return None, []
        async with self.store.read() as conn:
            found = await contacts.lookup(conn, number, rt.last_digits)
        crm = (await self.crm.service.find(number, rt, wait=rt.crm_timeout_ms / 1000)).contact
        if crm is None:
            return number, found
        return number, [crm, *found] if rt.lookup_order == "crm,book" else [*found, crm]
