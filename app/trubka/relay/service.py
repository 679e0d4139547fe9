"""What the relay does with a webhook, a lookup and a click-to-call, free of HTTP.

`ingest` is the heart of a call's journey (docs/architecture.md): in one write
transaction it maps each event to an employee, folds it into the call with the core
state machine, refines the journal entry, and appends the resulting frames to the
employee's event log. Only after the commit are the frames handed to the hub, so a
webhook is acknowledged only once what it changed is durable (SPEC §7).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, Protocol

import httpx
from sqlalchemy.ext.asyncio import AsyncConnection

from trubka.core import calls as machine
from trubka.core.errors import NotConfigured
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
from trubka.core.numbers import Number, display, try_normalize
from trubka.core.protocol import call_frame, contacts_frame, journal_frame
from trubka.providers import SPECS
from trubka.providers.base import DialResult, LookupAnswer, PbxUser, Provider
from trubka.relay.metrics import Metrics
from trubka.relay.store import calls, contacts, settings, users
from trubka.relay.store.db import Store

log = logging.getLogger("trubka.relay")


class Hub(Protocol):
    async def publish(self, user_id: int, seq: int, frame: str) -> None: ...


@dataclass(frozen=True, slots=True)
class Pending:
    """A frame committed to a user's log, waiting to be handed to the hub."""

    user_id: int
    seq: int
    text: str


def _dump(frame: dict[str, Any]) -> str:
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


