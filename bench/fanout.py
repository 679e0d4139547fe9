"""Webhook → frame on the desktop socket, p50/p99, at N clients and R calls/s (SPEC §8).

The servers are measured in the same run, each in its own process on 127.0.0.1, with the
same client process (N WebSocket clients, one per employee) and the same open-loop
schedule of R events per second spread over random employees:

* trubka-relay (`trubka-relay serve`, SQLite store with synchronous=FULL): the event is
  a real Prostye Zvonki `INCOMING` webhook over HTTP; the time runs from just before the
  POST is sent to the arrival of that call's frame on the employee's socket — parsing,
  the durable commit and the fan-out included.
* baseline: a bare `websockets` server that forwards each message it gets on a control
  socket to the addressed client's sockets — the least any WebSocket fan-out can cost here.
* with `--peer nchan`: nginx + the nchan module (bench/nchan_peer.py), a real peer in C
  that takes an HTTP POST per message and delivers it to the channel's WebSocket
  subscribers from memory (the comparison the relay-CPU issue was framed against).
* with `--peer durable`: bench/durable_peer.py, the least a *durable* relay can cost here —
  an HTTP POST per event, committed to SQLite as the relay commits (WAL,
  `synchronous=FULL`), then sent to the subscribers. The relay against it is what the
  relay itself adds; it against the bare baseline is what the durable commit costs.

    uv run --all-extras python bench/fanout.py [--clients 1000] [--rate 200] [--seconds 10]
        [--warmup 0]
        [--modes embedded redis redis2] [--devices 10 --multi-device-users 20]
        [--peer nchan durable] [--trace] [--spans MODULE:FUNCTION ...] [--syscalls]
        [--json bench/out/fanout.json]

Each server's own CPU time (user + system, from /proc) over the load is reported per
webhook (per message for the baseline): the cost of one call event, whatever the machine's
other load does to latency. `--devices N` gives the first `--multi-device-users` employees N
sockets each (a desktop, a laptop, browser tabs) on every server measured: every frame goes
to all of them. With two replicas (`redis2`) webhooks alternate between them, and the
latencies are also split by whether the frame reached a socket on the replica that took the
webhook or came through Redis. Before an embedded run it prints what one small durable
SQLite commit costs on this disk: the part of the relay's latency the baselines, which keep
nothing, do not pay; after each relay's load, how long its own commits took during it
(`trubka_store_commit_seconds` from /metrics) — a disk that holds an fsync for 100 ms shows
there, not only in the latencies. The load generator's garbage collector is off while it
measures (`generator_without_gc`). `--trace` runs each relay under bench/relay_trace.py
and prints where its measured webhooks spent their time in it — before their batch, the
batch's statements, the COMMIT, after it — for the median, the p90–98 band and the
slowest 1 %, each as wall time and as the event loop thread's CPU time, how many of its
slow commits overlapped a WAL checkpoint, its commits by what they did to the write-ahead
log (began it anew: a second fsync; made its file longer; neither), and its garbage
collections meanwhile. `--warmup S` runs S seconds of the same load first, unmeasured (a
relay just started writes a log whose file is still growing). `--spans`
adds the CPU time of each call of the functions it names at the load's rate (implies
`--trace`). `--syscalls` counts the system calls of the relay's event loop thread per
webhook over the load (`strace`, which slows the relay: that run's latencies are not
comparable).

Loads are bounded (the given count, rate and time) and only ever talk to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path

import relay_trace  # bench/, beside this script
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve

TOKEN = "bench-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes have used so far."""
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


@contextlib.contextmanager
def generator_without_gc() -> Iterator[None]:
    """The load generator's cyclic garbage collector off while it measures: holding a
    thousand sockets, one full collection of this process took 90–170 ms, which the figures
    would have charged to the server whose frames arrived meanwhile (a relay's or a
    baseline's, by chance). What it allocates for a few seconds fits in memory; the
    servers' own collectors are left alone."""
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


async def open_loop(rate: float, count: int,
                    fire: Callable[[int], Coroutine[object, object, None]]) -> float:
    """`fire(0)` … `fire(count - 1)` as tasks, the n-th started at n / rate seconds whether
    or not earlier ones have finished (open loop: a slow server does not slow the load);
    returns once all have finished, with the seconds that took."""
    begin = time.perf_counter()
    pending: set[asyncio.Task[None]] = set()
    for n in range(count):
        delay = begin + n / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(fire(n))
        pending.add(task)
        task.add_done_callback(pending.discard)
    await asyncio.gather(*pending)
    return time.perf_counter() - begin


