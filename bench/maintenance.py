"""The relay's maintenance pass and a new contact's earlier calls over a year of calls.

The pass ends calls whose end event was lost and trims the journal past its retention.
On SQLite it runs on the inline writer, in the event loop's thread: while it runs no
webhook is answered and no frame is sent. This builds a SQLite relay database through
the real migrations, bulk-loads `--calls` finished call legs over the last 365 days
(four in five with a journal entry, the default retention keeps them all) and a few
ringing ones, then times the pass — its wall time, and the longest the event loop went
without a turn meanwhile (a 1 ms ticker) — and the search a contact created in the CRM
makes for its number's earlier calls (`crm.unlinked`, in a write transaction as the
relay runs it). The baseline, in the same run on the same data, is the same work with
the indexes it reads by (`ix_calls_state_updated`, `ix_journal_started`,
`ix_journal_phone`) dropped: the whole-table scans made before 2026-12-01.

    uv run --all-extras python bench/maintenance.py [--calls 500000] [--passes 5]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from trubka.relay.app import build_relay, close_relay, maintain
from trubka.relay.config import RelayConfig
from trubka.relay.store import crm

SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy's DATETIME stores it on SQLite


def load(db: Path, count: int, rng: random.Random) -> list[str]:
    """The numbers of some of the calls loaded (for `crm.unlinked`)."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA synchronous=OFF")
    now = datetime.now(UTC).replace(tzinfo=None)
    users = 100
    conn.executemany("INSERT INTO users (id, name, ext, created_at) VALUES (?, ?, ?, ?)",
                     [(u, f"Employee {u}", str(100 + u), now.strftime(SQLITE_TIME))
                      for u in range(1, users + 1)])
    batch = 50_000
    for start in range(0, count + 50, batch):
        legs, entries = [], []
        for i in range(start, min(count + 50, start + batch)):
            ringing = i >= count  # the last 50: calls still ringing, touched just now
            when = now - timedelta(seconds=0 if ringing else rng.randrange(365 * 86400))
            stamp = when.strftime(SQLITE_TIME)
            phone = f"+79{rng.randrange(10**9):09d}"
            legs.append((f"{i:032x}", 1 + i % users, f"pbx-{i}", "ringing" if ringing
                         else "ended", phone, stamp, stamp))
            if not ringing and i % 5:
                entries.append((f"j{i:031x}", f"{i:032x}", 1 + i % users, phone, stamp,
                                stamp))
        conn.executemany(
            "INSERT INTO calls (id, user_id, provider, provider_call_id, direction, state,"
            " phone, started_at, updated_at) VALUES (?, ?, 'prostiezvonki', ?, 'in', ?, ?,"
            " ?, ?)", legs)
        conn.executemany(
            "INSERT INTO journal (id, call_id, user_id, direction, status, phone,"
            " started_at, created_at) VALUES (?, ?, ?, 'in', 'answered', ?, ?, ?)", entries)
    conn.commit()  # no ANALYZE: the relay runs none (see docs/performance.md)
    numbers = [row[0] for row in conn.execute(
        "SELECT phone FROM journal ORDER BY id LIMIT 20")]
    conn.close()
    return numbers


async def longest_stall(work: Awaitable[object]) -> tuple[float, float]:
    """Run `work`: its wall time, and the longest the loop went without a turn meanwhile."""
    longest = 0.0
    done = asyncio.Event()

    async def ticker() -> None:
        nonlocal longest
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            longest, last = max(longest, now - last), now

    ticking = asyncio.create_task(ticker())
    await asyncio.sleep(0.01)
    started = time.perf_counter()
    await work
    wall = time.perf_counter() - started
    done.set()
    await ticking
    return wall, longest


async def time_passes(data_dir: Path, passes: int, numbers: list[str]
                      ) -> tuple[list[float], list[float], list[float]]:
    """Wall time of each pass and the longest gap between turns of the loop in it; the
    wall time of `crm.unlinked` for each of `numbers`."""
    relay = await build_relay(RelayConfig(data_dir=data_dir))
    searches = []
    try:
        timed = [await longest_stall(maintain(relay)) for _ in range(passes)]
        for number in numbers:
            started = time.perf_counter()
            async with relay.store.write() as conn:
                await crm.unlinked(conn, number)
            searches.append(time.perf_counter() - started)
    finally:
        await close_relay(relay)
    return [wall for wall, _ in timed], [stall for _, stall in timed], searches


def show(label: str, walls: list[float], stalls: list[float], searches: list[float]) -> None:
    ms = 1000
    print(f"{label:<9} pass median {statistics.median(walls) * ms:8.1f} ms"
          f"  max {max(walls) * ms:8.1f} ms   longest loop stall median"
          f" {statistics.median(stalls) * ms:8.1f} ms  max {max(stalls) * ms:8.1f} ms")
    print(f"{'':<9} a new contact's earlier calls: median"
          f" {statistics.median(searches) * ms:8.2f} ms  max {max(searches) * ms:8.2f} ms")


async def run(count: int, passes: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        relay = await build_relay(RelayConfig(data_dir=data_dir))  # migrates
        await close_relay(relay)
        started = time.perf_counter()
        numbers = load(data_dir / "relay.db", count, random.Random(42))
        print(f"loaded {count:,} finished call legs (+50 ringing) in "
              f"{time.perf_counter() - started:.1f} s")
        now = await time_passes(data_dir, passes, numbers)
        with sqlite3.connect(data_dir / "relay.db") as db:
            for index in ("ix_calls_state_updated", "ix_journal_started", "ix_journal_phone"):
                db.execute(f"DROP INDEX {index}")
        base = await time_passes(data_dir, passes, numbers)
    show("pass", *now)
    show("baseline", *base)
    print(f"(baseline: the same work without the indexes it reads by; {passes} passes and"
          f" {len(numbers)} searches each)")
    print(f"ratio stall pass/baseline: {statistics.median(now[1]) / statistics.median(base[1]):.3f}"
          f"   search: {statistics.median(now[2]) / statistics.median(base[2]):.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=500_000)
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(run(args.calls, args.passes))


if __name__ == "__main__":
    main()
