"""Soak (issue 10, "keep it found"): `trubka-relay serve` holding 1,000 desktop sockets
while 50 calls a second (a ringing event and its journal entry each) go through it, for
a bounded time, sampling the relay's resident memory and open file descriptors.

    uv run --all-extras python bench/soak.py [--clients 1000] [--rate 50]
        [--seconds 3600] [--sample 30] [--churn 10] [--json bench/out/soak.json]

Every `--sample` seconds it reads the relay's VmRSS and fd count from /proc. Each
minute `--churn` clients disconnect and reconnect with `since` (a leak of sockets or
subscriptions would show in the fd count and memory). Flat is the bar: the report gives
the first and last samples of the second half and a least-squares slope per hour.
Linux only (/proc); every connection is to 127.0.0.1, every loop bounded by the given
time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import connect

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fanout import TOKEN, prepare_relay
from tests.conftest import CliRelay


def sample(pid: int) -> tuple[float, int]:
    """(RSS in MB, open file descriptors) of process `pid`."""
    rss_kb = 0
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                rss_kb = int(line.split()[1])
    return rss_kb / 1024, len(os.listdir(f"/proc/{pid}/fd"))


class Load:
    def __init__(self, url: str, ws_url: str, tokens: list[str]) -> None:
        self.url, self.ws_url, self.tokens = url, ws_url, tokens
        self.frames = 0
        self.posted = 0
        self.failed_posts = 0
        self.reconnects = 0
        self.kick = [asyncio.Event() for _ in tokens]
        self.last_seq: dict[int, int] = {}

    async def client(self, index: int, stop: asyncio.Event) -> None:
        while not stop.is_set():
            since = self.last_seq.get(index)
            query = f"?since={since}" if since is not None else ""
            async with connect(f"{self.ws_url}/api/v1/events{query}", open_timeout=60,
                               additional_headers={"Authorization":
                                                   f"Bearer {self.tokens[index]}"}) as ws:
                reader = asyncio.create_task(self._read(ws, index))
                kicked = asyncio.create_task(self.kick[index].wait())
                halt = asyncio.create_task(stop.wait())
                await asyncio.wait({reader, kicked, halt}, return_when=asyncio.FIRST_COMPLETED)
                for task in (reader, kicked, halt):
                    task.cancel()
            self.kick[index].clear()
            self.reconnects += 1

    async def _read(self, ws: Any, index: int) -> None:
        async for message in ws:
            self.frames += 1
            seq = json.loads(message).get("seq")
            if isinstance(seq, int):
                self.last_seq[index] = seq

    async def webhooks(self, rate: int, stop: asyncio.Event) -> None:
        async with httpx.AsyncClient(base_url=self.url, timeout=30,
                                     limits=httpx.Limits(max_connections=32)) as http:
            n = 0
            started = time.monotonic()
            pending: set[asyncio.Task[None]] = set()
            while not stop.is_set():
                n += 1
                target = started + n / rate
                await asyncio.sleep(max(0.0, target - time.monotonic()))
                task = asyncio.create_task(self._call(http, n))
                pending.add(task)
                task.add_done_callback(pending.discard)
            await asyncio.gather(*pending, return_exceptions=True)

    async def _call(self, http: httpx.AsyncClient, n: int) -> None:
        ext = str(1000 + random.randrange(len(self.tokens)))
        base = {"user": ext, "ext": ext, "phone": "89991234567", "callid": f"soak-{n}",
                "crm_token": TOKEN}
        for body in ({**base, "cmd": "event", "type": "INCOMING", "direction": "in"},
                     {**base, "cmd": "history", "type": "in", "status": "missed"}):
            try:
                reply = await http.post("/hooks/prostiezvonki", json=body)
                self.posted += 1
                self.failed_posts += reply.status_code != 200
            except httpx.HTTPError:
                self.failed_posts += 1


async def run(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "relay"
        tokens = await prepare_relay(data, args.clients)
        relay = CliRelay(data).start()
        assert relay.proc is not None
        pid = relay.proc.pid
        load = Load(relay.url, relay.ws_url, tokens)
        stop = asyncio.Event()
        clients = [asyncio.create_task(load.client(i, stop)) for i in range(len(tokens))]
        await asyncio.sleep(5)
        samples: list[dict[str, float]] = []
        started = time.monotonic()
        senders = asyncio.create_task(load.webhooks(args.rate, stop))
        try:
            while (elapsed := time.monotonic() - started) < args.seconds:
                rss, fds = sample(pid)
                samples.append({"t": round(elapsed, 1), "rss_mb": round(rss, 1), "fds": fds,
                                "frames": load.frames, "posted": load.posted})
                print(f"{elapsed:7.0f} s  RSS {rss:7.1f} MB  fds {fds:5d}  frames "
                      f"{load.frames}  posts {load.posted} (failed {load.failed_posts})",
                      flush=True)
                for index in random.sample(range(len(tokens)), args.churn) \
                        if int(elapsed) % 60 < args.sample else []:
                    load.kick[index].set()
                await asyncio.sleep(args.sample)
        finally:
            stop.set()
            await asyncio.gather(senders, *clients, return_exceptions=True)
            relay.stop()
    return summary(args, samples, load)


def slope_per_hour(points: list[tuple[float, float]]) -> float:
    if len(points) < 2:
        return 0.0
    xs, ys = zip(*points, strict=True)
    return statistics.linear_regression(xs, ys).slope * 3600


def summary(args: argparse.Namespace, samples: list[dict[str, float]], load: Load
            ) -> dict[str, Any]:
    half = samples[len(samples) // 2:]
    return {
        "clients": args.clients, "rate": args.rate, "seconds": args.seconds,
        "posted": load.posted, "failed_posts": load.failed_posts, "frames": load.frames,
        "reconnects": load.reconnects - args.clients,
        "rss_mb": {"first": samples[0]["rss_mb"], "second_half_first": half[0]["rss_mb"],
                   "last": samples[-1]["rss_mb"], "max": max(s["rss_mb"] for s in samples),
                   "second_half_slope_per_hour": round(slope_per_hour(
                       [(s["t"], s["rss_mb"]) for s in half]), 1)},
        "fds": {"first": samples[0]["fds"], "last": samples[-1]["fds"],
                "min": min(s["fds"] for s in samples), "max": max(s["fds"] for s in samples)},
        "samples": samples,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rate", type=int, default=50, help="calls per second")
    parser.add_argument("--seconds", type=float, default=3600.0)
    parser.add_argument("--sample", type=float, default=30.0)
    parser.add_argument("--churn", type=int, default=10, help="reconnects per minute")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the relay inherits it
    result = asyncio.run(run(args))
    print(json.dumps({k: v for k, v in result.items() if k != "samples"}, indent=1))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