# -- the baseline server (run as a child process) --------------------------------------

class Subscribers:
    """Each employee's sockets (a desktop, a laptop, tabs), by the last segment of the
    path they connected to; the baselines' whole fan-out, shared so they do the same."""

    def __init__(self) -> None:
        self.sockets: dict[str, set[ServerConnection]] = {}

    async def hold(self, ws: ServerConnection) -> None:
        user = (ws.request.path if ws.request else "/").rsplit("/", 1)[-1]
        self.sockets.setdefault(user, set()).add(ws)
        await ws.wait_closed()
        self.sockets[user].discard(ws)

    async def send(self, user: str, payload: str) -> None:
        for target in list(self.sockets.get(user, ())):  # every device of the user
            try:
                await target.send(payload)
            except Exception:  # a client gone mid-send is not the server's problem
                self.sockets[user].discard(target)


async def baseline_server(port: int) -> None:
    subscribers = Subscribers()

    async def handler(ws: ServerConnection) -> None:
        if ws.request is not None and ws.request.path.startswith("/control"):
            async for message in ws:
                user, _, payload = str(message).partition("|")
                await subscribers.send(user, payload)
            return
        await subscribers.hold(ws)

    async with serve(handler, "127.0.0.1", port, max_queue=None, ping_interval=None):
        print("ready", flush=True)
        await asyncio.Future()


# -- setting up the relay ---------------------------------------------------------------

async def prepare_relay(data_dir: Path, clients: int, db_url: str | None = None) -> list[str]:
    from trubka.relay.store import settings, users
    from trubka.relay.store.db import Store, database_url

    store = await Store.open(database_url(data_dir, db_url))
    tokens = []
    async with store.write() as conn:
        await settings.put_provider(conn, "prostiezvonki", {"webhook_token": TOKEN})
        for i in range(clients):
            user = await users.add_user(conn, f"User {i}", str(1000 + i))
            tokens.append(await users.issue_token(conn, user.id))
    await store.close()
    return tokens


def start(cmd: list[str], marker: str, env: dict[str, str] | None = None
          ) -> subprocess.Popen[str]:
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})
    assert proc.stdout is not None
    for line in proc.stdout:
        if marker in line:
            # keep reading its output, or its logging blocks on a full pipe
            threading.Thread(target=proc.stdout.read, daemon=True).start()
            return proc
    raise RuntimeError(f"{cmd[0]} exited before starting")


# -- the measurement ------------------------------------------------------------------

