"""Writing to the store and handing the committed frames to the hub, in that order.

`Outbox` collects a transaction's frames and, flushed before the commit, appends them to
the users' event logs (each frame takes its user's next seq; on PostgreSQL several frames
in one statement) and remembers them. `EventWriter` owns the
transactions that produce frames: `transaction()` for one piece of work, `submit()` for
webhooks, which it group-commits — jobs that arrive while a transaction is being written
share the next one and its fsync, each still returning only after its own changes are
durable. Only after a commit are the frames handed to the hub, so a frame reaches a
socket only once it can be replayed, and a `200` to a webhook means committed (SPEC §7).

Group commit shares the commit, not the statements: a transaction's statements are
round trips one after another. SQLite has one writer, so there is one lane. On
PostgreSQL the writer keeps `PG_LANES` transactions in flight, each webhook's lane
chosen by the employee it names: one employee's webhooks are written in order by one
lane (and that employee's seq row is not contended between lanes), different
employees' in parallel, so the rate is not capped at one transaction's round trips
(docs/performance.md). Two lanes that lock the same rows in opposite order (a group
call's legs, a contact both callers share) deadlock; PostgreSQL aborts one, and its
batch is retried job by job like any failed batch. The call legs a batch's jobs name are
read in one statement at its start (`submit(legs=…)`, `outbox.legs`), and on PostgreSQL
the address-book candidates of the numbers of those legs that are new (`numbers=…`,
`outbox.matches`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from trubka.core.model import Call, JournalEntry
from trubka.core.protocol import call_frame, contacts_frame, journal_frame
from trubka.relay.hub.base import Hub
from trubka.relay.store import calls, contacts, users
from trubka.relay.store.db import Store

log = logging.getLogger("trubka.relay.writer")

T = TypeVar("T")
MAX_BATCH = 64
PG_LANES = 4  # of a pool of 10 connections: the reads keep the rest


@dataclass(frozen=True, slots=True)
class Pending:
    """A frame committed to a user's log, waiting to be handed to the hub."""

    user_id: int
    seq: int
    text: str


def dump(frame: dict[str, Any]) -> str:
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


class Outbox:
    """Collects a transaction's frames and appends them to the users' event logs when
    flushed, before the commit."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn
        self.pending: list[Pending] = []
        # The call legs the batch's jobs said they would read, read at its start in one
        # statement (`EventWriter.submit`); a job takes its own with `calls.take_leg`.
        self.legs: dict[calls.LegKey, Call | None] = {}
        # The address-book candidates of the numbers of the legs read ahead as absent (new
        # calls), read with them on PostgreSQL; for `contacts.match(ahead=…)`.
        self.matches: contacts.Candidates = {}
        self._unlogged: list[tuple[int, str, str]] = []  # (user id, head, tail)
        self._new_legs: dict[str, tuple[int, Call]] = {}  # by call id: (user id, leg)

    def new_leg(self, user_id: int, call: Call) -> None:
        """A new call leg, inserted with the transaction's other new legs in one statement
        at `write_legs` — which must come before anything in the transaction reads legs
        or refers to this one (a journal entry), and comes at the latest at the flush."""
        self._new_legs[call.id] = (user_id, call)

    async def write_legs(self) -> None:
        """Insert the new legs collected so far (see `new_leg`)."""
        if self._new_legs:
            legs, self._new_legs = list(self._new_legs.values()), {}
            await calls.insert_many(self.conn, legs)

    async def call(self, user_id: int, call: Call) -> None:
        await self._append(user_id, call_frame(0, call))

    async def journal(self, user_id: int, entry: JournalEntry) -> None:
        await self._append(user_id, journal_frame(0, entry))

    async def contacts(self, contact_id: int | None) -> None:
        """The address book changed: every user's desktop reloads it (or one contact)."""
        frame = contacts_frame(0, contact_id)
        for user_id in await users.all_user_ids(self.conn):
            await self._append(user_id, frame)

    async def _append(self, user_id: int, frame: dict[str, Any]) -> None:
        """Log `frame` (built with seq 0) under the user's next seq, at the flush. The text
        is rendered once with the seq cut out, so the store can put the seq in as it takes
        it."""
        text = dump(frame)
        head = f'{{"type":"{frame["type"]}","seq":'
        assert text.startswith(head + "0,"), text[:40]
        self._unlogged.append((user_id, head, text[len(head) + 1:]))

    async def flush(self) -> None:
        """Insert the new legs and append the frames collected so far (the writer calls
        this before committing)."""
        await self.write_legs()
        frames, self._unlogged = self._unlogged, []
        logged = await users.append_frames(self.conn, frames)
        self.pending.extend(Pending(user_id, seq, text)
                            for (user_id, _, _), (seq, text) in zip(frames, logged, strict=True))


