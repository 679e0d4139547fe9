"""Number lookup with 1,000,000 contacts (SPEC §8: p99 < 1 ms).

Builds a SQLite relay database through the real migrations, bulk-loads N contacts with
random Russian mobile numbers, then times `store.contacts.match` (the query the relay
runs for every new call and every smart-transfer question) on a mix of exact hits,
last-N-digit hits and misses. The baseline,
timed in the same run on the same connection, is a bare indexed `SELECT` of one phone
row: the ratio says what the matching rules cost on top of one index probe.

    uv run --all-extras python bench/lookup.py [--contacts 1000000] [--lookups 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from trubka.core.numbers import normalize, suffix_key
from trubka.relay.store import contacts
from trubka.relay.store.db import Store, database_url


def load(db: Path, count: int, rng: random.Random) -> list[str]:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA synchronous=OFF")
    now = "2026-11-23 00:00:00"
    numbers = [f"+79{rng.randrange(10**9):09d}" for _ in range(count)]
    batch = 50_000
    for start in range(0, count, batch):
        chunk = range(start, min(count, start + batch))
        conn.executemany(
            "INSERT INTO contacts (id, name, company, email, responsible_ext, note, crm_url,"
            " search_text, created_at, updated_at) VALUES (?, ?, '', '', '', '', '', ?, ?, ?)",
            [(i + 1, f"Contact {i}", f"contact {i}", now, now) for i in chunk])
        conn.executemany(
            "INSERT INTO contact_phones (contact_id, position, number, digits_rev, raw)"
            " VALUES (?, 0, ?, ?, ?)",
            [(i + 1, numbers[i], suffix_key(numbers[i][1:]), numbers[i]) for i in chunk])
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()
    return numbers


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


async def run(count: int, lookups: int) -> None:
    rng = random.Random(42)
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url(Path(tmp), None)
        store = await Store.open(url)
        t0 = time.perf_counter()
        numbers = load(Path(tmp) / "relay.db", count, rng)
        print(f"loaded {count:,} contacts in {time.perf_counter() - t0:.1f} s")
        queries = []
        for i in range(lookups):
            kind = i % 3
            if kind == 0:  # exact
                queries.append(numbers[rng.randrange(count)])
            elif kind == 1:  # same last digits, other prefix (suffix match)
                queries.append("+7495" + numbers[rng.randrange(count)][-7:])
            else:  # most likely unknown
                queries.append(f"+7812{rng.randrange(10**7):07d}")
        parsed = [normalize(q) for q in queries]
        found = 0
        timings: list[float] = []
        base: list[float] = []
        async with store.quick_read() as conn:  # as the relay runs it (inline on SQLite)
            for number in parsed[:200]:  # warm up caches
                await contacts.match(conn, number, 5)
            for number in parsed:
                t = time.perf_counter()
                result = await contacts.match(conn, number, 7, limit=1)
                timings.append(time.perf_counter() - t)
                found += bool(result)
            stmt = sa.text("SELECT contact_id FROM contact_phones WHERE number = :n LIMIT 1")
            for number in parsed:
                t = time.perf_counter()
                (await conn.execute(stmt, {"n": number.canonical})).first()
                base.append(time.perf_counter() - t)
        await store.close()
    ms = 1000
    print(f"lookups: {lookups:,} ({found:,} found), last-digits N=7")
    print(f"lookup   p50 {statistics.median(timings) * ms:.3f} ms  "
          f"p99 {pct(timings, 0.99) * ms:.3f} ms  max {max(timings) * ms:.3f} ms")
    print(f"baseline p50 {statistics.median(base) * ms:.3f} ms  "
          f"p99 {pct(base, 0.99) * ms:.3f} ms  (one indexed SELECT)")
    print(f"ratio p99 lookup/baseline: {pct(timings, 0.99) / pct(base, 0.99):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=20_000)
    args = parser.parse_args()
    asyncio.run(run(args.contacts, args.lookups))


if __name__ == "__main__":
    main()