async def measure(kind: str, ports: list[int], tokens: list[str], rate: int, seconds: float,
                  pids: list[int], extra: dict[int, int] | None = None,
                  post_ports: list[int] | None = None, syscalls: bool = False,
                  warmup: float = 0.0) -> tuple[list[float], int, float]:
    """Clients spread over `ports` (replicas), events sent round-robin to them too (or
    to `post_ports`, where a server takes its HTTP POSTs on ports of their own);
    `extra` gives some clients more sockets (index → how many more); `syscalls` counts
    the first server's system calls over the load. `warmup` seconds of the same load go
    first, unmeasured. Returns the latencies, the failures and the servers' CPU seconds
    per event."""
    sent: dict[str, float] = {}
    via: dict[str, int] = {}  # key -> the replica the webhook went to
    paths: dict[str, list[float]] = {"same replica": [], "cross-replica": []}
    latencies: list[float] = []
    ready = 0
    all_ready = asyncio.Event()

    async def client(index: int, device: int = 0) -> None:
        nonlocal ready
        port = ports[(index + device) % len(ports)]
        if kind == "relay":
            url = f"ws://127.0.0.1:{port}/api/v1/events"
            headers = {"Authorization": f"Bearer {tokens[index]}"}
        elif kind == "nchan":
            url, headers = f"ws://127.0.0.1:{port}/sub/{1000 + index}", {}
        else:
            url, headers = f"ws://127.0.0.1:{port}/u/{1000 + index}", {}
        async with connect(url, additional_headers=headers, open_timeout=60,
                           ping_interval=None, max_queue=None) as ws:
            if kind == "relay":
                await ws.recv()  # hello
            ready += 1
            if ready == sockets:
                all_ready.set()
            async for message in ws:
                now = time.perf_counter()
                if kind == "relay":  # a string search keeps the client side cheap
                    match = KEY.search(str(message))
                    key = match.group(0) if match else ""
                else:
                    key = message.decode() if isinstance(message, bytes) else message
                started = sent.pop(key, None)
                if started is not None:
                    latencies.append(now - started)
                    if len(ports) > 1:
                        same = via.pop(key, -1) == ports.index(port)
                        paths["same replica" if same else "cross-replica"].append(now - started)

    devices = [(i, d) for i in range(len(tokens))
               for d in range(1 + (extra or {}).get(i, 0))]
    sockets = len(devices)
    tasks = []
    for n, (i, d) in enumerate(devices):
        tasks.append(asyncio.create_task(client(i, d)))
        if n % 50 == 49:
            await asyncio.sleep(0.05)  # do not SYN-flood our own listener
    await asyncio.wait_for(all_ready.wait(), 120)

    failures = 0
    rng = random.Random(7)
    total = int(rate * seconds)
    pools = [HttpPool(port, 16) for port in post_ports or ports]
    control = await connect(f"ws://127.0.0.1:{ports[0]}/control") if kind == "baseline" \
        else None

    async def fire(n: int, warm: bool = False) -> None:
        """The n-th event; a warm-up's (`warm`) has keys and numbers of its own and is
        neither timed nor counted."""
        nonlocal failures
        ext = str(1000 + rng.randrange(len(tokens)))
        key = f"warm-{n}" if warm else f"bench-{n}"
        timed = sent if not warm else {}
        if kind == "relay":
            body = json.dumps({"cmd": "event", "type": "INCOMING", "direction": "in",
                               "user": ext, "ext": ext,
                               "phone": f"8998{n:07d}" if warm else f"8999{n:07d}",
                               "callid": key, "crm_token": TOKEN}).encode()
            via[key] = n % len(pools)
            timed[key] = time.perf_counter()
            status = await pools[n % len(pools)].post("/hooks/prostiezvonki", body)
            failures += status != 200 and not warm
        elif kind in ("nchan", "durable"):  # nchan's 201: delivered, 202: queued for none
            timed[key] = time.perf_counter()
            status = await pools[0].post(f"/pub/{ext}", key.encode())
            failures += status not in (200, 201, 202) and not warm
        else:
            assert control is not None
            timed[key] = time.perf_counter()
            await control.send(f"{ext}|{key}")

    if warmup > 0:
        await open_loop(rate, int(rate * warmup), lambda n: fire(n, warm=True))
        via.clear()

    commits_before = commit_histogram(ports) if kind == "relay" else {}
    with generator_without_gc(), syscall_count(pids[0] if syscalls else None, total):
        cpu_before = cpu_seconds(pids)
        await open_loop(rate, total, fire)
        deadline = time.perf_counter() + 10
        while sent and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
        cpu_per_event = (cpu_seconds(pids) - cpu_before) / total
    failures += len(sent)  # frames that never arrived
    if kind == "relay":
        print(f"  the relay's commits: {commit_summary(commits_before, commit_histogram(ports))}")
    for path, times in paths.items():
        if times:  # replicas: a frame from the replica holding the socket, or via Redis
            print(f"  {path:<14} n={len(times):>6}  p50 {statistics.median(times) * 1000:7.2f} ms"
                  f"  p99 {pct(times, 0.99) * 1000:7.2f} ms")
    for pool in pools:
        await pool.close()
    if control is not None:
        await control.close()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return latencies, failures, cpu_per_event


KEY = re.compile(r"bench-\d+")
STRACE_LINE = re.compile(r"^(\d+) +(?!<\.\.\.)(\w+)\(")


@contextlib.contextmanager
def syscall_count(pid: int | None, events: int) -> Iterator[None]:
    """With a `pid`: `strace` follows the process meanwhile, and the system calls of its
    main thread (the event loop's) are printed per event, by name."""
    if pid is None:
        yield
        return
    with tempfile.NamedTemporaryFile(suffix=".strace") as out:
        tracer = subprocess.Popen(["strace", "-f", "-qq", "-o", out.name, "-p", str(pid)],
                                  stderr=subprocess.DEVNULL)
        time.sleep(1)  # attached to every thread before the load begins
        try:
            yield
        finally:
            tracer.terminate()
            tracer.wait(30)
        counts: dict[str, int] = {}
        for line in Path(out.name).read_text(errors="replace").splitlines():
            match = STRACE_LINE.match(line)
            if match and int(match.group(1)) == pid:
                counts[match.group(2)] = counts.get(match.group(2), 0) + 1
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    print(f"  system calls of the event loop thread per event (under strace: this run's "
          f"latencies are not comparable): {sum(counts.values()) / events:.1f} — "
          + ", ".join(f"{name} {n / events:.2f}" for name, n in ranked[:14]))


