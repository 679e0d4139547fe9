"""Who a number is: the caller's card for a new call, the PBX's caller-name and
smart-transfer questions, and the desktop's lookup (SPEC §6, §2.1)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from trubka.core.contacts import Contact
from trubka.core.numbers import Number, try_normalize
from trubka.providers.base import LookupAnswer
from trubka.relay.registry import ProviderRegistry
from trubka.relay.store import contacts, users
from trubka.relay.store.db import Store
from trubka.relay.store.settings import RuntimeSettings


class Lookups:
    def __init__(self, store: Store, registry: ProviderRegistry) -> None:
        self.store = store
        self.registry = registry

    async def match(self, conn: AsyncConnection, number: Number,
                    rt: RuntimeSettings) -> Contact | None:
        """The best contact for `number` by the matching rule (exact, then last digits)."""
        found = await contacts.match(conn, number, rt.last_digits, limit=1)
        return found[0] if found else None

    async def answer(self, phone_raw: str) -> LookupAnswer:
        """Caller name and smart transfer (SPEC §2.1): the responsible employee's
        extension when the feature is on, the contact has one and that employee exists."""
        rt = await self.registry.settings()
        number = try_normalize(phone_raw, rt.default_country)
        if number is None:
            return LookupAnswer()
        async with self.store.quick_read() as conn:
            contact = await self.match(conn, number, rt)
            if contact is None:
                return LookupAnswer()
            responsible = ""
            if rt.smart_transfer and contact.responsible_ext:
                if await users.user_by_ext(conn, contact.responsible_ext) is not None:
                    responsible = contact.responsible_ext
        return LookupAnswer(contact.name, responsible)

    async def contacts_for(self, phone_raw: str) -> tuple[Number | None, list[Contact]]:
        """Every contact matching a number, best first, with their numbers (the API)."""
        rt = await self.registry.settings()
        number = try_normalize(phone_raw, rt.default_country)
        if number is None:
            return None, []
        async with self.store.read() as conn:
            return number, await contacts.lookup(conn, number, rt.last_digits)
