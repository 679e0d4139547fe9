"""The relay's CPU per write transaction of a new call, SQLite against PostgreSQL.

What `Ingest` does in the event writer for an `INCOMING` webhook — the call leg read (none
yet; read ahead for the whole batch), the contact match (its candidates read ahead with
the legs on PostgreSQL), the leg inserted (with the batch's other new legs in one
statement), its frame logged — submitted through the real `EventWriter` (lanes, group
commit) without HTTP or sockets: the part of a webhook's cost that depends on the engine.
One submitter waits for each job (every job its own transaction), then `--concurrency`
submitters share the lanes (jobs batch). The figures are this process's own CPU time per
job (user + system; the PostgreSQL server's is not in it) and the wall time per job (what
caps a lane's rate: its round trips), and the ratios are PostgreSQL's against SQLite's in
the same run.

    uv run --all-extras python bench/store_writes.py [--jobs 3000] [--concurrency 16]
        [--postgres postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from itertools import count
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from fanout import drop_postgres, fresh_postgres
from sqlalchemy.ext.asyncio import AsyncConnection

from trubka.core.model import Call, CallState, Direction
from trubka.core.numbers import normalize
from trubka.relay.hub.memory import MemoryHub
from trubka.relay.store import calls, contacts, users
from trubka.relay.store.db import Store, database_url
from trubka.relay.writer import EventWriter, Outbox

EMPLOYEES = 100


Figures = tuple[float, float]  # CPU ms per job, wall ms per job


async def measure(url: str, jobs: int, concurrency: int) -> tuple[Figures, Figures]:
    """CPU and wall time per job with one submitter, and with `concurrency` of them."""
    store = await Store.open(url)
    async with store.write() as conn:
        ids = [(await users.add_user(conn, f"Employee {i}", str(1000 + i))).id
               for i in range(EMPLOYEES)]
    writer = EventWriter(store, MemoryHub())
    numbers = count()

    async def one() -> None:
        n = next(numbers)
        user_id, ext = ids[n % EMPLOYEES], str(1000 + n % EMPLOYEES)
        number = normalize(f"8999{n:07d}", "RU")
        leg = ("bench", f"c{n}", user_id)

        async def job(conn: AsyncConnection, outbox: Outbox) -> None:
            assert await calls.take_leg(conn, outbox.legs, *leg) is None
            await contacts.match(conn, number, 10, ahead=outbox.matches)
            call = Call(id=calls.new_id(), provider="bench", provider_call_id=f"c{n}",
                        direction=Direction.IN, state=CallState.RINGING,
                        phone=number.canonical, phone_raw=number.canonical, ext=ext)
            outbox.new_leg(user_id, call)
            await outbox.call(user_id, call)

        await writer.submit(job, key=ext, legs=[leg],
                            numbers=[(leg, contacts.match_key(number, 10))])

    async def submitter(k: int) -> None:
        for _ in range(k):
            await one()

    figures: list[Figures] = []
    await submitter(100)  # warm-up: statements prepared, connections open
    for submitters in (1, concurrency):
        before = os.times()
        await asyncio.gather(*(submitter(jobs // submitters) for _ in range(submitters)))
        after = os.times()
        spent = (after.user - before.user) + (after.system - before.system)
        done = jobs // submitters * submitters
        figures.append((1000 * spent / done, 1000 * (after.elapsed - before.elapsed) / done))
    await writer.stop()
    await store.close()
    return figures[0], figures[1]


async def main_async(args: argparse.Namespace) -> None:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["sqlite"] = await measure(database_url(Path(tmp), None), args.jobs,
                                          args.concurrency)
    scratch = await fresh_postgres(args.postgres)
    try:
        results["postgres"] = await measure(database_url(Path("."), scratch), args.jobs,
                                            args.concurrency)
    finally:
        await drop_postgres(scratch)
    for engine, (alone, shared) in results.items():
        print(f"{engine:9} CPU per job: {alone[0]:.3f} ms one at a time, "
              f"{shared[0]:.3f} ms with {args.concurrency} submitters; wall per job: "
              f"{alone[1]:.3f} / {shared[1]:.3f} ms")
    sqlite, postgres = results["sqlite"], results["postgres"]
    print(f"ratio postgres/sqlite, CPU: {postgres[0][0] / sqlite[0][0]:.2f}x one at a time, "
          f"{postgres[1][0] / sqlite[1][0]:.2f}x shared; wall: "
          f"{postgres[0][1] / sqlite[0][1]:.2f}x / {postgres[1][1] / sqlite[1][1]:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    try:
        import uvloop  # the relay's loop where it is installed (the relay extra)
    except ImportError:
        asyncio.run(main_async(args))
    else:
        uvloop.run(main_async(args))


if __name__ == "__main__":
    main()
