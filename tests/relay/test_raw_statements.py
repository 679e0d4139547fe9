"""The webhook's statements on the driver itself (store/raw.py), on SQLite and PostgreSQL:
what they write is what SQLAlchemy reads back, they share the write transaction with
SQLAlchemy's statements, and on any other connection they run through SQLAlchemy."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from trubka.core.contacts import Contact
from trubka.core.model import Call, CallState, Direction
from trubka.core.numbers import normalize
from trubka.relay.store import calls, contacts, raw, users
from trubka.relay.store.db import Store
from trubka.relay.store.schema import calls as calls_table
from trubka.relay.store.schema import events


def a_call(user_ext: str) -> Call:
    moscow = timezone(timedelta(hours=3))
    return Call(
        id=calls.new_id(), provider="prostiezvonki", provider_call_id="c-1",
        direction=Direction.IN, state=CallState.ANSWERED, phone="+79991112233",
        phone_raw="8 (999) 111-22-33", ext=user_ext, line="Линия «Продажи»",
        contact=Contact(7, "Пётр Иванов", "ООО \"Ёлка\"", (normalize("+79991112233"),)),
        # a whole second (no microseconds) and a non-UTC zone: both come back as UTC
        started_at=datetime(2026, 11, 30, 19, 0, 0, tzinfo=moscow),
        answered_at=datetime(2026, 11, 30, 16, 0, 5, 120_000, tzinfo=UTC),
        ended_at=None, answered_by="",
    )


async def test_a_call_written_on_the_driver_reads_back_the_same_through_sqlalchemy(
    store: Store,
) -> None:
    async with store.write() as conn:
        assert await raw.driver_of(conn) is not None  # sqlite3, or asyncpg in its BEGIN
        user = await users.add_user(conn, "Анна", "101")
        call = a_call(user.ext)
        await calls.save(conn, user.id, call, is_new=True)
        assert await calls.get_leg(conn, "prostiezvonki", "c-1", user.id) == call
    async with store.read() as conn:  # SQLAlchemy's own path
        row = (await conn.execute(sa.select(calls_table))).one()
        assert calls._call(row) == call
        assert row.started_at == datetime(2026, 11, 30, 16, 0, 0, tzinfo=UTC)
        assert row.contact["name"] == "Пётр Иванов"
        assert await calls.get_leg(conn, "prostiezvonki", "c-1", user.id) == call
    changed = replace(call, state=CallState.ENDED, contact=None,
                      ended_at=datetime(2026, 11, 30, 16, 1, tzinfo=UTC))
    async with store.write() as conn:
        await calls.save(conn, user.id, changed, is_new=False)
    async with store.read() as conn:
        assert await calls.get_leg(conn, "prostiezvonki", "c-1", user.id) == changed


async def test_driver_and_sqlalchemy_statements_commit_or_roll_back_together(
    store: Store,
) -> None:
    async with store.write() as conn:
        user = await users.add_user(conn, "Борис", "102")
    with pytest.raises(RuntimeError):
        async with store.write() as conn:
            await users.append_frames(conn, [(user.id, '{"type":"call","seq":', ',"x":1}')])
            await users.update_user(conn, user.id, name="Не Борис")  # SQLAlchemy
            raise RuntimeError("the webhook failed")
    async with store.read() as conn:
        assert (await users.log_position(conn, user.id)).last_seq == 0
        assert (await users.user_by_id(conn, user.id)).name == "Борис"
        assert (await conn.execute(sa.select(sa.func.count()).select_from(events))).scalar() == 0
    async with store.write() as conn:
        assert await users.append_frames(conn, [(user.id, '{"type":"call","seq":', ',"x":1}')]) \
            == [(1, '{"type":"call","seq":1,"x":1}')]
        await users.update_user(conn, user.id, name="Борис Б.")
        assert await users.append_frames(conn, [(user.id, '{"type":"call","seq":', "}")]) \
            == [(2, '{"type":"call","seq":2}')]
    async with store.read() as conn:
        assert await users.events_after(conn, user.id, 0) == [
            (1, '{"type":"call","seq":1,"x":1}'), (2, '{"type":"call","seq":2}')]
        assert (await users.user_by_id(conn, user.id)).name == "Борис Б."


async def test_a_transaction_s_frames_take_each_user_s_seqs_in_the_order_they_came(
    store: Store,
) -> None:
    async with store.write() as conn:
        anna = await users.add_user(conn, "Анна", "101")
        boris = await users.add_user(conn, "Борис", "102")
        await users.append_frames(conn, [(boris.id, '{"type":"call","seq":', "}")] * 4)
    frames = [(anna.id, boris.id, anna.id, boris.id, boris.id)[n] for n in range(5)]
    async with store.write() as conn:
        logged = await users.append_frames(
            conn, [(uid, '{"type":"note","seq":', f',"n":{n}}}') for n, uid in enumerate(frames)])
    assert logged == [(1, '{"type":"note","seq":1,"n":0}'), (5, '{"type":"note","seq":5,"n":1}'),
                      (2, '{"type":"note","seq":2,"n":2}'), (6, '{"type":"note","seq":6,"n":3}'),
                      (7, '{"type":"note","seq":7,"n":4}')]
    async with store.read() as conn:
        assert [seq for seq, _ in await users.events_after(conn, boris.id, 0)] == [
            1, 2, 3, 4, 5, 6, 7]
        assert (await users.log_position(conn, anna.id)).last_seq == 2
    missing = anna.id + boris.id
    for batch in ([(missing, '{"type":"x","seq":', "}")],
                  [(anna.id, '{"type":"x","seq":', "}"), (missing, '{"type":"x","seq":', "}")]):
        with pytest.raises(LookupError):  # a user that is not there (the batch is retried)
            async with store.write() as conn:
                await users.append_frames(conn, batch)
    async with store.read() as conn:
        assert (await users.log_position(conn, anna.id)).last_seq == 2


async def test_on_a_read_connection_the_statements_run_through_sqlalchemy(store: Store) -> None:
    async with store.write() as conn:
        await users.add_user(conn, "Вера", "103")
        await contacts.create(conn, Contact(None, "Глеб", "", (normalize("+79990001122"),)))
    async with store.read() as conn:  # aiosqlite's thread, or a PostgreSQL read
        found = await users.resolve(conn, "prostiezvonki", "103", None)
        assert found is not None and found.name == "Вера"
        matched = await contacts.match(conn, normalize("89990001122"), 10)
        assert [c.name for c in matched] == ["Глеб"]
        assert await raw.first(conn, users._BY_EXT, {"ext": "nobody"}) is None
