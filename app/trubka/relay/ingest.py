"""What a webhook's call events do to calls, the journal and the event log.

`Ingest.events` is the heart of a call's journey (docs/architecture.md): in one write
transaction (group-committed by the EventWriter) it maps each event to an employee,
folds it into that employee's leg of the call with the core state machine, refines the
journal entry, and appends the resulting frames to the employee's event log.
`end_stale_calls` ends the calls whose end event never came.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from trubka.core import calls as machine
from trubka.core.model import (
    Call,
    CallEvent,
    CallState,
    Direction,
    EventKind,
    JournalEntry,
    JournalStatus,
    utcnow,
)
from trubka.core.numbers import try_normalize
from trubka.relay.crm.followup import Followup
from trubka.relay.lookups import Lookups
from trubka.relay.metrics import Metrics
from trubka.relay.registry import ProviderRegistry, Snapshot
from trubka.relay.store import calls, contacts, settings, sightings, users
from trubka.relay.writer import EventWriter, Outbox

log = logging.getLogger("trubka.relay")

CONVERSATION_TIMEOUT = timedelta(hours=12)


Ahead = tuple[list[calls.LegKey], list[tuple[calls.LegKey, contacts.MatchKey]]]


def _ahead(events: Sequence[CallEvent], snapshot: Snapshot) -> Ahead:
    """The call legs a webhook's job will read, where that is known before it runs (the
    events naming an employee already known by extension, with the PBX's own call id), and
    the number each would be matched by in the address book if it is new
    (`EventWriter.submit`)."""
    rt, employees = snapshot.settings, snapshot.employees
    legs: list[calls.LegKey] = []
    numbers: list[tuple[calls.LegKey, contacts.MatchKey]] = []
    for e in events:
        if e.ext not in employees or e.same_call_within is not None:
            continue
        leg = (e.provider, e.provider_call_id, employees[e.ext].id)
        legs.append(leg)
        number = try_normalize(e.phone_raw, rt.default_country)
        if number is not None:
            numbers.append((leg, contacts.match_key(number, rt.last_digits)))
    return legs, numbers


async def _save_leg(conn: AsyncConnection, outbox: Outbox, user_id: int, call: Call,
                    is_new: bool) -> None:
    """Store a leg's new state and log its frame. A new leg is inserted with the batch's
    other new legs in one statement (`outbox.new_leg`): whatever reads legs or writes a
    journal entry afterwards in the batch calls `outbox.write_legs()` first. What was
    read ahead for the leg (`outbox.legs`) is out of date now: a later job of the batch
    reads it from the database."""
    if is_new:
        outbox.new_leg(user_id, call)
    else:
        await calls.save(conn, user_id, call, is_new=False)
    outbox.legs.pop((call.provider, call.provider_call_id, user_id), None)
    await outbox.call(user_id, call)


class Ingest:
    def __init__(self, writer: EventWriter, registry: ProviderRegistry, lookups: Lookups,
                 metrics: Metrics) -> None:
        self.writer = writer
        self.registry = registry
        self.lookups = lookups
        self.metrics = metrics

    async def events(self, events: Sequence[CallEvent]) -> int:
        """Apply one webhook's events; returns how many reached a known employee. Returns
        once they are committed (group commit: see writer.py)."""
        if not events:
            return 0
        snapshot = await self.registry.current()
        rt = snapshot.settings
        crm = self.lookups.crm.calls
        active = await crm.service.active()

        async def job(conn: AsyncConnection, outbox: Outbox) -> tuple[int, Followup | None]:
            matched = 0
            after = crm.followup(active, rt)  # what the CRM is to do once this commits
            for event in events:
                event = await sightings.resolve(conn, event)  # a PBX without call ids
                for one in await self._addressed(conn, outbox, event):
                    matched += await self._ingest_one(conn, outbox, snapshot, one, after)
            return matched, after

        first = events[0]  # its employee's webhooks are written in order (writer.py)
        legs, numbers = _ahead(events, snapshot)
        matched, after = await self.writer.submit(
            job, key=first.ext or first.user or first.provider_call_id, legs=legs,
            numbers=numbers)
        if after is not None:
            after.dispatch()
        return matched

    async def _addressed(self, conn: AsyncConnection, outbox: Outbox,
                         event: CallEvent) -> list[CallEvent]:
        """An event that names no employee (Zadarma's NOTIFY_END without `internal`, its
        NOTIFY_RECORD) reaches the legs of its call it can still change: those in
        progress, or for a recording those that ended in a conversation of their own."""
        if event.ext or event.user:
            return [event]
        await outbox.write_legs()
        legs = await calls.legs(conn, event.provider, event.provider_call_id)
        if event.kind is EventKind.RECORDING:
            return [replace(event, ext=c.ext) for _, c in legs if c.state is CallState.ENDED]
        return [replace(event, ext=c.ext) for _, c in legs if not c.state.is_final]

    async def _ingest_one(
        self, conn: AsyncConnection, outbox: Outbox, snapshot: Snapshot, event: CallEvent,
        after: Followup | None = None,
    ) -> int:
        rt = snapshot.settings
        user = await self._employee(conn, snapshot.employees, event)
        if user is None:
            log.warning("%s call %s: no relay user for ext=%r user=%r", event.provider,
                        event.provider_call_id, event.ext, event.user)
            self.metrics.unmatched.labels(event.provider).inc()
            return 0
        if (event.provider, event.provider_call_id, user.id) not in outbox.legs:
            await outbox.write_legs()  # the leg is read from the database
        current = await calls.take_leg(conn, outbox.legs, event.provider,
                                       event.provider_call_id, user.id)
        seed = await self._seed(conn, outbox, rt, event, user) if current is None else None
        outcome = machine.apply(current, event, seed)
        call = outcome.call
        if call is None:
            return 1
        if outcome.call_changed:
            await _save_leg(conn, outbox, user.id, call, is_new=current is None)
            if current is None and call.contact is not None and call.contact.id is not None:
                await contacts.touch_called(conn, call.contact.id)
                contacts.forget_ahead(outbox.matches, call.contact.id)
            if current is None and after is not None:
                await after.call_started(conn, user.id, call)
            # DEBUG (`-v`): a line per call state was a tenth of a webhook's CPU time.
            log.debug("call %s %s %s → %s (ext %s)", call.id, call.direction, call.phone,
                     call.state, user.ext)
        if outcome.journal is not None:
            await self._journal(conn, outbox, user.id, call, outcome.journal, after)
        if event.kind is EventKind.ANSWERED and outcome.call_changed:
            await self._answered_elsewhere(conn, outbox, event, user)
        return 1

    @staticmethod
    async def _employee(conn: AsyncConnection, known: dict[str, users.User],
                        event: CallEvent) -> users.User | None:
        """The employee an event names: one already met in this configuration snapshot
        (registry.py), else from the store (a new employee, a login)."""
        user = known.get(event.ext) if event.ext else None
        if user is None:
            user = await users.resolve(conn, event.provider, event.ext, event.user)
            if user is not None and event.ext == user.ext:
                known[user.ext] = user
        return user

    async def _seed(
        self, conn: AsyncConnection, outbox: Outbox, rt: settings.RuntimeSettings,
        event: CallEvent, user: users.User,
    ) -> Callable[[CallState], Call]:
        """The new leg in the state the state machine gives it (`machine.apply`'s seed)."""
        number = try_normalize(event.phone_raw, rt.default_country)
        contact = await self.lookups.match(conn, number, rt, outbox.matches) \
            if number is not None else None

        def seed(state: CallState) -> Call:
            return Call(
                id=calls.new_id(), provider=event.provider,
                provider_call_id=event.provider_call_id,
                direction=event.direction or Direction.IN, state=state,
                phone=number.canonical if number else "", phone_raw=event.phone_raw or "",
                ext=user.ext, line=event.line or "", contact=contact,
            )
        return seed

    async def _journal(
        self, conn: AsyncConnection, outbox: Outbox, user_id: int, call: Call,
        update: machine.JournalUpdate, after: Followup | None = None,
    ) -> None:
        await outbox.write_legs()  # the entry refers to its leg
        stored = await calls.journal_for_call(conn, call.id)

        def seed(status: JournalStatus) -> JournalEntry:
            return JournalEntry(calls.new_id(), call.id, call.direction, status, call.phone,
                                call.phone_raw, call.contact, call.started_at)

        entry, changed, authoritative = machine.merge_journal(
            stored.entry if stored else None, stored.authoritative if stored else False,
            update, seed)
        if changed or (stored is not None and authoritative != stored.authoritative):
            await calls.save_entry(conn, user_id, entry, authoritative, is_new=stored is None)
        if changed:
            await outbox.journal(user_id, entry)
        was_final = stored is not None and stored.authoritative
        if after is not None and authoritative and (changed or not was_final):
            await after.journaled(conn, user_id, call, entry, was_final)

    async def _answered_elsewhere(
        self, conn: AsyncConnection, outbox: Outbox, event: CallEvent, user: users.User
    ) -> None:
        """A colleague picked up a group call: close the others' ringing windows."""
        await outbox.write_legs()
        legs = await calls.other_ringing_legs(conn, event.provider, event.provider_call_id,
                                              user.id)
        for user_id, leg in legs:
            elsewhere = CallEvent(event.provider, event.provider_call_id,
                                  EventKind.ANSWERED_ELSEWHERE,
                                  answered_by=f"{user.name} ({user.ext})")
            outcome = machine.apply(leg, elsewhere)
            if outcome.call is not None and outcome.call_changed:
                await _save_leg(conn, outbox, user_id, outcome.call, is_new=False)

    async def end_stale_calls(self) -> int:
        """End calls whose end event never came, so no window rings forever."""
        snapshot = await self.registry.current()
        rt = snapshot.settings
        async with self.writer.transaction() as (conn, outbox):
            now = utcnow()
            # A call left ringing expires after the ring timeout; a conversation only
            # when no event came for CONVERSATION_TIMEOUT (its end event was lost).
            ring = timedelta(minutes=rt.ring_timeout_minutes)
            stale = await calls.stale_in_progress(conn, now - ring, state=CallState.RINGING)
            stale += await calls.stale_in_progress(conn, now - max(ring, CONVERSATION_TIMEOUT),
                                                   state=CallState.ANSWERED)
            owners = snapshot.providers  # per-provider expiry and journal rules
            for name, owner in owners.items():
                seconds = owner.stale_after()
                if seconds is not None:
                    stale += await calls.stale_in_progress(
                        conn, now - timedelta(seconds=seconds), provider=name)
            stale = list({call.id: (user_id, call) for user_id, call in stale}.values())
            for user_id, call in stale:
                event = CallEvent(call.provider, call.provider_call_id, EventKind.ENDED)
                outcome = machine.apply(call, event)
                if outcome.call is not None and outcome.call_changed:
                    await _save_leg(conn, outbox, user_id, outcome.call, is_new=False)
                found = owners.get(call.provider)
                if found is not None and not found.journal_on_expiry:
                    continue
                if outcome.call is not None and outcome.journal is not None:
                    await self._journal(conn, outbox, user_id, outcome.call, outcome.journal)
        return len(stale)

