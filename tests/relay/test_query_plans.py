"""Statements whose cost must not grow with the tables that grow with the traffic.

The calls table keeps a year of calls by default (`retention-days`), the journal as much,
and on SQLite every write transaction runs in the event loop's thread: a statement that
reads one of them whole holds every webhook and frame behind it (0.44 s with 500,000
legs, `bench/maintenance.py`). Checked against each engine's own plan: the relay's
maintenance pass (`app.maintain`, once a minute: calls whose end event was lost, the
journal past its retention), the search for a new CRM contact's earlier calls, and every
statement a call's webhooks run (most of them on the database driver itself, store/raw.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

import sqlalchemy as sa

from trubka.core.model import CallEvent, Direction, EventKind, utcnow
from trubka.relay.app import build_relay, close_relay, maintain
from trubka.relay.config import RelayConfig
from trubka.relay.deps import Relay
from trubka.relay.store import calls, crm, raw, settings, users
from trubka.relay.store.schema import calls as calls_table
from trubka.relay.store.schema import journal

GROWING = ("calls", "journal", "events")  # the tables that grow with the traffic


async def a_day_of_calls(relay: Relay) -> int:
    """Anna's three calls: one from 40 days ago (ended, in the journal), one from today
    (ended), one ringing since three hours ago; and a finished leg of 40 days ago with no
    journal entry (a colleague's leg of a group call). Returns Anna's user id."""
    async with relay.store.write() as conn:
        anna = (await users.add_user(conn, "Анна", "101")).id
        await settings.put(conn, "retention-days", "30")
    for callid, kinds in (("old", [EventKind.RINGING, EventKind.ENDED]),
                          ("today", [EventKind.RINGING, EventKind.ENDED]),
                          ("lost-end", [EventKind.RINGING])):
        for kind in kinds:
            await relay.ingest.events([CallEvent("prostiezvonki", callid, kind,
                                                 direction=Direction.IN, ext="101",
                                                 phone_raw="89991234567")])
    long_ago, hours_ago = utcnow() - timedelta(days=40), utcnow() - timedelta(hours=3)
    async with relay.store.write() as conn:
        await conn.execute(calls_table.insert().values(
            id=calls.new_id(), user_id=anna, provider="prostiezvonki",
            provider_call_id="group", direction="in", state="answered_elsewhere",
            updated_at=long_ago))
        await conn.execute(calls_table.update().where(
            calls_table.c.provider_call_id == "old").values(updated_at=long_ago))
        await conn.execute(journal.update().where(journal.c.call_id.in_(
            sa.select(calls_table.c.id).where(calls_table.c.provider_call_id == "old")))
            .values(started_at=long_ago))
        await conn.execute(calls_table.update().where(
            calls_table.c.provider_call_id == "lost-end").values(updated_at=hours_ago))
    return anna


async def test_maintenance_ends_lost_calls_and_trims_past_the_retention(
        tmp_path: Path, database_url: str | None) -> None:
    relay = await build_relay(RelayConfig(data_dir=tmp_path, database_url=database_url))
    try:
        anna = await a_day_of_calls(relay)
        await maintain(relay)
        async with relay.store.read() as conn:
            kept = dict((await conn.execute(sa.select(
                calls_table.c.provider_call_id, calls_table.c.state))).all())
            entries = await calls.list_journal(conn, anna, "all", 10, None)
    finally:
        await close_relay(relay)
    # the old call and the journal-less group leg are gone; the lost end is ended
    assert kept == {"today": "ended", "lost-end": "ended"}
    assert sorted(e.status.value for e in entries) == ["missed", "missed"]


@contextmanager
def statements_of(relay: Relay) -> Iterator[list[tuple[str, Any]]]:
    """The SQL statements (with their parameters) sent meanwhile: by SQLAlchemy, on every
    engine of the store (SQLite: the inline writer and aiosqlite's reader), and on the
    driver itself (store/raw.py), as the driver gets them."""
    seen: list[tuple[str, Any]] = []
    engines = [relay.store.engine.sync_engine, *filter(None, [relay.store.writer])]
    bind = raw._Compiled.args

    def note(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    def driver_args(compiled: Any, values: Any) -> list[Any]:
        args = bind(compiled, values)
        seen.append((compiled.sql, tuple(args)))
        return args

    for engine in engines:
        sa.event.listen(engine, "before_cursor_execute", note)
    try:
        with patch.object(raw._Compiled, "args", driver_args):
            yield seen
    finally:
        for engine in engines:
            sa.event.remove(engine, "before_cursor_execute", note)


def touches_growing_table(statement: str) -> bool:
    return bool(re.search(rf"\b({'|'.join(GROWING)})\b", statement, re.IGNORECASE))


async def sqlite_scans(relay: Relay, statement: str, parameters: Any) -> list[str]:
    async with relay.store.read() as conn:
        plan = (await conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                           parameters)).all()
    return [row[-1] for row in plan
            if re.match(rf"SCAN (TABLE )?({'|'.join(GROWING)})\b", row[-1])]


async def postgres_scans(relay: Relay, statement: str, parameters: Any) -> list[str]:
    """The plan's reads of a growing table that are not an index search: sequential
    scans, and index scans whose condition misses the index's first column (PostgreSQL
    checks a later column by reading the whole index). The planner is told to avoid
    sequential scans and hash or merge joins wherever an index could serve: the test
    tables are too small for its own choice to mean anything."""
    async with relay.store.read() as conn:
        driver = (await conn.get_raw_connection()).driver_connection
        assert driver is not None
        leading = dict(await driver.fetch(
            "SELECT ix.relname, a.attname FROM pg_index i"
            " JOIN pg_class ix ON ix.oid = i.indexrelid"
            " JOIN pg_class t ON t.oid = i.indrelid"
            " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
            " WHERE t.relname = ANY($1::text[])", list(GROWING)))
        async with driver.transaction():
            for knob in ("enable_seqscan", "enable_hashjoin", "enable_mergejoin"):
                await driver.execute(f"SET LOCAL {knob} = off")
            plan = await driver.fetchval("EXPLAIN (FORMAT JSON) " + statement,
                                         *(parameters or ()))
    if isinstance(plan, str):  # SQLAlchemy's connections decode json themselves
        plan = json.loads(plan)
    found: list[str] = []

    def walk(node: dict[str, Any]) -> None:
        kind, index = node["Node Type"], node.get("Index Name")
        if kind == "Seq Scan" and node.get("Relation Name") in GROWING:
            found.append(f"Seq Scan on {node['Relation Name']}")
        elif index in leading and not re.search(rf"\b{leading[index]}\b",
                                                 node.get("Index Cond", "")):
            found.append(f"{kind} reading all of {index} ({node.get('Index Cond')})")
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return found


async def test_the_maintenance_pass_reads_no_growing_table_whole(
        tmp_path: Path, database_url: str | None) -> None:
    """Every statement of the pass that reads calls, journal entries or the event log
    finds its rows through an index: its cost follows the rows it ends or trims, not
    the year of calls the relay keeps."""
    relay = await build_relay(RelayConfig(data_dir=tmp_path, database_url=database_url))
    try:
        await a_day_of_calls(relay)
        with statements_of(relay) as seen:
            await maintain(relay)
        checked = [(s, p) for s, p in seen if touches_growing_table(s)
                   and s.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE"))]
        scans = sqlite_scans if relay.store.is_sqlite else postgres_scans
        found = {s: await scans(relay, s, p) for s, p in checked}
    finally:
        await close_relay(relay)
    assert len(checked) >= 5  # stale ringing, stale answered, journal, calls, event log
    assert {s: f for s, f in found.items() if f} == {}


async def test_a_new_contact_s_earlier_calls_are_found_without_reading_every_call(
        tmp_path: Path, database_url: str | None) -> None:
    """A contact created in the CRM gets the card onto its number's earlier journal
    entries and calls in progress (`crm.unlinked`): by the journal's number index and the
    calls in progress, not by the year of calls."""
    relay = await build_relay(RelayConfig(data_dir=tmp_path, database_url=database_url))
    try:
        await a_day_of_calls(relay)
        with statements_of(relay) as seen:
            async with relay.store.read() as conn:
                found = await crm.unlinked(conn, "+79991234567")
        scans = sqlite_scans if relay.store.is_sqlite else postgres_scans
        plans = {s: await scans(relay, s, p) for s, p in seen if touches_growing_table(s)}
    finally:
        await close_relay(relay)
    # the two journal entries (one of them the old call's, trimmed only by maintenance)
    # and the call still ringing
    assert len(found) == 3
    assert plans and {s: f for s, f in plans.items() if f} == {}


async def test_a_call_s_webhooks_read_no_growing_table_whole(
        tmp_path: Path, database_url: str | None) -> None:
    """Every statement a call's events run — a new call, a group call's second leg, the
    answer, the end, the PBX's final record, an end that names no employee — is an index
    search in the engine's own plan, those run on the driver included: a webhook's cost
    must not grow with the year of calls kept (the call's legs by the PBX's call id are
    found by the leg's unique key, whose first columns they are)."""
    relay = await build_relay(RelayConfig(data_dir=tmp_path, database_url=database_url))
    try:
        await a_day_of_calls(relay)
        async with relay.store.write() as conn:
            await users.add_user(conn, "Борис", "102")

        def event(kind: EventKind, ext: str = "101", **extra: Any) -> CallEvent:
            return CallEvent("prostiezvonki", "hot", kind, direction=Direction.IN, ext=ext,
                             phone_raw="89997654321", **extra)

        with statements_of(relay) as seen:
            await relay.ingest.events([event(EventKind.RINGING)])
            await relay.ingest.events([event(EventKind.RINGING, "102")])
            await relay.ingest.events([event(EventKind.ANSWERED)])
            await relay.ingest.events([event(EventKind.ENDED, "")])  # names no employee
            await relay.ingest.events([event(EventKind.HISTORY, duration=42)])
        checked = [(s, p) for s, p in seen if touches_growing_table(s)]
        scans = sqlite_scans if relay.store.is_sqlite else postgres_scans
        found = {s: await scans(relay, s, p) for s, p in checked}
        async with relay.store.read() as conn:
            states = sorted((await conn.execute(sa.select(calls_table.c.state).where(
                calls_table.c.provider_call_id == "hot"))).scalars())
    finally:
        await close_relay(relay)
    assert states == ["answered_elsewhere", "ended"]  # the events did what they say
    assert len(checked) >= 8
    assert any("provider_call_id" in s and "user_id" not in s.split("WHERE")[-1]
               for s, _ in checked)  # the legs of a call that names no employee
    assert {s: f for s, f in found.items() if f} == {}
