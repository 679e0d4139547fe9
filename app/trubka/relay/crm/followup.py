"""What a call's events set in motion at the CRM, after their transaction commits.

`Ingest.events` (relay/ingest.py) hands each webhook's transaction a `Followup`: it
notes the calls that started (their card is then asked from the CRM and sent in a new
`call` frame) and claims the writes the CRM gets — Bitrix24's `register` when a call
starts, amoCRM's `call` or Bitrix24's `finish` once the journal entry is final, the
recording — in the ledger, in the same transaction as the decision (store/crm.py,
`claim`). Only after the commit does `dispatch` start the work, so nothing reaches the
CRM for a transaction that rolled back, and nothing twice for a webhook retried on
another replica.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from trubka.core.contacts import Contact
from trubka.core.model import Call, JournalEntry
from trubka.core.numbers import try_normalize
from trubka.relay.crm.service import Active, CrmService
from trubka.relay.crm.writeback import Writeback
from trubka.relay.store import calls
from trubka.relay.store import crm as crm_store
from trubka.relay.store.settings import RuntimeSettings
from trubka.relay.writer import EventWriter, Outbox

log = logging.getLogger("trubka.relay.crm")


@dataclass
class Followup:
    """Collected during one webhook transaction; `dispatch` runs it after the commit."""

    crm: CrmCalls
    active: Active
    rt: RuntimeSettings
    started: list[tuple[int, Call]] = field(default_factory=list)
    claimed: list[int] = field(default_factory=list)

    async def call_started(self, conn: AsyncConnection, user_id: int, call: Call) -> None:
        has_card = call.contact is not None and call.contact.source == self.active.name
        if self.active.spec.capabilities.lookup and call.phone and not has_card and (
                call.contact is None or self.rt.lookup_order == "crm,book"):
            self.started.append((user_id, call))
        if "register" in self.active.spec.writes:
            await self._claim(conn, "register", user_id, call)

    async def journaled(self, conn: AsyncConnection, user_id: int, call: Call,
                        entry: JournalEntry, was_final: bool) -> None:
        """The journal entry was saved as the PBX's final word (`authoritative`)."""
        writes = self.active.spec.writes
        if not was_final:
            for kind in ("call", "finish"):
                if kind in writes:
                    await self._claim(conn, kind, user_id, call)
        if entry.recording_url and "record" in writes:
            await self._claim(conn, "record", user_id, call)

    async def _claim(self, conn: AsyncConnection, kind: str, user_id: int, call: Call) -> None:
        if not self.active.writes_calls:
            return
        claimed = await crm_store.claim(conn, self.active.name, kind, call.provider,
                                        call.provider_call_id, call.id, user_id)
        if claimed is not None:
            self.claimed.append(claimed)

    def dispatch(self) -> None:
        for user_id, call in self.started:
            self.crm.spawn(self.crm.enrich(user_id, call, self.rt))
        if self.claimed:
            self.crm.spawn(self.crm.writeback.perform_all(self.claimed))


class CrmCalls:
    """The CRM's part in calls: cards for new calls, writes after them, links for
    contacts created later."""

    def __init__(self, service: CrmService, writer: EventWriter) -> None:
        self.service = service
        self.writer = writer
        self.writeback = Writeback(service)
        self.tasks: set[asyncio.Task[Any]] = set()

    def followup(self, active: Active | None, rt: RuntimeSettings) -> Followup | None:
        """A collector for one webhook transaction, or None without a CRM."""
        return Followup(self, active, rt) if active is not None else None

    def spawn(self, work: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("crm follow-up failed", exc_info=task.exception())
            self.service.metrics.failures.labels("crm").inc()

    async def stop(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)

    async def enrich(self, user_id: int, call: Call, rt: RuntimeSettings) -> None:
        """Ask the CRM for a new call's card; when it adds something, send the call again
        (a new frame, same call id) and put the card in its journal entry too."""
        number = try_normalize(call.phone, rt.default_country)
        if number is None:
            return
        answer = await self.service.find(number, rt)
        if answer.contact is None or (call.contact is not None
                                      and rt.lookup_order != "crm,book"):
            return
        async with self.writer.transaction() as (conn, outbox):
            await self.show(conn, outbox, user_id, call, answer.contact)

    async def show(self, conn: AsyncConnection, outbox: Outbox, user_id: int, call: Call,
                   contact: Contact, frame: bool = True) -> None:
        """Put `contact` on a stored call and its journal entry, with their frames (a
        `call` frame only with `frame`: an old finished call opens no window)."""
        await crm_store.set_call_contact(conn, call.id, contact)
        if frame:
            fresh = await calls.get_leg(conn, call.provider, call.provider_call_id, user_id)
            if fresh is not None:
                await outbox.call(user_id, fresh)
        stored = await calls.journal_for_call(conn, call.id)
        if stored is not None:
            await outbox.journal(user_id, replace(stored.entry, contact=contact))

    async def link(self, conn: AsyncConnection, outbox: Outbox, contact: Contact) -> int:
        """A contact was created for a number: earlier journal entries (and calls in
        progress) of that number without a card get this one; how many."""
        linked = 0
        for number in contact.phones:
            for user_id, call in await crm_store.unlinked(conn, number.canonical):
                await self.show(conn, outbox, user_id, call, contact,
                                frame=not call.state.is_final)
                linked += 1
        return linked
