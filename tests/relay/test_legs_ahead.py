"""Call legs read ahead for a batch of webhooks (`calls.lock_legs`, `EventWriter.submit`'s
`legs`): one statement reads and locks the legs a batch's jobs said they would change,
and a job never acts on a leg that an earlier job of the same batch has changed since.
The same for the address-book candidates of new calls' numbers (`numbers`, PostgreSQL):
a match from them is the match `contacts.match` makes, also after an earlier job of the
batch called one of those contacts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from trubka.core.contacts import Contact
from trubka.core.model import Call, CallEvent, CallState, Direction, EventKind, JournalStatus
from trubka.core.numbers import normalize
from trubka.relay.app import build_relay, close_relay
from trubka.relay.config import RelayConfig
from trubka.relay.deps import Relay
from trubka.relay.hub.memory import MemoryHub
from trubka.relay.store import calls, contacts, users
from trubka.relay.store.db import Store
from trubka.relay.writer import EventWriter, Outbox


def leg(call_id: str, ext: str) -> Call:
    return Call(id=calls.new_id(), provider="pbx", provider_call_id=call_id,
                direction=Direction.IN, state=CallState.RINGING, phone="+79031112233",
                phone_raw="89031112233", ext=ext)


async def test_legs_are_read_and_locked_in_one_statement(store: Store) -> None:
    async with store.write() as conn:
        anna = (await users.add_user(conn, "Анна", "101")).id
        boris = (await users.add_user(conn, "Борис", "102")).id
        ringing = leg("c1", "101")
        await calls.save(conn, anna, ringing, is_new=True)
    keys = [("pbx", "c1", anna), ("pbx", "c1", boris), ("pbx", "c2", anna), ("pbx", "c1", anna)]
    async with store.write("lane") as conn:
        found = await calls.lock_legs(conn, keys)
        assert found == {("pbx", "c1", anna): ringing, ("pbx", "c1", boris): None,
                         ("pbx", "c2", anna): None}
        if store.is_sqlite:
            return  # one writer at a time: nothing else could change the leg meanwhile
        async with store.read() as other:
            driver = (await other.get_raw_connection()).driver_connection
            assert driver is not None
            with pytest.raises(Exception, match="could not obtain lock"):
                await driver.fetch("SELECT id FROM calls WHERE id = $1 FOR UPDATE NOWAIT",
                                   ringing.id)


async def test_a_leg_read_ahead_is_taken_once_then_read_with_the_batch_s_writes(
        store: Store) -> None:
    """Two jobs of one batch for the same new leg: the first finds it absent (read ahead)
    and creates it; the second must see that leg, not the absence read before it."""
    async with store.write() as conn:
        anna = (await users.add_user(conn, "Анна", "101")).id
    writer = EventWriter(store, MemoryHub())
    key = ("pbx", "c1", anna)
    seen: list[tuple[bool, Call | None]] = []

    async def job(conn: AsyncConnection, outbox: Outbox) -> None:
        was_ahead = key in outbox.legs
        current = await calls.take_leg(conn, outbox.legs, *key)
        seen.append((was_ahead, current))
        if current is None:
            await calls.save(conn, anna, leg("c1", "101"), is_new=True)

    # submitted in one turn of the loop: one lane, one batch
    await asyncio.gather(*(writer.submit(job, key="101", legs=[key]) for _ in range(2)))
    await writer.stop()
    (first_ahead, first), (second_ahead, second) = seen
    assert first_ahead and first is None  # read by the batch's one statement
    assert not second_ahead and second is not None and second.provider_call_id == "c1"


@pytest.fixture
async def relay(tmp_path: Path, database_url: str | None) -> AsyncIterator[Relay]:
    relay = await build_relay(RelayConfig(data_dir=tmp_path, database_url=database_url))
    try:
        yield relay
    finally:
        await close_relay(relay)


async def one_lane(relay: Relay, *names: str) -> list[str]:
    """Employees `names` added with extensions (from 101) that share one write lane, so
    that their webhooks submitted together are written in one batch."""
    writer = relay.ingest.writer
    first = "101"
    mates = [e for e in (str(n) for n in range(102, 1000))
             if writer._lane(e) is writer._lane(first)]
    exts = [first, *mates[:len(names) - 1]]
    async with relay.store.write() as conn:
        for name, ext in zip(names, exts, strict=True):
            await users.add_user(conn, name, ext)
    return exts


async def test_a_colleague_s_answer_in_the_same_batch_is_not_undone(relay: Relay) -> None:
    """Boris's end event is written in the same transaction as Anna's answer, right after
    it. Anna's answer turned Boris's leg into "answered elsewhere"; his end must apply to
    that, not to the ringing leg read ahead for the batch (which would log him a missed
    call)."""
    anna_ext, boris_ext = await one_lane(relay, "Анна", "Борис")
    for ext in (anna_ext, boris_ext):
        await relay.ingest.events([CallEvent("zadarma", "group", EventKind.RINGING,
                                             direction=Direction.IN, ext=ext,
                                             phone_raw="89031112233")])
    await asyncio.gather(
        relay.ingest.events([CallEvent("zadarma", "group", EventKind.ANSWERED, ext=anna_ext)]),
        relay.ingest.events([CallEvent("zadarma", "group", EventKind.ENDED, ext=boris_ext)]))
    async with relay.store.read() as conn:
        by_ext = {c.ext: c for _, c in await calls.legs(conn, "zadarma", "group")}
        boris_entry = await calls.journal_for_call(conn, by_ext[boris_ext].id)
    assert by_ext[anna_ext].state is CallState.ANSWERED
    assert by_ext[boris_ext].state is CallState.ANSWERED_ELSEWHERE
    assert boris_entry is None


async def test_candidates_read_ahead_give_the_match_a_query_gives(store: Store) -> None:
    """Exact, last-digits and unknown numbers, and one too short for the last-digits rule:
    read together, each number's match is what its own query finds."""
    async with store.write() as conn:
        for name, phone in [("Exact", "+79035552233"), ("Suffix", "+19035552234"),
                            ("Short", "+7100")]:
            await contacts.create(conn, Contact(None, name, phones=(normalize(phone),)))
    numbers = [normalize(p) for p in ("+79035552233", "+79035552234", "+79035550000",
                                      "+7100", "+7100")]
    async with store.write("lane") as conn:
        ahead = await contacts.candidates_ahead(
            conn, [contacts.match_key(n, 10) for n in numbers])
        assert len(ahead) == 4  # the repeated number asked once
        for number in numbers:
            found = await contacts.match(conn, number, 10, ahead=ahead)
            assert found == await contacts.match(conn, number, 10)
        names = [[c.name for c in await contacts.match(conn, n, 10, ahead=ahead)]
                 for n in numbers]
    assert names == [["Exact"], ["Suffix"], [], ["Short"], ["Short"]]