Job = Callable[[AsyncConnection, Outbox], Awaitable[T]]


@dataclass(slots=True)
class _Queued(Generic[T]):
    job: Job[T]
    future: asyncio.Future[T]
    legs: Sequence[calls.LegKey]
    numbers: Sequence[tuple[calls.LegKey, contacts.MatchKey]]

    def settle(self, result: Any = None, exc: BaseException | None = None) -> None:
        if self.future.done():  # its webhook request was cancelled; the work is done
            return
        if exc is not None:
            self.future.set_exception(exc)
        else:
            self.future.set_result(result)


@dataclass(slots=True, eq=False)  # hashed by identity: the store keeps its connection
class _Lane:
    """Jobs waiting for one chain of write transactions, and the task writing them."""

    queue: list[_Queued[Any]]
    task: asyncio.Task[None] | None = None


class EventWriter:
    def __init__(self, store: Store, hub: Hub, max_batch: int = MAX_BATCH) -> None:
        self.store = store
        self.hub = hub
        self.max_batch = max_batch
        self._lanes = [_Lane([]) for _ in range(1 if store.is_sqlite else PG_LANES)]

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[tuple[AsyncConnection, Outbox]]:
        """One write transaction; its frames go to the hub after it commits."""
        async with self.store.write() as conn:
            outbox = Outbox(conn)
            yield conn, outbox
            await outbox.flush()
        await self.publish(outbox.pending)

    async def submit(self, job: Job[T], key: str = "", legs: Sequence[calls.LegKey] = (),
                     numbers: Sequence[tuple[calls.LegKey, contacts.MatchKey]] = ()) -> T:
        """Run `job` in a transaction shared with the other jobs queued meanwhile in its
        lane (the lane of `key`: the employee the work is for); its result once the
        transaction committed (a failed batch is retried job by job, so one bad job
        fails only itself). The call `legs` the job will read and change are read for
        the whole batch in one statement before its jobs run (on PostgreSQL a round trip
        per batch instead of one per job) and wait in `outbox.legs`; on PostgreSQL, the
        address-book candidates of the `numbers` whose legs that read found absent — the
        number a new call would be matched by — in `outbox.matches`."""
        queued: _Queued[T] = _Queued(job, asyncio.get_running_loop().create_future(), legs,
                                     numbers)
        lane = self._lane(key)
        lane.queue.append(queued)
        if lane.task is None or lane.task.done():
            lane.task = asyncio.create_task(self._write_batches(lane), name="event-writer")
        return await queued.future

    def _lane(self, key: str) -> _Lane:
        return self._lanes[zlib.crc32(key.encode()) % len(self._lanes)]

    async def publish(self, pending: Sequence[Pending]) -> None:
        for p in pending:
            await self.hub.publish(p.user_id, p.seq, p.text)

    async def stop(self) -> None:
        """Finish the jobs already submitted (their webhooks wait for them)."""
        await asyncio.gather(*(lane.task for lane in self._lanes if lane.task is not None),
                             return_exceptions=True)

    async def _write_batches(self, lane: _Lane) -> None:
        while lane.queue:
            batch, lane.queue = lane.queue[:self.max_batch], lane.queue[self.max_batch:]
            try:
                results, pending = await self._apply(lane, batch)
            except Exception:
                await self._one_by_one(lane, batch)
                continue
            await self.publish(pending)
            for queued, result in zip(batch, results, strict=True):
                queued.settle(result)

    async def _one_by_one(self, lane: _Lane, batch: list[_Queued[Any]]) -> None:
        for queued in batch:
            try:
                results, pending = await self._apply(lane, [queued])
            except Exception as exc:
                queued.settle(exc=exc)
                continue
            await self.publish(pending)
            queued.settle(results[0])

    async def _apply(self, lane: _Lane, batch: list[_Queued[Any]]
                     ) -> tuple[list[Any], list[Pending]]:
        async with self.store.write(lane) as conn:
            outbox = Outbox(conn)
            wanted = [key for queued in batch for key in queued.legs]
            if len(wanted) > 1:  # one leg costs less by its own, simpler statement
                outbox.legs = await calls.lock_legs(conn, wanted)
                numbers = [number for queued in batch for leg, number in queued.numbers
                           if leg in outbox.legs and outbox.legs[leg] is None]
                if len(numbers) > 1 and not self.store.is_sqlite:  # SQLite: no round trip
                    outbox.matches = await contacts.candidates_ahead(conn, numbers)
            results = [await queued.job(conn, outbox) for queued in batch]
            await outbox.flush()
        return results, outbox.pending