class HttpPool:
    """Keep-alive HTTP/1.1 POSTs over a few raw connections: a load generator far
    lighter than a full client library, so the figures are the server's, not ours."""

    def __init__(self, port: int, size: int) -> None:
        self.port = port
        self.idle: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = (
            asyncio.Queue())
        self.size = size
        self.opened = 0

    async def post(self, path: str, body: bytes) -> int:
        if self.idle.empty() and self.opened < self.size:
            self.opened += 1
            await self.idle.put(await asyncio.open_connection("127.0.0.1", self.port))
        reader, writer = await self.idle.get()
        writer.write(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
                     .encode() + body)
        status = int((await reader.readline()).split()[1])
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await reader.readexactly(length)
        self.idle.put_nowait((reader, writer))
        return status

    async def close(self) -> None:
        while not self.idle.empty():
            _, writer = self.idle.get_nowait()
            writer.close()


def commit_histogram(ports: list[int]) -> dict[float, float]:
    """The relays' `trubka_store_commit_seconds` from /metrics: commits so far by upper
    bound (s, cumulative), summed over the replicas."""
    import httpx
    from prometheus_client.parser import text_string_to_metric_families

    counts: dict[float, float] = {}
    for port in ports:
        text = httpx.get(f"http://127.0.0.1:{port}/metrics").text
        for family in text_string_to_metric_families(text):
            if family.name == "trubka_store_commit_seconds":
                for sample in family.samples:
                    if sample.name.endswith("_bucket"):
                        bound = float(sample.labels["le"])
                        counts[bound] = counts.get(bound, 0.0) + sample.value
    return counts


def commit_summary(before: dict[float, float], after: dict[float, float]) -> str:
    """The commits the relay made during the load, by how long the disk held each: the
    part of the tail a durable frame cannot avoid (on SQLite the event loop waits too)."""
    counts = {bound: after[bound] - before.get(bound, 0.0) for bound in sorted(after)}
    total = counts[float("inf")]
    if not total:
        return "no commits"

    def bound(share: float) -> str:
        found = min(b for b, n in counts.items() if n >= share * total)
        return f"≤ {found * 1000:g} ms" if found != float("inf") else "> 1 s"

    return (f"{total:,.0f} commits, p50 {bound(0.5)}, p99 {bound(0.99)}; "
            f"over 5 ms: {total - counts[0.005]:,.0f}, over 20 ms: {total - counts[0.02]:,.0f}"
            f", slowest {bound(1.0)}")


def report(name: str, latencies: list[float], failures: int, cpu: float) -> None:
    ms = 1000
    print(f"{name:<9} n={len(latencies):>6}  p50 {statistics.median(latencies) * ms:7.2f} ms"
          f"  p99 {pct(latencies, 0.99) * ms:7.2f} ms  max {max(latencies) * ms:7.2f} ms"
          f"  lost/failed {failures}  CPU {cpu * ms:5.2f} ms/event")


MODES = {
    "embedded": "one process, SQLite, in-process fan-out",
    "redis": "one replica on PostgreSQL + Redis Streams",
    "redis2": "two replicas on PostgreSQL + Redis Streams",
}


async def fresh_postgres(base: str) -> str:
    import asyncpg

    name = f"trubka_bench_{os.getpid()}"
    conn = await asyncpg.connect(base)
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    return base.rsplit("/", 1)[0] + "/" + name


async def drop_postgres(url: str) -> None:
    """Drop a database `fresh_postgres` made (a run leaves none behind on the server)."""
    import asyncpg

    conn = await asyncpg.connect(url.rsplit("/", 1)[0] + "/postgres")
    await conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    await conn.close()