async def test_a_batch_of_new_calls_reads_their_candidates_once(store: Store) -> None:
    async with store.write() as conn:
        anna = (await users.add_user(conn, "Анна", "101")).id
    writer = EventWriter(store, MemoryHub())
    seen: list[bool] = []

    def job_for(n: int) -> tuple[calls.LegKey, contacts.MatchKey, Any]:
        leg_key = ("pbx", f"c{n}", anna)
        match_key = contacts.match_key(normalize(f"+7903555000{n}"), 10)

        async def job(conn: AsyncConnection, outbox: Outbox) -> None:
            seen.append(match_key in outbox.matches)
        return leg_key, match_key, job

    jobs = [job_for(n) for n in range(3)]
    await asyncio.gather(*(writer.submit(job, key="101", legs=[leg_key],
                                         numbers=[(leg_key, match_key)])
                           for leg_key, match_key, job in jobs))
    await writer.stop()
    assert seen == [not store.is_sqlite] * 3  # SQLite: no round trip to save


async def test_a_contact_called_earlier_in_the_batch_ranks_as_called(relay: Relay) -> None:
    """Two contacts match Boris's caller by the last ten digits alike; Petrov was called
    more recently. Anna's call, written just before Boris's in the same transaction, is
    from Ivanov's own number: Ivanov is now the one called last, and Boris's caller is
    matched to Ivanov — not to Petrov, as the candidates read at the batch's start say."""
    anna_ext, boris_ext = await one_lane(relay, "Анна", "Борис")
    async with relay.store.write() as conn:
        await contacts.create(conn, Contact(None, "Ivanov", phones=(normalize("+19035552233"),)))
        petrov = await contacts.create(
            conn, Contact(None, "Petrov", phones=(normalize("+449035552233"),)))
        await contacts.touch_called(conn, petrov)

    def ringing(call_id: str, ext: str, phone: str) -> list[CallEvent]:
        return [CallEvent("zadarma", call_id, EventKind.RINGING, direction=Direction.IN,
                          ext=ext, phone_raw=phone)]

    for ext in (anna_ext, boris_ext):  # each employee met: their legs are read ahead
        await relay.ingest.events(ringing(f"first-{ext}", ext, "+74950000000"))
    await asyncio.gather(relay.ingest.events(ringing("a", anna_ext, "+19035552233")),
                         relay.ingest.events(ringing("b", boris_ext, "+79035552233")))
    async with relay.store.read() as conn:
        (_, anna_leg), = await calls.legs(conn, "zadarma", "a")
        (_, boris_leg), = await calls.legs(conn, "zadarma", "b")
    assert anna_leg.contact is not None and anna_leg.contact.name == "Ivanov"
    assert boris_leg.contact is not None and boris_leg.contact.name == "Ivanov"


