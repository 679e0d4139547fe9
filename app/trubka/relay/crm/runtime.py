"""The CRM connector inside a running relay: one object the rest of the relay holds.

`Crm` bundles the lookups (service.py), what calls set in motion (followup.py), the
write-back ledger (writeback.py) and the local index (indexer.py); `run` keeps the
index fresh and retries pending writes; `create_contact` is the desktop's "create
contact" from an unknown number.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress

from sqlalchemy.ext.asyncio import AsyncConnection

from trubka.core.contacts import Contact
from trubka.core.errors import ProviderError
from trubka.relay.crm.base import Card, reason
from trubka.relay.crm.followup import CrmCalls
from trubka.relay.crm.indexer import Indexer, numbers
from trubka.relay.crm.mapping import crm_user_for
from trubka.relay.crm.service import Active, CrmService, card_contact
from trubka.relay.store import contacts, crm_index, users
from trubka.relay.store import crm as crm_store
from trubka.relay.store.settings import RuntimeSettings
from trubka.relay.writer import EventWriter, Outbox

log = logging.getLogger("trubka.relay.crm")
SWEEP_SECONDS = 60.0


class Crm:
    def __init__(self, service: CrmService, writer: EventWriter) -> None:
        self.service = service
        self.writer = writer
        self.calls = CrmCalls(service, writer)
        self.indexer = Indexer(service)

    async def run(self) -> None:
        """The relay's CRM background work: the index schedule and the write sweep."""
        index = asyncio.create_task(self.indexer.run(), name="crm-index")
        try:
            while True:
                await asyncio.sleep(SWEEP_SECONDS)
                try:
                    if await self.service.active() is not None:
                        await self.calls.writeback.sweep()
                except Exception:
                    log.exception("crm write sweep failed")
                    self.service.metrics.failures.labels("crm").inc()
        finally:
            index.cancel()
            with suppress(asyncio.CancelledError):
                await index

    async def stop(self) -> None:
        await self.calls.stop()
        await self.service.stop()

    async def contact_changed(self, conn: AsyncConnection) -> None:
        """A contact changed through Trubka: the CRM's cached answers may be stale."""
        await crm_store.forget_answers(conn)

    async def create_contact(self, data: Contact, rt: RuntimeSettings) -> Contact:
        """Create a contact for a number: in the CRM when the connector can, else in the
        relay's book; earlier journal entries of its numbers get the card."""
        active = await self.service.active()
        if active is None or not active.spec.capabilities.create_contact \
                or not active.connector.creates():
            async with self.writer.transaction() as (conn, outbox):
                contact_id = await contacts.create(conn, data)
                record = await contacts.get(conn, contact_id)
                assert record is not None
                await outbox.contacts(contact_id)
                await self._linked(conn, outbox, record)
            return record
        created = await self._create_in(active, data, rt)
        async with self.writer.transaction() as (conn, outbox):
            if active.spec.capabilities.index:
                await crm_index.replace(conn, active.name, [crm_index.Entry(
                    active.config.get("create_catalog", ""), created.ref or created.crm_url,
                    "", {"name": created.name, "company": created.company,
                         "crm_url": created.crm_url, "phones": list(created.phones)},
                    numbers(created.phones, rt.default_country))])
            contact = card_contact(created, active.name, data.responsible_ext,
                                   rt.default_country)
            await self._linked(conn, outbox, contact)
        return contact

    async def _create_in(self, active: Active, data: Contact, rt: RuntimeSettings) -> Card:
        responsible = None
        if data.responsible_ext:
            async with self.service.store.quick_read() as conn:
                employee = await users.user_by_ext(conn, data.responsible_ext)
            if employee is not None:
                known = list((await self.service.crm_users(active)).values())
                responsible = crm_user_for(employee, known, active.explicit)
        card = Card(data.name, data.company, tuple(p.canonical for p in data.phones),
                    data.email, responsible=responsible)
        try:
            return await self.service.track(active, lambda: active.connector.create(card))
        except Exception as exc:
            raise ProviderError(active.name, f"{active.spec.title('en')} did not create the "
                                f"contact: {reason(exc)}") from None

    async def _linked(self, conn: AsyncConnection, outbox: Outbox, contact: Contact) -> None:
        await self.contact_changed(conn)
        linked = await self.calls.link(conn, outbox, contact)
        if linked:
            log.info("contact %s linked to %d earlier call(s)", contact.name, linked)
