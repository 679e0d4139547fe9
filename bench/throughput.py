"""Webhook throughput of one relay process, SQLite and PostgreSQL (issue: scale-out).

Open-loop load at rising rates (each for a few seconds) of real Prostye Zvonki webhooks
over keep-alive HTTP, a new call each; the figure per rate is the reply time p50/p99
(the reply comes after the durable commit). The sustained rate is the highest one whose
p99 stays under 100 ms and whose webhooks all got their reply. No sockets are connected,
so this is the ingest path alone; bench/fanout.py measures delivery. Each step also
reports the relay process's own CPU time per webhook.

On a small machine the load generator and the PostgreSQL server take CPU from the relay
they measure, which SQLite does not have to share. `--pin` (Linux) gives the relay CPU 0
to itself and puts this process and the PostgreSQL server (when it runs on this machine
and may be moved: root, or its own user) on the others, so both engines measure one
relay process on one core, as with the database on its own host; the server's CPUs are
restored afterwards.

    uv run --all-extras python bench/throughput.py [--engines sqlite postgres]
        [--rates 100 200 400 800 1600] [--seconds 5] [--pin]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from fanout import (
    TOKEN,
    HttpPool,
    cpu_seconds,
    drop_postgres,
    free_port,
    fresh_postgres,
    generator_without_gc,
    open_loop,
    pct,
    prepare_relay,
    start,
)


async def step(port: int, rate: int, seconds: float, users: int, offset: int
               ) -> tuple[list[float], int, float]:
    pool = HttpPool(port, 64)
    latencies: list[float] = []
    failures = 0
    total = int(rate * seconds)

    async def fire(n: int) -> None:
        nonlocal failures
        ext = str(1000 + n % users)
        body = json.dumps({"cmd": "event", "type": "INCOMING", "direction": "in", "user": ext,
                           "ext": ext, "phone": f"8999{n:07d}", "callid": f"t-{offset + n}",
                           "crm_token": TOKEN}).encode()
        t = time.perf_counter()
        try:
            status = await asyncio.wait_for(pool.post("/hooks/prostiezvonki", body), 10)
        except TimeoutError:
            failures += 1
            return
        latencies.append(time.perf_counter() - t)
        failures += status != 200

    with generator_without_gc():
        elapsed = await open_loop(rate, total, fire)
    await pool.close()
    return latencies, failures, total / elapsed


async def postgres_pids(db: str) -> list[int]:
    """The PostgreSQL server's processes, when it runs on this machine: its postmaster
    (whose new backends inherit its CPUs) and the children it has."""
    import asyncpg

    conn = await asyncpg.connect(db)
    try:
        backend = int(await conn.fetchval("SELECT pg_backend_pid()"))
    finally:
        await conn.close()
    try:
        master = int(Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return []  # not on this machine
    return process_tree(master)


def process_tree(master: int) -> list[int]:
    """`master` and its children now."""
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return []
    return [master, *(int(p) for p in children)]


def pin(pids: list[int], cpus: set[int]) -> None:
    try:
        for pid in pids:
            os.sched_setaffinity(pid, cpus)
    except (OSError, AttributeError) as exc:  # another user's processes; not Linux
        print(f"cannot pin processes {pids}: {exc}")


async def run_engine(engine: str, args: argparse.Namespace) -> list[dict[str, float]]:
    rows = []
    everywhere = os.sched_getaffinity(0) if args.pin else set()
    elsewhere = everywhere - {0}
    with tempfile.TemporaryDirectory() as tmp:
        db = None if engine == "sqlite" else await fresh_postgres(args.postgres)
        await prepare_relay(Path(tmp), 100, db)
        server = await postgres_pids(db) if db and args.pin else []
        port = free_port()
        relay = start([sys.executable, "-m", "trubka.relay.cli", "--data-dir", tmp,
                       *(["--database-url", db] if db else []), "serve", "--port", str(port)],
                      "Uvicorn running on")
        if args.pin:
            if not elsewhere:
                raise SystemExit("--pin needs two CPUs")
            pin([relay.pid], {0})
            pin([os.getpid()], elsewhere)
            pin(server, elsewhere)
        try:
            # Warm-up, not reported: the first requests import lazily and fill the pools.
            await step(port, 50, 2, 100, 10**8)
            offset = 0
            for rate in args.rates:
                cpu = cpu_seconds([relay.pid])
                lat, failures, achieved = await step(port, rate, args.seconds, 100, offset)
                cpu = cpu_seconds([relay.pid]) - cpu
                offset += int(rate * args.seconds)
                row = {"rate": rate, "achieved": achieved, "failures": failures,
                       "p50_ms": statistics.median(lat) * 1000 if lat else float("nan"),
                       "p99_ms": pct(lat, 0.99) * 1000 if lat else float("nan"),
                       "cpu_ms": cpu * 1000 / max(1, len(lat))}
                rows.append(row)
                print(f"{engine:<9} {rate:>5}/s offered, {achieved:7.0f}/s sent: "
                      f"p50 {row['p50_ms']:7.1f} ms  p99 {row['p99_ms']:8.1f} ms  "
                      f"failed {failures}  relay CPU {row['cpu_ms']:.2f} ms/webhook")
                if row["p99_ms"] > 1000:
                    break  # far past saturation; higher rates only queue
        finally:
            relay.terminate()
            relay.wait(30)
            if server:
                pin(process_tree(server[0]), everywhere)
            if args.pin:
                pin([os.getpid()], everywhere)
            if db:
                await drop_postgres(db)
    ok = [r["rate"] for r in rows if r["p99_ms"] < 100 and not r["failures"]]
    print(f"{engine}: sustained {max(ok) if ok else 0}/s with p99 < 100 ms")
    return rows


async def main_async(args: argparse.Namespace) -> None:
    results = {engine: await run_engine(engine, args) for engine in args.engines}
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engines", nargs="+", default=["sqlite", "postgres"],
                        choices=["sqlite", "postgres"])
    parser.add_argument("--rates", nargs="+", type=int, default=[100, 200, 400, 800, 1600])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--pin", action="store_true",
                        help="the relay alone on CPU 0, all else on the other CPUs")
    parser.add_argument("--json", help="also write the figures to this file")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