async def test_new_legs_written_together_are_there_for_whatever_reads_them(
        relay: Relay) -> None:
    """New legs are inserted together at the batch's end — but before anything in it reads
    legs or writes a journal entry. In one batch: Anna's phone starts ringing for a group
    call that already rings at Boris's, and Boris answers (finding Anna's new leg ringing);
    Clara's call rings and is answered, in one webhook (the answer reads her new leg);
    Dmitry's PBX reports a missed call it never announced (its journal entry refers to
    the leg made for it)."""
    anna, boris, clara, dmitry = await one_lane(relay, "Анна", "Борис", "Клара", "Дмитрий")

    def event(call_id: str, kind: EventKind, ext: str, **more: Any) -> CallEvent:
        return CallEvent("zadarma", call_id, kind, direction=Direction.IN, ext=ext,
                         phone_raw="+79031112233", **more)

    for ext in (anna, clara, dmitry):  # each employee met: their legs are read ahead
        await relay.ingest.events([event(f"first-{ext}", EventKind.RINGING, ext)])
    await relay.ingest.events([event("group", EventKind.RINGING, boris)])
    await asyncio.gather(
        relay.ingest.events([event("group", EventKind.RINGING, anna)]),
        relay.ingest.events([event("group", EventKind.ANSWERED, boris)]),
        relay.ingest.events([event("talk", EventKind.RINGING, clara),
                             event("talk", EventKind.ANSWERED, clara)]),
        relay.ingest.events([event("lost", EventKind.ENDED, dmitry,
                                   status=JournalStatus.MISSED)]))
    async with relay.store.read() as conn:
        group = {c.ext: c.state for _, c in await calls.legs(conn, "zadarma", "group")}
        (_, talk), = await calls.legs(conn, "zadarma", "talk")
        (_, lost), = await calls.legs(conn, "zadarma", "lost")
        entry = await calls.journal_for_call(conn, lost.id)
    assert group == {anna: CallState.ANSWERED_ELSEWHERE, boris: CallState.ANSWERED}
    assert talk.state is CallState.ANSWERED
    assert lost.state is CallState.ENDED
    assert entry is not None and entry.entry.status is JournalStatus.MISSED


async def test_an_end_naming_no_employee_finds_a_leg_made_in_its_batch(relay: Relay) -> None:
    """Zadarma's NOTIFY_END without `internal` names no employee: it reaches the legs of
    its call in progress, read from the database — including Anna's, made by the webhook
    just before it in the same batch and not inserted yet."""
    anna, = await one_lane(relay, "Анна")
    await relay.ingest.events([CallEvent("zadarma", f"first-{anna}", EventKind.RINGING,
                                         direction=Direction.IN, ext=anna,
                                         phone_raw="+74950000000")])
    writer = relay.ingest.writer
    call_id = next(c for c in (f"z{n}" for n in range(1000))
                   if writer._lane(c) is writer._lane(anna))  # its lane key: the call id
    await asyncio.gather(
        relay.ingest.events([CallEvent("zadarma", call_id, EventKind.RINGING,
                                       direction=Direction.IN, ext=anna,
                                       phone_raw="+79031112233")]),
        relay.ingest.events([CallEvent("zadarma", call_id, EventKind.ENDED,
                                       status=JournalStatus.MISSED)]))
    async with relay.store.read() as conn:
        (_, leg), = await calls.legs(conn, "zadarma", call_id)
        entry = await calls.journal_for_call(conn, leg.id)
    assert leg.state is CallState.ENDED
    assert entry is not None and entry.entry.status is JournalStatus.MISSED
