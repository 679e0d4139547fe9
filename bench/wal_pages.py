"""What one webhook's write transaction writes to SQLite's log, and its CPU.

Ingests `--events` new-call (`INCOMING`) events through the relay's own `Ingest`, each in a
write transaction of its own (as at a low webhook rate), on a fresh SQLite relay database
built by the real migrations, after as many events again to grow the tables. It reports
the WAL pages written per event (from `PRAGMA wal_checkpoint` after a truncated start) and
the process's CPU per event (the commit's fsync included). The baseline, in the same run,
is the same on a database with `ix_calls_pbx_id` created again — the index migration 0008
dropped, a prefix of the leg's unique key. Runs alternate between the two.

    uv run --all-extras python bench/wal_pages.py [--events 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from trubka.core.model import CallEvent, Direction, EventKind
from trubka.relay.app import build_relay, close_relay
from trubka.relay.config import RelayConfig
from trubka.relay.deps import Relay
from trubka.relay.store import users

EMPLOYEES = 100


async def ingest(relay: Relay, count: int, first: int) -> None:
    for n in range(first, first + count):
        await relay.ingest.events([CallEvent(
            "prostiezvonki", f"c{n}", EventKind.RINGING, direction=Direction.IN,
            ext=str(1000 + n % EMPLOYEES), phone_raw=f"8999{n:07d}")])


async def one_run(events: int, with_old_index: bool) -> tuple[float, float]:
    """WAL pages and CPU seconds per event."""
    with tempfile.TemporaryDirectory() as tmp:
        relay = await build_relay(RelayConfig(data_dir=Path(tmp)))
        try:
            async with relay.store.write() as conn:
                for n in range(EMPLOYEES):
                    await users.add_user(conn, f"Employee {n}", str(1000 + n))
                if with_old_index:
                    await conn.execute(sa.text(
                        "CREATE INDEX ix_calls_pbx_id ON calls (provider, provider_call_id)"))
            await ingest(relay, events, 0)
            async with relay.store.engine.connect() as conn:
                await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            cpu = time.process_time()
            await ingest(relay, events, 10**6)
            cpu = (time.process_time() - cpu) / events
            async with relay.store.engine.connect() as conn:
                _, frames, _ = tuple((await conn.exec_driver_sql(
                    "PRAGMA wal_checkpoint(PASSIVE)")).one())
        finally:
            await close_relay(relay)
    return frames / events, cpu


async def main_async(args: argparse.Namespace) -> None:
    found: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
    for _ in range(args.runs):
        for old in (True, False):
            found[old].append(await one_run(args.events, old))
    for old, name in ((False, "now"), (True, "baseline: with ix_calls_pbx_id")):
        pages = statistics.median(p for p, _ in found[old])
        cpus = [c * 1e6 for _, c in found[old]]
        print(f"{name:<31} WAL pages per event {pages:5.2f}  CPU per event "
              f"{min(cpus):.0f}–{max(cpus):.0f} µs (median {statistics.median(cpus):.0f})")
    ratio = statistics.median(p for p, _ in found[False]) / statistics.median(
        p for p, _ in found[True])
    print(f"ratio now/baseline: WAL pages {ratio:.2f}x  ({args.runs} runs each, alternated, "
          f"{args.events} events per run)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