async def run_relay_mode(args: argparse.Namespace, mode: str) -> tuple[list[float], float]:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        db_url = None if mode == "embedded" else await fresh_postgres(args.postgres)
        prefix = f"trubka-bench-{os.getpid()}"  # the relay adds its instance (per database)
        env = {} if mode == "embedded" else {
            "TRUBKA_RELAY_REDIS_URL": args.redis, "TRUBKA_RELAY_REDIS_PREFIX": prefix}
        tokens = await prepare_relay(data_dir, args.clients, db_url)
        replicas = 2 if mode == "redis2" else 1
        ports = [free_port() for _ in range(replicas)]
        traces = {port: data_dir / f"trace-{port}.json" for port in ports} \
            if args.trace or args.spans else {}
        spans = ["--spans", ",".join(args.spans)] if args.spans else []
        procs = [start([sys.executable,
                        *([str(Path(__file__).with_name("relay_trace.py")), str(traces[port]),
                           *spans] if traces else ["-m", "trubka.relay.cli"]),
                        "--data-dir", str(data_dir),
                        *(["--database-url", db_url] if db_url else []),
                        "serve", "--port", str(port)], "Uvicorn running on", env)
                 for port in ports]
        extra = extra_sockets(args)
        try:
            latencies, failures, cpu = await measure(
                "relay", ports, tokens, args.rate, args.seconds, [p.pid for p in procs], extra,
                syscalls=args.syscalls, warmup=args.warmup)
            report(mode, latencies, failures, cpu)
        finally:
            for proc in procs:
                proc.terminate()
                proc.wait(15)
            if db_url:
                await drop_postgres(db_url)
                await drop_redis_keys(args.redis, prefix)
        for trace in traces.values():  # each replica's last webhooks: those measured
            records, measured = json.loads(trace.read_text()), len(latencies) // len(traces)
            print(relay_trace.report(relay_trace.split(records, measured)))
            print(relay_trace.slow_commits(records, measured))
            print(relay_trace.log_writes(records, measured))
            print(relay_trace.collections(records, measured))
            if args.spans:
                print(relay_trace.spans_report(records, measured))
        return latencies, cpu


async def drop_redis_keys(url: str, prefix: str) -> None:
    """Delete the keys a run's relays made under `prefix` (a run leaves none behind: 5,100
    streams of earlier runs were found on this machine's Redis)."""
    import redis.asyncio as redis

    client = redis.from_url(url)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}:*", count=1000)]
        for start in range(0, len(keys), 1000):
            await client.delete(*keys[start:start + 1000])
    finally:
        await client.aclose()


def extra_sockets(args: argparse.Namespace) -> dict[int, int]:
    """Client index → sockets beyond the first (`--devices`, `--multi-device-users`)."""
    return {i: args.devices - 1 for i in range(min(args.multi_device_users, args.clients))}


async def run_peer(args: argparse.Namespace, kind: str, port: int, pids: list[int],
                   post_port: int | None = None) -> tuple[list[float], float]:
    """One of the baselines under the same load: the latencies and CPU per message."""
    latencies, failures, cpu = await measure(
        kind, [port], [""] * args.clients, args.rate, args.seconds, pids, extra_sockets(args),
        [post_port] if post_port else None, warmup=args.warmup)
    report(kind, latencies, failures, cpu)
    return latencies, cpu


async def run_baseline(args: argparse.Namespace) -> tuple[list[float], float]:
    port = free_port()
    baseline = start([sys.executable, __file__, "--baseline-server", str(port)], "ready")
    try:
        return await run_peer(args, "baseline", port, [baseline.pid])
    finally:
        baseline.terminate()
        baseline.wait(15)


async def run_nchan(args: argparse.Namespace) -> tuple[list[float], float] | None:
    import nchan_peer

    why = nchan_peer.available()
    if why is not None:
        print(f"nchan     skipped: {why}")
        return None
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        proc, pids = nchan_peer.start(Path(tmp), port)
        try:
            return await run_peer(args, "nchan", port, pids)
        finally:
            proc.terminate()
            proc.wait(15)


async def run_durable(args: argparse.Namespace) -> tuple[list[float], float]:
    import durable_peer

    with tempfile.TemporaryDirectory() as tmp:
        ws_port, http_port = free_port(), free_port()
        proc = start(durable_peer.command(ws_port, http_port, Path(tmp) / "peer.db"), "ready")
        try:
            return await run_peer(args, "durable", ws_port, [proc.pid], http_port)
        finally:
            proc.terminate()
            proc.wait(15)


