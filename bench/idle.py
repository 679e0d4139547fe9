"""Idle capacity: N subscribed clients on one relay process (issue: 10,000; < 50 KB each).

Starts `trubka-relay serve` (SQLite, in-process hub) with N users, connects one WebSocket
client per user from this process, then reads the relay's RSS from /proc before and after
the clients (memory per client = the difference / N) and its CPU time over an idle
window with every client connected. The baseline, measured in the same run the same way,
is a bare `websockets` server holding the same number of idle connections.

    uv run --all-extras python bench/idle.py [--clients 10000] [--idle 30]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from websockets.asyncio.client import connect

sys.path.insert(0, str(Path(__file__).parent))
from fanout import free_port, prepare_relay, start

PAGE = os.sysconf("SC_PAGE_SIZE")
TICK = os.sysconf("SC_CLK_TCK")


def rss(pid: int) -> int:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


async def hold(urls: list[str], headers: list[dict[str, str]], idle: float, pid: int,
               hello: bool) -> dict[str, float]:
    before = rss(pid)
    conns = []
    t0 = time.perf_counter()
    for i, url in enumerate(urls):
        ws = await connect(url, additional_headers=headers[i], open_timeout=60,
                           ping_interval=None, max_queue=16)
        if hello:
            await ws.recv()
        conns.append(ws)
    connect_s = time.perf_counter() - t0
    await asyncio.sleep(2)  # let the server settle after the burst
    after = rss(pid)
    cpu0 = cpu_seconds(pid)
    await asyncio.sleep(idle)
    cpu1 = cpu_seconds(pid)
    for ws in conns:
        await ws.close()
    return {"clients": len(urls), "rss_before_mb": before / 2**20,
            "rss_after_mb": after / 2**20,
            "kb_per_client": (after - before) / len(urls) / 1024,
            "idle_cpu_percent": (cpu1 - cpu0) / idle * 100, "connect_seconds": connect_s}


def show(name: str, r: dict[str, float]) -> None:
    print(f"{name:<9} {int(r['clients'])} clients: RSS {r['rss_before_mb']:.0f} → "
          f"{r['rss_after_mb']:.0f} MB, {r['kb_per_client']:.1f} KB/client, idle CPU "
          f"{r['idle_cpu_percent']:.2f} %, connected in {r['connect_seconds']:.0f} s")


async def main_async(args: argparse.Namespace) -> None:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        tokens = await prepare_relay(Path(tmp), args.clients)
        port = free_port()
        relay = start([sys.executable, "-m", "trubka.relay.cli", "--data-dir", tmp, "serve",
                       "--port", str(port)], "Uvicorn running on")
        try:
            await asyncio.sleep(1)
            results["relay"] = await hold(
                [f"ws://127.0.0.1:{port}/api/v1/events"] * args.clients,
                [{"Authorization": f"Bearer {t}"} for t in tokens], args.idle, relay.pid,
                hello=True)
            show("relay", results["relay"])
        finally:
            relay.terminate()
            relay.wait(30)
    port = free_port()
    base = start([sys.executable, str(Path(__file__).with_name("fanout.py")),
                  "--baseline-server", str(port)], "ready")
    try:
        await asyncio.sleep(1)
        results["baseline"] = await hold(
            [f"ws://127.0.0.1:{port}/u/{i}" for i in range(args.clients)],
            [{}] * args.clients, args.idle, base.pid, hello=False)
        show("baseline", results["baseline"])
    finally:
        base.terminate()
        base.wait(30)
    ratio = results["relay"]["kb_per_client"] / max(results["baseline"]["kb_per_client"], 0.01)
    print(f"ratio relay/baseline memory per client: {ratio:.1f}x")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--idle", type=float, default=30.0, help="seconds of idle to time")
    parser.add_argument("--json", help="also write the figures to this file")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