class Log:
    """Appends frames to users' event logs inside one transaction."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn
        self.pending: list[Pending] = []

    async def call(self, user_id: int, call: Call) -> None:
        seq = await users.next_seq(self.conn, user_id)
        await self._append(user_id, seq, call_frame(seq, call))

    async def journal(self, user_id: int, entry: JournalEntry) -> None:
        seq = await users.next_seq(self.conn, user_id)
        await self._append(user_id, seq, journal_frame(seq, entry))

    async def contacts(self, user_id: int, contact_id: int | None) -> None:
        seq = await users.next_seq(self.conn, user_id)
        await self._append(user_id, seq, contacts_frame(seq, contact_id))

    async def _append(self, user_id: int, seq: int, frame: dict[str, Any]) -> None:
        text = _dump(frame)
        await users.append_event(self.conn, user_id, seq, text)
        self.pending.append(Pending(user_id, seq, text))


_Job = tuple[list[CallEvent], "asyncio.Future[int]"]
MAX_BATCH = 64
CONVERSATION_TIMEOUT = timedelta(hours=12)


def _settle(job: _Job, result: int = 0, exc: BaseException | None = None) -> None:
    future = job[1]
    if future.done():  # its webhook request was cancelled; the work is done anyway
        return
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(result)


class CallService:
    def __init__(self, store: Store, hub: Hub, http: httpx.AsyncClient, metrics: Metrics) -> None:
        self.store = store
        self.hub = hub
        self.http = http
        self.metrics = metrics
        self._jobs: list[_Job] = []
        self._writer: asyncio.Task[None] | None = None

    async def publish(self, pending: Sequence[Pending]) -> None:
        for p in pending:
            await self.hub.publish(p.user_id, p.seq, p.text)

    # -- providers ------------------------------------------------------------------
    async def provider(self, name: str) -> Provider | None:
        """The configured provider `name`, or None when the administrator has not set it."""
        async with self.store.quick_read() as conn:
            configs = dict(await settings.provider_configs(conn))
        if name not in configs or name not in SPECS:
            return None
        return SPECS[name].build(configs[name], self.http)

    async def outbound_provider(self) -> Provider:
        async with self.store.read() as conn:
            configs = await settings.provider_configs(conn)
            chosen = (await settings.load(conn)).outbound_provider
        for name, config in configs:
            if name in SPECS and (not chosen or name == chosen):
                return SPECS[name].build(config, self.http)
        raise NotConfigured("no PBX is configured for click-to-call "
                            "(trubka-relay provider set NAME ...)")

    # -- inbound ----------------------------------------------------------------------
    async def ingest(self, events: Sequence[CallEvent]) -> int:
        """Apply one webhook's events; returns how many reached a known employee.

        Webhooks that arrive while a transaction is being written are committed together
        in the next one (group commit): each still returns only after its own changes
        are durable, and one commit, one fsync and one settings read serve them all.
        """
        if not events:
            return 0
        job: _Job = (list(events), asyncio.get_running_loop().create_future())
        self._jobs.append(job)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_batches())
        return await job[1]

    async def _write_batches(self) -> None:
        while self._jobs:
            batch, self._jobs = self._jobs[:MAX_BATCH], self._jobs[MAX_BATCH:]
            try:
                results, pending = await self._apply(batch)
            except Exception:
                # One bad job must not fail the others: retry them one by one.
                for job in batch:
                    try:
                        results, pending = await self._apply([job])
                    except Exception as exc:
                        _settle(job, exc=exc)
                        continue
                    await self.publish(pending)
                    _settle(job, results[0])
                continue
            await self.publish(pending)
            for job, result in zip(batch, results, strict=True):
                _settle(job, result)

    async def _apply(self, batch: list[_Job]) -> tuple[list[int], list[Pending]]:
        async with self.store.write() as conn:
            rt = await settings.load(conn)
            log_ = Log(conn)
            results = []
            for events, _ in batch:
                matched = 0
                for event in events:
                    for one in await self._addressed(conn, event):
                        matched += await self._ingest_one(conn, log_, rt, one)
                results.append(matched)
        return results, log_.pending

    async def _addressed(self, conn: AsyncConnection, event: CallEvent) -> list[CallEvent]:
        """An event that names no employee (Zadarma's NOTIFY_END without `internal`, its
        NOTIFY_RECORD) reaches the legs of its call it can still change: those in
        progress, or for a recording those that ended in a conversation of their own."""
        if event.ext or event.user:
            return [event]
        legs = await calls.legs(conn, event.provider, event.provider_call_id)
        if event.kind is EventKind.RECORDING:
            return [replace(event, ext=c.ext) for _, c in legs if c.state is CallState.ENDED]
        return [replace(event, ext=c.ext) for _, c in legs if not c.state.is_final]

    async def _ingest_one(
        self, conn: AsyncConnection, log_: Log, rt: settings.RuntimeSettings, event: CallEvent
    ) -> int:
        user = await users.resolve(conn, event.ext, event.user)
        if user is None:
            log.warning("%s call %s: no relay user for ext=%r user=%r", event.provider,
                        event.provider_call_id, event.ext, event.user)
            self.metrics.unmatched.labels(event.provider).inc()
            return 0
        current = await calls.get_leg(conn, event.provider, event.provider_call_id, user.id)
        seed = None
        if current is None:
            fresh = await self._seed(conn, rt, event, user)
            seed = lambda state: replace(fresh, state=state)  # noqa: E731
        outcome = machine.apply(current, event, seed)
        call = outcome.call
        if call is None:
            return 1
        if outcome.call_changed:
            await calls.save(conn, user.id, call, is_new=current is None)
            await log_.call(user.id, call)
            if current is None and call.contact is not None:
                await contacts.touch_called(conn, call.contact.id)
            log.info("call %s %s %s → %s (ext %s)", call.id, call.direction, call.phone,
                     call.state, user.ext)
        if outcome.journal is not None:
            await self._journal(conn, log_, user.id, call, outcome.journal)
        if event.kind is EventKind.ANSWERED and outcome.call_changed:
            await self._answered_elsewhere(conn, log_, event, user)
        return 1

    async def _seed(
        self, conn: AsyncConnection, rt: settings.RuntimeSettings, event: CallEvent,
        user: users.User,
    ) -> Call:
        number = try_normalize(event.phone_raw, rt.default_country)
        contact = None
        if number is not None:
            found = await contacts.match(conn, number, rt.last_digits, limit=1)
            contact = found[0] if found else None
        return Call(
            id=calls.new_id(), provider=event.provider,
            provider_call_id=event.provider_call_id,
            direction=event.direction or Direction.IN, state=CallState.RINGING,
            phone=number.canonical if number else "", phone_raw=event.phone_raw or "",
            ext=user.ext, line=event.line or "", contact=contact,
        )

    async def _journal(
        self, conn: AsyncConnection, log_: Log, user_id: int, call: Call,
        update: machine.JournalUpdate,
    ) -> None:
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
            await log_.journal(user_id, entry)

    async def _answered_elsewhere(
        self, conn: AsyncConnection, log_: Log, event: CallEvent, user: users.User
    ) -> None:
        """A colleague picked up a group call: close the others' ringing windows."""
        legs = await calls.other_ringing_legs(conn, event.provider, event.provider_call_id,
                                              user.id)
        for user_id, leg in legs:
            elsewhere = CallEvent(event.provider, event.provider_call_id,
                                  EventKind.ANSWERED_ELSEWHERE,
                                  answered_by=f"{user.name} ({user.ext})")
            outcome = machine.apply(leg, elsewhere)
            if outcome.call is not None and outcome.call_changed:
                await calls.save(conn, user_id, outcome.call, is_new=False)
                await log_.call(user_id, outcome.call)

    async def end_stale_calls(self) -> int:
        """End calls whose end event never came, so no window rings forever."""
        async with self.store.write() as conn:
            rt = await settings.load(conn)
            now = utcnow()
            log_ = Log(conn)
            # A call left ringing expires after the ring timeout; a conversation only
            # when no event came for CONVERSATION_TIMEOUT (its end event was lost).
            ring = timedelta(minutes=rt.ring_timeout_minutes)
            stale = await calls.stale_in_progress(conn, now - ring, state=CallState.RINGING)
            stale += await calls.stale_in_progress(conn, now - max(ring, CONVERSATION_TIMEOUT),
                                                   state=CallState.ANSWERED)
            owners: dict[str, Provider] = {}  # per-provider expiry and journal rules
            for name, config in await settings.provider_configs(conn):
                if name in SPECS:
                    owners[name] = SPECS[name].build(config, self.http)
                    seconds = owners[name].stale_after()
                    if seconds is not None:
                        stale += await calls.stale_in_progress(
                            conn, now - timedelta(seconds=seconds), provider=name)
            stale = list({call.id: (user_id, call) for user_id, call in stale}.values())
            for user_id, call in stale:
                event = CallEvent(call.provider, call.provider_call_id, EventKind.ENDED)
                outcome = machine.apply(call, event)
                if outcome.call is not None and outcome.call_changed:
                    await calls.save(conn, user_id, outcome.call, is_new=False)
                    await log_.call(user_id, outcome.call)
                owner = owners.get(call.provider)
                if owner is not None and not owner.journal_on_expiry:
                    continue
                if outcome.call is not None and outcome.journal is not None:
                    await self._journal(conn, log_, user_id, outcome.call, outcome.journal)
        await self.publish(log_.pending)
        return len(stale)

    # -- lookups ------------------------------------------------------------------
    async def answer_lookup(self, phone_raw: str) -> LookupAnswer:
        """Caller name and smart transfer (SPEC §2.1): the responsible employee's
        extension when the feature is on, the contact has one and that employee exists."""
        async with self.store.quick_read() as conn:
            rt = await settings.load(conn)
            number = try_normalize(phone_raw, rt.default_country)
            if number is None:
                return LookupAnswer()
            found = await contacts.match(conn, number, rt.last_digits, limit=1)
            if not found:
                return LookupAnswer()
            contact = found[0]
            responsible = ""
            if rt.smart_transfer and contact.responsible_ext:
                if await users.user_by_ext(conn, contact.responsible_ext) is not None:
                    responsible = contact.responsible_ext
            return LookupAnswer(contact.name, responsible)

    async def lookup_number(self, phone_raw: str) -> tuple[Number | None, list[Any]]:
        async with self.store.read() as conn:
            rt = await settings.load(conn)
            number = try_normalize(phone_raw, rt.default_country)
            if number is None:
                return None, []
            return number, await contacts.lookup(conn, number, rt.last_digits)

    # -- address book changes -----------------------------------------------------
    async def contacts_changed(self, conn: AsyncConnection, contact_id: int | None) -> Log:
        log_ = Log(conn)
        for user_id in await users.all_user_ids(conn):
            await log_.contacts(user_id, contact_id)
        return log_

    # -- outbound -----------------------------------------------------------------
    async def dial(self, user: users.User, number: Number) -> tuple[str, DialResult]:
        provider = await self.outbound_provider()
        log.info("dial: ext %s → %s via %s", user.ext, display(number.canonical), provider.name)
        try:
            result = await provider.make_call(PbxUser(user.ext, user.pbx_user), number)
        except Exception:
            self.metrics.dials.labels(provider.name, "failed").inc()
            raise
        self.metrics.dials.labels(provider.name, "ok").inc()
        return provider.name, result