def durable_commit_floor(rate: float, seconds: float = 3.0) -> tuple[float, float]:
    """p50 and p99 (s) of one small durable SQLite commit (WAL, synchronous=FULL, as the
    relay's) in a temporary directory, at the run's rate for a few seconds: the part of the
    embedded relay's latency that the baselines, which keep nothing, do not pay. Paced,
    not back to back: 500 commits in a row are over in a fifth of a second and mostly miss
    the disk's occasional stalls of tens of milliseconds, which a ten-second run meets."""
    import sqlite3

    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(Path(tmp) / "floor.db", isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("CREATE TABLE t (frame TEXT)")
        times = []
        start = time.perf_counter()
        for n in range(int(rate * seconds)):
            delay = start + n / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            begin = time.perf_counter()
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO t VALUES (?)", ("x" * 300,))
            db.execute("COMMIT")
            times.append(time.perf_counter() - begin)
        db.close()
    return statistics.median(times), pct(times, 0.99)


async def main_async(args: argparse.Namespace) -> None:
    results: dict[str, list[float]] = {}
    cpus: dict[str, float] = {}
    if "embedded" in args.modes:
        p50, p99 = durable_commit_floor(args.rate)
        print(f"a durable SQLite commit on this disk, {args.rate:g}/s for 3 s: "
              f"p50 {p50 * 1000:.2f} ms  p99 {p99 * 1000:.2f} ms")
    for mode in args.modes:
        results[mode], cpus[mode] = await run_relay_mode(args, mode)
    results["baseline"], cpus["baseline"] = await run_baseline(args)
    peers = ["baseline"]
    if "nchan" in args.peer and (found := await run_nchan(args)) is not None:
        results["nchan"], cpus["nchan"] = found
        peers.append("nchan")
    pairs = [(mode, peer) for mode in args.modes for peer in peers]
    if "durable" in args.peer:
        results["durable"], cpus["durable"] = await run_durable(args)
        pairs += [(mode, "durable") for mode in args.modes] + [("durable", "baseline")]
    for mode, peer in pairs:
        r, b = results[mode], results[peer]
        cpu = f"{cpus[mode] / cpus[peer]:.1f}x" if cpus[peer] else "n/a (under a clock tick)"
        print(f"ratio {mode}/{peer}: p50 {statistics.median(r) / statistics.median(b):.1f}x"
              f"  p99 {pct(r, 0.99) / pct(b, 0.99):.1f}x  CPU {cpu}")
    devices = (f", {args.multi_device_users} of them with {args.devices} sockets"
               if args.devices > 1 else "")
    warm = f" after {args.warmup:g} s unmeasured" if args.warmup else ""
    print(f"({args.clients} clients{devices}, {args.rate} calls/s, {args.seconds:.0f} s{warm})")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({
            "clients": args.clients, "rate": args.rate, "seconds": args.seconds,
            "warmup": args.warmup,
            "devices": args.devices, "multi_device_users": args.multi_device_users,
            "results": {k: {"p50_ms": statistics.median(v) * 1000,
                            "p99_ms": pct(v, 0.99) * 1000, "max_ms": max(v) * 1000,
                            "cpu_ms_per_event": cpus[k] * 1000,
                            "n": len(v)} for k, v in results.items()}}, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rate", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=0.0,
                        help="seconds of the same load first, unmeasured (a relay just "
                             "started writes a write-ahead log whose file is still growing)")
    parser.add_argument("--modes", nargs="+", default=["embedded"], choices=list(MODES),
                        help="relay set-ups to measure: " + "; ".join(
                            f"{k}: {v}" for k, v in MODES.items()))
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--devices", type=int, default=1,
                        help="sockets per employee for the first --multi-device-users")
    parser.add_argument("--multi-device-users", type=int, default=0)
    parser.add_argument("--peer", nargs="*", default=[], choices=["nchan", "durable"],
                        help="also measure nginx + nchan (bench/nchan_peer.py) or the least "
                             "durable relay (bench/durable_peer.py) as baselines")
    parser.add_argument("--trace", action="store_true",
                        help="time the relay's webhook path in parts (bench/relay_trace.py)")
    parser.add_argument("--spans", nargs="+", default=[], metavar="MODULE:FUNCTION",
                        help="also time each call of these functions in the relay, e.g. "
                             "trubka.relay.store.calls:take_leg (implies --trace)")
    parser.add_argument("--syscalls", action="store_true",
                        help="count the relay's system calls per webhook (needs strace)")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--baseline-server", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_server:
        asyncio.run(baseline_server(args.baseline_server))
        return
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
